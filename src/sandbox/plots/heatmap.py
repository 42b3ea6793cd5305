"""A provinces x months heat map of deployed services, for one run.

The collected tables hold national counts only; the model must write a per-province
table for this figure (``sandbox.analysis.equity.PROVINCE_COLUMNS``: run, month,
province, ``services_deployed``), which ``sandbox.analysis.province_matrix`` turns into
the matrix drawn here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from sandbox.plots.style import FONT

LEVELS = 7  # 0 to 6 deployed services: one per domain of sandbox.model.domains


def province_heatmap(
    matrix: pd.DataFrame,
    value_label: str = "deployed services (domains)",
    levels: int | None = None,
    title: str | None = None,
) -> Figure:
    """Provinces (rows) x months (columns), coloured by a count such as deployed services.

    Args:
        matrix: provinces as the index (names), months as columns (``Period``, dates or
            ``YYYY-MM`` text), counts as values (``sandbox.analysis.province_matrix``).
        value_label: the colour bar's label, with its unit.
        levels: number of colour steps, counts ``0`` to ``levels - 1`` (default: up to
            the largest count, at least ``LEVELS``).
        title: the figure's title.

    Returns:
        The figure: the heat map and its colour bar.
    """
    months = pd.PeriodIndex(pd.to_datetime([str(m) for m in matrix.columns]), freq="M")
    values = matrix.to_numpy(dtype=float)
    top = int(np.nanmax(values)) if np.isfinite(values).any() else 0
    levels = levels or max(LEVELS, top + 1)
    colours = colormaps["cividis"](np.linspace(0, 1, levels))
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(-0.5, levels), levels)
    n_provinces = len(matrix)
    fig = Figure(figsize=(9, 1.2 + 0.13 * n_provinces), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(values, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
    ax.set_yticks(range(n_provinces), [str(p) for p in matrix.index], fontsize=FONT - 3)
    january = [i for i, m in enumerate(months) if m.month == 1]
    ax.set_xticks(january, [str(months[i].year) for i in january], fontsize=FONT - 1)
    ax.set_xlabel("month", fontsize=FONT)
    ax.set_ylabel("province", fontsize=FONT)
    bar = fig.colorbar(image, ax=ax, ticks=range(levels), shrink=0.6)
    bar.set_label(value_label, fontsize=FONT)
    bar.ax.tick_params(labelsize=FONT - 1)
    if title:
        ax.set_title(title, fontsize=FONT + 1)
    return fig
