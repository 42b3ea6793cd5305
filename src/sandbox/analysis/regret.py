"""Robustness across sampled futures: how often each policy is best, and its regret.

A design of the uncertainties (``sandbox.experiments.design``) runs every policy in every
sampled future (a point of the unit hypercube) and replicate, paired by common random
numbers. Here one outcome's value of a policy in a future is the mean over the future's
replicates that finished with a value (``futures``); a future where a policy has none is
left out of that outcome's tables, for every policy, so that the policies are always
compared on the same futures.

* **Best share**: in each future, the policy with the best value (``Outcome.better``:
  ``more`` or ``less``) gets 1. **Ties are split**: when k policies share the best value
  (equal to a relative 1e-9), each gets 1/k; ``ties`` counts the futures where that
  happened. The shares of the policies sum to 1.
* **Regret** of a policy in a future: how far it falls short of the best policy of that
  future, in the outcome's unit, in its bad direction (best minus value when more is
  better, value minus best when less is), so never negative and 0 for the best (and for
  one tied with it). Summarised over futures by its mean, 90th percentile (linear
  interpolation between order statistics, ``numpy.quantile``'s default) and maximum.
* **Minimax-regret ranking**: the policies ordered by their maximum regret, smallest
  first; ties broken by the mean regret, then by the larger best share, then by the order
  of the design's policies (the baseline first).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sandbox.model.outcomes import BY_NAME

TIE_RTOL = 1e-9  # values this close (relative to the best) tie
P90 = 0.9
COLUMNS = (
    "outcome",
    "policy",
    "futures",
    "best_share",
    "ties",
    "regret_mean",
    "regret_p90",
    "regret_max",
    "minimax_rank",
)


def direction(outcome: str) -> str:
    """Which way ``outcome`` improves (``more`` or ``less``).

    Raises:
        ValueError: an outcome without a direction (a count that only describes a run).
    """
    better = BY_NAME[outcome].better if outcome in BY_NAME else None
    if better not in ("more", "less"):
        raise ValueError(f"{outcome}: not an outcome that improves one way (more or less)")
    return better


def policies_of(runs: pd.DataFrame) -> list[str]:
    """The design's policies in its order (the baseline first)."""
    return list(pd.unique(runs["policy"]))


def futures(runs: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One outcome per future (rows, by ``point``) and policy (columns, in the design's
    order): the mean over the future's finished replicates; futures incomplete for any
    policy are left out."""
    done = runs[runs["status"] == "ok"]
    table = done.pivot_table(index="point", columns="policy", values=outcome, aggfunc="mean")
    table = table.reindex(columns=policies_of(runs))
    return table.dropna(how="any")


def _best(table: pd.DataFrame, better: str) -> pd.Series:
    return table.max(axis=1) if better == "more" else table.min(axis=1)


def _tied(table: pd.DataFrame, better: str) -> pd.DataFrame:
    """Whether each policy's value equals the future's best (within ``TIE_RTOL``)."""
    best = _best(table, better).to_numpy()[:, None]
    return pd.DataFrame(
        np.isclose(table.to_numpy(), best, rtol=TIE_RTOL, atol=0.0),
        index=table.index,
        columns=table.columns,
    )


def regret(table: pd.DataFrame, better: str) -> pd.DataFrame:
    """Each policy's regret in each future (module docstring) of a ``futures`` table."""
    gap = _best(table, better).to_numpy()[:, None] - table.to_numpy()
    gap = gap if better == "more" else -gap
    out = pd.DataFrame(np.maximum(gap, 0.0), index=table.index, columns=table.columns)
    return out.mask(_tied(table, better), 0.0)


def best_share(table: pd.DataFrame, better: str) -> pd.Series:
    """Each policy's share of the futures where it is best, ties split (module docstring)."""
    tied = _tied(table, better)
    credit = tied.div(tied.sum(axis=1), axis=0)
    return credit.sum(axis=0) / len(table)


def tied_futures(table: pd.DataFrame, better: str) -> int:
    """The futures where two policies or more share the best value."""
    return int((_tied(table, better).sum(axis=1) > 1).sum())


def minimax_rank(summary: pd.DataFrame, order: Sequence[str]) -> pd.Series:
    """Rank (1 first) of each policy of one outcome's ``summary`` (indexed by policy,
    with ``regret_max``, ``regret_mean``, ``best_share``): module docstring."""
    keyed = summary.assign(_order=[list(order).index(p) for p in summary.index])
    ranked = keyed.sort_values(
        ["regret_max", "regret_mean", "best_share", "_order"],
        ascending=[True, True, False, True],
        kind="stable",
    )
    return pd.Series(range(1, len(ranked) + 1), index=ranked.index).reindex(summary.index)


def robustness(runs: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """The robustness table: one row per outcome and policy (``COLUMNS``), policies in
    the design's order. An outcome with no complete future gives no rows."""
    order = policies_of(runs)
    frames = []
    for outcome in outcomes:
        better = direction(outcome)
        table = futures(runs, outcome)
        if table.empty:
            continue
        loss = regret(table, better)
        summary = pd.DataFrame(
            {
                "futures": len(table),
                "best_share": best_share(table, better),
                "ties": tied_futures(table, better),
                "regret_mean": loss.mean(),
                "regret_p90": loss.quantile(P90),
                "regret_max": loss.max(),
            }
        )
        summary["minimax_rank"] = minimax_rank(summary, order)
        frames.append(summary.rename_axis("policy").reset_index().assign(outcome=outcome))
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]
