"""Adaptive replications: paired replicates added until every headline CI is narrow enough.

A comparison sweep (one that names a baseline, ``hydra.callbacks.sweep.baseline``) runs
the replicates its command names. With ``adaptive.half_width`` set, the sweeper then
collects the runs, takes the paired comparison of every option with the baseline on each
headline outcome (pooled over the other levers, as ``comparison_vs_<baseline>.txt`` shows
it; ``sandbox.analysis.comparison``) and checks each 95% CI's half-width against its
target. While a target is missed and the sweep has fewer than ``adaptive.max_replicates``
replicates, it adds ``adaptive.batch`` paired replicates of every combination and checks
again. The runs are those a sweep naming all the replicates would make, in the same
folders, so the rounds change how many runs there are, never what a run gives; the same
command gives the same rounds.

A target is the half-width itself (``adaptive.relative=false``) or a share of the
outcome's level (``true``): of the larger of the two arms' means, so that an outcome the
baseline never moves off zero (novel technologies under the status quo) still has a scale.
A difference with no spread over its pairs (identical in every pair) is known exactly and
meets any target; one without an interval for want of pairs meets none.

``adaptive.txt`` and ``adaptive.parquet`` in the sweep folder say, after the last round,
which targets were met, with the half-widths reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.analysis.comparison import (
    CELL_NOTES,
    as_option,
    check_lever,
    fit_line,
    fit_table,
    paired_comparison,
)
from sandbox.config.params.adaptive import AdaptiveParams
from sandbox.experiments.atomic import write_atomic

TEXT = "adaptive.txt"
TABLE = "adaptive.parquet"


@dataclass(frozen=True)
class Verdict:
    """One round's check: each target with the half-width reached, and the replicates."""

    targets: pd.DataFrame  # option, metric, n_pairs, mean_diff, half_width, target, met
    replicates: int

    @property
    def met(self) -> bool:
        return bool(self.targets["met"].all())

    @property
    def missed(self) -> pd.DataFrame:
        return self.targets[~self.targets["met"]]


def targets(comparison: pd.DataFrame, settings: AdaptiveParams) -> pd.DataFrame:
    """Each row of a ``paired_comparison`` with its CI's half-width, its target and
    whether the target is met (module docstring)."""
    half = (comparison["ci_high"] - comparison["ci_low"]) / 2
    exact = comparison["ci_note"].isin(list(CELL_NOTES))  # no spread: known exactly
    half = half.where(~exact, 0.0)
    if settings.relative:
        level = comparison["baseline_mean"].abs()
        other = (comparison["baseline_mean"] + comparison["mean_diff"]).abs()
        target = settings.half_width * np.maximum(level, other)
    else:
        target = pd.Series(settings.half_width, index=comparison.index)
    out = comparison[["option", "metric", "n_pairs", "mean_diff"]].copy()
    out["half_width"] = half
    out["target"] = target
    out["met"] = (half <= target).fillna(False).astype(bool)  # no interval: not met
    return out.reset_index(drop=True)


def check(
    runs: pd.DataFrame, baseline: object, lever: str, settings: AdaptiveParams, replicates: int
) -> Verdict:
    """The targets of a sweep's runs (``runs.parquet``, or ``collect.runs_table``)."""
    done = runs[runs["status"] == "done"]
    column = check_lever(done, lever)
    comparison = paired_comparison(runs, as_option(done[column], baseline), column)
    return Verdict(targets(comparison, settings), replicates)


def next_replicates(current: Sequence[int], settings: AdaptiveParams) -> list[int]:
    """The replicates of the next round: ``batch`` (by default as many as ``current``)
    after the largest so far, none beyond ``max_replicates`` replicates in all."""
    size = settings.batch or len(current)
    room = settings.max_replicates - len(current)
    start = max(current) + 1
    return list(range(start, start + max(0, min(size, room))))


def describe(verdict: Verdict, settings: AdaptiveParams, baseline: object) -> str:
    """The verdict in words and as a table (``adaptive.txt``)."""
    kind = (
        f"{settings.half_width:g} of the outcome's level"
        if settings.relative
        else f"{settings.half_width:g} in each outcome's unit"
    )
    t = verdict.targets
    n_met = int(t["met"].sum())
    head = (
        f"Adaptive replications: target half-width of each headline difference's 95% CI "
        f"from {baseline}: {kind}. {n_met} of {len(t)} targets met with "
        f"{verdict.replicates} replicates"
    )
    if verdict.met:
        head += "."
    elif verdict.replicates >= settings.max_replicates:
        head += f" (the cap, adaptive.max_replicates={settings.max_replicates}); missed: "
        head += "; ".join(f"{r.option} on {r.metric}" for r in verdict.missed.itertuples())
    else:
        head += "; missed: " + "; ".join(
            f"{r.option} on {r.metric}" for r in verdict.missed.itertuples()
        )
    shown = t.assign(met=t["met"].map({True: "yes", False: "no"})).set_index(["option", "metric"])
    return "\n".join([fit_line(head), fit_table(shown)])


def write(sweep_dir: Path, verdict: Verdict, text: str) -> None:
    """``adaptive.parquet`` and ``adaptive.txt``, each written whole or not at all."""
    table = verdict.targets.assign(replicates=verdict.replicates)
    write_atomic(Path(sweep_dir) / TABLE, lambda t: table.to_parquet(t))
    write_atomic(Path(sweep_dir) / TEXT, lambda t: t.write_text(text + "\n", encoding="utf-8"))
