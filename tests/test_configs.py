"""Every config group option composes and runs at region=toy (Hydra compose API)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.config.paths import CONFIG_DIR
from sandbox.model.metrics import METRICS
from sandbox.model.model import SandboxModel
from tests.conftest import SMALL, scenario

GROUPS = ("policy", "resources", "data", "region", "validation")


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (Path(CONFIG_DIR) / group).glob("*.yaml"))


CASES = [(g, o) for g in GROUPS for o in options(g)]


@pytest.mark.parametrize(("group", "option"), CASES, ids=[f"{g}={o}" for g, o in CASES])
def test_option_composes_and_runs(group: str, option: str) -> None:
    overrides = [*SMALL, "horizon.end=2020-12", f"{group}={option}"]
    if group == "region":
        overrides = ["citizens.n=2000", "horizon.end=2020-12", f"{group}={option}"]
    params = scenario(*overrides)
    assert getattr(params, group).name == option.replace("phased_sandbox", "phased")
    frame = SandboxModel(params).run()
    assert list(frame.columns) == ["month", *METRICS]
    assert len(frame) == 24
    assert not frame[list(METRICS)].isna().any().any()


def test_every_group_has_options() -> None:
    for group in GROUPS:
        assert options(group), group


def test_sandbox_inside_phased_rollout_uses_the_sandbox() -> None:
    params = scenario(*SMALL, "policy=phased_sandbox", "horizon.end=2024-12")
    model = SandboxModel(params)
    model.run()
    tracks = {q.track.key for a in model.authority_list for q in a.pilots}
    assert "sandbox" in tracks
    assert "adhoc" in tracks  # provinces outside the admitted waves


def test_regions_have_their_documented_sizes() -> None:
    sizes = {"vietnam_63": 63, "vietnam_34": 34, "toy": 4, "single": 1}
    for region, n in sizes.items():
        model = SandboxModel(scenario(f"region={region}", "citizens.n=500"))
        assert model.region.n == n
        assert model.region.population.sum() == (
            96_208_984 if n in (63, 34) else model.region.population.sum()
        )
