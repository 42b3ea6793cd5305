"""Historical targets the model's province counts are compared with.

Counts reported at the Vietnam-Asia Smart City Conference 2024 (docs/model.md#calibration). They
are a default: every function that overlays targets accepts another table of the same
columns (``metric``, ``month``, ``value``, ``source``); the calibration is to move them to
``configs/``.
"""

from __future__ import annotations

import pandas as pd

from sandbox.analysis.tables import as_month

SOURCE = "Vietnam-Asia Smart City Conference 2024"
HISTORICAL_TARGETS = pd.DataFrame(
    [
        ("provinces_with_project", "2021-12", 41, SOURCE),
        ("provinces_with_project", "2023-12", 48, SOURCE),
        ("provinces_with_initiative", "2024-12", 45, SOURCE),
        ("provinces_with_app", "2024-12", 60, SOURCE),
    ],
    columns=["metric", "month", "value", "source"],
)


def as_targets(targets: pd.DataFrame | None) -> pd.DataFrame:
    """A targets table with ``month`` as a monthly ``Period`` (empty for ``None``)."""
    if targets is None:
        return pd.DataFrame(
            {"metric": [], "month": pd.PeriodIndex([], freq="M"), "value": [], "source": []}
        )
    missing = {"metric", "month", "value"} - set(targets.columns)
    if missing:
        raise ValueError(f"a targets table needs the columns {sorted(missing)}")
    out = targets.assign(month=as_month(targets["month"]))
    if "source" not in out:
        out["source"] = ""
    return out


def targets_within(
    targets: pd.DataFrame | None, metric: str, first: pd.Period, last: pd.Period
) -> pd.DataFrame:
    """The targets of ``metric`` whose month lies within ``first``..``last``."""
    table = as_targets(targets)
    inside = (table["metric"] == metric) & (table["month"] >= first) & (table["month"] <= last)
    return table[inside]
