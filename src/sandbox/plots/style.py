"""Shared look of the figures: the Okabe-Ito palette, figure grids, month axes, legends.

Figures are ``matplotlib.figure.Figure`` objects made without ``pyplot``: no global state,
no interactive backend; ``fig.savefig(...)`` renders them with Agg, and Jupyter shows a
returned figure inline.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sandbox.config.params.design import REGIMES

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency; yellow
# last, as it is faint on white.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
}
COLOURS = tuple(OKABE_ITO.values())
LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
TARGET_COLOUR = OKABE_ITO["vermillion"]
FONT = 9
# fewer runs than this give no CI band or bar: with two runs the Student t interval is
# 12.7 standard errors wide either side and blurs every line it is drawn around
MIN_RUNS_FOR_INTERVAL = 3


# each regime keeps its colour in every figure, whichever regimes a figure shows: the
# regimes in their declared order (``sandbox.config.params.design.REGIMES``) take the
# palette's colours in turn, but the targets' vermillion
POLICY_COLOURS = dict(
    zip(REGIMES, (c for name, c in OKABE_ITO.items() if name != "vermillion"), strict=False)
)


def styles(labels: Sequence[object]) -> dict[object, dict[str, str]]:
    """A colour (and, past eight labels, a line style) for each label, in order.

    When every label is a regime, or a tuple that starts with one (a group of the policy
    and other levers), each keeps its regime's own colour (``POLICY_COLOURS``) and the
    rest of the tuple gets a line style: the same regime looks the same in every figure.
    """
    firsts = [lab[0] if isinstance(lab, tuple) and lab else lab for lab in labels]
    if firsts and all(isinstance(f, str) and f in POLICY_COLOURS for f in firsts):
        rests = list(dict.fromkeys(lab[1:] if isinstance(lab, tuple) else () for lab in labels))
        return {
            lab: {
                "color": POLICY_COLOURS[first],
                "linestyle": LINESTYLES[
                    rests.index(lab[1:] if isinstance(lab, tuple) else ()) % len(LINESTYLES)
                ],
            }
            for lab, first in zip(labels, firsts, strict=True)
        }
    return {
        lab: {
            "color": COLOURS[i % len(COLOURS)],
            "linestyle": LINESTYLES[(i // len(COLOURS)) % len(LINESTYLES)],
        }
        for i, lab in enumerate(labels)
    }


def grid(
    n: int, ncols: int | None = None, panel: tuple[float, float] = (4.2, 3.0)
) -> tuple[Figure, list[Axes]]:
    """A figure of ``n`` panels in rows of ``ncols`` (default: up to 3), constrained layout.

    Panels beyond ``n`` in the last row are removed.
    """
    ncols = ncols or min(n, 3)
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(panel[0] * ncols, panel[1] * nrows), layout="constrained")
    axes = list(np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel())
    for extra in axes[n:]:
        fig.delaxes(extra)
    for ax in axes[:n]:
        ax.tick_params(labelsize=FONT - 1)
    return fig, axes[:n]


def month_axis(ax: Axes) -> None:
    """Years on a month axis (dates), labelled ``month``."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.set_minor_locator(mdates.YearLocator())
    ax.set_xlabel("month", fontsize=FONT)


class Thousands(mticker.ScalarFormatter):
    """Plain tick labels, with thousands separators from 10,000 on; no offset, no 1e4."""

    def __init__(self) -> None:
        super().__init__(useOffset=False)
        self.set_scientific(False)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if abs(x) >= 10_000:
            return f"{x:,.0f}".replace("-", "\u2212")
        return super().__call__(x, pos)


def number_axis(axis, nbins: int = 5) -> None:
    """At most ``nbins`` ticks, labelled by ``Thousands``, so that long numbers fit."""
    axis.set_major_locator(mticker.MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(Thousands())


def legend_columns(fig: Figure, labels: Sequence[str], width: float = 1.9) -> int:
    """Legend columns that fit the figure's width: an entry takes ``width`` inches, or more
    for a long label (its handle and about 0.065 inch a character at ``FONT - 1``)."""
    longest = max((len(str(label)) for label in labels), default=0)
    entry = max(width, 0.55 + 0.065 * longest)
    return max(1, min(len(labels), int(fig.get_figwidth() // entry)))


def timestamps(months: pd.Series) -> pd.Series:
    """Monthly periods as dates (the first day of each month) for a date axis."""
    return months.dt.to_timestamp()


def wrap(text: str, width: int = 48) -> str:
    """``text`` broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) if text else text


def wrap_name(name: str, width: int) -> str:
    """A snake_case name broken after underscores into lines of at most ``width``
    characters where it can be (``policy_sandbox_`` / ``capacity``)."""
    lines: list[str] = []
    for part in name.split("_"):
        if lines and len(lines[-1]) + len(part) + 1 <= width:
            lines[-1] += f"_{part}"
        else:
            lines.append(part)
    return "_\n".join(lines)


def option_label(keys: Sequence[str], values: object) -> str:
    """A legend label for one combination of levers: its values, comma-separated."""
    values = values if isinstance(values, tuple) else (values,)
    if len(keys) == 1:
        return str(values[0])
    return ", ".join(str(v) for v in values)


def count(counts: pd.Series, noun: str = "run") -> str:
    """``"3 runs"``, ``"1 run"`` or ``"2-3 runs"`` for the counts of a figure's groups."""
    low, high = int(counts.min()), int(counts.max())
    number = f"{low}" if low == high else f"{low}-{high}"
    return f"{number} {noun}{'s' * (high != 1)}"


def legend_title(keys: Sequence[str]) -> str:
    """The legend's title: the lever names without their ``lever_`` prefix."""
    return ", ".join(k.removeprefix("lever_") for k in keys)


def select(frame: pd.DataFrame, keys: Sequence[str], values: tuple) -> pd.DataFrame:
    """The rows of ``frame`` whose ``keys`` columns equal ``values`` (all rows for no keys)."""
    mask = pd.Series(True, index=frame.index)
    for key, value in zip(keys, values, strict=True):
        mask &= frame[key].isna() if pd.isna(value) else frame[key] == value
    return frame[mask]


FEWER_RUNS = f"fewer than {MIN_RUNS_FOR_INTERVAL} runs"  # ``ci_note`` of an interval left out


def drawable(table: pd.DataFrame, n: str = "n") -> pd.DataFrame:
    """``table`` (rows with ``ci_low``, ``ci_high`` and ``ci_note``) without the intervals
    of fewer than ``MIN_RUNS_FOR_INTERVAL`` runs (or pairs, column ``n``), noted
    ``FEWER_RUNS``: no figure draws one (a t interval of two runs is 12.7 standard errors
    wide either side)."""
    few = (table[n] < MIN_RUNS_FOR_INTERVAL).to_numpy()
    if not few.any():
        return table
    table = table.copy()
    table.loc[few, ["ci_low", "ci_high"]] = np.nan
    unnoted = few & (table["ci_note"].fillna("") == "").to_numpy()
    table.loc[unnoted, "ci_note"] = FEWER_RUNS
    return table


def too_few(n: int) -> str:
    """Why no interval is drawn for groups of ``n`` runs."""
    if n < 2:
        return "one run per group, no CI"
    return (
        f"{n} runs per group: a {n}-run CI is too wide to read; "
        f"{MIN_RUNS_FOR_INTERVAL} or more are drawn"
    )
