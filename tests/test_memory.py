"""Memory that does not grow with the number of runs, from the collected tables to the
report: the gathered tables keep a footer that does not grow by a row group per run, and
the report's figures are summarised from the sweep's tables a few months at a time.

The figures' numbers are checked against the same summaries made the old way (the whole
table loaded, ``summarise`` over it); the memory against a sweep ten times smaller.
``benchmarks/sweep_memory.py`` measures the real peaks.
"""

from __future__ import annotations

import functools
import gc
import io
import math
import tracemalloc
from pathlib import Path

import matplotlib
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sandbox import plots
from sandbox.analysis import (
    Results,
    design_levers,
    load_sweep,
    resolve,
    summarise,
    sweep_over_time,
    sweep_spread,
    sweep_spread_over_time,
)
from sandbox.analysis.monthly import _month_groups, run_batches
from sandbox.analysis.tables import read_runs
from sandbox.experiments import collect as collect_module

matplotlib.use("Agg")
import matplotlib.pyplot

DATA = Path(__file__).parent / "data" / "analysis"


def run_folders(tmp_path: Path, n_runs: int, months: int = 4) -> list[tuple[str, Path, None]]:
    """``n_runs`` run folders, each with a small ``timeseries.parquet`` of its own."""
    done = []
    for i in range(n_runs):
        job = tmp_path / f"job{i}"
        job.mkdir()
        frame = pd.DataFrame(
            {
                "month": [f"2019-{m + 1:02d}" for m in range(months)],
                "adoption": [i + m / 10 for m in range(months)],
                "provinces": [i] * months,
            }
        )
        frame.to_parquet(job / "timeseries.parquet", index=False)
        done.append((f"run{i:04d}", job, None))
    return done


@pytest.mark.parametrize(("cells", "merge"), [(2_000_000, 64), (2_000_000, 5), (40, 64), (100, 2)])
def test_gathered_runs_share_row_groups(cells, merge, tmp_path, monkeypatch) -> None:
    # a row group per run gave the file a footer of some 9 kB per run, decoded whole by
    # every reader (0.3 MB per run at 2,000 runs) and held by the writer until it closed
    monkeypatch.setattr(collect_module, "GROUP_CELLS", cells, raising=False)
    monkeypatch.setattr(collect_module, "MERGE_TABLES", merge, raising=False)
    done = run_folders(tmp_path, 50)
    path = tmp_path / "timeseries.parquet"
    collect_module._write_timeseries(path, done)
    expected = pd.concat(
        [pd.read_parquet(job / "timeseries.parquet").assign(run_id=rid) for rid, job, _ in done],
        ignore_index=True,
    )
    table = pd.read_parquet(path)
    pd.testing.assert_frame_equal(table, expected[table.columns])  # every run, in order
    per_run = 4 * 4  # rows x columns (run_id, month and two metrics) of a run
    runs_per_group = math.ceil(cells / per_run)
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == math.ceil(50 / runs_per_group) < 50
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes[:-1] == [4 * runs_per_group] * (len(sizes) - 1)


# summaries over time, read a few months (or runs) at a time ----------------------------

EXPERIMENTS = ("policy_comparison", "ablation", "phasing", "sandbox_design",
               "experimental_alignment")  # fmt: skip
METRICS = ["adoption", "population_covered", "urban_rural_gap", "months_to_60pct_depth",
           "provinces_no_service"]  # fmt: skip


def groupings(runs: pd.DataFrame) -> list[list[str]]:
    """Ways to group a stored sweep's runs: the policy; the design levers together."""
    levers = design_levers(runs)
    return [["policy"], levers] if levers and levers != ["lever_policy"] else [["policy"]]


@functools.cache
def loaded(name: str) -> Results:
    return load_sweep(DATA / name)


# two months at a time (the fewest), some, all; every stored sweep read some at a time
SIZES = [("policy_comparison", 1), ("policy_comparison", 10**7), *((n, 200) for n in EXPERIMENTS)]


@pytest.mark.parametrize(("name", "rows"), SIZES)
def test_a_sweeps_summary_over_time_is_that_of_its_whole_table(name, rows) -> None:
    results = loaded(name)
    metrics = [m for m in METRICS if m in results.timeseries.columns]
    for by in groupings(results.runs):
        keys = [resolve(results.runs, b) for b in by]
        whole = summarise(results.timeseries, [*keys, "month"], metrics, warn=False)
        read = sweep_over_time(DATA / name, results.runs, by, metrics, rows=rows)
        pd.testing.assert_frame_equal(read.table, whole, check_exact=True)
        assert read.keys == keys and read.metrics == metrics
        for m in metrics:  # each metric's range over every run and month
            assert read.low[m] == results.timeseries[m].min() or (
                pd.isna(read.low[m]) and results.timeseries[m].isna().all()
            )
            assert read.high[m] == results.timeseries[m].max() or pd.isna(read.high[m])


@pytest.mark.parametrize(("name", "rows"), [(n, r * 100) for n, r in SIZES])
def test_a_sweeps_spread_over_time_is_that_of_its_whole_table(name, rows) -> None:
    # a run at a time (one run is some 7,000 rows), a few, all; two months at a time
    results = loaded(name)
    spread = sweep_spread(DATA / name, results.runs)  # the whole per-province table
    statistics = [c for c in spread.columns if c.startswith("province_")]
    for by in groupings(results.runs):
        keys = [resolve(results.runs, b) for b in by]
        whole = summarise(spread, [*keys, "month"], statistics, warn=False)
        read = sweep_spread_over_time(DATA / name, results.runs, by, rows=rows)
        pd.testing.assert_frame_equal(read.summary.table, whole, check_exact=True)
        last = spread[spread["month"] == spread["month"].max()]
        columns = ["run_id", *keys, "month", "provinces", *statistics]
        pd.testing.assert_frame_equal(
            read.last[columns], last[columns].reset_index(drop=True), check_exact=True
        )


def png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=40)
    return out.getvalue()


def test_a_figure_from_a_summary_is_the_figure_from_the_whole_table() -> None:
    results = loaded("policy_comparison")
    metrics = ["adoption", "citizens_harmed"]
    read = sweep_over_time(DATA / "policy_comparison", results.runs, ["policy", "data"],
                           [*metrics, "urban_rural_gap"], rows=200)  # fmt: skip
    drawn = plots.summary_over_time(read, metrics, policy_start="2026-01")
    whole = plots.outcome_over_time(results.timeseries, metrics, ["policy", "data"],
                                    policy_start="2026-01")  # fmt: skip
    assert png(drawn) == png(whole)
    spread = sweep_spread(DATA / "policy_comparison", results.runs)
    shown = ["province_services_deployed_q10", "province_services_deployed_median"]
    read = sweep_spread_over_time(DATA / "policy_comparison", results.runs, ["policy"], rows=1)
    drawn = plots.summary_over_time(read.summary, shown, band=None, targets=None)
    whole = plots.outcome_over_time(spread, shown, "policy", band=None, targets=None)
    assert png(drawn) == png(whole)


def test_months_are_read_in_consecutive_groups_of_two_or_more() -> None:
    months = [f"{y}-{m:02d}" for y in range(2019, 2031) for m in range(1, 13)]
    for n_months in (1, 2, 3, 7, 144):
        for rows in (1, 2, 5, 40, 10**6):  # 2 rows a month
            groups = _month_groups(months[:n_months], 2 * n_months, rows)
            assert [m for g in groups for m in g] == months[:n_months]
            assert all(len(g) >= 2 for g in groups) or n_months == 1
            assert all(len(g) <= max(3, rows // 2 + 1) for g in groups)


def test_runs_are_read_whole_and_together(tmp_path) -> None:
    stored = pd.read_parquet(DATA / "policy_comparison" / "provinces.parquet")
    path = tmp_path / "provinces.parquet"
    stored.to_parquet(path, index=False, row_group_size=1000)  # runs across row groups
    batches = list(run_batches(path, ["run_id", "month", "province"], rows=5000))
    assert len(batches) > 1
    seen = [rid for b in batches for rid in dict.fromkeys(b["run_id"])]
    assert seen == list(dict.fromkeys(stored["run_id"]))  # each run in one batch, in order
    pd.testing.assert_frame_equal(
        pd.concat(batches, ignore_index=True), stored[["run_id", "month", "province"]]
    )
    shuffled = pd.concat([stored.iloc[::2], stored.iloc[1::2]])  # a run's rows apart
    shuffled.to_parquet(path, index=False)
    with pytest.raises(ValueError, match="each run's rows together"):
        list(run_batches(path, ["run_id", "month"], rows=5000))


def test_the_rows_of_some_runs_are_read_from_their_row_groups_only(tmp_path) -> None:
    stored = pd.read_parquet(DATA / "policy_comparison" / "provinces.parquet")
    path = tmp_path / "provinces.parquet"
    stored.to_parquet(path, index=False, row_group_size=7158)  # about a run each
    ids = sorted(stored["run_id"].unique())[3:5]
    expected = pd.read_parquet(path, filters=[("run_id", "in", ids)])
    read = read_runs(path, ids).to_pandas()
    pd.testing.assert_frame_equal(read, expected)
    groups = []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        groups.append(kwargs.get("row_groups"))
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pq.ParquetFile, "iter_batches", spy)
        read_runs(path, ids)
    metadata = pq.ParquetFile(path).metadata
    assert len(groups[0]) <= 4 < metadata.num_row_groups  # the groups that hold them
    assert read_runs(path, ["no such run"]).num_rows == 0


# the report's memory against the number of runs ------------------------------------------


# rows of a row group of the synthetic tables (collect writes groups of a fixed size too),
# and rows the report reads at a time: fewer than the smaller sweep's, so that both
# sweeps' reads are as large and only what grows with the runs tells them apart
ROW_GROUP = 10_000
READ = 5_000


def synthetic_sweep(folder: Path, n_runs: int, months: int = 12) -> Path:
    """A collected sweep of ``n_runs`` runs: the stored policy comparison's runs copied
    under new run ids and replicates (every copy a replicate of each design), its first
    ``months`` months, its tables written run by run as ``sandbox-collect`` writes them."""
    source = DATA / "policy_comparison"
    runs = pd.read_parquet(source / "runs.parquet")
    series = pd.read_parquet(source / "timeseries.parquet")
    provinces = pd.read_parquet(source / "provinces.parquet")
    kept = sorted(series["month"].unique())[:months]
    series = series[series["month"].isin(kept)]
    provinces = provinces[provinces["month"].isin(kept)]
    step = int(runs["replicate"].max()) + 1
    copies = []
    for k in range(math.ceil(n_runs / len(runs))):
        rename = {rid: f"{k:04d}{rid[4:]}" for rid in runs["run_id"]}
        copies.append(
            (
                runs.assign(
                    run_id=runs["run_id"].map(rename), replicate=runs["replicate"] + k * step
                ),
                series.assign(run_id=series["run_id"].map(rename)),
                provinces.assign(run_id=provinces["run_id"].map(rename)),
            )
        )
    chosen = pd.concat([c[0] for c in copies]).sort_values("run_id").head(n_runs)
    folder.mkdir(parents=True)
    chosen.reset_index(drop=True).to_parquet(folder / "runs.parquet")
    for name, index in (("timeseries.parquet", 1), ("provinces.parquet", 2)):
        table = pd.concat([c[index] for c in copies])
        table = table[table["run_id"].isin(chosen["run_id"])]
        table = table.sort_values("run_id", kind="stable", ignore_index=True)
        table.to_parquet(folder / name, index=False, row_group_size=ROW_GROUP)
    return folder


def report_peak(folder: Path, monkeypatch) -> int:
    """The peak of memory traced while the report of ``folder`` is made (its figures
    made but not rendered: rendering does not depend on the number of runs), reading
    ``READ`` rows at a time where it reads a few months or runs at a time."""
    from sandbox.analysis import monthly
    from sandbox.experiments import report

    monkeypatch.setattr(report, "save_figure", lambda fig, path: None)
    monkeypatch.setattr(monthly, "ROWS", READ, raising=False)
    report.write_report(folder)  # once before, so that caches and imports are not counted
    # the warm-up's figures are cyclic garbage: collected now, not at whatever moment the
    # collector runs inside the traced call (which made the peak depend on the context)
    matplotlib.pyplot.close("all")
    gc.collect()
    tracemalloc.start()
    try:
        report.write_report(folder)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_reports_memory_does_not_grow_with_the_runs(tmp_path, monkeypatch) -> None:
    small = report_peak(synthetic_sweep(tmp_path / "small", 40), monkeypatch)
    large = report_peak(synthetic_sweep(tmp_path / "large", 400), monkeypatch)
    assert large < small + 2 * 2**20


def test_the_comparison_reads_the_columns_it_compares(tmp_path) -> None:
    from sandbox.analysis.comparison import paired_comparison, read_runs
    from sandbox.experiments.compare import write_comparison

    full = pd.read_parquet(DATA / "policy_comparison" / "runs.parquet")
    lean = read_runs(DATA / "policy_comparison")
    assert len(lean.columns) < len(full.columns) / 2
    assert not [c for c in lean.columns if c.startswith(("uncertainty_", "code_", "input_"))]
    assert [c for c in lean.columns if c.startswith("setting_")] == ["setting_horizon_end"]
    folder = tmp_path / "sweep"
    folder.mkdir()
    full.to_parquet(folder / "runs.parquet")
    write_comparison(folder, "status_quo", by=["data"])
    written = pd.read_parquet(folder / "comparison_vs_status_quo.parquet")
    expected = paired_comparison(full, "status_quo", by=["lever_data"])  # every column read
    pd.testing.assert_frame_equal(written, expected)
