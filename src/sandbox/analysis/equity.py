"""Equity views: the urban-rural gap, provinces left behind, and spread across provinces.

The first two summarise metrics the model reports (``urban_rural_gap``,
``adoption_urban``, ``adoption_rural``, ``provinces_no_service``) over replicates, month
by month. Spread across provinces needs per-province values, which the collected tables
do not hold today: ``province_spread`` and ``province_matrix`` work on a documented
per-province table (``PROVINCE_COLUMNS``) that the model would have to write.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sandbox.analysis.summary import summarise
from sandbox.analysis.tables import as_month

GAP = ("urban_rural_gap", "adoption_urban", "adoption_rural")
LEFT_BEHIND = ("provinces_no_service",)
SERVICE_PREFIX = "provinces_service_"

# The per-province table the model would write (``provinces.parquet``, one row per run,
# month and province), and the value the heat map and the spread read by default.
PROVINCE_COLUMNS = {
    "run_id": "the run (as in timeseries.parquet)",
    "month": "YYYY-MM",
    "province": "province name (as in the region table)",
    "services_deployed": "domains with a deployed service in the province, 0 to 6",
}
PROVINCE_VALUE = "services_deployed"


def urban_rural_gap(
    timeseries: pd.DataFrame, by: str | Sequence[str] = ("policy",), level: float = 0.95
) -> pd.DataFrame:
    """``urban_rural_gap`` (and urban, rural adoption) per group of ``by`` and month.

    Returns ``sandbox.analysis.summary.summarise``'s long table for the metrics of
    ``GAP`` the table holds.
    """
    metrics = [m for m in GAP if m in timeseries.columns]
    return summarise(timeseries, [*_names(by), "month"], metrics, level)


def left_behind(
    timeseries: pd.DataFrame, by: str | Sequence[str] = ("policy",), level: float = 0.95
) -> pd.DataFrame:
    """``provinces_no_service`` (provinces whose citizens have no service) over time."""
    return summarise(timeseries, [*_names(by), "month"], list(LEFT_BEHIND), level)


def service_coverage(
    timeseries: pd.DataFrame, by: str | Sequence[str] = ("policy",), level: float = 0.95
) -> pd.DataFrame:
    """Provinces with each domain's service (``provinces_service_<domain>``) over time."""
    metrics = [c for c in timeseries.columns if c.startswith(SERVICE_PREFIX)]
    return summarise(timeseries, [*_names(by), "month"], metrics, level)


def province_matrix(
    provinces: pd.DataFrame, run_id: str | None = None, value: str = PROVINCE_VALUE
) -> pd.DataFrame:
    """A per-province table (``PROVINCE_COLUMNS``) of one run as provinces x months.

    Args:
        provinces: one row per (run, month, province).
        run_id: the run; may be omitted when the table holds one run.
        value: the column to spread into the matrix.

    Returns:
        Provinces as rows (in the table's order), months (``Period``) as columns.
    """
    if run_id is None:
        runs = provinces["run_id"].unique() if "run_id" in provinces else [None]
        if len(runs) > 1:
            raise ValueError(f"the table holds {len(runs)} runs; name one with run_id=")
    else:
        provinces = provinces[provinces["run_id"] == run_id]
    frame = provinces.assign(month=as_month(provinces["month"]))
    order = list(dict.fromkeys(frame["province"]))
    matrix = frame.pivot(index="province", columns="month", values=value)
    return matrix.loc[order]


def province_spread(matrix: pd.DataFrame) -> pd.DataFrame:
    """Spread of a provinces x months matrix across provinces, month by month.

    Returns:
        One row per month: ``mean``, ``min``, ``q10``, ``median``, ``q90``, ``max`` over
        provinces, and ``n_zero``, the provinces at zero (left behind).
    """
    return pd.DataFrame(
        {
            "mean": matrix.mean(),
            "min": matrix.min(),
            "q10": matrix.quantile(0.1),
            "median": matrix.median(),
            "q90": matrix.quantile(0.9),
            "max": matrix.max(),
            "n_zero": (matrix == 0).sum(),
        }
    ).rename_axis("month")


def _names(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)
