"""Column families of the collected tables, and column names resolved against them.

``runs.parquet`` and ``timeseries.parquet`` (``sandbox.experiments.collect``) hold identity
columns (``run_id``, ``status``, ``seed``, ``replicate`` ...), provenance (``code_...``,
``input_...``), configuration by family (``lever_...``, ``uncertainty_...``,
``setting_...``) and metrics. Analysis code finds the metrics by elimination, so that a
metric the model adds or drops needs no change here.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sandbox.analysis.comparison import lever_column

IDENTITY = ("run_id", "status", "error", "job", "seed", "replicate", "sweep", "month")
FAMILIES = ("lever_", "uncertainty_", "setting_")
PROVENANCE = ("code_", "input_")


def is_metric(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``column`` of ``frame`` is a metric: numeric, and no identity or config."""
    if column in IDENTITY or column.startswith((*FAMILIES, *PROVENANCE)):
        return False
    dtype = frame[column].dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def metric_columns(frame: pd.DataFrame) -> list[str]:
    """The metric columns of a collected (or loaded) table, in table order."""
    return [c for c in frame.columns if is_metric(frame, c)]


def varying(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The ``columns`` that take more than one value in ``frame`` (missing counts as one)."""
    return [c for c in columns if frame[c].nunique(dropna=False) > 1]


def varying_levers(frame: pd.DataFrame) -> list[str]:
    """The ``lever_`` columns that vary, e.g. ``lever_policy`` in a policy comparison."""
    return varying(frame, [c for c in frame.columns if c.startswith("lever_")])


def resolve(frame: pd.DataFrame, name: str) -> str:
    """The column ``name`` refers to: itself, or the lever ``lever_<name>``.

    Raises:
        ValueError: neither is a column; the message lists the levers that vary.
    """
    if name in frame.columns:
        return name
    if lever_column(name) in frame.columns:
        return lever_column(name)
    levers = [c.removeprefix("lever_") for c in varying_levers(frame)]
    raise ValueError(
        f"{name!r} is neither a column nor a lever of this table; the levers that vary "
        f"are {levers} (written with or without the lever_ prefix)"
    )


def resolve_all(frame: pd.DataFrame, names: str | Iterable[str] | None) -> list[str]:
    """``resolve`` for one name, several, or none (``None`` gives ``[]``)."""
    if names is None:
        return []
    if isinstance(names, str):
        names = [names]
    return [resolve(frame, n) for n in names]
