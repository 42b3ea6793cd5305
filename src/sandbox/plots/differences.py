"""Paired differences drawn as points with their intervals (the comparison and ablation
figures), from ``sandbox.analysis.paired_differences``.

A difference with a CI is a filled marker with its bar. Without one it is an open marker
when fewer than 3 pairs stand behind it (``plots.style.drawable``: "no CI"), and a filled
marker without a bar when every pair differed by the same amount (``ci_note`` of
``sandbox.analysis.comparison.CELL_NOTES``): a zero-width bar would read as certainty. A
panel in which no pair differs at all says so across the panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sandbox.analysis.comparison import CELL_NOTES, NO_DIFFERENCE
from sandbox.plots.style import FONT

NO_CI = "open markers: no CI (fewer than 3 pairs)"
NO_SPREAD = "no bar: the same difference in every pair"
NO_DIFFERENCE_TEXT = "no difference in any pair"


def no_interval(notes: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(no CI for want of pairs, no spread in the pairs) for each row's ``ci_note``."""
    notes = notes.fillna("").to_numpy(dtype=str)
    same = np.isin(notes, list(CELL_NOTES))
    return (notes != "") & ~same, same


def draw(
    ax: Axes,
    part: pd.DataFrame,
    positions: np.ndarray,
    colour: str,
    marker: str,
    vertical: bool = False,
    label_points: bool = False,
) -> None:
    """One series of differences: ``part``'s ``mean_diff`` at ``positions`` (vertical
    axis when ``vertical``, else horizontal), with bars from ``ci_low``/``ci_high``.

    All points are in one errorbar container (a point without an interval has no bar);
    those without a CI for want of pairs are drawn open over it. With ``label_points``,
    each point without a bar is labelled with why (``no CI``, ``identical in every pair``).
    """
    mean = part["mean_diff"].to_numpy(dtype=float)
    low, high = part["ci_low"].to_numpy(dtype=float), part["ci_high"].to_numpy(dtype=float)
    err = np.vstack([mean - low, high - mean])  # NaN where there is no interval: no bar
    x, y = (positions, mean) if vertical else (mean, positions)
    bars = {"yerr": err} if vertical else {"xerr": err}
    ax.errorbar(x, y, **bars, fmt=marker, color=colour, ms=5, capsize=2.5, lw=1.1, zorder=3)
    no_ci, same = no_interval(part["ci_note"])
    shown = np.isfinite(mean)
    if (no_ci & shown).any():
        ax.plot(x[no_ci & shown], y[no_ci & shown], marker, mfc="white", color=colour, ms=5,
                ls="", zorder=4)  # fmt: skip
    if not label_points:
        return
    notes = part["ci_note"].fillna("").to_numpy(dtype=str)
    for i in np.flatnonzero((no_ci | same) & shown):
        text = "no CI" if no_ci[i] else CELL_NOTES[notes[i]]
        ax.annotate(
            text, (x[i], y[i]), xytext=(0, 6), textcoords="offset points", ha="center",
            fontsize=FONT - 2, color="0.3",
        )  # fmt: skip


def mark_no_difference(ax: Axes, rows: pd.DataFrame) -> bool:
    """Write ``NO_DIFFERENCE_TEXT`` across a panel whose every difference is zero in every
    pair; whether it did."""
    if rows.empty or not (rows["ci_note"] == NO_DIFFERENCE).all():
        return False
    ax.text(
        0.5, 0.5, NO_DIFFERENCE_TEXT, transform=ax.transAxes, ha="center", va="center",
        fontsize=FONT, color="0.25", zorder=5,
        bbox={"facecolor": "white", "edgecolor": "0.6", "boxstyle": "round,pad=0.3"},
    )  # fmt: skip
    return True


def explanations(result: pd.DataFrame) -> list[str]:
    """What the markers without a bar mean, for the differences in ``result``."""
    no_ci, same = no_interval(result["ci_note"])
    return [*([NO_CI] if no_ci.any() else []), *([NO_SPREAD] if same.any() else [])]
