"""The sandbox funnel: applications, admitted, testing, completed and graduated so far,
as bars at one month (the mean over runs, with each run's value as a dot)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sandbox.model.outcomes import FUNNEL
from sandbox.plots.style import COLOURS, FONT, wrap
from sandbox.units import name

# every stage of the funnel, first to last, from the one declaration of its steps
STAGES: tuple[str, ...] = (FUNNEL[0][1], *(stage for stage, _ in FUNNEL))


def sandbox_funnel(runs: pd.DataFrame, arm: str, groups: list[str], title: str = "") -> Figure:
    """One group of bars per option of ``arm`` (e.g. the scenario and the status quo).

    Args:
        runs: one row per run at the month shown, with the ``STAGES`` columns.
        arm: the column naming each run's group.
        groups: its values, in the order drawn.
        title: the figure's title.
    """
    fig = Figure(figsize=(5.6, 3.2), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(STAGES))
    for g, group in enumerate(groups):
        rows = runs[runs[arm] == group]
        means = rows[list(STAGES)].mean().to_numpy(dtype=float)
        at = x + (g - (len(groups) - 1) / 2) * width
        ax.bar(at, means, width * 0.95, color=COLOURS[(g + 1) % len(COLOURS)], label=group)
        for i, stage in enumerate(STAGES):  # each run, so that few runs are seen as few
            ax.plot(np.full(len(rows), at[i]), rows[stage], ".", color="0.2", ms=3)
    ax.set_xticks(x, [wrap(name(s).removeprefix("sandbox "), 14) for s in STAGES],
                  fontsize=FONT - 1)  # fmt: skip
    ax.set_ylabel("applications, cumulative", fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.grid(axis="y", alpha=0.3, lw=0.5)
    ax.legend(fontsize=FONT - 1, frameon=False)
    ax.set_title(wrap(title or "The sandbox funnel", 60), fontsize=FONT + 1)
    return fig
