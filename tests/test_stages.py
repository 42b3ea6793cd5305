"""The month is an executable, printable list of stages that ``step`` runs."""

from __future__ import annotations

from conftest import SMALL, scenario
from sandbox.model.model import SandboxModel


def test_step_runs_exactly_the_listed_stages_in_order() -> None:
    model = SandboxModel(scenario(*SMALL, "horizon.end=2019-03"))
    calls: list[str] = []
    original = model.stages
    model.stages = type(original)(
        (lambda s=s: (calls.append(s.__name__), s())[1]) for s in original
    )
    model.step()
    assert calls == [s.__name__ for s in original]
    assert model.t == 1 and len(model.rows) == 1


def test_the_schedule_prints_each_stage_with_its_summary() -> None:
    model = SandboxModel(scenario(*SMALL))
    lines = str(model.stages).splitlines()
    assert len(lines) == len(model.stages)
    for i, (line, stage) in enumerate(zip(lines, model.stages, strict=True), start=1):
        assert line.startswith(f"{i}. ") and stage.__name__ in line
        assert line.split(": ", 1)[1], line  # a summary from the docstring


def test_the_bass_validation_runs_only_citizens_and_the_record() -> None:
    model = SandboxModel(scenario(*SMALL, "validation=bass"))
    assert [s.__name__ for s in model.stages] == ["_citizens_full_coverage", "_record"]
