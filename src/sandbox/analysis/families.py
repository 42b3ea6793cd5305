"""Metric families: the per-domain columns of one quantity, and their mean.

The model reports some quantities per domain (``clarity_<domain>``,
``provinces_service_<domain>``); a figure that needs one number per run (the legal
clarity of the experimental-alignment question) takes their unweighted mean, named
``<prefix>domains_mean``.
"""

from __future__ import annotations

import pandas as pd

from sandbox.analysis.columns import metric_columns


def family(frame: pd.DataFrame, prefix: str) -> list[str]:
    """The metric columns that begin with ``prefix`` (e.g. ``clarity_``)."""
    return [c for c in metric_columns(frame) if c.startswith(prefix)]


def with_family_mean(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """``frame`` with a column ``<prefix>domains_mean``: the mean of the family, per row.

    Raises:
        ValueError: no metric column begins with ``prefix``.
    """
    columns = family(frame, prefix)
    if not columns:
        raise ValueError(f"no metric column begins with {prefix!r}")
    return frame.assign(**{f"{prefix}domains_mean": frame[columns].mean(axis=1)})
