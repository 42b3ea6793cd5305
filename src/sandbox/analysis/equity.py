"""Equity views: the urban-rural gap, provinces left behind, and spread across provinces.

The first two summarise metrics the model reports (``urban_rural_gap``,
``adoption_urban``, ``adoption_rural``, ``provinces_no_service``) over replicates, month
by month. Spread across provinces reads the per-province table the model writes for each
run and ``sandbox-collect`` gathers into the sweep's ``provinces.parquet``
(``PROVINCE_COLUMNS``; loaded with ``sandbox.analysis.load_provinces``):
``province_matrix`` turns one run of it into provinces x months (the heat map's input),
``province_spread`` summarises such a matrix month by month, and
``spread_across_provinces`` does so for every run and month of the table, so that the
spread can be summarised over replicates like any metric (``sweep_spread``: for a sweep).

A month's map is the provinces of that month: under the default region 63 provinces
until June 2025 and 34 merged units from July 2025 (a unit that kept an old province's
name continues its row). A province not on the month's map has no value (NaN), never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sandbox.analysis.summary import summarise
from sandbox.analysis.tables import as_month, join_runs, load_provinces
from sandbox.units import PROVINCE_VALUES, SPREAD, SPREAD_ZERO

GAP = ("urban_rural_gap", "adoption_urban", "adoption_rural")
LEFT_BEHIND = ("provinces_no_service",)
SERVICE_PREFIX = "provinces_service_"

# The per-province table (``provinces.parquet`` of a collected sweep: one row per run,
# month and province of that month's map), and the value the heat map and the spread read
# by default.
PROVINCE_COLUMNS = {
    "run_id": "the run (as in runs.parquet and timeseries.parquet)",
    "month": "YYYY-MM",
    "province": "province name (as in the month's region table)",
    "services_deployed": "domains with a deployed service in the province, 0 to 6",
    "adoption": "share of the province's population using a smart service",
}
PROVINCE_VALUE = "services_deployed"
# statistics across the provinces of a month's map: ``spread_across_provinces`` names them
# ``province_<value>_<statistic>`` (units in ``sandbox.units``)
STATISTICS = (*SPREAD, SPREAD_ZERO)


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
        provinces: one row per (run, month, province), e.g. ``load_provinces``.
        run_id: the run; may be omitted when the table holds one run.
        value: the column to spread into the matrix.

    Returns:
        Provinces as rows, months (``Period``) as columns; NaN where a province is not on
        the month's map. Rows: the provinces of the last month's map in its order, then
        those that left the map (the latest to leave first), each in the table's order.
    """
    if run_id is None:
        runs = provinces["run_id"].unique() if "run_id" in provinces else [None]
        if len(runs) > 1:
            raise ValueError(f"the table holds {len(runs)} runs; name one with run_id=")
    else:
        provinces = provinces[provinces["run_id"] == run_id]
        if provinces.empty:
            raise ValueError(f"run_id {run_id!r} is not in the per-province table")
    frame = provinces.assign(month=as_month(provinces["month"]))
    matrix = frame.pivot(index="province", columns="month", values=value)
    last_seen = frame.groupby("province", sort=False)["month"].max()
    order = list(dict.fromkeys(frame["province"]))  # the table's order
    order.sort(key=lambda p: -last_seen[p].ordinal)  # stable: the table's order within
    return matrix.loc[order]


def spread_across_provinces(provinces: pd.DataFrame, value: str = PROVINCE_VALUE) -> pd.DataFrame:
    """``value``'s spread across the provinces of each run's monthly map.

    Args:
        provinces: one row per (run, month, province) (``load_provinces``); every column
            but ``province`` and the values (run, levers joined on, month) is kept.
        value: ``services_deployed`` or ``adoption``.

    Returns:
        One row per run and month: its columns, ``provinces`` (on the month's map) and
        ``province_<value>_<statistic>`` for each of ``STATISTICS``: the mean, lowest,
        10th percentile, median, 90th percentile and highest province, and ``n_zero``,
        the provinces at zero (left behind). Summarise over replicates with
        ``sandbox.analysis.summarise`` or draw with ``sandbox.plots.outcome_over_time``.
    """
    keys = [c for c in provinces.columns if c not in ("province", value, *PROVINCE_VALUES)]
    values = provinces[value]
    groups = values.groupby([provinces[k] for k in keys], sort=True, dropna=False)
    zero = (values == 0).groupby([provinces[k] for k in keys], sort=True, dropna=False)
    columns = {
        "mean": groups.mean(),
        "min": groups.min(),
        "q10": groups.quantile(0.1),
        "median": groups.median(),
        "q90": groups.quantile(0.9),
        "max": groups.max(),
        "n_zero": zero.sum().astype(int),
    }
    out = pd.DataFrame(
        {"provinces": groups.count(), **{f"province_{value}_{k}": v for k, v in columns.items()}}
    )
    return out.reset_index()


def sweep_spread(
    folder: Path | str, runs: pd.DataFrame, values: Sequence[str] = PROVINCE_VALUES
) -> pd.DataFrame | None:
    """``spread_across_provinces`` of each of ``values`` for the runs of a collected sweep.

    The per-province table is read without lever columns and the levers are joined on the
    (much smaller) result, so that a large sweep's table is held once, lean.

    Args:
        folder: the sweep folder.
        runs: its runs (``Results.runs`` or a selection): their replicate, options and
            varying levers are joined on.
        values: the per-province values to spread.

    Returns:
        One row per run and month (see ``spread_across_provinces``), or ``None`` when the
        sweep has no per-province table (collected before ``sandbox-collect`` gathered it).
    """
    provinces = load_provinces(folder, runs["run_id"].tolist(), missing_ok=True)
    if provinces is None:
        return None
    keys = ["run_id", "month", "provinces"]
    parts = [spread_across_provinces(provinces, v).set_index(keys) for v in values]
    spread = pd.concat(parts, axis=1).reset_index()
    return join_runs(spread, runs.drop(columns=["sweep"], errors="ignore"))


def province_spread(matrix: pd.DataFrame) -> pd.DataFrame:
    """Spread of a provinces x months matrix (``province_matrix``) across provinces.

    Returns:
        One row per month: ``n`` (provinces on the month's map), ``mean``, ``min``,
        ``q10``, ``median``, ``q90``, ``max`` over them, and ``n_zero``, the provinces at
        zero (left behind); provinces not on the month's map (NaN) are not counted.
    """
    long = matrix.rename_axis(index="province", columns="month").reset_index()
    long = long.melt(id_vars="province", var_name="month", value_name="value")
    table = spread_across_provinces(long.dropna(subset=["value"]), "value").set_index("month")
    table.columns = ["n", *(c.removeprefix("province_value_") for c in table.columns[1:])]
    return table


def _names(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)
