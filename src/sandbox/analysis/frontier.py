"""Designs and their trade-offs: mean outcomes per design, and the non-dominated ones.

A design is one combination of lever values (by default every lever that varies); its
outcome is the mean over its replicates, with a Student-t interval. A design is
non-dominated when no other design is at least as good on every objective and better on
one; a missing value (e.g. a threshold never reached) counts as the worst.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.comparison import independent_levers
from sandbox.analysis.summary import summarise

Sense = Literal["min", "max"]


def design_levers(runs: pd.DataFrame) -> list[str]:
    """The levers that define designs: those that vary, less those that follow another.

    ``lever_policy_name`` is fixed by ``lever_policy``, for instance, and adds no design
    (``sandbox.analysis.comparison.independent_levers``).
    """
    return independent_levers(runs)


def design_outcomes(
    runs: pd.DataFrame,
    metrics: Sequence[str],
    designs: str | Sequence[str] | None = None,
    level: float = 0.95,
    warn: bool = True,
) -> pd.DataFrame:
    """One row per design: its levers, ``n`` runs, and per metric ``<m>``, ``<m>_ci_low``,
    ``<m>_ci_high`` (mean over replicates and its interval, NaN without one: see
    ``sandbox.analysis.summarise``) and ``<m>_n`` (the runs with a value: fewer than
    ``n`` where a threshold was not reached in some). ``warn``: as in ``summarise``."""
    keys = resolve_all(runs, designs) if designs is not None else design_levers(runs)
    long = summarise(runs, keys, [resolve(runs, m) for m in metrics], level, warn=warn)
    long = long.assign(runs=long["n"] + long["n_missing"])
    # the designs that ran (not every combination of their levels), NaN kept
    wide = long.set_index([*keys, "metric"])[["mean", "ci_low", "ci_high", "n"]].unstack("metric")
    out = pd.DataFrame(index=wide.index)
    for m in metrics:
        out[m] = wide[("mean", m)]
        out[f"{m}_ci_low"] = wide[("ci_low", m)]
        out[f"{m}_ci_high"] = wide[("ci_high", m)]
        out[f"{m}_n"] = wide[("n", m)].fillna(0).astype(int)
    out["n"] = long.groupby(keys)["runs"].max()
    return out.reset_index()


def non_dominated(frame: pd.DataFrame, objectives: Mapping[str, Sense]) -> pd.Series:
    """Whether each row is on the Pareto front of ``objectives`` (``{column: "min"|"max"}``).

    Returns:
        A boolean series aligned with ``frame``.
    """
    for column, sense in objectives.items():
        if sense not in ("min", "max"):
            raise ValueError(f"objective {column!r}: {sense!r} is not 'min' or 'max'")
    # as costs to minimise; missing is the worst
    costs = np.column_stack(
        [
            np.nan_to_num(frame[c].to_numpy(dtype=float) * (1 if s == "min" else -1), nan=np.inf)
            for c, s in objectives.items()
        ]
    )
    no_worse = (costs[:, None, :] <= costs[None, :, :]).all(axis=2)  # [j, i]: j no worse than i
    better = (costs[:, None, :] < costs[None, :, :]).any(axis=2)
    dominated = (no_worse & better).any(axis=0)
    return pd.Series(~dominated, index=frame.index, name="non_dominated")
