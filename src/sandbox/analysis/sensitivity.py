"""Global sensitivity indices from a design's table of runs (``experiment=sensitivity``).

Everything here reads one stage's tidy table of runs (``sandbox.experiments.design``: one
row per point, replicate and policy, a ``u_<factor>`` column per coordinate of the design,
the outcomes as columns) and nothing else; the estimators are SALib's.

* **Targets**: what is analysed, per outcome. ``LEVEL`` is the outcome under the baseline
  policy (the first one); each other policy's target is its *paired effect*, its outcome
  minus the baseline's at the same point and replicate (the same uncertainty values, the
  same random streams, branched from the same history).
* **Noise share**: the mean over points of the variance between replicates of a point,
  over the variance of all runs: the part of the spread no uncertainty explains.
* **Floor**: the design includes a ``DUMMY`` factor the model never reads; its index is
  what an inert factor scores by chance (replicate noise, finite sample), and is itself an
  estimate. The floor is the upper bound of the dummy's bootstrap interval (its index plus
  SALib's ``conf``; Morris: ``mu_star``; Sobol: ``ST``, at least 0). A factor is
  *influential* for a target when the lower bound of its own interval (its index minus
  its ``conf``) lies above the floor: the two intervals do not overlap.
* The indices are computed on the mean over a point's replicates. Each point's
  replicates draw streams of their own (``run_design(distinct=True)``), so chance is
  independent between points and the dummy's index measures what it leaves in the
  estimates (with streams shared by every point, a step in the dummy would change
  nothing and its index would be 0 whatever the noise).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

DUMMY = "dummy"  # the factor no part of the model reads: its index is the floor
LEVEL = "level"  # the target of the baseline's own outcome
LEVELS = 4  # Morris's grid levels (SALib's default)
RESAMPLES = 1000  # bootstrap resamples of SALib's confidence intervals
CONFIDENCE = 0.95
PREFIX = "u_"


def factors(runs: pd.DataFrame) -> list[str]:
    """The design's factors, in the order of its points' columns (``u_<factor>``)."""
    return [c.removeprefix(PREFIX) for c in runs.columns if c.startswith(PREFIX)]


def stage_runs(runs: pd.DataFrame, stage: str) -> pd.DataFrame:
    """One stage's runs (``morris`` or ``sobol``) of a table of both (``stage`` column),
    with the coordinates of that stage's design only."""
    one = runs[runs["stage"] == stage]
    unused = [c for c in one.columns if c.startswith(PREFIX) and one[c].isna().all()]
    return one.drop(columns=unused).reset_index(drop=True)


def target_name(policy: str, baseline: str) -> str:
    """The target of ``policy``: ``LEVEL`` for the baseline, else the policy's name."""
    return LEVEL if policy == baseline else policy


def targets(runs: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """Each (point, replicate)'s targets: one column per (target, outcome).

    The baseline is the first policy of the table (its rows' order); a target column is
    its ``LEVEL`` outcome or a policy's paired effect against it. Runs that failed are
    left out, so their targets are NaN.
    """
    policies = list(dict.fromkeys(runs["policy"]))
    baseline = policies[0]
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    wide = ok.pivot_table(
        index=["point", "replicate"], columns="policy", values=list(outcomes), dropna=False
    )
    index = pd.MultiIndex.from_frame(
        runs[["point", "replicate"]].drop_duplicates().sort_values(["point", "replicate"])
    )
    wide = wide.reindex(index)
    columns = {}
    for policy in policies:
        for outcome in outcomes:
            value = wide.get((outcome, policy), pd.Series(np.nan, index=index))
            if policy != baseline:
                value = value - wide.get((outcome, baseline), pd.Series(np.nan, index=index))
            columns[(target_name(policy, baseline), outcome)] = value
    frame = pd.DataFrame(columns, index=index)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["target", "outcome"])
    return frame


def noise_share(table: pd.DataFrame) -> pd.Series:
    """Per column of ``targets``: the mean variance between a point's replicates over
    the variance of all (point, replicate) values (both unbiased; capped at 1, which the
    ratio of two estimates can pass when the points barely differ; NaN for a constant
    column)."""
    within = table.groupby(level="point").var(ddof=1).mean()
    total = table.var(ddof=1)
    return (within / total.where(total > 0)).clip(upper=1.0).rename("noise_share")


def inputs(runs: pd.DataFrame) -> np.ndarray:
    """The points' coordinates (one row per point, in point order; a column per factor)."""
    first = runs.drop_duplicates("point").sort_values("point")
    return first[[PREFIX + f for f in factors(runs)]].to_numpy(dtype=float)


def point_means(table: pd.DataFrame) -> pd.DataFrame:
    """The targets averaged over each point's replicates (one row per point)."""
    return table.groupby(level="point").mean()


def _complete(y: np.ndarray, size: int) -> np.ndarray:
    """Which groups of ``size`` consecutive points (a Morris trajectory, a Saltelli
    block) hold no missing value: an estimator needs whole groups."""
    return ~np.isnan(y.reshape(-1, size)).any(axis=1)


def _problem(names: Sequence[str]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _analysable(y: np.ndarray) -> bool:
    finite = y[np.isfinite(y)]
    return finite.size > 1 and float(np.ptp(finite)) > 0


def morris(runs: pd.DataFrame, outcomes: Sequence[str], seed: int = 0) -> pd.DataFrame:
    """Morris's elementary effects (SALib) of every target: one row per (target, outcome,
    factor) with ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf``, the floor (the
    dummy's ``mu_star`` plus its ``conf``) and ``influential``; ``groups`` is how many
    trajectories went in (those with a failed or undefined run are left out). A constant
    target has no row."""
    from SALib.analyze import morris as analyze

    names = factors(runs)
    x = inputs(runs)
    size = len(names) + 1
    means = point_means(targets(runs, outcomes))
    rows = []
    for column in means.columns:
        y = means[column].to_numpy(dtype=float)
        keep = np.repeat(_complete(y, size), size)
        if not _analysable(y[keep]):
            continue
        result = analyze.analyze(
            _problem(names),
            x[keep],
            y[keep],
            num_resamples=RESAMPLES,
            conf_level=CONFIDENCE,
            num_levels=LEVELS,
            seed=seed,
        )
        frame = pd.DataFrame(
            {k: np.asarray(result[k], dtype=float) for k in ("mu", "mu_star", "sigma")}
            | {"mu_star_conf": np.asarray(result["mu_star_conf"], dtype=float)},
        )
        frame.insert(0, "factor", names)
        frame.insert(0, "outcome", column[1])
        frame.insert(0, "target", column[0])
        frame["groups"] = int(keep.sum() // size)
        rows.append(frame)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return _floor(frame, "mu_star") if rows else frame


def sobol(runs: pd.DataFrame, outcomes: Sequence[str], seed: int = 0) -> pd.DataFrame:
    """Sobol's first-order and total indices (SALib, Saltelli's sample without second
    order) of every target: one row per (target, outcome, factor) with ``S1``,
    ``S1_conf``, ``ST``, ``ST_conf``, the floor (the dummy's ``ST`` plus its ``conf``, at
    least 0) and
    ``influential``; ``groups`` is how many base samples went in."""
    from SALib.analyze import sobol as analyze

    names = factors(runs)
    size = len(names) + 2
    means = point_means(targets(runs, outcomes))
    rows = []
    for column in means.columns:
        y = means[column].to_numpy(dtype=float)
        keep = np.repeat(_complete(y, size), size)
        if not _analysable(y[keep]):
            continue
        result = analyze.analyze(
            _problem(names),
            y[keep],
            calc_second_order=False,
            num_resamples=RESAMPLES,
            conf_level=CONFIDENCE,
            seed=seed,
        )
        frame = pd.DataFrame(
            {k: np.asarray(result[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        )
        frame.insert(0, "factor", names)
        frame.insert(0, "outcome", column[1])
        frame.insert(0, "target", column[0])
        frame["groups"] = int(keep.sum() // size)
        rows.append(frame)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return _floor(frame, "ST", at_least=0.0) if rows else frame


def _floor(frame: pd.DataFrame, index: str, at_least: float = -np.inf) -> pd.DataFrame:
    """Add each target's ``floor`` (the upper bound of the dummy's ``index``) and
    ``influential``: the lower bound of the index's interval above the floor (never the
    dummy itself)."""
    upper = frame[index] + frame[f"{index}_conf"]
    dummy = upper[frame["factor"] == DUMMY].set_axis(
        pd.MultiIndex.from_frame(frame.loc[frame["factor"] == DUMMY, ["target", "outcome"]])
    )
    keys = pd.MultiIndex.from_frame(frame[["target", "outcome"]])
    floor = dummy.reindex(keys).to_numpy().clip(min=at_least)
    frame["floor"] = floor
    lower = frame[index] - frame[f"{index}_conf"]
    frame["influential"] = (lower > frame["floor"]) & (frame["factor"] != DUMMY)
    return frame


def ranking(indices: pd.DataFrame) -> pd.DataFrame:
    """The factors of a Morris table, most important first: ``influential`` in how many
    (target, outcome) pairs, and ``score``, the mean over them of ``mu_star`` over the
    pair's largest (the dummy left out). Factors influential anywhere come first."""
    real = indices[indices["factor"] != DUMMY].copy()
    top = real.groupby(["target", "outcome"])["mu_star"].transform("max")
    real["scaled"] = real["mu_star"] / top.where(top > 0)
    table = real.groupby("factor", sort=False).agg(
        influential=("influential", "sum"), score=("scaled", "mean")
    )
    table["influential"] = table["influential"].astype(int)
    table["anywhere"] = table["influential"] > 0
    table = table.sort_values(["anywhere", "score"], ascending=False, kind="stable")
    return table.drop(columns="anywhere")


def selected(indices: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` factors of a Morris table that go on to Sobol's analysis (``ranking``)."""
    return list(ranking(indices).index[:n])
