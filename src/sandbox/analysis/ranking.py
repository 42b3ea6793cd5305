"""How the options of a lever rank on each headline outcome, and how the ranking moves
across the options of another lever: which regime leads with every mechanism on, and which
leads when one mechanism is switched off (``experiment=ablation``).

Ranks are of the mean over done runs at the end of the horizon (for a time to an event
that a run did not reach, the restricted mean: ``sandbox.analysis.comparison``). Within one
option of ``by`` every option of ``lever`` runs on the same replicates (common random
numbers), so the order of the means is the order of the paired mean differences from any
of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sandbox.analysis.comparison import FLAGSHIP, fit_line, fit_table, lever_column, restricted
from sandbox.model.outcomes import OUTCOMES
from sandbox.units import better, unit

# +1: more is better; -1: less is better (time, harm and public money: sandbox.units.better),
# for every declared outcome with a direction (the headline ones are ranked by default)
SENSE: Mapping[str, int] = {
    o.name: 1 if better(o.name) == "max" else -1 for o in OUTCOMES if o.better != "neither"
}


def ranks(
    runs: pd.DataFrame,
    lever: str = "policy",
    by: str = "ablation",
    metrics: Sequence[str] = FLAGSHIP,
) -> pd.DataFrame:
    """Rank of each option of ``lever`` on each metric, within each option of ``by``.

    Args:
        runs: a collected ``runs.parquet`` (only ``status == "done"`` rows are used).
        lever, by: lever names, with or without the ``lever_`` prefix.
        metrics: metrics with a sense in ``SENSE``.

    Returns:
        One row per (``by`` option, metric, ``lever`` option): ``mean`` over its runs
        (for a ``months_to_*``, over the runs that reached the threshold: NaN is
        "never"), ``runs`` and ``rank`` (1 is best; ties share the better rank; a
        threshold no run reached ranks last).

    Raises:
        ValueError: a lever is not in the table, or a metric has no sense.
    """
    lever, by = lever_column(lever), lever_column(by)
    done = runs[runs["status"] == "done"]
    for name in (lever, by):
        if name not in done:
            raise ValueError(f"no column {name!r} among the done runs")
    unknown = [m for m in metrics if m not in SENSE]
    if unknown:
        raise ValueError(f"no sense (more or less is better) for {unknown}; known: {list(SENSE)}")
    # a time to an event not reached by the horizon counts at the months followed
    values = done.assign(**{m: restricted(done, m) for m in metrics})
    grouped = values.groupby([by, lever], sort=False)
    means = grouped[list(metrics)].mean().reset_index()
    size = grouped.size().rename("runs").reset_index()
    long = means.melt(id_vars=[by, lever], var_name="metric", value_name="mean")
    long = long.merge(size, on=[by, lever])
    signed = long["mean"] * long["metric"].map(SENSE)
    long["rank"] = (
        signed.groupby([long[by], long["metric"]])
        .rank(ascending=False, method="min", na_option="bottom")
        .astype(int)
    )
    long = long.sort_values([by, "metric", "rank"], key=_appearance(long), kind="stable")
    return long[[by, "metric", lever, "mean", "runs", "rank"]].reset_index(drop=True)


def _appearance(frame: pd.DataFrame):
    """A sort key keeping text columns in their order of first appearance."""

    def key(column: pd.Series) -> pd.Series:
        if column.name == "rank":
            return column
        order = {v: i for i, v in enumerate(dict.fromkeys(frame[column.name]))}
        return column.map(order)

    return key


def rank_moves(table: pd.DataFrame, reference: object = "none") -> pd.DataFrame:
    """The ranks of :func:`ranks` side by side: one row per (metric, ``lever`` option), one
    column per option of ``by`` (``reference`` first), and ``moved``: in how many of the
    other options the rank differs from the reference's.

    Raises:
        ValueError: ``reference`` is not an option of ``by``.
    """
    by, lever = table.columns[0], table.columns[2]
    options = list(dict.fromkeys(table[by]))
    if reference not in options:
        raise ValueError(f"{reference!r} is not among the options of {by!r}: {options}")
    wide = table.pivot(index=["metric", lever], columns=by, values="rank")
    others = [o for o in options if o != reference]
    wide = wide[[reference, *others]]
    wide["moved"] = wide[others].ne(wide[reference], axis=0).sum(axis=1)
    order = {m: i for i, m in enumerate(dict.fromkeys(table["metric"]))}
    return wide.sort_index(key=lambda level: level.map(order) if level.name == "metric" else level)


def ranking_text(
    runs: pd.DataFrame, by: str, reference: object, lever: str = "policy"
) -> tuple[pd.DataFrame, str]:
    """Rank ``lever``'s options within each option of ``by`` (``ranks``) and say how the
    ranks move away from ``by=reference`` (``rank_moves``): the tidy ranks, and the text
    (the ranks side by side, within the console's width)."""
    table = ranks(runs, lever, by)
    wide = rank_moves(table, reference)
    by_name = lever_column(by).removeprefix("lever_")
    lever_name = lever_column(lever).removeprefix("lever_")
    senses = "; ".join(
        f"{m}: {'more' if SENSE[m] > 0 else 'less'} is better ({unit(m)})"
        for m in dict.fromkeys(table["metric"])
    )
    moved = wide[wide["moved"] > 0]
    text = "\n".join(
        fit_line(line)
        for part in [
            f"Rank of each {lever_name} on each outcome at the end of the horizon (1 = best; "
            f"mean over replicates), with every mechanism on ({by_name}={reference}) and "
            f"under each other {by_name}; moved: in how many of those its rank differs",
            f"sense: {senses}",
            fit_table(wide),
            f"{len(moved)} of {len(wide)} (outcome, {lever_name}) ranks move under some "
            f"{by_name}; the ranking is driven, on an outcome, by the {by_name} options "
            "under which its ranks move.",
        ]
        for line in part.split("\n")
    )
    return table, text
