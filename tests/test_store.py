"""The result store never mixes or accepts damaged runs.

A run's identity covers its code and input files as well as its config; a damaged or
edited output is detected by resume, ``collect`` and ``reproduce``; the two tables are
replaced together; leftovers of a killed collect are cleaned.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sandbox.experiments import collect as collect_module
from sandbox.experiments.atomic import HOST, temporary_name
from sandbox.experiments.collect import (
    PROVINCES,
    RUNS,
    TABLES,
    TIMESERIES,
    collect,
    job_dirs,
    runs_table,
)
from sandbox.experiments.provenance import file_sha256
from sandbox.experiments.reproduce import reproduce
from sandbox.experiments.store import RunStatus, inspect, run_id, saved_config
from tests.test_bad_input import ENTRY
from tests.test_sweeps import SWEEP, tables

ROOT = Path(__file__).parents[1]
REPRODUCE = [sys.executable, "-c", "from sandbox.experiments.reproduce import main; main()"]
COLLECT = [sys.executable, "-c", "from sandbox.experiments.collect import main; main()"]


def run_sweep(folder: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", ENTRY, *SWEEP, f"hydra.sweep.dir={folder}", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    """A finished six-run sweep; tests copy it before they damage anything."""
    folder = tmp_path_factory.mktemp("store") / "sweep"
    done = run_sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def copy_of(swept: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sweep"
    shutil.copytree(swept, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def edited_code(tmp_path_factory) -> dict[str, str]:
    """An environment running a copy of the package with one source file edited.

    The edit (a comment) changes no number: only the code's fingerprint tells the runs
    apart, which is what must be enough.
    """
    root = tmp_path_factory.mktemp("edited")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "configs", root / "configs")
    model = root / "src" / "sandbox" / "model" / "model.py"
    model.write_text(model.read_text() + "\n# an edit\n")
    return {**os.environ, "PYTHONPATH": str(root / "src")}


def fingerprints(folder: Path) -> set[str]:
    return set(pd.read_parquet(folder / RUNS)["code_fingerprint"])


def test_runs_record_code_version_and_inputs(swept: Path) -> None:
    runs = pd.read_parquet(swept / RUNS)
    assert runs["code_fingerprint"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert runs["code_fingerprint"].nunique() == 1
    toy = ROOT / "src" / "sandbox" / "regions" / "toy.csv"
    assert (runs["input_region_table"] == file_sha256(toy)).all()
    manifest = json.loads((job_dirs(swept)[0] / "manifest.json").read_text())
    assert set(manifest["files"]) == {"timeseries.parquet", "provinces.parquet", "summary.json"}
    assert {"code_fingerprint", "code_git_commit", "code_git_dirty"} <= set(manifest)


def test_resume_after_a_code_edit_runs_every_run_again(swept, tmp_path, edited_code) -> None:
    folder = copy_of(swept, tmp_path)
    before = fingerprints(folder)
    done = run_sweep(folder, env=edited_code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "6 of the 6 finished runs" in done.stdout and "made by other code" in done.stdout
    after = fingerprints(folder)
    assert len(after) == 1 and after != before
    # the edit changes no number, so the re-run tables equal the first ones but for code
    old, new = tables(swept), tables(folder)
    pd.testing.assert_frame_equal(old[1], new[1])


def test_collect_refuses_to_pool_runs_of_different_code(swept, tmp_path) -> None:
    folder = copy_of(swept, tmp_path)
    before = (folder / RUNS).read_bytes()
    for job in job_dirs(folder)[:2]:  # two runs as another version of sandbox made them
        path = job / "manifest.json"
        manifest = json.loads(path.read_text())
        path.write_text(json.dumps({**manifest, "code_fingerprint": "0123456789abcdef"}))
    refused = subprocess.run([*COLLECT, str(folder)], capture_output=True, text=True)
    assert refused.returncode == 2, refused.stderr
    assert "Runs of different code" in refused.stderr and "--allow-mixed-code" in refused.stderr
    assert "4 by" in refused.stderr and "2 by 0123456789abcdef" in refused.stderr
    assert (folder / RUNS).read_bytes() == before, "the old tables stay as they were"
    pooled = subprocess.run([*COLLECT, str(folder), "--allow-mixed-code"], capture_output=True,
                            text=True)  # fmt: skip
    assert pooled.returncode == 0, pooled.stderr
    assert len(fingerprints(folder)) == 2


def test_a_sweep_after_an_input_edit_is_refused_and_keeps_its_results(tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    shutil.copy(ROOT / "src" / "sandbox" / "regions" / "toy.csv", table)
    folder = tmp_path / "sweep"
    first = run_sweep(folder, f"region.table={table}")
    assert first.returncode == 0, first.stderr[-2000:]
    before = (folder / RUNS).read_bytes()
    header, first_row, *rest = table.read_text().splitlines()
    cells = first_row.split(",")
    population = header.split(",").index("population_2019")
    cells[population] = str(int(cells[population]) * 3)
    table.write_text("\n".join([header, ",".join(cells), *rest]) + "\n")
    again = run_sweep(folder, f"region.table={table}")
    assert again.returncode == 2, again.stderr[-2000:]
    assert f"input file {table}" in again.stderr and "edited" in again.stderr
    assert (folder / RUNS).read_bytes() == before


def test_interpolated_string_values_give_the_same_id_to_run_and_collect(tmp_path) -> None:
    folder = tmp_path / "sweep"
    done = run_sweep(folder, "region.name=${region.table}")
    assert done.returncode == 0, done.stderr[-2000:]
    runs = pd.read_parquet(folder / RUNS)
    assert (runs["status"] == "done").all() and len(runs) == 6
    # a saved config is data: collect shows the interpolation as the text it is
    assert (runs["setting_region_name"] == "${region.table}").all()
    for job in job_dirs(folder):
        manifest = json.loads((job / "manifest.json").read_text())
        assert manifest["run_id"] == run_id(saved_config(job))


def damage_timeseries(job: Path) -> None:
    path = job / TIMESERIES
    path.write_bytes(path.read_bytes()[:100])


def edit_summary(job: Path) -> None:
    path = job / "summary.json"
    summary = json.loads(path.read_text())
    summary["adoption"] += 0.01
    path.write_text(json.dumps(summary, indent=2) + "\n")


def truncate_config(job: Path) -> None:
    path = job / ".hydra" / "config.yaml"
    path.write_text(path.read_text()[:300])


DAMAGE = {
    "truncated timeseries": (damage_timeseries, "timeseries.parquet does not match"),
    "edited summary": (edit_summary, "summary.json does not match"),
    "truncated config": (truncate_config, ".hydra/config.yaml"),
}


@pytest.mark.parametrize("case", DAMAGE, ids=list(DAMAGE))
def test_collect_reports_a_damaged_run(case: str, swept: Path, tmp_path: Path) -> None:
    folder = copy_of(swept, tmp_path)
    harm, words = DAMAGE[case]
    job = job_dirs(folder)[2]
    harm(job)
    done = subprocess.run([*COLLECT, str(folder)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    runs = pd.read_parquet(folder / RUNS)
    bad = runs[runs["job"] == job.name]
    assert bad["status"].tolist() == ["damaged"]
    assert words in bad["error"].iloc[0]
    assert (runs["status"] == "done").sum() == 5
    series = pd.read_parquet(folder / TIMESERIES)
    assert set(series["run_id"]) == set(runs.loc[runs["status"] == "done", "run_id"])


@pytest.mark.parametrize("case", DAMAGE, ids=list(DAMAGE))
def test_resume_runs_a_damaged_run_again(case: str, swept: Path, tmp_path: Path) -> None:
    folder = copy_of(swept, tmp_path)
    harm, _ = DAMAGE[case]
    harm(job_dirs(folder)[2])
    done = run_sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    for a, b in zip(tables(swept), tables(folder), strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("case", DAMAGE, ids=list(DAMAGE))
def test_reproduce_names_the_damaged_file(case: str, swept: Path, tmp_path: Path) -> None:
    folder = copy_of(swept, tmp_path)
    harm, words = DAMAGE[case]
    job = job_dirs(folder)[2]
    harm(job)
    done = subprocess.run([*REPRODUCE, str(job)], capture_output=True, text=True)
    assert done.returncode == 1
    assert ": DAMAGED: " in done.stdout and words in done.stdout


def test_reproduce_compares_the_summary_too(swept: Path, tmp_path: Path) -> None:
    """An edit whose checksum was updated too is caught by re-running: the summary differs."""
    folder = copy_of(swept, tmp_path)
    job = job_dirs(folder)[0]
    edit_summary(job)
    manifest = json.loads((job / "manifest.json").read_text())
    manifest["files"]["summary.json"] = file_sha256(job / "summary.json")
    (job / "manifest.json").write_text(json.dumps(manifest))
    assert inspect(job, manifest["run_id"]).status is RunStatus.DONE
    assert reproduce(job).startswith("OTHER RESULT: summary.json: adoption: stored")
    assert reproduce(job_dirs(folder)[1]) is None


def test_tables_are_switched_together(swept: Path, tmp_path: Path, monkeypatch) -> None:
    folder = copy_of(swept, tmp_path)
    runs, series = (folder / RUNS).resolve(), (folder / TIMESERIES).resolve()
    assert runs.parent == series.parent and runs.parent.parent.name == TABLES
    before = [p.read_bytes() for p in (runs, series)]
    # a collect that dies after writing one table of the new collection leaves the old pair
    real = collect_module._write_timeseries

    def dies(path, done):
        real(path, done)
        raise KeyboardInterrupt

    monkeypatch.setattr(collect_module, "_write_timeseries", dies)
    with pytest.raises(KeyboardInterrupt):
        collect(folder)
    assert [(folder / n).read_bytes() for n in (RUNS, TIMESERIES)] == before
    assert [p.name for p in (folder / TABLES).iterdir() if p.name.startswith("collection-")] == [
        runs.parent.name
    ]


def test_the_per_province_tables_are_gathered_with_their_run_ids(swept: Path) -> None:
    collected = pd.read_parquet(swept / PROVINCES)
    assert (swept / PROVINCES).resolve().parent == (swept / RUNS).resolve().parent
    runs = pd.read_parquet(swept / RUNS).set_index("job")
    expected = []
    for job in job_dirs(swept):  # each run folder's own table, as the model wrote it
        own = pd.read_parquet(job / PROVINCES)
        expected.append(own.assign(run_id=runs.loc[job.name, "run_id"]))
    expected = pd.concat(expected)[["run_id", *own.columns]]
    order = ["run_id", "month", "province"]
    pd.testing.assert_frame_equal(
        collected.sort_values(order, ignore_index=True),
        expected.sort_values(order, ignore_index=True),
    )
    assert collected["run_id"].tolist() == sorted(collected["run_id"])  # run by run, in order


def test_a_collection_without_a_per_province_table_drops_its_link(swept, tmp_path) -> None:
    folder = copy_of(swept, tmp_path)

    def runs_and_series_only(new: Path) -> None:  # what a collect before PROVINCES wrote
        for name in (RUNS, TIMESERIES):
            shutil.copy(folder / name, new / name)

    collect_module.publish(folder, runs_and_series_only)
    assert (folder / RUNS).is_file() and not (folder / PROVINCES).is_symlink()
    collect(folder)  # collected again: the link is back, through the new collection
    assert (folder / PROVINCES).resolve() == (folder / TABLES / "current" / PROVINCES).resolve()
    assert len(pd.read_parquet(folder / PROVINCES)) == len(pd.read_parquet(swept / PROVINCES))


def test_leftover_temporary_files_are_cleaned(swept: Path, tmp_path: Path) -> None:
    folder = copy_of(swept, tmp_path)
    job = job_dirs(folder)[0]
    dead = job / f".summary.json.{HOST}.999999999.tmp"  # no such process
    dead.write_text("{")
    mine = temporary_name(job / "other.json")  # this process is alive: kept
    mine.write_text("{")
    old_collection = folder / TABLES / "collection-left-behind"
    old_collection.mkdir()
    collect(folder)
    assert not dead.exists() and mine.exists() and not old_collection.exists()
    assert len(list((folder / TABLES).glob("collection-*"))) == 1


def test_the_runs_table_alone_is_the_collected_one_and_writes_nothing(swept, tmp_path) -> None:
    """What an adaptive round compares: the runs table ``collect`` writes, read from the
    run folders without writing (nor reading the time series)."""
    folder = copy_of(swept, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    table = runs_table(folder)
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    pd.testing.assert_frame_equal(table, pd.read_parquet(folder / RUNS))
    # a run damaged since the collection shows in the table at once
    damaged = job_dirs(folder)[0] / "summary.json"
    damaged.write_text("{")
    assert (runs_table(folder)["status"] != "done").sum() == 1
