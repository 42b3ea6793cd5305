"""Paired comparison of policies against a baseline, from a collected runs.parquet.

Replicate ``r`` of every policy shares its random world (common random numbers), so the
difference policy - baseline is taken within pairs that agree on the replicate and on
every other lever. The 95% confidence interval of the mean difference uses Student's t
over the pairs. The variance reduction is the variance the difference would have if the
runs were independent (the two arms' variances added) over the variance of the paired
difference; both are taken around the mean of each combination of the other levers, so
that mixing combinations does not inflate either.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sandbox.experiments.atomic import write_atomic

# The flagship table's metrics (names from ``sandbox.model.metrics``) and their units.
FLAGSHIP_UNITS = {
    "adoption": "share of people",
    "provinces_with_app": "provinces",
    "citizens_harmed": "people, cumulative",
    "public_spending": "billion VND, cumulative",
    "private_investment": "billion VND, cumulative",
    "urban_rural_gap": "urban minus rural share",
}
FLAGSHIP = tuple(FLAGSHIP_UNITS)


def lever_column(lever: str) -> str:
    """The ``runs.parquet`` column of a lever named with or without its ``lever_`` prefix."""
    return lever if lever.startswith("lever_") else f"lever_{lever}"


def _centre(values: pd.Series, groups: pd.DataFrame) -> pd.Series:
    if groups.shape[1] == 0:
        return values - values.mean()
    return values - values.groupby([groups[c] for c in groups.columns]).transform("mean")


def paired_comparison(
    runs: pd.DataFrame,
    baseline: str,
    lever: str = "lever_policy",
    metrics: tuple[str, ...] = FLAGSHIP,
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean difference from ``baseline`` with a paired CI, per option of ``lever`` and metric.

    Args:
        runs: a collected ``runs.parquet`` (only ``status == "done"`` rows are used).
        baseline: the option of ``lever`` to compare against (e.g. ``status_quo``).
        lever: the column whose options are compared (``lever_`` prefix optional).
        metrics: metric columns.
        level: confidence level.

    Returns:
        One row per (option, metric): ``n_pairs``, ``baseline_mean``, ``mean_diff``,
        ``ci_low``, ``ci_high``, ``se_paired``, ``se_independent``, ``variance_reduction``.
    """
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    lever = lever_column(lever)
    if lever not in done.columns:
        levers = sorted(c.removeprefix("lever_") for c in done.columns
                        if c.startswith("lever_") and done[c].nunique() > 1)  # fmt: skip
        raise ValueError(
            f"lever {lever!r} is not a column of runs.parquet; the levers this sweep varies "
            f"are {levers} (written with or without the lever_ prefix)"
        )
    if baseline not in set(done[lever]):
        raise ValueError(f"baseline {baseline!r} not among {sorted(set(done[lever]))}")
    # pair on the other levers swept independently of ``lever`` (those that vary within
    # one of its options); columns that merely follow ``lever`` are not keys
    others = [
        c
        for c in done.columns
        if c.startswith("lever_")
        and c != lever
        and done.groupby(lever)[c].nunique(dropna=False).max() > 1
    ]
    keys = [*others, "replicate"]
    base = done[done[lever] == baseline].set_index(keys)
    rows = []
    for option in sorted(set(done[lever]) - {baseline}):
        arm = done[done[lever] == option].set_index(keys)
        common = arm.index.intersection(base.index)
        groups = common.to_frame(index=False)[others]
        for metric in metrics:
            a = arm.loc[common, metric].astype(float).reset_index(drop=True)
            b = base.loc[common, metric].astype(float).reset_index(drop=True)
            diff = a - b
            n = len(diff)
            dof = max(n - len(groups.drop_duplicates()) if others else n - 1, 1)
            var_paired = float((_centre(diff, groups) ** 2).sum() / dof)
            var_indep = float(
                ((_centre(a, groups) ** 2).sum() + (_centre(b, groups) ** 2).sum()) / dof
            )
            se = np.sqrt(var_paired / n) if n else np.nan
            half = stats.t.ppf(0.5 + level / 2, dof) * se
            rows.append(
                {
                    "option": option,
                    "metric": metric,
                    "n_pairs": n,
                    "baseline_mean": float(b.mean()),
                    "mean_diff": float(diff.mean()),
                    "ci_low": float(diff.mean() - half),
                    "ci_high": float(diff.mean() + half),
                    "se_paired": float(se),
                    "se_independent": float(np.sqrt(var_indep / n)) if n else np.nan,
                    "variance_reduction": var_indep / var_paired if var_paired > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _formatter(*values: float):
    """One number format for related values: 3 decimals below 10, 1 below 1,000, else 0."""
    scale = max((abs(v) for v in values if np.isfinite(v)), default=0.0)
    digits = 3 if scale < 10 else 1 if scale < 1000 else 0
    return lambda v: f"{v + 0.0:,.{digits}f}".replace("-0.000", "0.000")


def _cell(value: float, low: float, high: float) -> str:
    fmt = _formatter(value, low, high)
    return f"{fmt(value)} [{fmt(low)}, {fmt(high)}]"


def comparison_table(
    result: pd.DataFrame, baseline: str | None = None, lever: str = "lever_policy"
) -> pd.DataFrame:
    """Options as rows, metrics as columns, each cell ``mean difference [95% CI]``.

    With ``baseline``, a first row gives the baseline's own mean level of each metric.
    """
    cells = result.assign(
        cell=[_cell(r.mean_diff, r.ci_low, r.ci_high) for r in result.itertuples()]
    )
    table = cells.pivot(index="option", columns="metric", values="cell")
    table = table[[m for m in dict.fromkeys(result["metric"]) if m in table.columns]]
    if baseline is not None:
        levels = result.drop_duplicates("metric").set_index("metric")["baseline_mean"]
        level_row = pd.DataFrame(
            [[_formatter(levels[m])(levels[m]) for m in table]],
            index=[f"{baseline} (level)"],
            columns=table.columns,
        )
        table = pd.concat([level_row, table])
    table.index.name = lever.removeprefix("lever_")
    return table


def write_comparison(sweep_dir: Path, baseline: str, lever: str = "lever_policy") -> str:
    """Compare; write ``comparison_vs_<baseline>.parquet`` and ``.txt``; return the text."""
    runs = pd.read_parquet(Path(sweep_dir) / "runs.parquet")
    lever = lever_column(lever)
    result = paired_comparison(runs, baseline, lever)
    table = comparison_table(result, baseline, lever)
    reduction = result.groupby("metric", sort=False)["variance_reduction"].median()
    done = runs[runs["status"] == "done"]
    n_rep = done["replicate"].nunique()
    n_pairs = int(result["n_pairs"].max())
    n_combinations = n_pairs // max(n_rep, 1)
    ends = sorted(set(done["setting_horizon_end"])) if "setting_horizon_end" in done else []
    end = ", ".join(map(str, ends)) or "unknown"
    units = "; ".join(f"{m}: {FLAGSHIP_UNITS[m]}" for m in table.columns if m in FLAGSHIP_UNITS)
    others = done[done[lever] != baseline]
    same = [m for m in table.columns if others[m].nunique() == 1]
    text = "\n".join(
        [
            f"Level of {baseline}, and difference of each other {table.index.name} option "
            f"from it, at the end of the horizon ({end}): mean over {n_pairs} pairs "
            f"({n_rep} replicates x {n_combinations} "
            f"combination{'s' * (n_combinations != 1)} of the other levers) [95% CI]",
            f"units: {units}",
            table.to_string(),
            *(
                f"note: every run of every other option ends with {m} = {others[m].iloc[0]:g}, "
                "so their differences from the baseline are the same"
                for m in same
            ),
            "variance reduction by pairing (median over options): "
            + ", ".join(
                f"{m} {v:.1f}x" if np.isfinite(v) else f"{m} n/a (no variation)"
                for m, v in reduction.items()
            ),
        ]
    )
    stem = Path(sweep_dir) / f"comparison_vs_{baseline}"
    write_atomic(stem.with_suffix(".parquet"), lambda t: result.to_parquet(t))
    write_atomic(stem.with_suffix(".txt"), lambda t: t.write_text(text + "\n"))
    return text


def main(argv: list[str] | None = None) -> None:
    """``sandbox-compare <sweep folder> [--baseline status_quo] [--lever ...]``."""
    parser = argparse.ArgumentParser(prog="sandbox-compare", description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="a collected sweep folder")
    parser.add_argument(
        "--baseline",
        default="status_quo",
        help="the option every other is compared with (default: status_quo)",
    )
    parser.add_argument("--lever", default="policy",
                        help="the lever whose options are compared: policy (default), "
                             "resources, data, or any lever_ column of runs.parquet")  # fmt: skip
    args = parser.parse_args(argv)
    if not (args.sweep_dir / "runs.parquet").is_file():
        print(f"sandbox-compare: no runs.parquet in {args.sweep_dir}", file=sys.stderr)
        sys.exit(2)
    try:
        print(write_comparison(args.sweep_dir, args.baseline, args.lever))
    except (ValueError, KeyError) as err:
        print(f"sandbox-compare: {err}", file=sys.stderr)
        sys.exit(2)
