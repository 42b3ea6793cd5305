"""A provinces x months heat map of deployed services, for one run.

Its input is ``sandbox.analysis.province_matrix`` of the sweep's per-province table
(``sandbox.analysis.load_provinces``). A province that is not on a month's map (under the
default region: the 63 provinces after the merger of July 2025, the 34 merged units'
new names before it) has no value there; such cells are drawn hatched light grey and the
legend says why, so that they are never read as zero. A dashed line marks each month the
map changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sandbox.plots.style import FONT
from sandbox.units import title as title_of

LEVELS = 7  # 0 to 6 deployed services: one per domain of sandbox.model.domains
OFF_MAP = {"facecolor": "0.9", "edgecolor": "0.65", "hatch": "////", "linewidth": 0}
MAP_CHANGE = {"color": "black", "ls": "--", "lw": 0.9}
START = {"color": "black", "ls": ":", "lw": 1.2}


def map_changes(matrix: pd.DataFrame) -> list[int]:
    """The columns (months) at which the set of provinces on the map changes."""
    present = matrix.notna().to_numpy()
    return [j for j in range(1, present.shape[1]) if (present[:, j] != present[:, j - 1]).any()]


def province_heatmap(
    matrix: pd.DataFrame,
    value_label: str | None = None,
    levels: int | None = None,
    title: str | None = None,
    policy_start: str | pd.Period | None = None,
) -> Figure:
    """Provinces (rows) x months (columns), coloured by a count such as deployed services.

    Args:
        matrix: provinces as the index (names), months as columns (``Period``, dates or
            ``YYYY-MM`` text), counts as values, NaN where a province is not on the
            month's map (``sandbox.analysis.province_matrix``).
        value_label: the colour bar's label, with its unit (default: deployed services
            and their unit from ``sandbox.units``).
        levels: number of colour steps, counts ``0`` to ``levels - 1`` (default: up to
            the largest count, at least ``LEVELS``).
        title: the figure's title (e.g. which run it is).
        policy_start: a month marked by a dotted line (the ``policy.start``).

    Returns:
        The figure: the heat map (``fig.axes[0]``) and its colour bar; a legend explains
        the hatched cells (not on the map) and the lines (map changes, policy start).
    """
    months = pd.PeriodIndex(pd.to_datetime([str(m) for m in matrix.columns]), freq="M")
    values = matrix.to_numpy(dtype=float)
    top = int(np.nanmax(values)) if np.isfinite(values).any() else 0
    levels = levels or max(LEVELS, top + 1)
    cmap = ListedColormap(colormaps["cividis"](np.linspace(0, 1, levels))).with_extremes(
        bad=(0, 0, 0, 0)  # not on the map: transparent over the hatched ground
    )
    norm = BoundaryNorm(np.arange(-0.5, levels), levels)
    n_provinces, n_months = values.shape
    fig = Figure(figsize=(9, 1.8 + 0.13 * n_provinces), layout="constrained")
    ax = fig.subplots()
    off_map = bool(np.isnan(values).any())
    if off_map:
        ground = Rectangle((-0.5, -0.5), n_months, n_provinces, zorder=-1, **OFF_MAP)
        ax.add_patch(ground)
    image = ax.imshow(
        np.ma.masked_invalid(values), aspect="auto", cmap=cmap, norm=norm,
        interpolation="nearest",
    )  # fmt: skip
    ax.set_yticks(range(n_provinces), [str(p) for p in matrix.index], fontsize=FONT - 3)
    january = [i for i, m in enumerate(months) if m.month == 1]
    ax.set_xticks(january, [str(months[i].year) for i in january], fontsize=FONT - 1)
    ax.set_xlabel("month", fontsize=FONT)
    ax.set_ylabel("province", fontsize=FONT)
    handles, names = [], []
    if off_map:
        years = sorted({str(months[j].year) for j in map_changes(matrix)})
        why = f" ({', '.join(years)} merger)" if years else ""
        handles.append(Patch(**OFF_MAP))
        names.append(f"not on the map this month{why}")
    for j in map_changes(matrix):
        ax.axvline(j - 0.5, **MAP_CHANGE)
        handles.append(Line2D([], [], **MAP_CHANGE))
        names.append(f"the map changes ({months[j]})")
    if policy_start is not None:
        start = pd.Period(policy_start, freq="M")
        if months[0] <= start <= months[-1]:
            ax.axvline(months.get_loc(start) - 0.5, **START)
            handles.append(Line2D([], [], **START))
            names.append(f"policy start ({start})")
    bar = fig.colorbar(image, ax=ax, ticks=range(levels), shrink=0.5)
    bar.set_label(value_label or title_of("services_deployed"), fontsize=FONT)
    bar.ax.tick_params(labelsize=FONT - 1)
    if handles:
        fig.legend(
            handles, names, loc="outside lower center", ncols=len(handles), fontsize=FONT - 1,
            frameon=False, handleheight=1.4,
        )  # fmt: skip
    if title:
        ax.set_title(title, fontsize=FONT + 1)
    return fig
