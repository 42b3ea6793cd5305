"""A downloaded sweep folder is data, never code: what a reviewer runs on one
(collect, compare, report, reproduce, validate, a re-run of a saved config) resolves no
interpolation, writes through no link and nowhere else, and pools, overwrites or drops
nothing without a word. docs/experiments.md keeps these cases as its reliability table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from sandbox.experiments.collect import RUNS, TIMESERIES, job_dirs
from sandbox.experiments.lock import LOCK, folder_lock
from sandbox.experiments.provenance import file_sha256
from sandbox.experiments.store import run_id, saved_config
from tests.test_bad_input import ENTRY
from tests.test_sweeps import SWEEP

CANARY = "canary-value-4f1d2c"  # the secret a downloaded folder tries to read
ENV = {**os.environ, "SANDBOX_CANARY": CANARY}
COMMAND = {
    name: [sys.executable, "-c", f"from sandbox.{module} import main; main()"]
    for name, module in {
        "collect": "experiments.collect",
        "compare": "experiments.compare",
        "report": "experiments.report",
        "reproduce": "experiments.reproduce",
        "validate": "validation.cli",
    }.items()
}


def run(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env or ENV)


def sweep(folder: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run(sys.executable, "-c", ENTRY, *SWEEP, f"hydra.sweep.dir={folder}", *extra, env=env)


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    """A finished six-run sweep (two regimes x three replicates); tests copy it."""
    folder = tmp_path_factory.mktemp("downloaded") / "sweep"
    done = sweep(folder)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture
def copy(swept: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sweep"
    shutil.copytree(swept, target, symlinks=True)
    return target


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def one_paragraph(done: subprocess.CompletedProcess, program: str) -> str:
    err = done.stderr
    assert "Traceback" not in err + done.stdout, err
    assert err.startswith(f"{program}: ") and err.count("\n") == 1, err
    return err


# --------------------------------------------------------------- interpolations
def plant_canary(folder: Path) -> None:
    """Interpolations reading the environment, in every file a reviewer's command reads."""
    for job in job_dirs(folder):
        path = job / ".hydra" / "config.yaml"
        path.write_text(path.read_text().replace("name: toy", "name: ${oc.env:SANDBOX_CANARY}"))
        manifest = json.loads((job / "manifest.json").read_text())  # still a done run
        manifest["run_id"] = run_id(saved_config(job))
        (job / "manifest.json").write_text(json.dumps(manifest))
    path = folder / "multirun.yaml"
    saved = yaml.safe_load(path.read_text())
    saved["hydra"]["overrides"]["task"].append("region.name=${oc.env:SANDBOX_CANARY}")
    saved["seed"] = "${oc.env:SANDBOX_CANARY}"
    path.write_text(yaml.safe_dump(saved))


def test_no_command_resolves_an_interpolation_of_a_downloaded_folder(copy, tmp_path) -> None:
    plant_canary(copy)
    outputs = []
    collected = run(*COMMAND["collect"], str(copy))
    outputs.append(collected)
    runs = pd.read_parquet(copy / RUNS)
    assert (runs["setting_region_name"] == "${oc.env:SANDBOX_CANARY}").all()  # as text
    outputs.append(run(*COMMAND["compare"], str(copy), "--baseline", "status_quo"))
    outputs.append(run(*COMMAND["report"], str(copy)))
    assert outputs[-1].returncode == 0, outputs[-1].stderr
    assert "region.name=${oc.env:SANDBOX_CANARY}" in (copy / "report" / "report.md").read_text()
    reproduced = run(*COMMAND["reproduce"], str(copy), "--sample", "2")
    outputs.append(reproduced)
    assert reproduced.returncode != 0 and "interpolation" in reproduced.stdout + reproduced.stderr
    targets = tmp_path / "targets.yaml"
    targets.write_text("targets:\n  - name: ${oc.env:SANDBOX_CANARY}\n    month: 2021-12\n"
                       "    metric: ${oc.env:SANDBOX_CANARY}\n    value: 1\n")  # fmt: skip
    validated = run(*COMMAND["validate"], "--targets", str(targets), "--only", "targets",
                    "--out", str(tmp_path / "validation"))  # fmt: skip
    outputs.append(validated)
    assert validated.returncode == 2, validated.stderr
    rerun = run(sys.executable, "-c", ENTRY, "--config-path", str(job_dirs(copy)[0] / ".hydra"),
                "--config-name", "config", f"hydra.run.dir={tmp_path / 'rerun'}")  # fmt: skip
    outputs.append(rerun)
    assert rerun.returncode == 2 and "oc.env" in rerun.stderr
    for done in outputs:
        assert CANARY not in done.stdout + done.stderr
    for name, data in {**files_under(copy), **files_under(tmp_path)}.items():
        assert CANARY.encode() not in data, name


# ------------------------------------------------------------------------ links
def test_a_linked_run_folder_is_refused_and_nothing_is_written_through_it(copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    job = job_dirs(copy)[0]
    shutil.move(job, elsewhere)
    (elsewhere / "manifest.json").unlink()  # the run would be done again, through the link
    os.symlink(elsewhere, job)
    before = files_under(elsewhere)
    done = sweep(copy)
    assert done.returncode == 2
    assert "symbolic link" in one_paragraph(done, "sandbox-run") and str(job) in done.stderr
    assert files_under(elsewhere) == before


def test_a_linked_saved_config_is_refused(copy, tmp_path) -> None:
    target = tmp_path / "precious.yaml"
    target.write_text("keep me\n")
    job = job_dirs(copy)[1]
    saved = job / ".hydra" / "config.yaml"
    saved.unlink()
    os.symlink(target, saved)  # Hydra would write the job's config through it
    done = sweep(copy)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert target.read_text() == "keep me\n"


def test_a_linked_report_folder_is_refused(copy, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(copy / "report")
    os.symlink(elsewhere, copy / "report")
    done = run(*COMMAND["report"], str(copy))
    assert done.returncode == 2 and "symbolic link" in one_paragraph(done, "sandbox-report")
    assert list(elsewhere.iterdir()) == []


# ------------------------------------------------------------- one sweep a folder
def test_a_sweep_of_other_settings_is_refused_and_the_first_kept(copy) -> None:
    before = files_under(copy)
    done = sweep(copy, "seed=2")
    assert done.returncode == 2
    err = one_paragraph(done, "sandbox-run")
    assert "seed: 20190101 -> 2" in err and "hydra.sweep.dir" in err and "sweep.json" in err
    assert files_under(copy) == before


def test_more_replicates_of_the_same_sweep_resume_it(copy) -> None:
    jobs = {j.name: (j / "manifest.json").read_bytes() for j in job_dirs(copy)}
    done = sweep(copy, "replicate=range(4)")
    assert done.returncode == 0, done.stderr[-2000:]
    runs = pd.read_parquet(copy / RUNS)
    assert len(runs) == 8 and (runs["status"] == "done").all()
    for name, manifest in jobs.items():  # the first six were kept, not run again
        assert (copy / name / "manifest.json").read_bytes() == manifest
    fewer = sweep(copy, "replicate=range(2)")
    assert fewer.returncode == 2 and "not lose 2,3" in fewer.stderr


def test_a_folder_of_other_files_is_refused(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n")
    done = sweep(folder)
    assert done.returncode == 2 and "holds no sweep record" in one_paragraph(done, "sandbox-run")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


# --------------------------------------------------------------- one writer
def test_a_busy_folder_is_refused_naming_the_holder(copy) -> None:
    with folder_lock(copy):
        for name in ("collect", "compare", "report"):
            done = run(*COMMAND[name], str(copy), env={**ENV, "SANDBOX_LOCK_WAIT": "0.2"})
            assert done.returncode == 2, done.stderr
            err = one_paragraph(done, f"sandbox-{name}")
            assert f"process {os.getpid()}" in err and "being written by" in err
        done = sweep(copy)
        assert done.returncode == 2 and f"process {os.getpid()}" in done.stderr


def test_two_collects_at_once_leave_one_whole_collection(copy) -> None:
    both = [subprocess.Popen([*COMMAND["collect"], str(copy)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    for process in both:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    for name in (RUNS, TIMESERIES):
        assert (copy / name).resolve().is_file()
    assert len(pd.read_parquet(copy / RUNS)) == 6
    assert len(list((copy / ".tables").glob("collection-*"))) == 1


def test_two_identical_sweeps_at_once_one_runs_one_is_refused(swept, tmp_path) -> None:
    folder = tmp_path / "sweep"
    args = [sys.executable, "-c", ENTRY, *SWEEP, f"hydra.sweep.dir={folder}"]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not (folder / LOCK).exists() and first.poll() is None:
        time.sleep(0.05)
    second = run(*args)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-2000:]
    assert second.returncode == 2 and "being written by" in second.stderr
    runs = pd.read_parquet(folder / RUNS)
    assert len(runs) == 6 and (runs["status"] == "done").all()


# ------------------------------------------------------------ read-only folders
def read_only(*command: str) -> subprocess.CompletedProcess:
    """Run ``command`` unable to write into folders its user may not write to (as root,
    without the capability that lets root write anywhere)."""
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    return run(*prefix, *command)


@pytest.mark.parametrize("name", ["collect", "compare", "report"])
def test_a_read_only_folder_gets_one_paragraph_and_no_work(name, copy) -> None:
    before = files_under(copy)
    modes = {p: p.stat().st_mode for p in [copy, *copy.rglob("*")] if not p.is_symlink()}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        done = read_only(*COMMAND[name], str(copy))
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert done.returncode == 2
    assert "cannot be written" in one_paragraph(done, f"sandbox-{name}")
    assert files_under(copy) == before


# ------------------------------------------------------------------ not a sweep
@pytest.mark.parametrize("name", ["collect", "compare", "report"])
def test_an_empty_folder_is_refused_and_nothing_written(name, tmp_path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    done = run(*COMMAND[name], str(folder))
    assert done.returncode == 2
    one_paragraph(done, f"sandbox-{name}")
    assert list(folder.iterdir()) == []


# ------------------------------------------------------------------- accounting
def test_collect_accounts_for_every_planned_run(copy) -> None:
    gone, broken = job_dirs(copy)[0], job_dirs(copy)[1]
    shutil.rmtree(gone)
    (broken / ".hydra" / "config.yaml").unlink()
    done = run(*COMMAND["collect"], str(copy))
    assert done.returncode == 1
    assert (
        "6 runs" in done.stdout and "'missing': 1" in done.stdout and "'damaged': 1" in done.stdout
    )
    runs = pd.read_parquet(copy / RUNS)
    missing = runs[runs["status"] == "missing"]
    assert missing["overrides"].iloc[0].count("replicate=") == 1 and missing["job"].isna().all()
    assert "config.yaml is missing" in runs.loc[runs["status"] == "damaged", "error"].iloc[0]
    compared = run(*COMMAND["compare"], str(copy), "--baseline", "status_quo")
    assert compared.returncode == 0, compared.stderr
    assert "2 of 6 runs are not done" in compared.stdout
    assert "0 combinations" not in compared.stdout


def test_a_run_table_of_another_schema_is_damaged_and_the_rest_collected(copy) -> None:
    job = job_dirs(copy)[2]
    path = job / TIMESERIES
    table = pq.read_table(path)
    pq.write_table(table.append_column("from_another_version", pa.array([0.0] * len(table))),
                   path)  # fmt: skip
    manifest = json.loads((job / "manifest.json").read_text())
    manifest["files"][TIMESERIES] = file_sha256(path)
    (job / "manifest.json").write_text(json.dumps(manifest))
    done = run(*COMMAND["collect"], str(copy))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    runs = pd.read_parquet(copy / RUNS).set_index("job")
    assert runs.loc[job.name, "status"] == "damaged"
    assert "from_another_version" in runs.loc[job.name, "error"]
    assert (runs["status"] == "done").sum() == 5
    assert set(pd.read_parquet(copy / TIMESERIES)["run_id"]) == set(
        runs.loc[runs["status"] == "done", "run_id"]
    )
