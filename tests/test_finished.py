"""A finished sweep launched again launches no job; anything that could change a run
launches every job again, each deciding for itself (``sandbox.experiments.finished``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from sandbox.experiments.finished import STAMP
from tests.test_store import copy_of, run_sweep, swept  # noqa: F401 (a fixture)

SAVED = Path(".hydra") / "config.yaml"  # Hydra writes it when it launches a job


def launched_at(folder: Path) -> dict[str, int]:
    return {str(p.parent.parent): p.stat().st_mtime_ns for p in folder.glob(f"**/{SAVED}")}


def test_a_finished_sweep_launched_again_launches_no_job(swept: Path, tmp_path: Path) -> None:  # noqa: F811
    folder = copy_of(swept, tmp_path)
    assert (folder / STAMP).is_file()  # the sweep ended with every run done
    before = launched_at(folder)
    done = run_sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sweep: 6 of 6 runs done; collecting" in done.stdout
    assert launched_at(folder) == before  # no job's config was written again
    assert (folder / STAMP).is_file()


def test_a_damaged_run_alone_is_launched_again(swept: Path, tmp_path: Path) -> None:  # noqa: F811
    folder = copy_of(swept, tmp_path)
    before = launched_at(folder)
    damaged = sorted(before)[2]
    (Path(damaged) / "timeseries.parquet").write_bytes(b"not a table")
    done = run_sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sweep: 5 of 6 runs done; launching the other 1" in done.stdout
    after = launched_at(folder)
    assert {k for k in before if after[k] != before[k]} == {damaged}


def test_an_edited_config_file_launches_every_job(swept: Path, tmp_path: Path) -> None:  # noqa: F811
    """A config edit can change any job's composition: no job is taken as done unseen."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "notes.yaml").write_text("a: 1\n")
    folder = tmp_path / "sweep"
    first = run_sweep(folder, f"hydra.searchpath=[file://{extra}]")
    assert first.returncode == 0, first.stderr[-2000:]
    before = launched_at(folder)
    (extra / "notes.yaml").write_text("a: 2\n")
    done = run_sweep(folder, f"hydra.searchpath=[file://{extra}]")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "runs done;" not in done.stdout
    after = launched_at(folder)
    assert all(after[k] != before[k] for k in before)


def test_a_missing_run_alone_is_launched(swept: Path, tmp_path: Path) -> None:  # noqa: F811
    folder = copy_of(swept, tmp_path)
    before = launched_at(folder)
    gone = sorted(before)[0]
    shutil.rmtree(gone)
    done = run_sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sweep: 5 of 6 runs done; launching the other 1" in done.stdout
    after = launched_at(folder)
    assert {k for k in after if after[k] != before.get(k)} == {gone}
    assert (folder / STAMP).is_file()  # every run is done again


def test_a_grown_sweep_in_numbered_folders_keeps_every_run(tmp_path: Path) -> None:
    """More replicates number the jobs anew: a finished job whose folder now has another
    job's number is launched again, never left to be written over."""
    folder = tmp_path / "sweep"
    numbered = ("hydra.sweep.subdir=${hydra.job.num}",)
    first = run_sweep(folder, *numbered, "replicate=range(2)")
    assert first.returncode == 0, first.stderr[-2000:]
    assert (folder / STAMP).is_file()
    grown = run_sweep(folder, *numbered, "replicate=range(3)")
    assert grown.returncode == 0, grown.stderr[-2000:]
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == 6 and (runs["status"] == "done").all()
    assert sorted(zip(runs["lever_policy"], runs["replicate"], strict=True)) == sorted(
        (p, r) for p in ("controlled_pilot", "status_quo") for r in range(3)
    )
