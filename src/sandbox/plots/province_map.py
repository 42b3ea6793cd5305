"""A map of the provinces coloured by a value: the 63 provinces before July 2025, the 34
units after (each drawn as the provinces merged into it)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from sandbox.plots.style import FONT, wrap
from sandbox.regions import Region
from sandbox.regions.outlines import drawn_as, outlines

NO_VALUE = "0.85"  # a unit without a value


def province_map(
    values: pd.Series,
    region: Region,
    label: str,
    title: str = "",
    limits: tuple[float, float] | None = None,
) -> Figure:
    """The provinces of ``region`` coloured by ``values``.

    Args:
        values: one value per province or unit of ``region``, indexed by its name.
        region: the month's map (``vietnam_63.csv`` or the merged ``vietnam_34.csv``).
        label: the colour bar's label, with its unit.
        title: the figure's title; the count of units drawn is added to it.
        limits: the colour scale's (low, high), so that maps of several months compare
            (default: the values' own range).

    Returns:
        The figure. Each province outline is a path of ``fig.axes[0].collections[0]``;
        its unit's name is in the collection's ``units`` attribute, one per path.

    Raises:
        ValueError: the region's provinces have no outlines (``toy.csv``, a user table).
    """
    unit_of = drawn_as(region)
    if unit_of is None:
        raise ValueError("no outlines for this province table: only Vietnam's are shipped")
    shapes = outlines()
    polygons, units = [], []
    for province, rings in shapes.items():
        for ring in rings:
            polygons.append(ring)
            units.append(unit_of[province])
    numbers = np.array([values.get(u, np.nan) for u in units], dtype=float)
    low, high = limits if limits is not None else (np.nanmin(numbers), np.nanmax(numbers))
    if not np.isfinite(low) or not high > low:
        low, high = (low if np.isfinite(low) else 0.0), (low if np.isfinite(low) else 0.0) + 1
    norm = mpl.colors.Normalize(low, high)
    cmap = mpl.colormaps["viridis"]
    colours = [cmap(norm(v)) if np.isfinite(v) else NO_VALUE for v in numbers]
    fig = Figure(figsize=(3.8, 5.4), layout="constrained")
    ax = fig.subplots()
    # a unit's provinces share its colour, edges included: the borders seen are the units'
    shapes_drawn = PolyCollection(polygons, facecolors=colours, edgecolors=colours, lw=0.4)
    shapes_drawn.units = units
    ax.add_collection(shapes_drawn)
    ax.autoscale_view()
    ax.set_aspect(1 / np.cos(np.radians(16)))  # degrees of longitude shrink at 16°N
    ax.set_axis_off()
    bar = fig.colorbar(mpl.cm.ScalarMappable(norm, cmap), ax=ax, shrink=0.6, pad=0.02)
    bar.set_label(wrap(label, 40), fontsize=FONT)
    bar.ax.tick_params(labelsize=FONT - 1)
    count = len(set(units))
    heading = f"{title}: {count} provincial units" if title else f"{count} provincial units"
    ax.set_title(wrap(heading, 44), fontsize=FONT + 1)
    return fig
