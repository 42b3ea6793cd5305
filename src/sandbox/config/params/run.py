"""How a run is made and observed: calendar, province table, validation, output."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param


@dataclass(frozen=True)
class HorizonParams:
    """Simulated calendar: one step is one month, both ends inclusive."""

    start: str = param(
        "2019-01",
        unit="month (YYYY-MM)",
        range="month",
        role="setting",
        source="decision: 2019, the calibration targets begin (docs/model.md#calibration)",
        doc="first simulated month",
    )
    end: str = param(
        "2030-12",
        unit="month (YYYY-MM)",
        range="month",
        role="setting",
        source="decision: the projection horizon (smart-city goals for 2030)",
        doc="last simulated month",
    )


@dataclass(frozen=True)
class RegionParams:
    """The province table (see ``docs/regions.md`` for the CSV schema)."""

    name: str = param(
        "vietnam",
        unit="–",
        range="text",
        role="setting",
        source="[regions.md](regions.md)",
        doc="label written to results",
    )
    table: str = param(
        "vietnam_63.csv",
        unit="file",
        range="text",
        role="setting",
        source="[regions.md](regions.md)",
        doc="file name in sandbox/regions/, or an absolute path",
    )
    merge_table: str = param(
        "vietnam_34.csv",
        unit="file",
        range="text",
        role="setting",
        source="Resolution 202/2025/QH15: 63 provinces became 34 units on 1 July 2025",
        doc="merged table the provinces become at merge_month ('' for a fixed map)",
    )
    merge_month: str = param(
        "2025-07",
        unit="month (YYYY-MM)",
        range="month",
        role="setting",
        source="Resolution 202/2025/QH15 (in force 1 July 2025)",
        doc="first month under the merged table",
    )


@dataclass(frozen=True)
class ValidationParams:
    """Validation scenarios that switch the institutional model off."""

    name: str = param(
        "none",
        unit="–",
        range=("none", "bass"),
        role="setting",
        source="decision: `bass` switches institutions off",
        doc="none | bass (every service at full coverage from month 0)",
    )


@dataclass(frozen=True)
class OutputParams:
    """Where and how results are written (they do not change results)."""

    timeseries: bool = param(
        True,
        unit="flag",
        range="flag",
        role="setting",
        source="decision: keep the monthly table",
        doc="write timeseries.parquet",
    )
    print_summary: bool = param(
        True,
        unit="flag",
        range="flag",
        role="setting",
        source="decision: show the summary table",
        doc="print the summary table at the end of a run",
    )
    checkpoints: str = param(
        ".checkpoints",
        unit="folder",
        range="subfolder",
        role="setting",
        source="decision: each sweep keeps the histories it branches from in its own folder",
        doc="folder inside each sweep's folder of the stored histories its runs branch from "
        "('' to store none)",
    )
    mesa_log_level: str = param(
        "WARNING",
        unit="–",
        range=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
        role="setting",
        source="decision: Mesa logs every step at INFO; kept in the app config so it "
        "survives a re-run from `.hydra/config.yaml`",
        doc="level of Mesa's logger",
    )
