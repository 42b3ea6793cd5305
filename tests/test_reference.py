"""The committed reference sweep re-runs to the same numbers and re-collects to the same
tables (the per-province one included)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.experiments.collect import PROVINCES, RUNS, TIMESERIES, collect, job_dirs
from sandbox.experiments.reproduce import check

REFERENCE = Path(__file__).parents[1] / "results" / "reference" / "policy_comparison"


def test_reference_has_every_regime_with_paired_replicates() -> None:
    runs = pd.read_parquet(REFERENCE / RUNS)
    assert (runs["status"] == "done").all()
    assert runs.groupby("lever_policy")["replicate"].apply(sorted).map(tuple).nunique() == 1
    assert runs["lever_policy"].nunique() == 6


def test_sample_of_reference_runs_reproduces() -> None:
    """Bit for bit on the platform the reference was made on, within floating-point
    tolerance on another one (its manifests record it), whatever code re-runs it: numbers
    that differ otherwise fail, and then the reference must be rebuilt on purpose
    (``make reference``) if the change of results is meant."""
    jobs = job_dirs(REFERENCE)
    pick = np.random.default_rng(0).choice(len(jobs), 3, replace=False)
    for i in pick:
        verdict = check(jobs[i])
        assert verdict.same_numbers, (
            f"{jobs[i].name}: {verdict.text} (if the code's change of results is meant, "
            "rebuild the reference: make reference)"
        )


def test_collecting_again_gives_the_committed_tables(tmp_path: Path) -> None:
    copy = tmp_path / "reference"
    shutil.copytree(REFERENCE, copy)
    for name in (RUNS, TIMESERIES, PROVINCES):
        (copy / name).unlink()
    collect(copy)
    for name in (RUNS, TIMESERIES, PROVINCES):
        pd.testing.assert_frame_equal(
            pd.read_parquet(copy / name), pd.read_parquet(REFERENCE / name)
        )
