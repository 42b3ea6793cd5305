"""Sweeps: launchers agree, a killed sweep resumes to the same tables, failures are
recorded, collected tables (per-province ones included) are complete, reproduction
detects tampering."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sandbox.experiments.collect import PROVINCES, RUNS, TIMESERIES
from sandbox.experiments.manifest import WALL_SECONDS
from sandbox.experiments.provenance import file_sha256
from tests.test_bad_input import ENTRY

SWEEP = (
    "-m",
    "region=toy",
    "citizens.n=500",
    "horizon.end=2020-06",
    "policy.start=2020-01",
    "policy=status_quo,controlled_pilot",
    "replicate=range(3)",
    "hydra.sweep.subdir=${hydra:job.override_dirname}",
)


def sweep(
    folder: Path, *extra: str, wait: bool = True
) -> subprocess.CompletedProcess | subprocess.Popen:
    args = [sys.executable, "-c", ENTRY, *SWEEP, f"hydra.sweep.dir={folder}", *extra]
    if not wait:
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The collected tables, without each run's own time in the model (a measurement: no
    two launches share it, and nothing else may differ)."""
    runs, series, provinces = (pd.read_parquet(folder / n) for n in (RUNS, TIMESERIES, PROVINCES))
    assert (runs.loc[runs["status"] == "done", WALL_SECONDS] > 0).all()
    return runs.drop(columns=WALL_SECONDS), series, provinces


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serial") / "sweep"
    sweep(folder)
    return folder


def test_sweep_collects_one_row_per_run(serial: Path) -> None:
    runs, series, provinces = tables(serial)
    assert len(runs) == 6 and (runs["status"] == "done").all()
    # each run's month has a row per province of its map (the model's own count)
    per_month = provinces.groupby(["run_id", "month"]).size().rename("rows").reset_index()
    counted = series.merge(per_month, on=["run_id", "month"], how="left")
    assert (counted["rows"] == counted["provinces"]).all()
    assert runs["run_id"].is_unique
    assert set(runs["lever_policy"]) == {"status_quo", "controlled_pilot"}
    assert any(c.startswith("uncertainty_citizens_") for c in runs.columns)
    assert any(c.startswith("lever_policy_sandbox_") for c in runs.columns)
    assert len(series) == 6 * 18 and set(series["run_id"]) == set(runs["run_id"])
    # replicates are different random worlds: their monthly tables differ
    quo = runs.loc[runs["lever_policy"] == "status_quo", "run_id"]
    numbers = series.select_dtypes("number").columns
    tables_ = [series.loc[series["run_id"] == r, numbers].to_numpy(float) for r in quo]
    assert len({t.tobytes() for t in tables_}) == 3


def test_joblib_gives_the_same_results_as_serial(serial: Path, tmp_path: Path) -> None:
    folder = tmp_path / "joblib"
    sweep(folder, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
    for a, b in zip(tables(serial), tables(folder), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_submitit_local_executor_gives_the_same_results(serial: Path, tmp_path: Path) -> None:
    folder = tmp_path / "submitit"
    sweep(folder, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5")
    for a, b in zip(tables(serial), tables(folder), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_killed_sweep_resumes_to_identical_tables(serial: Path, tmp_path: Path) -> None:
    folder = tmp_path / "killed"
    process = sweep(folder, wait=False)
    deadline = time.monotonic() + 120
    while len(list(folder.glob("**/manifest.json"))) < 2:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (folder / RUNS).exists()  # it died before collecting
    second = sweep(folder)
    assert "6/6 runs" in second.stdout
    for a, b in zip(tables(serial), tables(folder), strict=True):
        pd.testing.assert_frame_equal(a, b)


# The same entry point with the model raising for one policy: a failure no up-front
# check can catch (the basic launcher runs jobs in this process, where the patch holds).
FAILING_ENTRY = (
    "import sandbox.experiments.store as store; real = store.run\n"
    "def run(params, store=None):\n"
    "    if params.policy.name == 'controlled_pilot': raise RuntimeError('boom\\nsecond line')\n"
    "    return real(params, store)\n"
    "store.run = run\n" + ENTRY
)


def test_failed_runs_are_recorded_listed_and_make_the_sweep_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "failing"
    args = [sys.executable, "-c", FAILING_ENTRY, *SWEEP, f"hydra.sweep.dir={folder}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "3 of 6 runs did not complete" in done.stderr
    listed = [line for line in done.stderr.splitlines() if line.startswith("  failed: ")]
    assert len(listed) == 3
    for line in listed:
        assert "policy=controlled_pilot" in line and line.endswith("RuntimeError: boom")
        assert Path(line.split(": ")[1]).is_dir()
    runs, series, provinces = tables(folder)
    assert len(runs) == 6
    failed = runs[runs["status"] == "failed"]
    assert len(failed) == 3 and (failed["lever_policy"] == "controlled_pilot").all()
    assert failed["adoption"].isna().all()
    assert set(series["run_id"]) == set(runs.loc[runs["status"] == "done", "run_id"])
    assert set(provinces["run_id"]) == set(series["run_id"])  # a failed run adds no rows
    # resuming with a model that works runs the failed ones only, and exits 0
    again = sweep(folder)
    assert "sweep: 6/6 runs, 0 failed" in again.stdout
    assert (tables(folder)[0]["status"] == "done").all()


def test_reproduce_passes_and_detects_tampering(serial: Path, tmp_path: Path) -> None:
    reproduce = [sys.executable, "-c", "from sandbox.experiments.reproduce import main; main()"]
    ok = subprocess.run([*reproduce, str(serial), "--sample", "2"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 of 2 runs identical" in ok.stdout
    job = sorted(serial.glob("*policy=controlled_pilot*"))[0]
    copy = tmp_path / "tampered" / job.name
    copy.parent.mkdir()
    subprocess.run(["cp", "-r", str(job), str(copy)], check=True)
    frame = pd.read_parquet(copy / "timeseries.parquet")
    frame.loc[10, "adoption"] += 1e-9
    frame.to_parquet(copy / "timeseries.parquet", index=False)
    bad = subprocess.run([*reproduce, str(copy.parent)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert ": DAMAGED: timeseries.parquet does not match its checksum" in bad.stdout
    # an edit that also rewrote the checksum is caught by the re-run
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["timeseries.parquet"] = file_sha256(copy / "timeseries.parquet")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    bad = subprocess.run([*reproduce, str(copy.parent)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert ": OTHER RESULT: timeseries.parquet: adoption at" in bad.stdout


def test_job_reruns_bit_identically_with_hydras_cli(serial: Path, tmp_path: Path) -> None:
    job = sorted(serial.glob("*replicate=1*"))[0]
    again = subprocess.run(
        [sys.executable, "-c", ENTRY, "--config-path", str(job / ".hydra"),
         "--config-name", "config", f"hydra.run.dir={tmp_path}"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert (tmp_path / TIMESERIES).read_bytes() == (job / TIMESERIES).read_bytes()
