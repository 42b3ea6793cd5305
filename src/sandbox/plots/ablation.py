"""The ablation experiment: each option's paired difference from a baseline, with one
mechanism switched off at a time (``configs/experiment/ablation.yaml``).

A panel per outcome; the ablations along the horizontal axis (the reference, every
mechanism on, first and shaded), one colour per option of the lever compared, the mean
difference from the baseline with its CI, and a dashed line at each option's difference
in the reference. A mechanism drives an option's advantage where switching it off moves
the point from its dashed line towards zero; ranks change where points cross.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sandbox.analysis.columns import resolve
from sandbox.analysis.paired import paired_differences
from sandbox.plots import differences
from sandbox.plots.style import (
    FONT,
    MARKERS,
    count,
    drawable,
    grid,
    legend_columns,
    number_axis,
    styles,
    wrap,
)
from sandbox.units import name, unit

# headline outcomes that tell regimes apart (sandbox.analysis.comparison.FLAGSHIP less
# adoption, which moves with reach, and private investment, zero under a central budget),
# and the speed of deployment
ABLATION_METRICS = (
    "reach",
    "novel_uptake",
    "technology_uptake",
    "harm_per_served",
    "public_spending",
    "months_to_60pct_depth",
)
SHADE = "0.92"


def ablation(
    runs: pd.DataFrame,
    metrics: str | Sequence[str] = ABLATION_METRICS,
    lever: str = "policy",
    baseline: object = "status_quo",
    by: str = "ablation",
    reference: object = "none",
    level: float = 0.95,
    ncols: int | None = None,
) -> Figure:
    """Each option of ``lever`` minus ``baseline`` at the end of the horizon, per ablation.

    Differences are paired on the replicate within each value of ``by``
    (``sandbox.analysis.paired_differences(..., by=by)``, as ``sandbox-compare --by
    ablation``). A difference without a CI is drawn as ``sandbox.plots.differences``
    says; a panel where no pair differs says so.

    Args:
        runs: ``Results.runs`` of an ablation sweep.
        metrics: outcomes, one panel each; those the table lacks are left out.
        lever: the lever compared (``policy``).
        baseline: its option every other is compared with.
        by: the lever whose values switch mechanisms off (``ablation``).
        reference: the value of ``by`` with every mechanism on: first, shaded, and the
            level of each option's dashed line (none if absent from the table).
        level: confidence level.
        ncols: panels per row (default: up to 3).

    Returns:
        The figure; its axes follow the order of ``metrics``.
    """
    lever = resolve(runs, lever)
    key = resolve(runs, by)
    wanted = [metrics] if isinstance(metrics, str) else list(metrics)
    present = [m for m in wanted if m in runs.columns]
    if not present:
        raise ValueError(f"none of the metrics {wanted} is a column of the runs")
    result = paired_differences(runs, lever, baseline, present, key, level)
    result = drawable(result, "n_pairs")  # no interval from fewer than 3 pairs
    if result.empty:
        raise ValueError(f"no option of {lever!r} other than {baseline!r} to compare")
    values = list(dict.fromkeys(result[key]))
    has_reference = reference in values
    order = [reference, *(v for v in values if v != reference)] if has_reference else values
    options = list(dict.fromkeys(result["option"]))
    look = styles(options)
    cols = ncols or min(len(present), 3)
    fig, axes = grid(len(present), cols, panel=(3.7, 3.0))
    step = 0.72 / len(options)
    for n, (ax, metric) in enumerate(zip(axes, present, strict=True)):
        rows = result[result["metric"] == metric]
        if has_reference:
            ax.axvspan(-0.5, 0.5, color=SHADE, lw=0, zorder=0)
        ax.axhline(0, color="0.4", lw=0.8, zorder=1)
        for i, option in enumerate(options):
            part = rows[rows["option"] == option].set_index(key).reindex(order)
            x = np.arange(len(order)) + (i - (len(options) - 1) / 2) * step
            colour, marker = look[option]["color"], MARKERS[i % len(MARKERS)]
            if has_reference and np.isfinite(part["mean_diff"].iloc[0]):
                ax.axhline(part["mean_diff"].iloc[0], color=colour, lw=0.8, ls="--", alpha=0.6)
            differences.draw(ax, part, x, colour, marker, vertical=True)
        ax.set_xticks(range(len(order)), [str(v) for v in order], rotation=35, ha="right",
                      rotation_mode="anchor", fontsize=FONT - 1)  # fmt: skip
        ax.set_xlim(-0.5, len(order) - 0.5)
        number_axis(ax.yaxis)
        found = unit(metric)
        ax.set_ylabel(wrap(f"difference ({found})" if found else "difference", 30), fontsize=FONT)
        ax.set_title(wrap(name(metric), 34), fontsize=FONT)
        ax.grid(axis="y", alpha=0.3, lw=0.5)
        differences.mark_no_difference(ax, rows)
        if n + cols >= len(present):  # no panel below it
            ax.set_xlabel(f"{key.removeprefix('lever_')}: mechanism switched off", fontsize=FONT)
    title = (
        f"{lever.removeprefix('lever_')}: each option minus {baseline} at the end of the "
        f"horizon, with one mechanism switched off ({key.removeprefix('lever_')}); "
        f"mean over {count(result['n_pairs'], 'pair')} of runs, {level:.0%} CI"
    )
    notes = differences.explanations(result)
    title += f" ({'; '.join(notes)})" if notes else ""
    fig.suptitle(wrap(title, int(fig.get_figwidth() * 13)), fontsize=FONT + 1)
    handles = [
        Line2D([], [], ls="", marker=MARKERS[i % len(MARKERS)], ms=5, color=look[o]["color"])
        for i, o in enumerate(options)
    ]
    labels = [str(o) for o in options]
    if has_reference:
        handles.append(Line2D([], [], color="0.3", lw=0.8, ls="--"))
        labels.append(f"its difference in {reference} (every mechanism on)")
    fig.legend(
        handles, labels, loc="outside lower center", ncols=legend_columns(fig, labels, 2.2),
        fontsize=FONT - 1, title=lever.removeprefix("lever_"), title_fontsize=FONT - 1,
        frameon=False,
    )  # fmt: skip
    return fig
