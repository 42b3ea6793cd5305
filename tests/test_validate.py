"""``sandbox-validate``: the small size passes end to end (this is how CI runs it), and the
command fails when an oracle or an input is broken on purpose."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sandbox.config.meta import with_values
from sandbox.model import bass as model_bass
from sandbox.model.citizens import Citizens
from sandbox.model.resources.ledger import Ledger
from sandbox.validation import bass, cli, invariants
from sandbox.validation.report import FAMILIES
from sandbox.validation.scenarios import compose, with_mechanisms
from sandbox.validation.sizes import SIZES

SCRIPT = Path(sys.executable).with_name("sandbox-validate")


def validate(*args: str) -> int:
    """Run the command in this process (monkeypatches apply); its exit code."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(list(args))
    return exit_info.value.code


def test_small_size_passes_and_reports_every_family(tmp_path: Path) -> None:
    out = tmp_path / "small"
    done = subprocess.run(
        [str(SCRIPT), "--size", "small", "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(f"report: {out / 'report.md'}")
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "**PASS**: " in text
    for family in FAMILIES:
        assert f"\n## {family}: " in text, family
    record = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert record["passed"] is True
    assert {r["family"] for r in record["results"]} == set(FAMILIES)
    assert all(r["passed"] for r in record["results"])


def test_an_impossible_target_fails(tmp_path: Path) -> None:
    targets = tmp_path / "impossible.yaml"
    targets.write_text(
        "targets:\n"
        "  - {name: seventy, use: fit, month: 2019-06, metric: provinces_with_app, value: 70,\n"
        "     out_of: 63, tolerance: 4, tolerance_why: as the fit's, figure: more provinces\n"
        "     than there are, source: none}\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    code = validate("--size", "small", "--only", "targets", "--targets", str(targets),
                    "--out", str(out), "--jobs", "1")  # fmt: skip
    assert code == 1
    (result,) = json.loads((out / "validation.json").read_text(encoding="utf-8"))["results"]
    assert result["name"] == "seventy"
    assert result["passed"] is False
    assert result["numbers"]["target"] == 70
    assert result["numbers"]["mean"] <= 63
    assert "**FAIL**" in (out / "report.md").read_text(encoding="utf-8")


def test_a_broken_bass_oracle_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed_form = model_bass.bass_share  # what the runner's bass_max_abs_error compares with
    monkeypatch.setattr(model_bass, "bass_share", lambda t, p, q: closed_form(t, p, q) + 0.01)
    reference = bass.bernoulli_reference

    def slow_reference(citizens: Citizens, *rest: object) -> np.ndarray:
        """The reference with imitation 20% too weak (the model's citizens untouched)."""
        weak = copy.copy(citizens)
        weak.params = with_values(
            citizens.params, {"q_imitation": 0.8 * citizens.params.q_imitation}
        )
        return reference(weak, *rest)

    monkeypatch.setattr(bass, "bernoulli_reference", slow_reference)
    out = tmp_path / "bass"
    assert validate("--size", "small", "--only", "bass", "--out", str(out), "--jobs", "1") == 1
    results = json.loads((out / "validation.json").read_text(encoding="utf-8"))["results"]
    assert results and not any(r["passed"] for r in results)


def test_an_invariant_catches_money_that_is_not_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful(ledger: Ledger, amount: float) -> None:
        ledger.central -= amount  # paid, but not counted as spent

    monkeypatch.setattr(Ledger, "spend_central", forgetful)
    case = next(c for c in invariants.cases(SIZES["small"]) if "defaults" in c.label)
    _, found = invariants.breaches(case)
    assert "ledger" in found


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--size", "huge"], ["'--size'", "'huge'", "small or default"]),
        (["--only", "bass,nonsense"], ["'--only'", "'nonsense'", "metamorphic"]),
        (["--jobs", "0"], ["'--jobs'", "'0'", ">= 1"]),
        (["--targets", "no/such/file.yaml"], ["'--targets'", "no/such/file.yaml", "vietnam_2024"]),
        (["--bogus"], ["--bogus", "--size small|default"]),
        (["--size"], ["--size", "expected one argument"]),
    ],
)
def test_bad_arguments_get_one_paragraph_and_exit_2(
    args: list[str], words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert validate(*args, "--out", str(tmp_path / "never")) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sandbox-validate: ")
    assert "\n" not in err
    for word in words:
        assert word in err
    assert not (tmp_path / "never").exists()


def _unwritable(tmp_path: Path, case: str) -> Path:
    if case == "under a file":
        (tmp_path / "a file").write_text("")
        return tmp_path / "a file" / "report"
    if case == "read-only folder":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder")
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        return folder / "report"
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc")
    return Path("/proc") / "sandbox-validate" / "report"  # no file can be made in /proc


@pytest.mark.parametrize("case", ["under a file", "read-only folder", "in /proc"])
def test_an_unwritable_out_is_refused_before_any_check(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _unwritable(tmp_path, case)

    def never(*args: object) -> list:
        raise AssertionError("a check ran before --out was found unwritable")

    monkeypatch.setattr(cli, "runners", lambda source: dict.fromkeys(FAMILIES, never))
    assert validate("--size", "small", "--only", "bass", "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sandbox-validate: Invalid value for '--out'") and "\n" not in err
    assert repr(str(out)) in err and "can create or write in" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("policy", "resources", "data"),
    [("facilitation", "ppp", "national_platform"), ("phased_sandbox", "mixed", "interoperable")],
)
def test_mechanisms_put_in_place_equal_the_composed_scenario(
    policy: str, resources: str, data: str
) -> None:
    groups, values = invariants.MAPS["toy"]
    built = with_values(with_mechanisms(compose(*groups), policy, resources, data), values)
    leaves = [f"{key}={value}" for key, value in values.items()]
    direct = compose(*groups, *leaves, f"policy={policy}", f"resources={resources}", f"data={data}")
    assert built == direct
