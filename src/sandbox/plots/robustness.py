"""Figures of a robustness analysis: best shares, regrets and PRIM's boxes.

``best_shares`` and ``regrets`` draw the table of ``sandbox.analysis.regret.robustness``
(one panel per outcome, one bar per policy in its regime's colour); ``prim_trajectory``
and ``prim_box`` draw a box of ``sandbox.analysis.discovery.discover``;
``feature_scores`` the uncertainties that matter most to an outcome by a feature score.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sandbox import units
from sandbox.analysis.discovery import Box
from sandbox.plots.style import FONT, OKABE_ITO, grid, number_axis, styles, wrap


def _bars(table: pd.DataFrame, column: str, xlabel: str, title: str) -> Figure:
    outcomes = list(pd.unique(table["outcome"]))
    policies = list(pd.unique(table["policy"]))
    colours = styles(policies)
    fig, axes = grid(len(outcomes), panel=(4.2, 0.35 * len(policies) + 1.0))
    for ax, outcome in zip(axes, outcomes, strict=True):
        rows = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        ax.barh(
            range(len(policies)),
            rows[column],
            color=[colours[p]["color"] for p in policies],
        )
        if column == "regret_mean":
            y = range(len(policies))
            p90 = {"marker": "|", "s": 120, "color": OKABE_ITO["vermillion"], "zorder": 3}
            ax.scatter(rows["regret_p90"], y, label="90th percentile", **p90)
            worst = {"marker": "x", "s": 25, "color": OKABE_ITO["black"], "zorder": 3}
            ax.scatter(rows["regret_max"], y, label="maximum", **worst)
            number_axis(ax.xaxis, nbins=4)
        else:  # shares on one scale, panel to panel
            ax.set_xlim(0, 1)
        ax.set_yticks(range(len(policies)), policies, fontsize=FONT - 1)
        ax.invert_yaxis()
        unit = units.unit(outcome) if column != "best_share" else "share of futures"
        ax.set_xlabel(wrap(f"{xlabel} ({unit})", 50), fontsize=FONT - 1)
        ax.set_title(outcome, fontsize=FONT)
    if column == "regret_mean":
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=FONT - 1)
    fig.suptitle(title, fontsize=FONT + 1)
    return fig


def best_shares(table: pd.DataFrame) -> Figure:
    """The share of the sampled futures in which each policy is best, per outcome (ties
    split)."""
    futures = int(table["futures"].max()) if len(table) else 0
    return _bars(table, "best_share", "best in", f"Best policy across {futures} sampled futures")


def regrets(table: pd.DataFrame) -> Figure:
    """Each policy's regret per outcome: mean (bar), 90th percentile and maximum."""
    return _bars(
        table, "regret_mean", "regret", "Regret: shortfall from the best policy of each future"
    )


def feature_scores(scores: pd.Series, title: str = "", top: int = 12) -> Figure:
    """The ``top`` uncertainties by a feature score (e.g. EMA Workbench's
    ``feature_scoring.get_feature_scores_all`` of the export), largest first."""
    scores = scores.sort_values(ascending=False).head(top)
    fig = Figure(figsize=(6.4, 0.3 * len(scores) + 1.2), layout="constrained")
    ax = fig.subplots()
    ax.barh(range(len(scores)), scores.to_numpy(), color=OKABE_ITO["blue"])
    ax.set_yticks(range(len(scores)), [str(i) for i in scores.index], fontsize=FONT - 1)
    ax.invert_yaxis()
    ax.set_xlabel("feature score", fontsize=FONT - 1)
    ax.set_title(wrap(title or "Feature scores", 70), fontsize=FONT)
    return fig


def prim_trajectory(box: Box, title: str = "") -> Figure:
    """PRIM's peeling trajectory: coverage against density, coloured by the number of
    restricted uncertainties; the box reported ringed."""
    fig = Figure(figsize=(5.2, 3.8), layout="constrained")
    ax = fig.subplots()
    t = box.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
    ring = {"s": 120, "facecolors": "none", "edgecolors": OKABE_ITO["vermillion"]}
    ax.scatter(box.coverage, box.density, linewidths=1.5, label="box reported", **ring)
    cbar = fig.colorbar(points, ax=ax)
    cbar.set_label("restricted uncertainties", fontsize=FONT - 1)
    ax.set_xlabel("coverage (share of the futures of interest in the box)", fontsize=FONT - 1)
    ax.set_ylabel("density (share of the box's futures of interest)", fontsize=FONT - 1)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=FONT - 1, loc="lower left")
    ax.set_title(wrap(title or "PRIM's peeling trajectory", 60), fontsize=FONT)
    return fig


def prim_box(box: Box, title: str = "") -> Figure:
    """A box's limits on each restricted uncertainty, as a share of the range sampled
    (0 its lowest value, 1 its highest), labelled with the limits in the parameter's
    own values."""
    limits = box.limits
    fig = Figure(figsize=(6.4, 0.45 * max(len(limits), 1) + 1.4), layout="constrained")
    ax = fig.subplots()
    span = (limits["highest"] - limits["lowest"]).where(lambda s: s > 0, 1.0)
    lo = (limits["lo"] - limits["lowest"]) / span
    hi = (limits["hi"] - limits["lowest"]) / span
    rows = range(len(limits))
    ax.barh(rows, [1.0] * len(limits), color="0.9")
    ax.barh(rows, hi - lo, left=lo, color=OKABE_ITO["blue"])
    for i, (a, b) in enumerate(zip(limits["lo"], limits["hi"], strict=True)):
        ax.text(1.02, i, f"{a:.3g} to {b:.3g}", va="center", fontsize=FONT - 1)
    ax.set_yticks(list(rows), limits["uncertainty"], fontsize=FONT - 1)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.35)
    ax.set_xticks([0, 0.5, 1])
    ax.set_xlabel("position in the range sampled", fontsize=FONT - 1)
    stats = f"coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}"
    ax.set_title(f"{wrap(title, 70)}\n{stats}" if title else stats, fontsize=FONT)
    return fig
