"""sandbox-report on the stored tables (tests/data/analysis, copied): the report's files and
sections exist, its figures are PNG files it links to, a folder that is not a collected
sweep is refused with one paragraph and exit code 2; and a real sweep ends by printing
its report's path, also when it has nothing to compare."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sandbox.experiments.report import main, write_report
from tests.test_bad_input import ENTRY

DATA = Path(__file__).parent / "data" / "analysis"
EXPERIMENTS = ("policy_comparison", "sandbox_design", "phasing", "experimental_alignment")
# a report opens with its summary; the long parts (breakdowns, what was run) come last
SECTIONS = ("## Summary", "## Comparison", "## Figures", "## What was run", "### Size",
            "### Code and versions")  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n"
TINY = ("region=toy", "citizens.n=500", "horizon.end=2019-06", "policy.start=2019-04",
        "resources=central_budget",
        "data=fragmented", "replicate=0")  # fmt: skip


def copied(name: str, tmp_path: Path) -> Path:
    """A sweep folder holding a copy of the stored tables of ``name``."""
    folder = tmp_path / name
    folder.mkdir()
    for table in ("runs.parquet", "timeseries.parquet", "provinces.parquet"):
        shutil.copy(DATA / name / table, folder / table)
    return folder


def report_of(folder: Path, capsys, *args: str) -> str:
    main([str(folder), *args])
    path = folder / "report" / "report.md"
    assert capsys.readouterr().out.strip() == f"report: {path}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_report_has_its_sections_figures_and_comparison(name, tmp_path, capsys) -> None:
    folder = copied(name, tmp_path)
    text = report_of(folder, capsys)
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert text.split("\n## ")[1].startswith("Summary")  # the first section
    figures = text.index("## Figures")
    assert all(m.start() > figures for m in re.finditer(r"^#### ", text, re.MULTILINE))
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert {"outcomes_over_time.png", "tradeoff_frontier.png", "province_heatmap.png",
            "spread_across_provinces.png"} <= set(links)  # fmt: skip
    for link in links:
        assert (folder / "report" / link).read_bytes()[:8] == PNG
    drawn = {p.name for p in (folder / "report").glob("*.png")}
    assert drawn == set(links)  # every figure written is in the report, and only those
    assert "not drawn" not in text
    runs = pd.read_parquet(folder / "runs.parquet")
    assert f"| runs | {len(runs)} ({len(runs)} done) |" in text
    assert f"`{runs['code_fingerprint'].iloc[0]}` ({len(runs)} runs)" in text
    assert "not recorded (no multirun.yaml" in text  # the stored tables have no Hydra files
    assert re.search(r"^\| \w+ \| reach \| ", text, re.MULTILINE)  # a comparison table
    assert not list(folder.rglob("*.tmp"))


def test_policy_comparison_report_compares_with_the_status_quo(tmp_path, capsys) -> None:
    text = report_of(copied("policy_comparison", tmp_path), capsys)
    assert "### policy against status_quo" in text
    assert "| status_quo (level) |" in text
    for option in ("controlled_pilot", "facilitation"):
        assert re.search(rf"\| {option} \| -?[\d.,]+ \[", text), option
    assert "lever `data` | fragmented, national_platform" in text
    assert "comparison_policy.png" in text


def test_the_report_shows_one_run_by_province_and_the_spread_across_provinces(
    tmp_path, capsys
) -> None:
    folder = copied("policy_comparison", tmp_path)
    text = report_of(folder, capsys)
    # the heat map's run: the baseline, the other levers' first options, replicate 0
    assert "The run policy=status_quo, data=fragmented, replicate 0:" in text
    assert "hatched grey cells are provinces not on that month's map" in text
    table = text[text.index("Spread across provinces in 2030-12") :]
    rows = re.findall(r"^\| (\w+), (\w+) \| (\d+) \| ", table, re.MULTILINE)
    runs = pd.read_parquet(folder / "runs.parquet")  # a row per policy and data regime
    counts = runs.groupby(["lever_policy", "lever_data"]).size().to_dict()
    assert {(p, d): int(n) for p, d, n in rows} == counts
    # the median province's services, from the stored table: where every run of a row has
    # the same, the cell says so instead of a CI
    provinces = pd.read_parquet(folder / "provinces.parquet")
    last = provinces[provinces["month"] == provinces["month"].max()]
    medians = last.groupby("run_id")["services_deployed"].median()
    keyed = runs.set_index("run_id")[["lever_policy", "lever_data"]]
    per_row = medians.groupby([keyed["lever_policy"], keyed["lever_data"]]).agg(["min", "max"])
    same = per_row[per_row["min"] == per_row["max"]]
    assert len(same) > 0  # the stored sweep has such a row
    for (policy, data), (value, _) in same.iterrows():
        row = next(line for line in table.splitlines() if line.startswith(f"| {policy}, {data} |"))
        assert row.split(" | ")[3] == f"{value:.3f} [same in every run]", row
    (folder / "provinces.parquet").unlink()  # a sweep collected before the table existed
    text = report_of(folder, capsys)
    assert "province_heatmap.png" not in text and "not drawn" not in text
    assert "No per-province table (provinces.parquet) in this folder" in text
    assert not (folder / "report" / "province_heatmap.png").exists()


def test_the_policy_comparison_is_broken_down_by_the_other_levers(tmp_path, capsys) -> None:
    folder = copied("policy_comparison", tmp_path)
    text = report_of(folder, capsys)
    section = text[text.index("#### policy against status_quo, by data") :]
    assert "**adoption** (share of population)" in section
    assert "| policy | fragmented | national_platform |" in section
    runs = pd.read_parquet(folder / "runs.parquet")
    for data, group in runs.groupby("lever_data"):  # paired by hand within each data regime
        arms = group.pivot(index="replicate", columns="lever_policy", values="citizens_harmed")
        diff = (arms["controlled_pilot"] - arms["status_quo"]).mean()
        table = section[section.index("**citizens_harmed**") :]
        row = next(line for line in table.splitlines() if line.startswith("| controlled_pilot"))
        column = ["fragmented", "national_platform"].index(data)
        assert row.split(" | ")[1 + column].startswith(f"{diff:,.0f} [")


def test_each_varied_lever_is_compared_with_its_reference(tmp_path, capsys) -> None:
    text = report_of(copied("phasing", tmp_path), capsys)
    assert "### policy_phasing_order against random" in text
    assert "### policy_phasing_n_waves against 2" in text
    assert "phasing.png" in text
    text = report_of(copied("sandbox_design", tmp_path), capsys, "--lever",
                     "policy_sandbox_capacity", "--baseline", "40")  # fmt: skip
    assert "### policy_sandbox_capacity against 40" in text
    assert "| 40 (level) |" in text and "graduation_evidence against" not in text


def folder_with_run_only(tmp_path: Path) -> Path:
    folder = tmp_path / "one_run"
    folder.mkdir()
    shutil.copy(DATA / "phasing" / "timeseries.parquet", folder / "timeseries.parquet")
    (folder / "summary.json").write_text("{}")
    return folder


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "missing", "is not a folder"),
        (lambda tmp: tmp, "has no runs.parquet or timeseries.parquet (it has not been collected)"),
        (folder_with_run_only, "has no runs.parquet (it is a single run's folder)"),
    ],
    ids=["missing", "empty", "single-run"],
)
def test_a_folder_that_is_not_a_collected_sweep_exits_2(make, reason, tmp_path, capsys) -> None:
    folder = make(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main([str(folder)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sandbox-report: ")  # one paragraph
    assert reason in err and "sandbox-collect" in err
    assert not (folder / "report").exists()


def test_a_sweep_without_done_runs_or_with_a_bad_lever_exits_2(tmp_path, capsys) -> None:
    folder = copied("phasing", tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main([str(folder), "--lever", "colour"])
    assert exit_info.value.code == 2
    assert "'lever_colour' is not a column" in capsys.readouterr().err
    runs = pd.read_parquet(folder / "runs.parquet").assign(status="failed")
    runs.to_parquet(folder / "runs.parquet")
    with pytest.raises(SystemExit) as exit_info:
        main([str(folder)])
    assert exit_info.value.code == 2
    assert "no run of" in capsys.readouterr().err


def sweep(folder: Path, *overrides: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", ENTRY, "-m", "experiment=policy_comparison", *TINY,
            *overrides, f"hydra.sweep.dir={folder}"]  # fmt: skip
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def test_a_sweep_ends_with_its_table_and_its_reports_path(tmp_path) -> None:
    folder = tmp_path / "sweep"
    done = sweep(folder, "policy=status_quo,controlled_pilot")
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout.strip().splitlines()
    report = folder / "report" / "report.md"
    assert out[-1] == f"report: {report}"
    assert any(line.startswith("status_quo (level)") for line in out)  # the table, printed
    text = report.read_text(encoding="utf-8")
    assert "Experiment `policy_comparison`. Research question: Which regulatory regime" in text
    assert "sandbox-run --multirun experiment=policy_comparison region=toy" in text
    assert "| `policy` | `status_quo,controlled_pilot` | command line |" in text
    assert "| `replicate` | `0` | command line |" in text
    assert "versions (from a run's manifest.json): python " in text
    assert "### policy against status_quo" in text


def test_a_sweep_ends_with_its_table_broken_down_by_the_other_levers(tmp_path) -> None:
    folder = tmp_path / "sweep"
    args = [sys.executable, "-c", ENTRY, "-m", "experiment=policy_comparison",
            *(o for o in TINY if not o.startswith("data=")), "data=fragmented,interoperable",
            "policy=status_quo,controlled_pilot", f"hydra.sweep.dir={folder}"]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "By data (2 combinations): the lowest to the highest mean difference" in out
    assert out.index("status_quo (level)") < out.index("By data (2 combinations)")
    assert (folder / "comparison_vs_status_quo_by_data.txt").is_file()
    assert (
        "#### policy against status_quo, by data" in (folder / "report" / "report.md").read_text()
    )


def test_a_sweep_of_the_baseline_only_still_reports_and_exits_0(tmp_path) -> None:
    folder = tmp_path / "baseline_only"
    done = sweep(folder, "policy=status_quo")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "KeyError" not in done.stderr
    assert "no comparison table: nothing to compare" in done.stderr
    report = folder / "report" / "report.md"
    assert done.stdout.strip().splitlines()[-1] == f"report: {report}"
    assert "Nothing to compare" in report.read_text(encoding="utf-8")


def test_write_report_overwrites_an_earlier_report(tmp_path, capsys) -> None:
    folder = copied("experimental_alignment", tmp_path)
    first = write_report(folder)
    again = write_report(folder, lever="policy_experimental_rework_cost")
    assert first == again
    text = again.read_text(encoding="utf-8")
    assert "rework_cost against 0.1" in text and "coordination against" not in text
    drawn = {p.name for p in (folder / "report").glob("*.png")}
    assert "comparison_policy_experimental_coordination.png" not in drawn  # the earlier one's


@pytest.mark.parametrize("name", [*EXPERIMENTS, "ablation"])
def test_every_sweep_experiment_ends_with_a_comparison_of_its_own_lever(name, tmp_path) -> None:
    # the experiment's callback names a lever it sweeps and a baseline among its options,
    # and the comparison it will print at the end is made from its (stored) tables
    from omegaconf import OmegaConf

    from sandbox.experiments.compare import write_comparison

    config = OmegaConf.load(Path(__file__).parents[1] / "configs" / "experiment" / f"{name}.yaml")
    callback = config.hydra.callbacks.sweep
    lever = callback.get("lever", "policy")
    swept = {k.removeprefix("+") for k in config.hydra.sweeper.params}
    assert lever in {k.replace(".", "_") for k in swept} | {"policy"}, lever
    text = write_comparison(copied(name, tmp_path), callback.baseline, lever)
    assert text.splitlines()[0].startswith(f"Level of {callback.baseline}, and difference")
