"""Figures for the phasing and experimental-alignment experiments: outcomes against a lever.

``lever_response`` draws, for each metric (rows) and each value of a facet lever
(columns), the mean outcome over replicates against one lever, one line per value of
another, with Student-t CIs. ``phasing`` and ``alignment`` set it up for the questions of
``configs/experiment/phasing.yaml`` and ``experimental_alignment.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sandbox.analysis.columns import resolve
from sandbox.analysis.comparison import SAME_RUNS
from sandbox.analysis.families import with_family_mean
from sandbox.analysis.summary import summarise
from sandbox.plots.style import (
    FEWER_RUNS,
    FONT,
    MARKERS,
    MIN_RUNS_FOR_INTERVAL,
    count,
    drawable,
    legend_columns,
    legend_title,
    number_axis,
    select,
    styles,
    wrap,
)
from sandbox.units import label
from sandbox.units import title as row_title

# phasing.yaml: adoption speed, the urban-rural gap and provinces left without a service;
# speed as months from policy.start to depth (months_to_90pct_app is reached in the
# shared history, before any phasing acts)
PHASING_METRICS = ("adoption", "months_to_60pct_depth", "urban_rural_gap", "provinces_no_service")
# experimental_alignment.yaml: adoption, legal clarity and public cost
CLARITY = "clarity_domains_mean"
ALIGNMENT_METRICS = ("adoption", CLARITY, "public_spending")


def lever_response(
    runs: pd.DataFrame,
    x: str,
    metrics: Sequence[str],
    hue: str | None = None,
    col: str | None = None,
    level: float = 0.95,
    log_x: bool = False,
    title: str | None = None,
) -> Figure:
    """Mean outcome (and CI) against lever ``x``; lines by ``hue``, panel columns by ``col``.

    Args:
        runs: ``Results.runs``.
        x: the lever on the horizontal axis (numeric values are spaced as numbers).
        metrics: one row of panels each.
        hue: a lever drawn as one line per value.
        col: a lever drawn as one column of panels per value.
        level: confidence level of the error bars.
        log_x: a logarithmic horizontal axis.
        title: the figure's title (the number of runs and the CI level follow it).

    Returns:
        The figure; ``fig.axes`` row by row.
    """
    x = resolve(runs, x)
    hue_key = [resolve(runs, hue)] if hue else []
    col_key = [resolve(runs, col)] if col else []
    metrics = [resolve(runs, m) for m in metrics]
    table = summarise(runs, [*col_key, *hue_key, x], metrics, level, warn=False)
    table = drawable(table)  # no bar from fewer than 3 runs
    cols = sorted(table[col_key[0]].unique()) if col_key else [None]
    hues = sorted(table[hue_key[0]].unique()) if hue_key else [None]
    look = styles(hues)
    numeric = pd.api.types.is_numeric_dtype(runs[x])
    xs = sorted(table[x].unique())
    width = max(3.4 * len(cols) + 0.6, 5.0)
    fig = Figure(figsize=(width, 2.4 * len(metrics) + 1.0), layout="constrained")
    axes = fig.subplots(len(metrics), len(cols), squeeze=False, sharex=True, sharey="row")
    for i, metric in enumerate(metrics):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            panel = table[table["metric"] == metric]
            if col_key:
                panel = select(panel, col_key, (c,))
            for h, value in enumerate(hues):
                line = select(panel, hue_key, (value,) if hue_key else ()).sort_values(x)
                pos = line[x].to_numpy(dtype=float) if numeric else [xs.index(v) for v in line[x]]
                pos = _dodge(np.asarray(pos, dtype=float), h, len(hues), numeric, log_x, xs)
                mean = line["mean"].to_numpy()
                err = np.vstack([mean - line["ci_low"], line["ci_high"] - mean])
                ax.plot(pos, mean, marker=MARKERS[h % 8], ms=4, lw=1.3, **look[value])
                finite = np.isfinite(err).all(axis=0)  # a point of one run has no bar
                if finite.any():
                    ax.errorbar(
                        pos[finite], mean[finite], yerr=err[:, finite], fmt="none", capsize=2,
                        lw=1.0, ecolor=look[value]["color"],
                    )  # fmt: skip
            if len(panel) and (panel["ci_note"] == SAME_RUNS).all():
                ax.text(
                    0.5, 0.5, "the same value in every run", transform=ax.transAxes,
                    ha="center", va="center", fontsize=FONT - 1, color="0.25",
                    bbox={"facecolor": "white", "edgecolor": "0.6", "boxstyle": "round,pad=0.3"},
                )  # fmt: skip
            if log_x:
                ax.set_xscale("log")
            if numeric:
                ax.set_xticks(xs, [f"{v:g}" for v in xs])
                ax.minorticks_off()
            else:
                ax.set_xticks(range(len(xs)), [str(v) for v in xs])
            ax.tick_params(labelsize=FONT - 1)
            ax.grid(alpha=0.3, lw=0.5)
            if j == 0:
                number_axis(ax.yaxis)
                # a row's title: its readable name and unit, wrapped to the panel's height
                ax.set_ylabel(wrap(row_title(metric), 26), fontsize=FONT)
            if i == 0 and col_key:
                ax.set_title(f"{col_key[0].removeprefix('lever_')} = {c}", fontsize=FONT)
            if i == len(metrics) - 1:
                ax.set_xlabel(wrap(label(x), 40), fontsize=FONT)
    n = table["n"]
    handles = [Line2D([], [], marker=MARKERS[h % 8], ms=4, **look[v]) for h, v in enumerate(hues)]
    if hue_key:
        fig.legend(
            handles, [str(v) for v in hues], loc="outside lower center",
            ncols=legend_columns(fig, [str(v) for v in hues], 1.2),
            fontsize=FONT - 1, title=legend_title(hue_key), title_fontsize=FONT - 1,
            frameon=False,
        )  # fmt: skip
    note = f"mean over {count(n)} per point, {level:.0%} CI"
    if n.min() < MIN_RUNS_FOR_INTERVAL:
        note += f" (none where a point has {FEWER_RUNS})"
    if (table["ci_note"] == SAME_RUNS).any():
        note += "; no bar where every run has the same value"
    fig.suptitle(f"{title}\n{note}" if title else note, fontsize=FONT)
    return fig


def phasing(runs: pd.DataFrame, metrics: Sequence[str] = PHASING_METRICS) -> Figure:
    """How to stage a phased roll-out: outcomes against the number of waves, one line per
    order rule, one column per phase length (``configs/experiment/phasing.yaml``)."""
    present = [m for m in metrics if m in runs.columns]
    return lever_response(
        runs, "policy_phasing_n_waves", present, hue="policy_phasing_order",
        col="policy_phasing_phase_months", title="Phased roll-out: waves, order and phase length",
    )  # fmt: skip


def alignment(runs: pd.DataFrame, metrics: Sequence[str] = ALIGNMENT_METRICS) -> Figure:
    """Local-central coordination: outcomes against the monthly chance of alignment (log
    axis), one line per rework cost (``configs/experiment/experimental_alignment.yaml``).

    Legal clarity is ``clarity_domains_mean``, the mean of the ``clarity_<domain>``
    columns (``sandbox.analysis.families``).
    """
    if any(m == CLARITY for m in metrics):
        runs = with_family_mean(runs, "clarity_")
    present = [m for m in metrics if m in runs.columns]
    return lever_response(
        runs, "policy_experimental_coordination", present,
        hue="policy_experimental_rework_cost", log_x=True,
        title="Experimental local rules: coordination with the centre",
    )  # fmt: skip


def _dodge(
    pos: np.ndarray, h: int, n: int, numeric: bool, log_x: bool, xs: Sequence[object]
) -> np.ndarray:
    """Shift line ``h`` of ``n`` sideways so that error bars at one x do not overlap."""
    if n == 1:
        return pos
    offset = (h - (n - 1) / 2) / n * 0.12
    if not numeric:
        return pos + offset
    if log_x:
        span = np.log10(max(xs)) - np.log10(min(xs)) if len(xs) > 1 else 1.0
        return pos * 10 ** (offset * span / max(len(xs) - 1, 1))
    span = (max(xs) - min(xs)) / max(len(xs) - 1, 1) if len(xs) > 1 else 1.0
    return pos + offset * span
