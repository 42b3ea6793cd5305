"""Figures of a calibration: fit to the targets, posterior marginals and correlations,
and the recovery check."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sandbox.calibration.priors import Free
from sandbox.calibration.targets import Target
from sandbox.config.posterior import WEIGHT, weighted_quantile
from sandbox.plots.style import (
    FONT,
    MIN_RUNS_FOR_INTERVAL,
    OKABE_ITO,
    TARGET_COLOUR,
    grid,
    wrap,
)


def targets_figure(runs: dict[str, pd.DataFrame], targets: Sequence[Target]) -> Figure:
    """One panel per target: the simulated values of each set of runs (a strip and its
    5-95% range, e.g. the central point and draws from the posterior), the target marked.

    Args:
        runs: label -> replicates x targets (columns named by target).
        targets: the published counts.
    """
    fig, axes = grid(len(targets), ncols=min(len(targets), 4), panel=(3.0, 3.0))
    colours = list(OKABE_ITO.values())[1:]
    rng = np.random.default_rng(0)  # horizontal jitter of the strips only
    for ax, target in zip(axes, targets, strict=True):
        for i, frame in enumerate(runs.values()):
            values = frame[target.name].to_numpy(dtype=float)
            x = i + rng.uniform(-0.15, 0.15, len(values))
            ax.scatter(x, values, s=8, alpha=0.5, color=colours[i % len(colours)])
            lo, hi = np.quantile(values, [0.05, 0.95])
            spread = [[values.mean() - lo], [hi - values.mean()]]
            if len(values) < MIN_RUNS_FOR_INTERVAL:  # no range of fewer than 3 runs
                spread = None
            ax.errorbar(i + 0.3, values.mean(), yerr=spread, fmt="o", color="black",
                        capsize=3, markersize=4)  # fmt: skip
        ax.axhline(target.value, color=TARGET_COLOUR, linestyle="--", label="target")
        ax.set_xticks(range(len(runs)), [wrap(k, 14) for k in runs], fontsize=FONT - 1)
        ax.set_xlim(-0.6, len(runs) - 0.3)
        ax.set_title(wrap(f"{target.figure}, {target.month}", 34), fontsize=FONT)
        ax.set_ylabel(f"provinces (of {target.out_of})", fontsize=FONT)
    axes[0].legend(fontsize=FONT - 1, loc="lower right")
    return fig


def marginals_figure(posterior: pd.DataFrame, free: Sequence[Free]) -> Figure:
    """One panel per free parameter: the weighted posterior histogram over the prior's
    range, its weighted median and 90% interval."""
    fig, axes = grid(len(free), ncols=3, panel=(3.3, 2.6))
    weights = posterior[WEIGHT].to_numpy()
    for ax, f in zip(axes, free, strict=True):
        values = posterior[f.key].to_numpy(dtype=float)
        bins = np.linspace(f.low, f.high, 21)
        ax.hist(values, bins=bins, weights=weights, density=True,
                color=OKABE_ITO["sky_blue"], edgecolor="white")  # fmt: skip
        ax.axhline(1.0 / (f.high - f.low), color="grey", linestyle=":", label="prior")
        lo, mid, hi = (weighted_quantile(values, weights, q) for q in (0.05, 0.5, 0.95))
        ax.axvspan(lo, hi, color=OKABE_ITO["blue"], alpha=0.12, label="90% interval")
        ax.axvline(mid, color=OKABE_ITO["blue"], label="weighted median")
        ax.set_xlim(f.low, f.high)
        ax.set_xlabel(f.key, fontsize=FONT)
        ax.set_ylabel("density", fontsize=FONT)
    axes[0].legend(fontsize=FONT - 2)
    return fig


def weighted_correlation(posterior: pd.DataFrame) -> pd.DataFrame:
    """Pairwise correlations of the parameters under the particles' weights."""
    keys = [c for c in posterior.columns if c != WEIGHT]
    cov = np.cov(posterior[keys].to_numpy(dtype=float).T, aweights=posterior[WEIGHT])
    sd = np.sqrt(np.diag(cov))
    return pd.DataFrame(cov / np.outer(sd, sd), index=keys, columns=keys)


def correlation_figure(corr: pd.DataFrame) -> Figure:
    """The weighted correlation matrix, annotated; strong pairs are parameters the
    targets cannot tell apart."""
    n = len(corr)
    fig = Figure(figsize=(1.1 * n + 2.5, 0.9 * n + 1.5), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(corr.to_numpy(), vmin=-1, vmax=1, cmap="RdBu_r")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, f"{corr.iat[i, j]:.2f}", ha="center", va="center", fontsize=FONT - 1)
    labels = [k.split(".")[-1] for k in corr.index]
    ax.set_xticks(range(n), labels, rotation=35, ha="right", fontsize=FONT - 1)
    ax.set_yticks(range(n), labels, fontsize=FONT - 1)
    fig.colorbar(image, ax=ax, label="correlation (weighted)")
    return fig


def recovery_figure(check: Sequence[dict], free: Sequence[Free]) -> Figure:
    """Each parameter's recovered 90% interval and the truth, on its prior's range (0-1)."""
    fig = Figure(figsize=(6.0, 0.45 * len(free) + 1.2), layout="constrained")
    ax = fig.subplots()
    by_key = {row["key"]: row for row in check}
    for i, f in enumerate(free):
        row = by_key[f.key]
        span = f.high - f.low
        lo, hi, truth = ((row[k] - f.low) / span for k in ("low", "high", "truth"))
        colour = OKABE_ITO["bluish_green"] if row["inside"] else OKABE_ITO["vermillion"]
        ax.plot([lo, hi], [i, i], color=colour, linewidth=4, solid_capstyle="butt")
        ax.plot(truth, i, marker="|", color="black", markersize=14)
    ax.set_yticks(range(len(free)), [f.key for f in free], fontsize=FONT - 1)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the prior's range (0 = low, 1 = high)", fontsize=FONT)
    ax.set_title("recovered 90% interval (bar) and truth (|)", fontsize=FONT)
    ax.invert_yaxis()
    return fig
