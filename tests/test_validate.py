"""``sandbox-validate``: the small size passes end to end (this is how CI runs it), and the
command fails when an oracle or an input is broken on purpose."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandbox.calibration.targets import Target
from sandbox.config.meta import with_values
from sandbox.model import bass as model_bass
from sandbox.model.citizens import Citizens
from sandbox.model.resources.ledger import Ledger
from sandbox.validation import bass, cli, figures, invariants, report
from sandbox.validation.report import FAMILIES
from sandbox.validation.scenarios import compose, with_mechanisms
from sandbox.validation.sizes import SIZES

SCRIPT = Path(sys.executable).with_name("sandbox-validate")


def validate(*args: str) -> int:
    """Run the command in this process (monkeypatches apply); its exit code."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(list(args))
    return exit_info.value.code


def section(text: str, title: str) -> str:
    """The Markdown section of ``text`` under the heading ``## <title>...``."""
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_small_size_passes_and_reports_every_family(tmp_path: Path) -> None:
    out = tmp_path / "small"
    done = subprocess.run(
        [str(SCRIPT), "--size", "small", "--out", str(out), "--jobs", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip().endswith(f"report: {out / 'report.md'}")
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "**PASS: " in text
    for family in FAMILIES:
        assert f"\n## {family}: " in text, family
    record = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert record["passed"] is True and record["exit_code"] == 0
    assert {r["family"] for r in record["results"]} == set(FAMILIES)
    judged = [r for r in record["results"] if r["section"] != "out of sample"]
    assert all(r["passed"] for r in judged)
    # --json: stdout is the checks as a JSON list, the same numbers as the report's
    checks = json.loads(done.stdout)
    assert checks == [{k: r[k] for k in report.RECORD} for r in record["results"]]
    summary = section(text, "Summary").splitlines()
    for check in checks:
        assert {"family", "name", "value", "target", "tolerance", "passed", "used_in_fit"} <= set(
            check
        )
        (row,) = [r for r in summary if r.startswith(f"| {check['family']} | {check['name']} | ")]
        cells = [c.strip() for c in row.split(" | ")]
        assert cells[3:6] == [report.fmt(check[k]) for k in ("value", "target", "tolerance")]
    # the funnel's admitted share set approval_prob by hand: in-sample, never a validation
    funnel_checks = {c["name"]: c for c in checks if c["family"] == "funnel"}
    for regime in ("controlled_pilot", "phased_sandbox"):
        admitted = funnel_checks[f"fca_admitted_share/{regime}"]
        assert admitted["use"] == "hand" and admitted["used_in_fit"] is True
        assert admitted["section"] == "in-sample"
        for share in ("fca_testing_share", "fca_launch_share"):
            assert funnel_checks[f"{share}/{regime}"]["used_in_fit"] is False
    assert "used to set `policy.sandbox.approval_prob` by hand" in section(text, "In-sample")
    # failed out-of-sample checks are named plainly, in the verdict and their section
    failed = [c for c in checks if c["status"] == "failed"]
    assert failed and all(c["section"] == "out of sample" for c in failed)
    for c in failed:
        assert f"{c['family']}/{c['name']}" in text.split("## Summary")[0]
        assert f"- {c['family']}/{c['name']}: model " in section(text, "Out of sample")


# a tiny targets file: a fitted figure, a passing and a failing check, one not modelled
TINY = """
targets:
  - {name: fitted_apps, use: fit, month: 2020-06, metric: provinces_with_app, value: 30,
     out_of: 63, tolerance: 63, tolerance_why: any, figure: apps, source: a source}
  - {name: loose_check, use: check, month: 2020-06, metric: provinces_with_project,
     value: 30, out_of: 63, tolerance: 63, tolerance_why: any, figure: projects, source: s}
  - {name: impossible_check, use: check, month: 2020-06, metric: provinces_with_app,
     value: 70, out_of: 63, tolerance: 1, tolerance_why: none, figure: too many, source: s}
  - {name: unmodelled, use: check, month: 2020-06, metric: null, status: not modelled yet,
     value: 10, out_of: 63, tolerance: 2, tolerance_why: some, figure: centres, source: s}
"""
TINY_SIZE = dataclasses.replace(SIZES["small"], target_replicates=3, funnel_replicates=2)


def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, dict, str]:
    """``sandbox-validate --only targets`` on ``TINY`` at a tiny size: exit code,
    validation.json and report.md."""
    monkeypatch.setitem(cli.SIZES, "small", TINY_SIZE)
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    out = tmp_path / f"tiny{len(args)}"
    code = validate("--size", "small", "--only", "targets", "--targets", str(path),
                    "--out", str(out), "--jobs", "1", *args)  # fmt: skip
    record = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    return code, record, (out / "report.md").read_text(encoding="utf-8")


def test_fitted_checks_never_appear_out_of_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, record, text = tiny(tmp_path, monkeypatch)
    by_name = {r["name"]: r for r in record["results"]}
    assert by_name["fitted_apps"]["section"] == "in-sample"
    assert by_name["fitted_apps"]["used_in_fit"] is True
    for name in ("loose_check", "impossible_check", "unmodelled"):
        assert by_name[name]["section"] == "out of sample"
        assert by_name[name]["used_in_fit"] is False
    outside, inside = section(text, "Out of sample"), section(text, "In-sample")
    assert "fitted_apps" not in outside and "targets/fitted_apps" in inside
    assert "loose_check" in outside and "loose_check" not in inside
    assert record["out_of_sample"]["failed"] == ["targets/impossible_check"]
    assert "fitted_apps" not in json.dumps(record["out_of_sample"])


def test_a_figure_not_modelled_is_neither_passed_nor_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, record, text = tiny(tmp_path, monkeypatch, "--strict")
    (unmodelled,) = [r for r in record["results"] if r["name"] == "unmodelled"]
    assert unmodelled["status"] == "not modelled"
    assert unmodelled["passed"] is None and unmodelled["value"] is None
    assert unmodelled["target"] == 10 and unmodelled["tolerance"] == 2
    assert record["out_of_sample"]["not modelled"] == ["targets/unmodelled"]
    assert "| targets | unmodelled | no | – | 10 | 2 | **NOT MODELLED** |" in text
    assert "- targets/unmodelled: " in section(text, "Out of sample").split("Not modelled")[1]
    assert code == 1  # --strict: the impossible check fails the command, not the unmodelled


def test_out_of_sample_failures_change_the_exit_code_only_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, record, text = tiny(tmp_path, monkeypatch)
    assert code == 0 and record["passed"] is True and record["exit_code"] == 0
    out = capsys.readouterr().out
    assert "FAILED: targets/impossible_check" in out
    assert "not fatal, without --strict" in out
    assert out.strip().endswith("report.md")
    assert "**PASS: 1 of 1 in-sample and model checks passed**" in text
    assert "FAILED: targets/impossible_check" in text
    code, record, _ = tiny(tmp_path, monkeypatch, "--strict")
    assert code == 1 and record["passed"] is True and record["exit_code"] == 1


def test_json_prints_only_the_checks_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, record, text = tiny(tmp_path, monkeypatch, "--json")
    captured = capsys.readouterr()
    checks = json.loads(captured.out)
    assert [c["name"] for c in checks] == [r["name"] for r in record["results"]]
    assert checks == [{k: r[k] for k in report.RECORD} for r in record["results"]]
    assert "report: " in captured.err and "report: " not in captured.out
    summary = section(text, "Summary").splitlines()
    for check, full in zip(checks, record["results"], strict=True):
        assert check["value"] == full["numbers"].get("model")  # the unrounded figure
        (row,) = [r for r in summary if r.startswith(f"| targets | {check['name']} | ")]
        cells = [c.strip() for c in row.split(" | ")]
        assert cells[3:6] == [report.fmt(check[k]) for k in ("value", "target", "tolerance")]


def frames_with(values: list[float], month: str = "2021-12") -> list[pd.DataFrame]:
    """One table per replicate holding ``provinces_with_app`` = each value at ``month``."""
    return [
        pd.DataFrame({"provinces_with_app": [v], "provinces": [63]}, index=[month]) for v in values
    ]


@pytest.mark.parametrize(
    ("values", "tolerance", "passed"),
    [
        ([44.0, 46.0], 5.0, True),  # mean 45: exactly at the tolerance
        ([44.0, 46.5], 5.0, False),  # mean 45.25: just outside
        ([40.0, 40.0], 0.0, True),  # a zero tolerance: exact only
        ([40.0, 41.0], 0.0, False),
        ([36.0, 34.0], 5.0, True),  # below the figure: the same band
        ([35.0, 34.0], 5.0, False),
    ],
)
def test_a_declared_tolerance_is_applied_as_stated(
    values: list[float], tolerance: float, passed: bool
) -> None:
    t = Target(name="apps", use="check", month="2021-12", metric="provinces_with_app",
               value=40, out_of=63, tolerance=tolerance, tolerance_why="test", figure="apps",
               source="test")  # fmt: skip
    result = figures.compare(t, frames_with(values), "targets", "apps")
    assert result.passed is passed
    assert result.value == pytest.approx(np.mean(values))
    assert (result.target, result.tolerance) == (40.0, tolerance)


def test_a_share_is_pooled_and_an_order_counts_pairs() -> None:
    share = Target(
        name="s", use="check", month="2030-12", metric="a / b", value=0.5, out_of=10,
        tolerance=0.01, tolerance_why="t", figure="s", source="s",
    )  # fmt: skip
    frames = [pd.DataFrame({"a": [1.0], "b": [4.0]}, index=["2030-12"]),
              pd.DataFrame({"a": [5.0], "b": [6.0]}, index=["2030-12"])]  # fmt: skip
    result = figures.compare(share, frames, "funnel", "s")
    assert result.value == pytest.approx(0.6)  # (1 + 5) / (4 + 6), not the mean of shares
    assert result.passed is False
    order = dataclasses.replace(share, metric="b > a", value=1, tolerance=0)
    assert figures.compare(order, frames, "targets", "o").value == 1.0
    reversed_order = dataclasses.replace(share, metric="a > b", value=1, tolerance=0.5)
    assert figures.compare(reversed_order, frames, "targets", "o").passed is False


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
    assert result["numbers"]["target"] == 70 and result["target"] == 70
    assert result["numbers"]["model"] <= 63 and result["tolerance"] == 4
    assert result["section"] == "in-sample"
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
    pay = Ledger._pay

    def forgetful(ledger: Ledger, *args: object) -> None:
        spent = ledger.spent_central
        pay(ledger, *args)
        ledger.spent_central = spent  # paid from the central pool, but not counted as spent

    monkeypatch.setattr(Ledger, "_pay", forgetful)
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
