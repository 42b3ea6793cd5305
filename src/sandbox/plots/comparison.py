"""The policy comparison: paired differences from a baseline with CIs, a panel per outcome."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.paired import paired_differences
from sandbox.plots.style import (
    FONT,
    MARKERS,
    count,
    grid,
    legend_title,
    number_axis,
    select,
    styles,
)
from sandbox.units import unit


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
    (``sandbox.analysis.paired_differences``). One panel per metric, options on the
    vertical axis; a difference without a CI (one pair) is an open marker marked
    "no CI".

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
    metrics = list(dict.fromkeys(result["metric"]))
    options = list(dict.fromkeys(result["option"]))
    groups = list(dict.fromkeys(result[keys].itertuples(index=False, name=None))) or [()]
    look = styles(groups)
    height = max(1.9, 0.9 + 0.38 * len(options) * len(groups))
    fig, axes = grid(len(metrics), ncols, panel=(3.6, height))
    step = 0.7 / len(groups)
    for ax, metric in zip(axes, metrics, strict=True):
        rows = result[result["metric"] == metric]
        for g, group in enumerate(groups):
            part = select(rows, keys, group)
            y = np.array([options.index(o) for o in part["option"]], dtype=float)
            y += (g - (len(groups) - 1) / 2) * step
            _points(ax, part, y, look[group]["color"], MARKERS[g % len(MARKERS)])
        ax.axvline(0, color="0.4", lw=0.8)
        number_axis(ax.xaxis)
        ax.set_yticks(range(len(options)), [str(o) for o in options], fontsize=FONT - 1)
        if ax.get_subplotspec().colspan.start == 0:
            ax.set_ylabel(lever.removeprefix("lever_"), fontsize=FONT)
        else:
            ax.tick_params(labelleft=False)
        ax.set_ylim(len(options) - 0.5, -0.5)
        found = unit(metric)
        ax.set_xlabel(f"difference ({found})" if found else "difference", fontsize=FONT)
        ax.set_title(metric, fontsize=FONT)
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    fig.suptitle(
        f"{lever.removeprefix('lever_')}: each option minus {baseline}, at the end of the "
        f"horizon; mean over {count(result['n_pairs'], 'pair')} of runs, {level:.0%} CI",
        fontsize=FONT + 1,
    )
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


def _points(ax, part: pd.DataFrame, y: np.ndarray, colour: str, marker: str) -> None:
    """Means with CI bars; open markers and a "no CI" note where there is no interval."""
    has_ci = np.isfinite(part["ci_low"].to_numpy()) & np.isfinite(part["ci_high"].to_numpy())
    mean = part["mean_diff"].to_numpy()
    err = np.vstack([mean - part["ci_low"].to_numpy(), part["ci_high"].to_numpy() - mean])
    ax.errorbar(
        mean[has_ci], y[has_ci], xerr=err[:, has_ci], fmt=marker, color=colour, ms=5,
        capsize=3, lw=1.2,
    )  # fmt: skip
    if (~has_ci).any():
        ax.plot(mean[~has_ci], y[~has_ci], marker, mfc="white", color=colour, ms=5, ls="")
        for x, yy in zip(mean[~has_ci], y[~has_ci], strict=True):
            ax.annotate(
                "no CI", (x, yy), xytext=(0, 6), textcoords="offset points", ha="center",
                fontsize=FONT - 2, color="0.3",
            )  # fmt: skip
