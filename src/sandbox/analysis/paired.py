"""Paired differences against a baseline option of any lever, text or numeric.

One implementation: ``sandbox.analysis.comparison.paired_comparison`` (the one behind
``sandbox-compare`` and the sweep's own comparison table); this module gives it the
analysis tables' conventions (lever names with or without ``lever_``, every flagship
metric the table holds by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.comparison import FLAGSHIP, paired_comparison


def paired_differences(
    runs: pd.DataFrame,
    lever: str = "policy",
    baseline: object = "status_quo",
    metrics: str | Iterable[str] | None = None,
    by: str | Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each option of ``lever`` minus ``baseline``, paired on replicate and other levers.

    Args:
        runs: ``Results.runs`` or a collected ``runs.parquet`` (final metrics), or
            ``Results.timeseries`` with ``by="month"`` for differences over time.
        lever: the lever compared (``policy``, ``policy_sandbox_capacity``, ...).
        baseline: its option to compare with; a number, or its text (``"10"``).
        metrics: metric columns (default: the flagship metrics of
            ``sandbox.analysis.comparison.FLAGSHIP`` that the table has).
        by: other levers (or ``month``) to break the comparison down by.
        level: confidence level.

    Returns:
        ``paired_comparison``'s table: the ``by`` columns, ``option``, ``metric``,
        ``n_pairs``, ``baseline_mean``, ``mean_diff``, ``ci_low``, ``ci_high``,
        ``se_paired``, ``se_independent``, ``variance_reduction``, ``ci_note``.
    """
    lever = resolve(runs, lever)
    if metrics is None:
        metrics = [m for m in FLAGSHIP if m in runs.columns]
    metrics = [resolve(runs, m) for m in ([metrics] if isinstance(metrics, str) else metrics)]
    return paired_comparison(runs, baseline, lever, tuple(metrics), level, resolve_all(runs, by))
