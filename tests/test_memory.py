"""Memory that does not grow with the number of runs, from the collected tables to the
report: the gathered tables keep a footer that does not grow by a row group per run, and
the report's figures are summarised from the sweep's tables a few months at a time.

The figures' numbers are checked against the same summaries made the old way (the whole
table loaded, ``summarise`` over it); the memory against a sweep ten times smaller.
``benchmarks/sweep_memory.py`` measures the real peaks.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sandbox.experiments import collect as collect_module

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
