"""An outcome over time by policy (or any levers), with uncertainty bands and targets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.monthly import OverTime, over_time
from sandbox.analysis.summary import SAME_RTOL
from sandbox.analysis.targets import HISTORICAL_TARGETS, targets_within
from sandbox.plots.style import (
    FONT,
    MIN_RUNS_FOR_INTERVAL,
    TARGET_COLOUR,
    count,
    grid,
    legend_columns,
    legend_title,
    month_axis,
    number_axis,
    option_label,
    styles,
    timestamps,
    too_few,
    wrap,
)
from sandbox.units import describe, label, name, unit

Band = Literal["ci", "range"]
BAND_ALPHA = 0.2
SHARED = "0.55"  # the band of a history every group shares


def outcome_over_time(
    timeseries: pd.DataFrame,
    metrics: str | Sequence[str] = "adoption",
    by: str | Sequence[str] = "policy",
    band: Band | None = "ci",
    targets: pd.DataFrame | None = HISTORICAL_TARGETS,
    policy_start: str | pd.Period | None = None,
    level: float = 0.95,
    ncols: int | None = None,
) -> Figure:
    """One panel per metric: its mean over runs by month, one line per group of ``by``.

    Args:
        timeseries: ``Results.timeseries``.
        metrics: the metric(s) plotted, one panel each.
        by: levers whose combinations get a line each (``policy``; ``[policy, data]``).
        band: ``"ci"``: the ``level`` confidence interval of the mean over the group's
            runs (Student t); ``"range"``: 5% to 95% of the runs; ``None``: no band. A
            group of one run has no CI band, and the legend says so.
        targets: historical values (``metric``, ``month``, ``value``, ``source``) drawn
            where they fall within the plotted months; ``None`` draws none.
        policy_start: a month marked by a vertical line (e.g. the ``policy.start``).
        level: confidence level of the ``"ci"`` band.
        ncols: panels per row.

    Returns:
        The figure; its axes are ``fig.axes`` in the order of ``metrics``.
    """
    metrics = [resolve(timeseries, m) for m in ([metrics] if isinstance(metrics, str) else metrics)]
    keys = resolve_all(timeseries, by)
    if not keys:
        raise ValueError("by must name at least one lever (e.g. 'policy')")
    summary = over_time(timeseries, keys, metrics, level)
    return summary_over_time(summary, band=band, targets=targets, policy_start=policy_start,
                             ncols=ncols)  # fmt: skip


def summary_over_time(
    summary: OverTime,
    metrics: str | Sequence[str] | None = None,
    band: Band | None = "ci",
    targets: pd.DataFrame | None = HISTORICAL_TARGETS,
    policy_start: str | pd.Period | None = None,
    ncols: int | None = None,
) -> Figure:
    """``outcome_over_time`` from a summary over time (``sandbox.analysis.monthly``), such
    as ``sweep_over_time`` reads from a large sweep a few months at a time.

    Args:
        summary: the metrics' summary by the levers (one line per combination) and month.
        metrics: the metric(s) plotted, one panel each (default: every one summarised).
        band, targets, policy_start, ncols: as in ``outcome_over_time``; the band's
            confidence level is the summary's.
    """
    if metrics is not None:
        summary = summary.only([metrics] if isinstance(metrics, str) else metrics)
    metrics, keys, level = summary.metrics, summary.keys, summary.level
    if not keys:
        raise ValueError("by must name at least one lever (e.g. 'policy')")
    fig, axes = grid(len(metrics), ncols, panel=(4.8, 3.2))
    table = summary.table
    groups = list(dict.fromkeys(table[keys].itertuples(index=False, name=None)))
    look = styles(groups)
    # bands lighter as lines multiply, so that overlapping ones do not turn to mud
    shade = min(BAND_ALPHA, BAND_ALPHA * 3 / max(len(groups), 1))
    start = pd.Period(policy_start, freq="M") if policy_start is not None else None
    shown_target = cut = shared = False
    for ax, metric in zip(axes, metrics, strict=True):
        rows = table[table["metric"] == metric]
        split = _parting(rows, keys)
        for g, (group, line) in enumerate(rows.groupby(keys, sort=False, dropna=False)):
            line = line.sort_values("month")
            x = timestamps(line["month"])
            ax.plot(x, line["mean"], lw=1.6, **look[group])
            low, high = _band(line, band)
            if band == "ci" and line["n"].max() < MIN_RUNS_FOR_INTERVAL:
                low = None  # too few runs for a readable interval: the legend says so
            if low is None or not low.notna().any():
                continue
            # while every group has the same values (a shared history) one grey band,
            # drawn once; each group's own band from the month they part
            own = line["month"] >= (split - 1 if split is not None else line["month"].min())
            own = own.to_numpy()
            if g == 0 and split is not None:
                shared = True
                common = (line["month"] <= split).to_numpy()
                ax.fill_between(x, low, high, where=common, color=SHARED, alpha=BAND_ALPHA,
                                lw=0)  # fmt: skip
            ax.fill_between(x, low, high, where=own, color=look[group]["color"], alpha=shade,
                            lw=0)  # fmt: skip
        first, last = rows["month"].min(), rows["month"].max()
        marks = targets_within(targets, metric, first, last)
        if len(marks):
            shown_target = True
            ax.scatter(
                timestamps(marks["month"]), marks["value"], marker="D", s=36, zorder=5,
                color=TARGET_COLOUR, edgecolor="black", linewidth=0.6,
            )  # fmt: skip
        values = pd.Series([summary.low[metric], summary.high[metric]])  # every run's range
        cut |= _clip(ax, pd.concat([values, marks["value"]]), rows, band)
        if start is not None and first <= start <= last:
            ax.axvline(start.to_timestamp(), color="0.35", ls="--", lw=1)
        # the model's metric: its description above, its column name and unit beside; a
        # column derived from them (the spread across provinces): its name above, its unit
        ax.set_ylabel(wrap(label(metric) if describe(metric) else unit(metric), 26),
                      fontsize=FONT)  # fmt: skip
        ax.set_title(wrap(describe(metric) or name(metric)), fontsize=FONT)
        ax.grid(alpha=0.3, lw=0.5)
        number_axis(ax.yaxis)
        month_axis(ax)
    handles = [Line2D([], [], lw=1.6, **look[g]) for g in groups]
    names = [option_label(keys, g) for g in groups]
    columns = legend_columns(fig, names)
    fig.legend(
        handles, names, loc="outside lower center", ncols=columns, fontsize=FONT - 1,
        title=legend_title(keys), title_fontsize=FONT - 1, frameon=False,
    )  # fmt: skip
    legend_rows = 1 + math.ceil(len(handles) / columns)
    extra = _extras(table, band, level, shown_target, start, cut, shared)
    if extra:
        columns = legend_columns(fig, [t for _, t in extra], 3.6)
        fig.legend(
            [h for h, _ in extra], [t for _, t in extra], loc="outside upper center",
            ncols=columns, fontsize=FONT - 1, frameon=False,
        )  # fmt: skip
        legend_rows += math.ceil(len(extra) / columns)
    fig.set_figheight(fig.get_figheight() + 0.18 * legend_rows)  # room for the legends
    return fig


def _parting(rows: pd.DataFrame, keys: list[str]) -> pd.Period | None:
    """The first month in which the groups' means differ, when they start out the same
    for at least one month (a history shared before the policy start); the month after the
    last when they never differ; else None."""
    means = rows.pivot_table(index="month", columns=keys, values="mean", dropna=False)
    if means.shape[1] < 2:
        return None
    spread = means.max(axis=1) - means.min(axis=1)
    differs = spread > SAME_RTOL * means.abs().max(axis=1).clip(lower=1e-300)
    if not differs.any():
        return means.index.max() + 1
    if differs.iloc[0]:
        return None
    return differs.index[differs.to_numpy().argmax()]


def _band(line: pd.DataFrame, band: Band | None) -> tuple[pd.Series | None, pd.Series | None]:
    if band == "ci":
        return line["ci_low"], line["ci_high"]
    if band == "range":
        return line["q05"], line["q95"]
    if band is None:
        return None, None
    raise ValueError(f"band {band!r} is not 'ci', 'range' or None")


def _clip(ax, values: pd.Series, rows: pd.DataFrame, band: Band | None) -> bool:
    """Limit the vertical axis to ``values`` (the runs' and the targets') when a CI band
    reaches beyond them, as a t interval of two or three runs does; True if cut."""
    if band != "ci":
        return False
    low, high = float(values.min()), float(values.max())
    if not (rows["ci_low"].min() < low or rows["ci_high"].max() > high) or low == high:
        return False
    bottom, top = ax.get_ylim()
    pad = 0.05 * (high - low)
    ax.set_ylim(max(bottom, low - pad), min(top, high + pad))
    return True


def _extras(
    table: pd.DataFrame,
    band: Band | None,
    level: float,
    target: bool,
    start: pd.Period | None,
    cut: bool = False,
    shared: bool = False,
) -> list[tuple[object, str]]:
    """Legend entries that explain the band, the targets and the start line."""
    out: list[tuple[object, str]] = []
    drawn = table[table["n"] >= MIN_RUNS_FOR_INTERVAL]
    if band == "ci" and len(drawn) < len(table):
        fewest = int(table["n"].min())
        out.append((Patch(color="none"), f"no band where a line has {too_few(fewest)}"))
    if band == "ci" and len(drawn):
        cut_text = " (cut at the runs' range)" if cut else ""
        text = f"shaded: {level:.0%} CI of the mean, {count(drawn['n'])}{cut_text}"
        out.append((Patch(color="0.6", alpha=0.4), text))
        if shared:
            grey = Patch(color=SHARED, alpha=BAND_ALPHA)
            out.append((grey, "grey: while every line is the same"))
    elif band == "range":
        out.append((Patch(color="0.6", alpha=0.4), f"shaded: 5-95% of {count(table['n'])}"))
    if target:
        out.append(
            (
                Line2D([], [], marker="D", ls="", color=TARGET_COLOUR, markeredgecolor="black"),
                "historical target",
            )
        )
    if start is not None:
        out.append((Line2D([], [], color="0.35", ls="--", lw=1), f"policy start ({start})"))
    return out
