"""``sandbox-run`` end to end: files, manifest, summary, help, re-run from a saved config."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sandbox.config.paths import CONFIG_DIR
from sandbox.config.sweep_folder import suffix
from sandbox.model.metrics import METRICS
from tests.test_bad_input import ENTRY, sandbox_run

ARGS = ("region=toy", "citizens.n=2000", "policy=controlled_pilot")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    done = sandbox_run(*ARGS, f"hydra.run.dir={folder}")
    assert done.returncode == 0, done.stderr
    return folder, done


def test_run_writes_tables_and_manifest(run_dir) -> None:
    folder, done = run_dir
    frame = pd.read_parquet(folder / "timeseries.parquet")
    assert list(frame.columns) == ["month", *METRICS]
    assert frame["month"].iloc[0] == "2019-01" and frame["month"].iloc[-1] == "2030-12"
    assert len(frame) == 144  # 2019-01 to 2030-12
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["provinces_with_app"] == frame["provinces_with_app"].iloc[-1]
    assert {"months_to_50pct_app", "months_to_90pct_app"} <= set(summary)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["seed"] == 20190101
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["config_sha256"])
    assert {"numpy", "Mesa", "hydra-core", "pandas"} <= set(manifest["packages"])
    assert (folder / ".hydra" / "config.yaml").is_file()
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*.tmp"))
    assert "provinces_with_app" in done.stdout  # the printed summary table


def test_mesa_step_log_does_not_flood(run_dir) -> None:
    _, done = run_dir
    assert "Step 1 at time" not in done.stdout + done.stderr


def test_rerun_from_saved_config_is_bit_identical(run_dir, tmp_path) -> None:
    folder, _ = run_dir
    again = sandbox_run(
        "--config-path", str(folder / ".hydra"), "--config-name", "config",
        f"hydra.run.dir={tmp_path}",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "Step 1 at time" not in again.stdout + again.stderr
    first = (folder / "timeseries.parquet").read_bytes()
    assert (tmp_path / "timeseries.parquet").read_bytes() == first


def test_rerun_without_run_dir_lands_under_results(run_dir, tmp_path) -> None:
    folder, _ = run_dir
    again = subprocess.run(
        [sys.executable, "-c", ENTRY, "--config-path", str(folder / ".hydra"),
         "--config-name", "config"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    (rerun,) = (tmp_path / "results" / "runs").glob("*/*_rerun")
    assert (rerun / "timeseries.parquet").read_bytes() == (
        folder / "timeseries.parquet"
    ).read_bytes()


def test_help_lists_groups_and_options() -> None:
    done = sandbox_run("--help")
    assert done.returncode == 0
    for word in ("policy:", "controlled_pilot", "resources:", "competitive_fund", "sandbox-run"):
        assert word in done.stdout


def test_helps_defaults_are_the_configs() -> None:
    """The scenario ``--help`` describes is the one the config composes with no argument,
    and it follows an override."""
    from tests.conftest import scenario

    p = scenario()
    done = sandbox_run("--help")
    assert done.returncode == 0
    words = done.stdout.split()
    for value in (p.horizon.start, p.horizon.end, p.policy.start, p.policy.name,
                  p.resources.name, p.data.name, str(p.citizens.n), p.region.table,
                  p.region.merge_table, p.region.merge_month):  # fmt: skip
        assert any(w.strip(",;()") == value for w in words), value
    done = sandbox_run("--help", "policy=phased", "horizon.end=2035-12")
    assert "phased from" in done.stdout and "to 2035-12" in done.stdout


def test_bass_validation_reports_its_error_against_the_closed_form(tmp_path) -> None:
    done = sandbox_run("validation=bass", "citizens.n=200000", f"hydra.run.dir={tmp_path}")
    assert done.returncode == 0, done.stderr
    assert "Bass closed form (p=0.03, q=0.38): max abs error of adoption" in done.stdout
    error = json.loads((tmp_path / "summary.json").read_text())["bass_max_abs_error"]
    assert 0 <= error < 0.01


def test_summary_prints_each_rows_unit(run_dir) -> None:
    _, done = run_dir
    for row in ("adoption (share of population)", "provinces_with_app (provinces)",
                "citizens_harmed (people, cumulative)",
                "public_spending (billion VND, cumulative)"):  # fmt: skip
        assert row in done.stdout
    assert "months from 2019-01 to 50% / 90% of provinces with an app: " in done.stdout


TINY_SWEEP = ("region=toy", "citizens.n=500", "horizon.end=2019-03", "policy.start=2019-02")


def test_a_sweep_prints_how_many_runs_it_launches_before_it_starts(tmp_path) -> None:
    folder = tmp_path / "sweep"
    done = sandbox_run("-m", *TINY_SWEEP, "policy=status_quo,controlled_pilot",
                       "replicate=range(2)", f"hydra.sweep.dir={folder}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"sweep: 4 runs into {folder}"
    assert lines.index(lines[0]) < next(i for i, t in enumerate(lines) if t.startswith("collected"))


def dry_run(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ENTRY, "--dry-run", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_dry_run_prints_the_count_and_first_jobs_and_creates_nothing(tmp_path) -> None:
    done = dry_run(tmp_path, "-m", *TINY_SWEEP, "policy=status_quo,controlled_pilot,phased",
                   "replicate=range(3)")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("sandbox-run --dry-run: 9 runs into ")
    assert "every job checked, nothing run or written" in lines[0]
    assert lines[1] == "Overrides of the first 5 jobs:"
    assert lines[2].split() == [*TINY_SWEEP, "policy=status_quo", "replicate=0"]
    assert len(lines) == 7
    # an experiment names its folder after the command, as the sweep itself would
    overrides = ["experiment=policy_comparison", *TINY_SWEEP, "policy=status_quo,facilitation",
                 "resources=central_budget", "data=fragmented", "replicate=0"]  # fmt: skip
    done = dry_run(tmp_path, "-m", *overrides)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "results" / "sweeps" / f"policy_comparison{suffix(overrides)}"
    assert f"2 runs into {folder} (a sweep)" in done.stdout
    assert "Overrides of each job:" in done.stdout
    done = dry_run(tmp_path, *TINY_SWEEP)  # a single run
    assert done.returncode == 0, done.stderr
    assert "1 run into results/runs/" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_dry_run_of_a_design_counts_the_runs_its_one_job_makes(tmp_path) -> None:
    """A sampled design is one Hydra job; the dry run counts the model runs it makes,
    against the points SALib and SciPy sample for it."""
    from sandbox.experiments.robustness import sample
    from sandbox.experiments.sensitivity import morris_points, sobol_points

    done = dry_run(tmp_path, "-m", "experiment=sensitivity", "design.samples=2",
                   "design.sobol_samples=4", "design.sobol_factors=3",
                   "design.policies=[status_quo,facilitation,phased]")  # fmt: skip
    assert done.returncode == 0, done.stderr
    points = len(morris_points(2, 0)) + len(sobol_points(["a", "b", "c"], 4, 0))
    assert "1 job, running the sensitivity design" in done.stdout
    assert f"{points * 2 * 3:,} runs ({points * 2:,} histories" in done.stdout
    done = dry_run(tmp_path, "-m", "experiment=robustness", "design.samples=7",
                   "design.replicates=3")  # fmt: skip
    assert done.returncode == 0, done.stderr
    policies = len(list((Path(__file__).parents[1] / "configs" / "policy").glob("*.yaml")))
    assert f"{len(sample(7, 0)) * 3 * policies:,} runs" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_an_experiment_without_multirun_says_it_runs_one_scenario(tmp_path) -> None:
    done = sandbox_run("experiment=policy_comparison", *TINY_SWEEP,
                       f"hydra.run.dir={tmp_path / 'one'}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "experiment=policy_comparison without -m runs one scenario" in done.stderr
    assert "add -m" in done.stderr


def test_dry_run_refuses_a_bad_job_like_a_run(tmp_path) -> None:
    done = dry_run(tmp_path, "-m", *TINY_SWEEP, "citizens.n=100,-5")
    assert done.returncode == 2
    assert "citizens.n" in done.stderr and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_glob_sweeps_the_options_of_a_config_group(tmp_path) -> None:
    """``policy=glob(...)`` (Hydra's sweep over a config group's options) is counted and
    checked before the sweep starts, as the sweeper will expand it: one job per file of
    ``configs/policy/`` that the pattern keeps."""
    options = sorted(p.stem for p in (CONFIG_DIR / "policy").glob("*.yaml"))
    done = dry_run(tmp_path, "-m", *TINY_SWEEP, "policy=glob(*)", "replicate=0")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"sandbox-run --dry-run: {len(options)} runs into ")
    shown = [line.split()[-2].removeprefix("policy=") for line in lines[2:]]
    assert shown == options[: len(shown)] and len(shown) == min(5, len(options))
    folder = tmp_path / "sweep"
    kept = "policy=glob(*,exclude=[phased*,experimental,facilitation])"
    done = sandbox_run("-m", *TINY_SWEEP, kept, "replicate=0", f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"sweep: 2 runs into {folder}"
    ran = pd.read_parquet(folder / "runs.parquet")["lever_policy"]
    assert sorted(ran) == ["controlled_pilot", "status_quo"]
