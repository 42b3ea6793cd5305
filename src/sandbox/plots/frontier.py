"""The sandbox trade-off frontier: adoption speed against harm and cost, one point per design.

Speed is, by default, the months from ``policy.start`` until provinces have on average 60%
of the six services deployed (``months_to_60pct_depth``, which the model reports for
every run; lower is faster): the flagship's measure of how fast the services spread, where
the share of people using them barely differs between regimes by 2030. Each point is a
design's mean over its replicates with 95% CI bars on both axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.frontier import Sense, design_levers, design_outcomes, non_dominated
from sandbox.plots.style import (
    COLOURS,
    FONT,
    MARKERS,
    MIN_RUNS_FOR_INTERVAL,
    POLICY_COLOURS,
    count,
    grid,
    number_axis,
    too_few,
    wrap,
)
from sandbox.units import better, name, title

DOMINATED_ALPHA = 0.4
SPEED = "months_to_60pct_depth"


def tradeoff_frontier(
    runs: pd.DataFrame,
    speed: str = SPEED,
    harm: str = "citizens_harmed",
    cost: str | None = "public_spending",
    designs: str | Sequence[str] | None = None,
    senses: Mapping[str, Sense] | None = None,
    level: float = 0.95,
) -> Figure:
    """Speed against harm (and against cost), one point per design, non-dominated ringed.

    A design is a combination of the ``designs`` levers (default: every lever that
    varies, less those another fixes); its point is the mean over its replicates, with
    ``level`` CI bars on both axes (none for a design whose runs all hold one value, and
    none at all with fewer than ``MIN_RUNS_FOR_INTERVAL`` runs per design: a t interval
    of two runs is some 12 standard errors wide and hides the points; the title says
    so). It is non-dominated when no design is as good on speed, harm and cost and
    better on one. Colour shows the first design lever, marker shape the second; further
    levers are not encoded.

    Args:
        runs: ``Results.runs``; ``speed`` may be any column, e.g. months to a threshold
            merged from ``sandbox.analysis.time_to_threshold``.
        speed: the speed outcome (default ``months_to_60pct_depth``: months from the
            policy start to 60% of the services deployed; fewer is faster). A design whose
            runs did not all reach the threshold is the mean of those that did (said in
            the title); one that never did is not drawn and counts as the slowest.
        harm: the harm outcome.
        cost: the cost outcome; ``None`` for one panel.
        designs: the levers that define a design.
        senses: ``{metric: "min" | "max"}`` overriding ``sandbox.units.better``.
        level: confidence level of the bars.

    Returns:
        The figure: one panel (speed vs harm), or two (and speed vs cost).
    """
    outcomes = [resolve(runs, m) for m in (speed, harm, cost) if m is not None]
    keys = resolve_all(runs, designs) if designs is not None else design_levers(runs)
    table = design_outcomes(runs, outcomes, keys, level, warn=False)  # the title says it
    sense = {m: (senses or {}).get(m, better(m)) for m in outcomes}
    table["non_dominated"] = non_dominated(table, sense)
    colour_key = keys[0] if keys else None
    marker_key = keys[1] if len(keys) > 1 else None
    colours = _codes(table, colour_key, COLOURS[1:] + COLOURS[:1])  # black fades to grey
    if colour_key and set(colours) <= set(POLICY_COLOURS):  # each regime keeps its colour
        colours = {v: POLICY_COLOURS[v] for v in colours}
    bars = table["n"].min() >= MIN_RUNS_FOR_INTERVAL
    markers = _codes(table, marker_key, MARKERS)
    fig, axes = grid(len(outcomes) - 1, panel=(4.8, 4.0))
    x = outcomes[0]
    for ax, other in zip(axes, outcomes[1:], strict=True):
        for values in table.to_dict("records"):
            colour = colours[values[colour_key]] if colour_key else COLOURS[1]
            marker = markers[values[marker_key]] if marker_key else MARKERS[0]
            point = (values[x], values[other])
            if not np.isfinite(point).all():
                continue  # a threshold no run of the design reached: nowhere to draw it
            alpha = 1.0 if values["non_dominated"] else DOMINATED_ALPHA
            if bars:
                ax.errorbar(
                    *point, xerr=_bar(values, x), yerr=_bar(values, other), fmt="none",
                    ecolor=colour, elinewidth=0.9, capsize=2, alpha=alpha, zorder=2,
                )  # fmt: skip
            if values["non_dominated"]:
                ax.plot(*point, "o", ms=15, mfc="none", mec="black", mew=1.2, zorder=4)
            ax.plot(*point, marker, ms=8, color=colour, mec="black", mew=0.5, alpha=alpha,
                    zorder=3)  # fmt: skip
        ax.set_xlabel(_axis(x, sense), fontsize=FONT)
        ax.set_ylabel(_axis(other, sense), fontsize=FONT)
        ax.grid(alpha=0.3, lw=0.5)
        number_axis(ax.xaxis)
        number_axis(ax.yaxis)
    fig.suptitle(wrap(_title(table, outcomes, level), int(fig.get_figwidth() * 13)), fontsize=FONT)
    handles, names = _legend(colours, colour_key, markers, marker_key)
    fig.legend(handles, names, loc="outside right center", fontsize=FONT - 1, frameon=False)
    return fig


def _bar(values: dict, metric: str) -> list[list[float]] | None:
    """A design's CI as error-bar lengths below and above its mean, or None without one."""
    low, high = values[f"{metric}_ci_low"], values[f"{metric}_ci_high"]
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    return [[values[metric] - low], [high - values[metric]]]


def _title(table: pd.DataFrame, outcomes: Sequence[str], level: float) -> str:
    """What a point is, what its bars are, and which designs the speed leaves out."""
    speed = outcomes[0]
    if table["n"].min() >= MIN_RUNS_FOR_INTERVAL:
        bars = f"with {level:.0%} CI bars"
    else:
        bars = f"no CI bars ({too_few(table['n'].min())})"
    text = (
        f"{len(table)} designs, each the mean of {count(table['n'])}, {bars}; ringed: "
        f"non-dominated on {', '.join(name(m) for m in outcomes)}"
    )
    never = table[speed].isna()
    partly = (table[f"{speed}_n"] < table["n"]) & ~never
    if partly.any():
        text += f"; {int(partly.sum())} design(s): mean of the runs that reached it"
    if never.any():
        text += f"; {int(never.sum())} design(s) never reached it (not drawn, the slowest)"
    return text


def _codes(table: pd.DataFrame, key: str | None, values: Sequence[str]) -> dict:
    if key is None:
        return {}
    levels = sorted(table[key].dropna().unique())
    return {v: values[i % len(values)] for i, v in enumerate(levels)}


def _axis(metric: str, sense: Mapping[str, Sense]) -> str:
    if metric.startswith("months_to_"):
        better = "fewer is faster" if sense[metric] == "min" else "more is better"
    else:
        better = "higher is better" if sense[metric] == "max" else "lower is better"
    return f"{wrap(title(metric), 46)}\n{better}"


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
