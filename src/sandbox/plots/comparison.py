"""The policy comparison: paired differences from a baseline with CIs, a panel per outcome."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.paired import paired_differences
from sandbox.plots import differences
from sandbox.plots.style import (
    FONT,
    MARKERS,
    count,
    drawable,
    grid,
    legend_title,
    number_axis,
    select,
    styles,
    wrap,
    wrap_name,
)
from sandbox.units import name, unit


def policy_comparison(
    runs: pd.DataFrame,
    lever: str = "policy",
    baseline: object = "status_quo",
    metrics: str | Iterable[str] | None = None,
    by: str | None = None,
    level: float = 0.95,
    ncols: int | None = None,
) -> Figure:
    """Each option of ``lever`` minus ``baseline`` at the end of the horizon, with its CI.

    Differences are paired on the replicate and the other levers
    (``sandbox.analysis.paired_differences``). One panel per metric (titled by its
    readable name; the unit on the axis), options on the vertical axis; a difference
    without a CI is drawn as ``sandbox.plots.differences`` says, and a panel where no pair
    differs says so.

    Args:
        runs: ``Results.runs``.
        lever: the lever compared (``policy``, ``policy_sandbox_capacity``, ...).
        baseline: its option compared with (text or number).
        metrics: outcomes, one panel each (default: the flagship metrics present).
        by: another lever to break the comparison down by: one marker colour per value.
        level: confidence level.
        ncols: panels per row.

    Returns:
        The figure; its axes follow the order of ``metrics``.
    """
    lever = resolve(runs, lever)
    keys = resolve_all(runs, by)
    result = paired_differences(runs, lever, baseline, metrics, keys, level)
    result = drawable(result, "n_pairs")  # no interval from fewer than 3 pairs
    metrics = list(dict.fromkeys(result["metric"]))
    options = list(dict.fromkeys(result["option"]))
    groups = list(dict.fromkeys(result[keys].itertuples(index=False, name=None))) or [()]
    look = styles(groups)
    height = max(1.9, 0.9 + 0.38 * len(options) * len(groups))
    fig, axes = grid(len(metrics), ncols, panel=(3.6, height))
    step = 0.7 / len(groups)
    for ax, metric in zip(axes, metrics, strict=True):
        rows = result[result["metric"] == metric]
        none = differences.mark_no_difference(ax, rows)  # said once, across the panel
        for g, group in enumerate(groups):
            part = select(rows, keys, group)
            y = np.array([options.index(o) for o in part["option"]], dtype=float)
            y += (g - (len(groups) - 1) / 2) * step
            differences.draw(ax, part, y, look[group]["color"], MARKERS[g % len(MARKERS)],
                             label_points=not none)  # fmt: skip
        ax.axvline(0, color="0.4", lw=0.8)
        number_axis(ax.xaxis)
        ax.set_yticks(range(len(options)), [str(o) for o in options], fontsize=FONT - 1)
        if ax.get_subplotspec().colspan.start == 0:
            # wrapped to the panel's height (about 12 characters an inch at FONT)
            lever_name = wrap_name(lever.removeprefix("lever_"), int(height * 11))
            ax.set_ylabel(lever_name, fontsize=FONT)
        else:
            ax.tick_params(labelleft=False)
        ax.set_ylim(len(options) - 0.5, -0.5)
        found = unit(metric)
        text = f"difference ({found})" if found else "difference"
        ax.set_xlabel(wrap(text, 40), fontsize=FONT)  # a panel's width: no overlap
        ax.set_title(wrap(name(metric), 34), fontsize=FONT)
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    title = (
        f"{lever.removeprefix('lever_')}: each option minus {baseline}, at the end of the "
        f"horizon; mean over {count(result['n_pairs'], 'pair')} of runs, {level:.0%} CI"
    )
    notes = differences.explanations(result)
    title += f" ({'; '.join(notes)})" if notes else ""
    fig.suptitle(wrap(title, int(fig.get_figwidth() * 12)), fontsize=FONT + 1)
    if keys:
        handles = [
            Line2D([], [], ls="", marker=MARKERS[g % len(MARKERS)], **look[group])
            for g, group in enumerate(groups)
        ]
        fig.legend(
            handles, [", ".join(map(str, g)) for g in groups], loc="outside lower center",
            ncols=min(4, len(groups)), fontsize=FONT - 1, title=legend_title(keys),
            title_fontsize=FONT - 1, frameon=False,
        )  # fmt: skip
    return fig
