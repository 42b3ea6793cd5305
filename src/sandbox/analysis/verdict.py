"""A comparison said in words: for each headline outcome, which option of the lever is
best, by how much against the baseline and against the runner-up, each with its paired
95% CI, and whether it stays best within every combination of the other levers swept.

The best option is the one with the best mean at the end of the horizon (the outcome's
declared direction, ``sandbox.units.better``), the baseline included. Its lead over the
runner-up is a paired comparison of its own (the same replicates and other levers), so a
lead is called clear only when that interval excludes zero; otherwise the two are said to
be indistinguishable at this number of pairs. Options whose means are equal (private
investment where no partner exists, say) tie: a tie is said as one, never as a lead of
whichever option comes first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sandbox.analysis.comparison import interval_text, paired_comparison
from sandbox.units import better, name, unit

TIED = "a tie"  # the best mean shared by more than one option


def _means(result: pd.DataFrame, baseline: object) -> pd.Series:
    """Each option's mean (the baseline's level plus its mean difference), the baseline's
    own included, of one metric's rows of a ``paired_comparison``."""
    level = float(result["baseline_mean"].iloc[0])
    means = pd.Series(level + result["mean_diff"].to_numpy(), index=result["option"].tolist())
    means[baseline] = level
    return means


def _ranked(means: pd.Series, sense: int) -> list[object]:
    """Options from best to worst (ties: the order of appearance)."""
    order = np.argsort(-sense * means.to_numpy(), kind="stable")
    return [means.index[i] for i in order]


def best_everywhere(by_result: pd.DataFrame, by: Sequence[str], baseline: object) -> pd.Series:
    """The best option of each metric within each combination of the levers ``by``
    (a ``paired_comparison(..., by=by)``): a Series indexed by (combination..., metric)."""
    found = {}
    for keys, rows in by_result.groupby([*by, "metric"], sort=True, dropna=False):
        metric = keys[-1]
        sense = 1 if better(metric) == "max" else -1
        means = _means(rows, baseline)
        order = _ranked(means, sense)
        tied = len(order) > 1 and means[order[0]] == means[order[1]]
        found[keys] = TIED if tied else order[0]
    return pd.Series(found, dtype=object)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _pct(diff: float, level: float) -> str:
    return f", {diff / abs(level):+.1%} of its level" if level else ""


def verdicts(
    runs: pd.DataFrame,
    lever: str,
    baseline: object,
    result: pd.DataFrame,
    breakdown: tuple[Sequence[str], pd.DataFrame] | None = None,
) -> list[str]:
    """One sentence per metric of ``result`` that has a direction.

    Args:
        runs: the collected runs the comparison was made from.
        lever: the lever compared (a ``lever_`` column).
        baseline: the option compared with.
        result: ``paired_comparison(runs, baseline, lever)``.
        breakdown: the levers the comparison was also broken down by, and that breakdown
            (``paired_comparison(..., by=levers)``), to say whether the best holds there.
    """
    lines = []
    everywhere = best_everywhere(breakdown[1], breakdown[0], baseline) if breakdown else None
    for metric, rows in result.groupby("metric", sort=False):
        direction = better(metric)
        if direction is None or rows["mean_diff"].isna().all():
            continue
        sense = 1 if direction == "max" else -1
        means = _means(rows, baseline)
        order = _ranked(means, sense)
        best, runner = order[0], order[1] if len(order) > 1 else None
        found = unit(metric)
        way = "more" if sense > 0 else "less"
        head = f"**{name(metric)}** ({found + ', ' if found else ''}{way} is better)"
        level = float(rows["baseline_mean"].iloc[0])
        if runner is not None and means[best] == means[runner]:
            if means.nunique() == 1:
                text = f"{head}: no option differs ({_number(level)} under every option)"
            else:
                text = f"{head}: {best} and {runner} tie for best ({_number(means[best])})"
            lines.append(f"- {text}.")
            continue
        if best == baseline:
            text = f"{head}: no option beats {baseline} ({_number(level)})"
        else:
            row = rows[rows["option"] == best].iloc[0]
            diff = interval_text(row["mean_diff"], row["ci_low"], row["ci_high"], row["ci_note"])
            text = (
                f"{head}: **{best}** is best, {diff} against {baseline} "
                f"({_number(level)}{_pct(float(row['mean_diff']), level)})"
            )
        if runner is not None:
            lead = paired_comparison(runs, runner, lever, metrics=[metric])
            lead = lead[lead["option"] == best]
            if len(lead) and np.isfinite(lead["ci_low"].iloc[0]):
                r = lead.iloc[0]
                clear = (r["ci_low"] > 0) if sense > 0 else (r["ci_high"] < 0)
                verdict = "a clear lead" if clear else "not distinguishable at these pairs"
                text += (
                    f"; against the runner-up, {runner}: "
                    f"{interval_text(r['mean_diff'], r['ci_low'], r['ci_high'])} ({verdict})"
                )
        if everywhere is not None:
            per = everywhere.xs(metric, level=-1) if len(everywhere) else pd.Series()
            same = int((per == best).sum())
            levers = " × ".join(name(b) for b in breakdown[0])
            text += f"; best in {same} of {len(per)} combinations of {levers}"
            others = per[per != best].value_counts()
            if len(others):
                where = ", ".join(f"{o}: {k}" for o, k in others.items())
                text += f" (elsewhere {where})"
        lines.append(f"- {text}.")
    return lines
