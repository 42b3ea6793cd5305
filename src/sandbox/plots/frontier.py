"""The sandbox trade-off frontier: adoption speed against harm and cost, one point per design."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.frontier import Sense, design_levers, design_outcomes, non_dominated
from sandbox.plots.style import COLOURS, FONT, MARKERS, count, grid, number_axis
from sandbox.units import label

DOMINATED_ALPHA = 0.4


def default_sense(metric: str) -> Sense:
    """``min`` for times (``months_to_...``), harm and cost; ``max`` otherwise."""
    lower = ("months_to_", "citizens_harmed", "incidents", "pilots_halted", "pilots_failed")
    if metric.startswith(lower) or metric.endswith(("_spending", "_gap")):
        return "min"
    return "max"


def tradeoff_frontier(
    runs: pd.DataFrame,
    speed: str = "adoption",
    harm: str = "citizens_harmed",
    cost: str | None = "public_spending",
    designs: str | Sequence[str] | None = None,
    senses: Mapping[str, Sense] | None = None,
    level: float = 0.95,
) -> Figure:
    """Speed against harm (and against cost), one point per design, non-dominated filled.

    A design is a combination of the ``designs`` levers (default: every lever that
    varies, less those another fixes); its point is the mean over its replicates. It is
    non-dominated when no design is as good on speed, harm and cost and better on one.
    Colour shows the first design lever, marker shape the second; further levers are
    not encoded.

    Args:
        runs: ``Results.runs``; ``speed`` may be any column, e.g. months to a threshold
            merged from ``sandbox.analysis.time_to_threshold``.
        speed: the speed outcome (default final ``adoption``: higher is faster).
        harm: the harm outcome.
        cost: the cost outcome; ``None`` for one panel.
        designs: the levers that define a design.
        senses: ``{metric: "min" | "max"}`` overriding ``default_sense``.
        level: confidence level of the design table (not drawn).

    Returns:
        The figure: one panel (speed vs harm), or two (and speed vs cost).
    """
    outcomes = [resolve(runs, m) for m in (speed, harm, cost) if m is not None]
    keys = resolve_all(runs, designs) if designs is not None else design_levers(runs)
    table = design_outcomes(runs, outcomes, keys, level)
    sense = {m: (senses or {}).get(m, default_sense(m)) for m in outcomes}
    table["non_dominated"] = non_dominated(table, sense)
    colour_key = keys[0] if keys else None
    marker_key = keys[1] if len(keys) > 1 else None
    colours = _codes(table, colour_key, COLOURS[1:] + COLOURS[:1])  # black fades to grey
    markers = _codes(table, marker_key, MARKERS)
    fig, axes = grid(len(outcomes) - 1, panel=(4.6, 3.8))
    for ax, other in zip(axes, outcomes[1:], strict=True):
        for values in table.to_dict("records"):
            colour = colours[values[colour_key]] if colour_key else COLOURS[1]
            marker = markers[values[marker_key]] if marker_key else MARKERS[0]
            point = (values[outcomes[0]], values[other])
            if values["non_dominated"]:
                ax.plot(*point, "o", ms=15, mfc="none", mec="black", mew=1.2)
            ax.plot(
                *point, marker, ms=8, color=colour, mec="black", mew=0.5,
                alpha=1.0 if values["non_dominated"] else DOMINATED_ALPHA,
            )  # fmt: skip
        ax.set_xlabel(_axis(outcomes[0], sense), fontsize=FONT)
        ax.set_ylabel(_axis(other, sense), fontsize=FONT)
        ax.grid(alpha=0.3, lw=0.5)
        number_axis(ax.xaxis)
        number_axis(ax.yaxis)
    n = table["n"]
    fig.suptitle(
        f"{len(table)} designs, each the mean of {count(n)}; ringed: non-dominated on "
        + ", ".join(outcomes),
        fontsize=FONT,
    )
    handles, names = _legend(colours, colour_key, markers, marker_key)
    fig.legend(handles, names, loc="outside right center", fontsize=FONT - 1, frameon=False)
    return fig


def _codes(table: pd.DataFrame, key: str | None, values: Sequence[str]) -> dict:
    if key is None:
        return {}
    levels = sorted(table[key].dropna().unique())
    return {v: values[i % len(values)] for i, v in enumerate(levels)}


def _axis(metric: str, sense: Mapping[str, Sense]) -> str:
    better = "higher is better" if sense[metric] == "max" else "lower is better"
    return f"{label(metric)}\n{better}"


def _legend(
    colours: dict, colour_key: str | None, markers: dict, marker_key: str | None
) -> tuple[list, list[str]]:
    handles: list = []
    names: list[str] = []
    if colour_key:
        for value, colour in colours.items():
            handles.append(Patch(color=colour))
            names.append(f"{colour_key.removeprefix('lever_')} = {value}")
    if marker_key:
        for value, marker in markers.items():
            handles.append(Line2D([], [], ls="", marker=marker, color="0.5", mec="black", ms=7))
            names.append(f"{marker_key.removeprefix('lever_')} = {value}")
    handles += [
        Line2D([], [], ls="", marker="o", ms=13, mfc="none", mec="black", mew=1.2),
        Line2D([], [], ls="", marker="o", ms=7, color="0.5", alpha=DOMINATED_ALPHA),
    ]
    names += ["non-dominated (ringed)", "dominated (faded)"]
    return handles, names
