"""The money each year: public (central and local) and private, by group of runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sandbox.plots.style import COLOURS, FONT, wrap

# the cumulative money outcomes, each drawn as what was spent or mobilised in a year
FLOWS = {
    "central_spending": "public, central",
    "local_spending": "public, local",
    "private_investment": "private",
}
HATCHES = ("", "//", "..", "xx")


def per_year(timeseries: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The mean over runs of each flow in each calendar year, by ``keys``: the change of
    the cumulative totals from one December (or the first month) to the next.

    Returns:
        ``keys``, ``year`` and the ``FLOWS`` columns (billion VND in that year).
    """
    frame = timeseries.assign(year=timeseries["month"].str[:4].astype(int))
    runs = [*keys, "replicate"]
    last = frame.groupby([*runs, "year"], sort=True)[list(FLOWS)].last()
    flows = last.groupby(level=runs).diff()
    first = last.groupby(level=runs).head(1)  # the first year: its own total so far
    flows.loc[first.index] = first
    return flows.groupby(level=[*keys, "year"]).mean().reset_index()


def money_per_year(
    timeseries: pd.DataFrame, arm: str, groups: list[str], since: int | None = None
) -> Figure:
    """Stacked public money (central, local) and private money per year, one bar per
    group of ``arm`` in each year.

    Args:
        timeseries: runs' months: ``arm``, ``replicate``, ``month`` and the ``FLOWS``.
        arm: the column naming each run's group.
        groups: its values, in the order drawn.
        since: the first year drawn (default: every year).
    """
    table = per_year(timeseries, [arm])
    if since is not None:
        table = table[table["year"] >= since]
    years = sorted(table["year"].unique())
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(years))
    for g, group in enumerate(groups):
        rows = table[table[arm] == group].set_index("year").reindex(years)
        at = x + (g - (len(groups) - 1) / 2) * width
        bottom = np.zeros(len(years))
        for f, (flow, text) in enumerate(FLOWS.items()):
            height = rows[flow].to_numpy(dtype=float)
            ax.bar(at, height, width * 0.95, bottom=bottom, color=COLOURS[f + 1],
                   hatch=HATCHES[g % len(HATCHES)], edgecolor="white", lw=0.3,
                   label=text if g == 0 else None)  # fmt: skip
            bottom += np.nan_to_num(height)
    ax.set_xticks(x, [str(y) for y in years], fontsize=FONT - 1)
    ax.set_ylabel("billion VND in the year", fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.grid(axis="y", alpha=0.3, lw=0.5)
    ax.legend(fontsize=FONT - 1, frameon=False, loc="upper left")
    names = ", ".join(
        f"{group} ({'plain' if not HATCHES[g % len(HATCHES)] else HATCHES[g % len(HATCHES)]})"
        for g, group in enumerate(groups)
    )
    ax.set_title(wrap(f"Money per year, mean over runs; bars left to right: {names}", 70),
                 fontsize=FONT)  # fmt: skip
    return fig
