"""Adaptive replications: rounds of paired replicates until every headline CI is narrow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sandbox.analysis.comparison import NO_DIFFERENCE, ONE_PAIR, paired_comparison
from sandbox.config.params.adaptive import AdaptiveParams, of_sweep
from sandbox.experiments.adaptive import TEXT, next_replicates, targets
from tests.test_bad_input import ENTRY


def _row(option, metric, base, diff, low, high, note=""):
    return dict(option=option, metric=metric, n_pairs=4, baseline_mean=base, mean_diff=diff,
                ci_low=low, ci_high=high, ci_note=note)  # fmt: skip


COMPARISON = pd.DataFrame(
    [
        _row("a", "reach", 0.40, 0.02, 0.00, 0.04),  # half-width 0.02
        _row("a", "spend", 100.0, -30.0, -40.0, -20.0),  # half-width 10
        _row("a", "novel", 0.0, 0.05, 0.045, 0.055),  # half-width 0.005, level 0 then 0.05
        _row("a", "harm", 0.0, 0.0, np.nan, np.nan, NO_DIFFERENCE),  # known exactly
        _row("b", "reach", 0.40, 0.01, np.nan, np.nan, ONE_PAIR),  # no interval
    ]
)


def test_absolute_targets_compare_each_half_width_with_the_same_number() -> None:
    out = targets(COMPARISON, AdaptiveParams(half_width=0.03))
    assert np.allclose(out["half_width"][:4], [0.02, 10.0, 0.005, 0.0])
    assert list(out["met"]) == [True, False, True, True, False]


def test_relative_targets_scale_with_the_larger_arm() -> None:
    out = targets(COMPARISON, AdaptiveParams(half_width=0.11, relative=True))
    # scales: max(0.40, 0.42), max(100, 70), max(0, 0.05), 0, max(0.40, 0.41)
    assert np.allclose(out["target"], [0.11 * 0.42, 11.0, 0.11 * 0.05, 0.0, 0.11 * 0.41])
    assert list(out["met"]) == [True, True, True, True, False]


def test_rounds_add_a_batch_and_stop_at_the_cap() -> None:
    assert next_replicates([0, 1, 2], AdaptiveParams(half_width=1, max_replicates=64)) == [3, 4, 5]
    settings = AdaptiveParams(half_width=1, batch=4, max_replicates=6)
    assert next_replicates([0, 1, 2], settings) == [3, 4, 5]
    assert next_replicates([5, 9], AdaptiveParams(half_width=1, batch=1)) == [10]
    assert next_replicates(list(range(6)), settings) == []


@pytest.mark.parametrize(
    ("key", "expected"),
    [("adaptive.half_width", True), ("+adaptive.batch", True), ("adaptive", True),
     ("adaptive_x", False), ("policy", False), ("citizens.adaptive", False)],
)  # fmt: skip
def test_adaptive_overrides_belong_to_the_sweep(key: str, expected: bool) -> None:
    assert of_sweep(key) is expected


BASE = [
    "region=toy", "citizens.n=200", "horizon.end=2019-06", "policy.start=2019-02",
    "policy=status_quo,facilitation", "hydra/launcher=basic",
    "+hydra.callbacks.sweep.baseline=status_quo",
]  # fmt: skip
TARGET = 3.0  # billion VND on public spending, reach and the rest far below: see the test


def _sweep(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", ENTRY, "-m", *BASE, f"hydra.sweep.dir={folder}", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def _half_widths(runs: pd.DataFrame) -> pd.Series:
    result = paired_comparison(runs, "status_quo")
    half = (result["ci_high"] - result["ci_low"]) / 2
    return half.where(result["ci_note"] != NO_DIFFERENCE, 0.0)


@pytest.mark.slow
def test_an_adaptive_sweep_stops_at_the_first_round_that_meets_every_target(
    tmp_path: Path,
) -> None:
    adaptive = ["replicate=range(2)", f"adaptive.half_width={TARGET}", "adaptive.max_replicates=10"]
    done = _sweep(tmp_path / "adaptive", *adaptive)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = pd.read_parquet(tmp_path / "adaptive" / "runs.parquet")
    reps = sorted(runs["replicate"].unique())
    assert len(reps) > 2 and reps == list(range(len(reps))) and len(reps) % 2 == 0
    # the oracle: the comparison recomputed from the stored runs; met now, not a round before
    assert (_half_widths(runs) <= TARGET).all()
    earlier = runs[runs["replicate"] < len(reps) - 2]
    assert (_half_widths(earlier) > TARGET).any()
    assert f"9 of 9 targets met with {len(reps)} replicates" in " ".join(
        (tmp_path / "adaptive" / TEXT).read_text().split()
    )
    # the settings are the sweep's, not the jobs': no run folder names them
    for saved in (tmp_path / "adaptive").glob("*/.hydra/overrides.yaml"):
        assert not any(of_sweep(o.split("=")[0]) for o in yaml.safe_load(saved.read_text()))
    # the same runs as a sweep that names every replicate: rounds decide how many, not what
    plain = _sweep(tmp_path / "plain", f"replicate=range({len(reps)})")
    assert plain.returncode == 0, plain.stderr[-3000:]
    other = pd.read_parquet(tmp_path / "plain" / "runs.parquet")
    key = ["lever_policy", "replicate"]
    a = runs.set_index(key).sort_index()[["reach", "public_spending", "adoption"]]
    b = other.set_index(key).sort_index()[["reach", "public_spending", "adoption"]]
    pd.testing.assert_frame_equal(a, b)
    # the same command again finds its folder its own, and its runs done
    again = _sweep(tmp_path / "adaptive", *adaptive)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(pd.read_parquet(tmp_path / "adaptive" / "runs.parquet")) == len(runs)


def test_adaptive_replications_outside_a_comparison_are_refused(tmp_path: Path) -> None:
    args = [sys.executable, "-c", ENTRY, "-m", "region=toy", "replicate=range(2)",
            f"hydra.sweep.dir={tmp_path / 'sweep'}", "adaptive.half_width=0.1"]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "adaptive.half_width" in done.stderr and "baseline" in done.stderr
    assert not (tmp_path / "sweep").exists()


def test_a_baseline_no_run_has_adds_no_round(tmp_path: Path) -> None:
    args = [sys.executable, "-c", ENTRY, "-m", *BASE[:-1], "replicate=range(2)",
            "+hydra.callbacks.sweep.baseline=phased", f"hydra.sweep.dir={tmp_path / 'sweep'}",
            "adaptive.half_width=0.001"]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert "adaptive: no round added" in done.stderr and "'phased' not among" in done.stderr
    runs = pd.read_parquet(tmp_path / "sweep" / "runs.parquet")
    assert sorted(runs["replicate"].unique()) == [0, 1]  # the command's replicates only
