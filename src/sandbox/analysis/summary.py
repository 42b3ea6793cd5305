"""Summaries over replicates: mean, spread, quantiles and a Student-t confidence interval.

One row per group (any grouping of levers, ``month`` included for a time series) and
metric. The interval is the mean plus or minus ``t(level, n - 1) * sd / sqrt(n)`` over the
group's runs. With one run in a group there is no interval: ``ci_low`` and ``ci_high`` are
NaN, ``ci_note`` says so and a ``SingleReplicateWarning`` is issued, never a zero-width
interval. Nor when every run of a group holds the same value (``SAME_RUNS``): a
zero-width interval would read as certainty where the runs only show no spread.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sandbox.analysis.columns import metric_columns, resolve, resolve_all
from sandbox.analysis.comparison import SAME_RTOL, SAME_RUNS

QUANTILES = (0.05, 0.95)
ONE_RUN = "no CI: one run in this group (one replicate)"
NO_RUN = "no CI: no value in this group"


class SingleReplicateWarning(UserWarning):
    """A summary had groups of one run, whose confidence interval is undefined (NaN)."""


def quantile_column(q: float) -> str:
    """The column of quantile ``q``: 0.05 -> ``q05``, 0.5 -> ``q50``, 0.025 -> ``q2_5``."""
    return "q" + f"{100 * q:02g}".replace(".", "_")


def t_half_width(sd: np.ndarray, n: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Half-width of the Student-t interval of a mean: ``t(level, n-1) * sd / sqrt(n)``.

    NaN where ``n < 2``.
    """
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + level / 2, np.where(n >= 2, n - 1, np.nan))
        return np.where(n >= 2, t * sd / np.sqrt(n), np.nan)


def summarise(
    frame: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    metrics: str | Iterable[str] | None = None,
    level: float = 0.95,
    quantiles: Sequence[float] = QUANTILES,
    warn: bool = True,
) -> pd.DataFrame:
    """Mean, sd, median, quantiles and CI of each metric, per group of ``by``.

    Args:
        frame: ``Results.runs``, ``Results.timeseries`` or any table with one row per run
            (and month).
        by: columns or levers (``policy`` for ``lever_policy``) to group by; include
            ``month`` for a summary over time. ``None`` pools every row.
        metrics: metric columns (default: every metric column of ``frame``).
        level: confidence level of the interval.
        quantiles: quantiles over the group's runs, as columns ``q05``, ``q95`` ...
        warn: issue ``SingleReplicateWarning`` for groups of one run (a caller that
            states it otherwise, such as a figure's legend, passes ``False``).

    Returns:
        One row per group and metric (groups sorted): the ``by`` columns, ``metric``,
        ``n`` (runs with a value), ``n_missing`` (runs without, e.g. a threshold never
        reached), ``mean``, ``sd``, ``median``, the quantiles, ``ci_low``, ``ci_high``
        and ``ci_note`` (empty, or why the interval is NaN).

    Warns:
        SingleReplicateWarning: some group has one run, so its interval is NaN (unless
            ``warn`` is false).
    """
    keys = resolve_all(frame, by)
    if metrics is None:
        metrics = [m for m in metric_columns(frame) if m not in keys]
    metrics = [resolve(frame, m) for m in ([metrics] if isinstance(metrics, str) else metrics)]
    data = frame[[*keys, *metrics]].copy()
    for m in metrics:  # a threshold no run reached is a column of nulls, stored untyped
        if data[m].dtype == object and data[m].isna().all():
            data[m] = data[m].astype(float)
    if not keys:
        data["_all"] = 0
    groups = data.groupby(keys or ["_all"], sort=True, dropna=False, observed=True)[metrics]
    count = groups.count()
    parts = {
        "n": count,
        "n_missing": count.rsub(groups.size(), axis=0),
        "mean": groups.mean(),
        "sd": groups.std(ddof=1),
        "median": groups.median(),
        **{quantile_column(q): groups.quantile(q) for q in quantiles},
    }
    names = keys or ["_all"]
    melted = [
        part.reset_index().melt(id_vars=names, var_name="metric", value_name=name)
        for name, part in parts.items()
    ]
    long = pd.concat([melted[0], *(m[[m.columns[-1]]] for m in melted[1:])], axis=1)
    if not keys:
        long = long.drop(columns="_all")
    long["n"] = long["n"].astype(int)
    long["n_missing"] = long["n_missing"].astype(int)
    half = t_half_width(long["sd"].to_numpy(), long["n"].to_numpy(), level)
    same = (long["n"] >= 2) & (long["sd"] <= SAME_RTOL * long["mean"].abs().clip(lower=1e-300))
    half[same.to_numpy()] = np.nan
    long["ci_low"] = long["mean"] - half
    long["ci_high"] = long["mean"] + half
    long["ci_note"] = np.select(
        [long["n"] == 0, long["n"] == 1, same], [NO_RUN, ONE_RUN, SAME_RUNS], ""
    )
    if warn and (long["n"] == 1).any():
        warnings.warn(
            f"{int((long['n'] == 1).sum())} group(s) of one run: no confidence interval "
            "(ci_low and ci_high are NaN; see ci_note)",
            SingleReplicateWarning,
            stacklevel=2,
        )
    return long
