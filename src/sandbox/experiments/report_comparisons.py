"""The comparisons of a sweep's report: which lever against which baseline, the paired
comparison tables (``sandbox.analysis.comparison``) and their markdown.

Unless told otherwise, the report compares the policy against the experiment's baseline
(``status_quo`` when none is named) when the sweep varies the policy, else each lever the
sweep varies against its first option (``PREFERRED_BASELINES`` where one is preferred),
paired on the replicate and the other levers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sandbox.analysis import design_levers
from sandbox.analysis.comparison import (
    FLAGSHIP,
    as_option,
    breakdown_tables,
    breakdowns,
    ci_notes,
    comparison_table,
    lever_column,
    paired_comparison,
    sign_changes,
)
from sandbox.analysis.verdict import verdicts
from sandbox.experiments.markdown import markdown_table
from sandbox.units import unit

# the option each lever is compared with unless told otherwise; other levers: the first
PREFERRED_BASELINES = {"lever_policy": "status_quo", "lever_policy_phasing_order": "random"}


@dataclass(frozen=True)
class Comparison:
    """One paired comparison: the options of ``lever`` against ``baseline``."""

    lever: str
    baseline: object
    table: pd.DataFrame  # ``comparison_table``: the baseline's level, options x metrics
    result: pd.DataFrame  # ``paired_comparison``: one row per option and metric
    # the same broken down by the other levers swept (``compare.breakdowns``): for each
    # way, the levers and ``paired_comparison(..., by=levers)``
    breakdowns: tuple[tuple[tuple[str, ...], pd.DataFrame], ...] = ()


def first_option(values: pd.Series) -> object:
    """A lever's first option: its smallest number, or its first text in sort order."""
    present = [v.item() if hasattr(v, "item") else v for v in pd.unique(values.dropna())]
    return sorted(present, key=lambda v: (str(type(v)), v))[0]


def choose(
    runs: pd.DataFrame,
    lever: str | None = None,
    baseline: object = None,
    configured: object = None,
) -> list[tuple[str, object]]:
    """The (lever column, baseline) pairs the report compares.

    Args:
        runs: the done runs.
        lever: the lever asked for; ``None``: the policy when the sweep varies it, else
            every lever it varies (``sandbox.analysis.design_levers``).
        baseline: the option asked for; ``None``: ``configured`` for the policy, else
            ``PREFERRED_BASELINES`` when present, else the lever's first option.
        configured: the experiment's ``hydra.callbacks.sweep.baseline``, if any.

    Raises:
        ValueError: the lever or baseline asked for is not in the table.
    """
    varying = design_levers(runs)
    if lever is not None:
        levers = [lever_column(lever)]
    elif "lever_policy" in varying:
        levers = ["lever_policy"]
    else:
        levers = varying
    pairs = []
    for column in levers:
        if column not in runs:
            raise ValueError(
                f"lever {column!r} is not a column of runs.parquet; the levers "
                f"this sweep varies are {[c.removeprefix('lever_') for c in varying]}"
            )
        if baseline is not None:
            pairs.append((column, as_option(runs[column], baseline)))
            continue
        wanted = PREFERRED_BASELINES.get(column)
        if column == "lever_policy" and configured is not None:
            wanted = configured
        try:
            value = as_option(runs[column], wanted) if wanted is not None else None
        except ValueError:
            value = None
        pairs.append((column, value if value is not None else first_option(runs[column])))
    return pairs


def compare(runs: pd.DataFrame, pairs: Sequence[tuple[str, object]]) -> list[Comparison]:
    """Each (lever, baseline) compared on the flagship metrics the table has.

    Raises:
        ValueError: a lever has no option besides its baseline.
    """
    metrics = [m for m in FLAGSHIP if m in runs.columns]
    out = []
    for lever, baseline in pairs:
        result = paired_comparison(runs, baseline, lever, metrics)
        if result.empty:
            raise ValueError(
                f"nothing to compare: {lever!r} has no option other than "
                f"{baseline!r} among done runs"
            )
        ways = tuple(
            (tuple(by), paired_comparison(runs, baseline, lever, metrics, by=by))
            for by in breakdowns(runs, lever)
        )
        table = comparison_table(result, baseline, lever)
        out.append(Comparison(lever, baseline, table, result, ways))
    return out


def name(lever: str) -> str:
    """A lever's name without its ``lever_`` prefix."""
    return lever.removeprefix("lever_")


def comparison_section(c: Comparison, runs: pd.DataFrame) -> list[str]:
    """One comparison: what it is, its units, its table and its notes (its breakdowns by
    the other levers: ``breakdowns_section``)."""
    ends = (
        sorted(map(str, runs["setting_horizon_end"].unique()))
        if ("setting_horizon_end" in runs)
        else ["unknown"]
    )
    units = "; ".join(f"{m}: {unit(m)}" for m in c.table.columns if unit(m))
    return [
        f"### {name(c.lever)} against {c.baseline}",
        "",
        f"First row: the level of {c.baseline}; then each other option minus {c.baseline} at "
        f"the end of the horizon ({', '.join(ends)}): mean over up to "
        f"{int(c.result['n_pairs'].max())} pairs of runs that share the replicate and the "
        "other levers, [95% CI].",
        *(["", f"Units: {units}."] if units else []),
        "",
        markdown_table(c.table),
        *(f"\nNote: {n}." for n in ci_notes(c.result)),
    ]


def breakdowns_section(c: Comparison) -> list[str]:
    """One comparison's breakdowns by the other levers (``breakdown_section`` each): the
    long tables, which a report puts after its figures."""
    return [line for by, result in c.breakdowns for line in breakdown_section(c, by, result)]


def breakdown_section(c: Comparison, by: Sequence[str], result: pd.DataFrame) -> list[str]:
    """The comparison within each combination of the levers ``by``: a table per metric.

    Broken down by all the other levers together, it is shown; by one of several in turn
    (too many combinations for one table), it is folded, one block per lever.
    """
    names = ", ".join(name(b) for b in by)
    n = len(result[list(by)].drop_duplicates())
    folded = len(c.breakdowns) > 1
    lines = [
        "",
        f"#### {name(c.lever)} against {c.baseline}, by {names}",
        "",
        f"The same within each {'value' if len(by) == 1 else 'combination'} of {names} "
        f"({n}{', pooled over the other levers' if folded else ''}), a table per metric: "
        f"the level of {c.baseline}, then each option minus it, [95% CI].",
    ]
    for metric, table in breakdown_tables(result, c.baseline, c.lever).items():
        found = unit(metric)
        lines += ["", f"**{metric}**" + (f" ({found})" if found else ""), "", markdown_table(table)]
    flips = sign_changes(result)
    if flips:
        where = "; ".join(flips)
        lines += ["", f"Note: the sign of the difference depends on {names} for {where}."]
    if folded:
        summary = f"<details><summary>By {names} ({n} values)</summary>"
        lines = [lines[0], summary, *lines[2:], "", "</details>"]
    return lines


def summary_section(
    comparisons: Sequence[Comparison], runs: pd.DataFrame, uncertainty: object
) -> list[str]:
    """The report's opening summary: each comparison's verdicts in words
    (``sandbox.analysis.verdict``), with what their intervals cover."""
    if not comparisons:
        return []
    covers = (
        "replicate noise and the fitted parameters' uncertainty (each replicate drew its own "
        "particle of the calibration posterior, `uncertainty=posterior`)"
        if uncertainty == "posterior"
        else "replicate noise only, at the calibrated central point (`uncertainty=posterior` "
        "would add the fitted parameters' uncertainty)"
    )
    lines = [
        "## Summary",
        "",
        "At the end of the horizon, for each outcome with a direction: the best option, its "
        "paired difference from the baseline and from the runner-up, [95% CI], and in how "
        f"many combinations of the other levers it stays best. The intervals cover {covers}.",
    ]
    for c in comparisons:
        widest = max(c.breakdowns, key=lambda b: len(b[0]), default=None)
        lines += ["", f"### {name(c.lever)} against {c.baseline}", ""]
        lines += verdicts(runs, c.lever, c.baseline, c.result, widest)
    return [*lines, ""]
