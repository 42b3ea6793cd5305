"""No figure draws an interval from fewer than 3 runs (``sandbox.plots``, and the
calibration's figures, ``sandbox.calibration.figures``).

Every public function of those modules that returns a Figure is listed once below:
either it is drawn here from stored sweeps cut to 2 runs per group (and to 3, where it
must then draw its intervals), or it is declared to draw no interval over runs, with why.
A new figure function fails ``test_every_figure_function_is_listed`` until it is listed.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from sandbox import plots
from sandbox.analysis import load_sweep
from sandbox.analysis.monthly import sweep_over_time
from sandbox.calibration.figures import targets_figure
from sandbox.calibration.targets import Target

matplotlib.use("Agg")

DATA = Path(__file__).parent / "data" / "analysis"


def sweep(name: str, runs: int):
    """A stored sweep cut to its first ``runs`` replicates (and to one data regime: each
    group of a figure then holds ``runs`` runs)."""
    results = load_sweep(DATA / name).where(replicate=list(range(runs)))
    return results.where(data="fragmented") if name == "policy_comparison" else results


def calibration_runs(runs: int) -> tuple[dict[str, pd.DataFrame], list[Target]]:
    target = Target(
        name="provinces_with_app", use="fit", month="2024-12", metric="provinces_with_app",
        value=48, out_of=63, tolerance=3, tolerance_why="a test", figure="provinces",
        source="a test",
    )  # fmt: skip
    values = pd.DataFrame({target.name: np.linspace(40.0, 50.0, runs)})
    return {"posterior": values}, [target]


def summary(runs: int):
    """The flagship's adoption summarised over time, a few months at a time."""
    results = sweep("policy_comparison", runs)
    return sweep_over_time(
        DATA / "policy_comparison", results.runs, ["policy"], ["adoption"], rows=200
    )


FROM_RUNS = {
    "outcome_over_time": lambda n: plots.outcome_over_time(
        sweep("policy_comparison", n).timeseries, "adoption", targets=None
    ),
    "summary_over_time": lambda n: plots.summary_over_time(summary(n), "adoption", targets=None),
    "policy_comparison": lambda n: plots.policy_comparison(
        sweep("policy_comparison", n).runs, metrics=["adoption", "public_spending"]
    ),
    "lever_response": lambda n: plots.lever_response(
        sweep("phasing", n).runs,
        x="lever_policy_phasing_n_waves",
        metrics=["adoption"],
        hue="lever_policy_phasing_order",
        col="lever_policy_phasing_phase_months",
    ),
    "phasing": lambda n: plots.phasing(sweep("phasing", n).runs),
    "alignment": lambda n: plots.alignment(sweep("experimental_alignment", n).runs),
    "tradeoff_frontier": lambda n: plots.tradeoff_frontier(sweep("sandbox_design", n).runs),
    "ablation": lambda n: plots.ablation(sweep("ablation", n).runs),
    "targets_figure": lambda n: targets_figure(*calibration_runs(n)),
}

NO_INTERVAL_OVER_RUNS = {
    "province_heatmap": "one run's provinces by month",
    "province_map": "one value per province, the mean over runs, as a colour",
    "sandbox_funnel": "bars of the mean over runs with each run as a dot, no interval",
    "money_per_year": "stacked means over runs per year, no interval",
    "marginals_figure": "posterior histograms, weighted particles",
    "correlation_figure": "a matrix of posterior correlations",
    "recovery_figure": "true against recovered values, one point per check",
    "best_shares": "shares of scenarios, bars without error",
    "regrets": "regret quantiles per policy over scenarios, bars without error",
    "feature_scores": "feature scores, bars without error",
    "prim_trajectory": "PRIM's peeling trajectory",
    "prim_box": "PRIM's box limits",
    "morris_figure": "Morris indices of the design's trajectories, not of replicates",
    "sobol_figure": "Sobol indices with bootstrap intervals over the design's samples",
    "noise_figure": "shares of variance, bars without error",
}


def figure_functions() -> set[str]:
    """The public functions of ``sandbox.plots`` and its modules, and of the calibration's
    figures, that return a Figure."""
    found = set()
    names = [f"sandbox.plots.{info.name}" for info in pkgutil.iter_modules(plots.__path__)]
    for module_name in [*names, "sandbox.calibration.figures"]:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            returns = inspect.signature(function).return_annotation
            if not name.startswith("_") and returns in (Figure, "Figure"):
                found.add(name)
    return found


def test_every_figure_function_is_listed() -> None:
    listed = set(FROM_RUNS) | set(NO_INTERVAL_OVER_RUNS)
    assert not set(FROM_RUNS) & set(NO_INTERVAL_OVER_RUNS)
    assert figure_functions() == listed


def length(segment) -> float:
    """A bar's length (0 for a bar of no points or of one)."""
    points = np.asarray(segment, dtype=float).reshape(-1, 2)
    finite = points[np.isfinite(points).all(axis=1)]
    return float(np.abs(finite[-1] - finite[0]).max()) if len(finite) > 1 else 0.0


def intervals(fig: Figure) -> int:
    """Intervals drawn: CI bands, and error bars of non-zero length."""
    fig.savefig(io.BytesIO(), format="png", dpi=30)
    drawn = 0
    for ax in fig.axes:
        drawn += sum(isinstance(c, PolyCollection) for c in ax.collections)
        for container in ax.containers:
            if isinstance(container, ErrorbarContainer):
                for bars in container.lines[2]:
                    drawn += sum(length(s) > 0 for s in bars.get_segments())
    return drawn


@pytest.mark.parametrize("name", sorted(FROM_RUNS))
def test_no_interval_from_two_runs_and_intervals_from_three(name: str) -> None:
    assert intervals(FROM_RUNS[name](2)) == 0
    assert intervals(FROM_RUNS[name](3)) > 0  # the same figure draws them from 3 runs
