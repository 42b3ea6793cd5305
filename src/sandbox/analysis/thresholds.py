"""Time to a threshold: months from a start month until a metric reaches a value.

Each row of a time series is the state at the end of its month. Counting from the
beginning of the start month, a value observed in the start month took 1 month, as in the
model's own ``months_to_50pct_app``; a value already reached in the month before the
start (the state when the start month begins) took 0. A run that never reaches it by the
end of its horizon gets NaN.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from sandbox.analysis.columns import metric_columns, resolve
from sandbox.analysis.tables import as_month


def time_to_threshold(
    timeseries: pd.DataFrame,
    metric: str,
    value: float,
    start: str | pd.Period | None = None,
    direction: Literal["up", "down"] = "up",
    name: str = "months",
) -> pd.DataFrame:
    """Months from ``start`` until ``metric`` first reaches ``value``, one row per run.

    Args:
        timeseries: ``Results.timeseries`` (one row per run and month).
        metric: the metric column.
        value: the threshold.
        start: the month counting starts from: a month (``"2025-01"`` or a ``Period``),
            or the name of a column of ``timeseries`` holding each run's start month
            (e.g. ``lever_policy_start`` when it varies, and so is joined on); ``None``
            is each run's first month.
        direction: ``"up"``: reached when ``metric >= value``; ``"down"``: when
            ``metric <= value`` (e.g. ``provinces_no_service`` falling to 0).
        name: the name of the result column.

    Returns:
        One row per run: its identity and configuration columns (every column of
        ``timeseries`` but ``month`` and the metrics) and ``name``, in months (NaN if
        never reached).
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction {direction!r} is not 'up' or 'down'")
    metric = resolve(timeseries, metric)
    keys = [c for c in ("sweep", "run_id") if c in timeseries.columns]
    month = as_month(timeseries["month"])
    if start is None:
        begin = month.groupby([timeseries[k] for k in keys]).transform("min")
    elif isinstance(start, str) and start in timeseries.columns:
        begin = as_month(timeseries[start])
    else:
        try:
            month0 = pd.Period(start, freq="M")
        except (ValueError, TypeError):
            raise ValueError(
                f"start {start!r} is neither a month (YYYY-MM) nor a column of the time "
                "series (levers that vary are joined on; pass a constant one's month)"
            ) from None
        begin = pd.Series(month0, index=timeseries.index)
    elapsed = (month.dt.year - begin.dt.year) * 12 + (month.dt.month - begin.dt.month) + 1
    values = timeseries[metric]
    reached = (values >= value) if direction == "up" else (values <= value)
    eligible = reached & (elapsed >= 0)
    first = (
        pd.Series(np.where(eligible, elapsed, np.nan), index=timeseries.index)
        .groupby([timeseries[k] for k in keys], sort=True)
        .min()
        .rename(name)
    )
    described = [
        c for c in timeseries.columns if c != "month" and c not in metric_columns(timeseries)
    ]
    runs = timeseries[described].drop_duplicates(keys).set_index(keys)
    return runs.join(first).reset_index()
