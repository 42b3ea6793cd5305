"""Figures of a global sensitivity analysis: Morris's mu*-sigma plane and Sobol's bars.

Both read the index tables of ``sandbox.analysis.sensitivity`` (one row per target,
outcome and factor) and draw one panel per outcome of one target; the dummy factor, whose
index is the floor, is drawn apart (Morris: a red cross and the floor's lines; Sobol: the
floor as a line across the bars).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sandbox.analysis.sensitivity import DUMMY
from sandbox.plots.style import FONT, OKABE_ITO, grid, wrap
from sandbox.units import title as outcome_title

LABELLED = 4  # the factors named in each Morris panel (the largest mu_star)
SHARE_AXIS = (-0.25, 1.25)  # Sobol's indices are shares of variance; wider estimates are cut


def _short(factor: str) -> str:
    return factor.split(".", 1)[-1] if factor.count(".") > 1 else factor


def morris_figure(indices: pd.DataFrame, target: str, title: str) -> Figure:
    """mu* against sigma of every factor, one panel per outcome of ``target``: the
    influential factors filled, the others hollow, the dummy a red cross and the floor
    (the upper bound of its mu*'s interval) a dashed line; the largest few named."""
    frame = indices[indices["target"] == target]
    outcomes = list(dict.fromkeys(frame["outcome"]))
    fig, axes = grid(len(outcomes), panel=(4.0, 3.2))
    for ax, outcome in zip(axes, outcomes, strict=True):
        one = frame[frame["outcome"] == outcome]
        real, dummy = one[one["factor"] != DUMMY], one[one["factor"] == DUMMY]
        hit = real[real["influential"]]
        miss = real[~real["influential"]]
        ax.scatter(
            miss["mu_star"],
            miss["sigma"],
            s=14,
            facecolors="none",
            edgecolors=OKABE_ITO["black"],
            linewidths=0.8,
            label="below the floor",
        )
        ax.scatter(hit["mu_star"], hit["sigma"], s=18, color=OKABE_ITO["blue"], label="influential")
        ax.scatter(
            dummy["mu_star"],
            dummy["sigma"],
            s=40,
            marker="x",
            color=OKABE_ITO["vermillion"],
            label=DUMMY,
        )
        if len(dummy):
            ax.axvline(
                float(dummy["mu_star"].iloc[0]),
                color=OKABE_ITO["vermillion"],
                linestyle="--",
                linewidth=0.8,
            )
        for _, row in real.nlargest(LABELLED, "mu_star").iterrows():
            ax.annotate(
                _short(row["factor"]),
                (row["mu_star"], row["sigma"]),
                fontsize=FONT - 3,
                xytext=(2, 2),
                textcoords="offset points",
            )
        ax.set_title(wrap(outcome_title(outcome), 40), fontsize=FONT)
        ax.set_xlabel("μ*", fontsize=FONT - 1)
        ax.set_ylabel("σ", fontsize=FONT - 1)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=3, fontsize=FONT - 1)
    fig.suptitle(title, fontsize=FONT + 1)
    return fig


def sobol_figure(
    indices: pd.DataFrame, target: str, title: str, order: Sequence[str] | None = None
) -> Figure:
    """First-order and total indices of every factor with their intervals, one panel per
    outcome of ``target``, the floor (the upper bound of the dummy's total index) as a red
    line."""
    frame = indices[indices["target"] == target]
    outcomes = list(dict.fromkeys(frame["outcome"]))
    factors = list(order or dict.fromkeys(frame["factor"]))
    fig, axes = grid(len(outcomes), panel=(4.0, 3.2))
    y = np.arange(len(factors))
    for ax, outcome in zip(axes, outcomes, strict=True):
        one = frame[frame["outcome"] == outcome].set_index("factor").reindex(factors)
        ax.barh(
            y - 0.2,
            one["S1"],
            height=0.4,
            xerr=one["S1_conf"],
            color=OKABE_ITO["sky_blue"],
            label="first order S1",
            error_kw={"linewidth": 0.8},
        )
        ax.barh(
            y + 0.2,
            one["ST"],
            height=0.4,
            xerr=one["ST_conf"],
            color=OKABE_ITO["blue"],
            label="total ST",
            error_kw={"linewidth": 0.8},
        )
        ax.axvline(
            float(one["floor"].iloc[0]),
            color=OKABE_ITO["vermillion"],
            linestyle="--",
            linewidth=1.0,
            label="floor (dummy's ST + conf)",
        )
        ax.set_yticks(
            y,
            [_short(f) + (" *" if bool(one.loc[f, "influential"]) else "") for f in factors],
            fontsize=FONT - 2,
        )
        ax.invert_yaxis()
        ax.set_title(wrap(outcome_title(outcome), 40), fontsize=FONT)
        ax.set_xlim(*SHARE_AXIS)
        ax.set_xlabel("index (* influential; axis cut at -0.25, 1.25)", fontsize=FONT - 1)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=3, fontsize=FONT - 1)
    fig.suptitle(title, fontsize=FONT + 1)
    return fig


def noise_figure(noise: pd.DataFrame, title: str) -> Figure:
    """The replicate noise's share of variance, one bar per outcome and target."""
    table = noise.pivot(index="outcome", columns="target", values="noise_share")
    table = table.reindex(
        index=list(dict.fromkeys(noise["outcome"])), columns=list(dict.fromkeys(noise["target"]))
    )
    fig = Figure(
        figsize=(8.0, 0.35 * table.size / max(len(table.columns), 1) + 2.0), layout="constrained"
    )
    ax = fig.subplots()
    height = 0.8 / max(len(table.columns), 1)
    colours = list(OKABE_ITO.values())
    y = np.arange(len(table))
    for i, target in enumerate(table.columns):
        ax.barh(
            y + i * height,
            table[target],
            height=height,
            label=target,
            color=colours[i % len(colours)],
        )
    ax.set_yticks(
        y + 0.4 - height / 2, [wrap(outcome_title(o), 30) for o in table.index], fontsize=FONT - 1
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("replicate noise: mean within-point variance / total variance", fontsize=FONT)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", fontsize=FONT - 1)
    ax.set_title(title, fontsize=FONT + 1)
    return fig
