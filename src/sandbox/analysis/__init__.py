"""Analysis of collected sweeps: tidy tables, summaries, paired differences, thresholds,
equity views and design trade-offs.

Reads ``runs.parquet``, ``timeseries.parquet`` and ``provinces.parquet``
(``sandbox-collect``); never re-runs a model or recomputes what it reported. Modules, in
the order data flows:

- ``columns``: column families of the tables and names resolved against them;
- ``tables``: ``load_sweep``, ``load_sweeps`` -> ``Results`` (one run's folder:
  ``sandbox.experiments.collect.load_run``);
  ``load_provinces`` (the per-province table, read on demand);
- ``summary``: ``summarise`` (mean, sd, quantiles, Student-t CI over replicates);
- ``monthly``: ``over_time``, ``sweep_over_time``, ``sweep_spread_over_time``: summaries
  by levers and month (``OverTime``), those of a sweep read a few months at a time so that
  memory does not grow with its runs; ``open_sweep`` (``SweepTables``) for a report;
- ``paired``: ``paired_differences`` (through ``sandbox.analysis.comparison``);
- ``thresholds``: ``time_to_threshold``;
- ``equity``: ``urban_rural_gap``, ``left_behind``, ``service_coverage``,
  ``province_matrix``, ``province_spread``, ``spread_across_provinces``, ``sweep_spread``;
- ``frontier``: ``design_outcomes``, ``non_dominated``;
- ``targets``: ``HISTORICAL_TARGETS``.

Units and readable names of the metrics are in ``sandbox.units``.
"""

from sandbox.analysis.columns import metric_columns, resolve, varying_levers
from sandbox.analysis.equity import (
    left_behind,
    province_matrix,
    province_spread,
    service_coverage,
    spread_across_provinces,
    sweep_spread,
    urban_rural_gap,
)
from sandbox.analysis.frontier import design_levers, design_outcomes, non_dominated
from sandbox.analysis.monthly import (
    OverTime,
    SpreadOverTime,
    SweepTables,
    open_sweep,
    over_time,
    sweep_over_time,
    sweep_spread_over_time,
)
from sandbox.analysis.paired import paired_differences
from sandbox.analysis.summary import SingleReplicateWarning, summarise
from sandbox.analysis.tables import (
    Results,
    as_month,
    load_provinces,
    load_sweep,
    load_sweeps,
)
from sandbox.analysis.targets import HISTORICAL_TARGETS
from sandbox.analysis.thresholds import time_to_threshold

__all__ = [
    "HISTORICAL_TARGETS",
    "OverTime",
    "Results",
    "SingleReplicateWarning",
    "SpreadOverTime",
    "SweepTables",
    "as_month",
    "design_levers",
    "design_outcomes",
    "left_behind",
    "load_provinces",
    "load_sweep",
    "load_sweeps",
    "metric_columns",
    "non_dominated",
    "open_sweep",
    "over_time",
    "paired_differences",
    "province_matrix",
    "province_spread",
    "resolve",
    "service_coverage",
    "spread_across_provinces",
    "summarise",
    "sweep_over_time",
    "sweep_spread",
    "sweep_spread_over_time",
    "time_to_threshold",
    "urban_rural_gap",
    "varying_levers",
]
