"""Scenario discovery: in which region of the uncertainties does a policy beat the baseline?

PRIM (the patient rule induction method, Friedman and Fisher 1999, as implemented by EMA
Workbench, ``ema_workbench.analysis.prim``) looks for boxes (ranges of a few
uncertainties) in which the futures of interest are dense. Here a future is **of
interest** when a policy beats the baseline on an outcome by more than a margin, in the
outcome's good direction, comparing the means over each future's replicates
(``sandbox.analysis.regret.futures``, paired by common random numbers).

**PRIM's x are the uncertainty values the runs used** (``uncertainty_<key>`` of
``runs.parquet``, named by their dotted key): the fitted parameters by the values of the
posterior particle each future drew, every other number by its value, a flag as 0 or 1.
Values, not the unit-hypercube coordinates, so that a box reads in the parameters' own
units and the fitted parameters enter one by one (their one ``posterior`` coordinate only
says which particle, an order with no meaning). A list (``citizens.age_shares``) has no
single value: it enters by its coordinate (``u_<key>``: 0 the lower factor of its spread,
1 the upper, ``sandbox.config.uncertainties``). Columns that do not vary are left out.

**Which box.** PRIM peels a box down to ever denser, smaller ones (its peeling
trajectory). The box chosen is the densest on the trajectory whose coverage (the share
of all futures of interest inside it) is at least ``min_coverage``. With few futures
for many uncertainties, peeling restricts some by chance; so the restriction least
significant is dropped, one at a time, while its quasi-p-value (Bryant and Lempert 2010,
a one-sided binomial test of the density the restriction adds; EMA Workbench's
``drop_restriction``) is above ``QP_MAX`` (the box reported, appended to the trajectory
as EMA Workbench does). Then the futures in it are set aside and the search is repeated
on the rest, at most ``MAX_BOXES`` times, with the coverage asked of each later box
scaled to the futures of interest still left.
The search stops early when no future of interest is left or a box is no denser than the
futures it started from (nothing explained). Coverage, density and mass are PRIM's own:
of all futures of interest, of the futures in the box, of all futures.
"""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pandas as pd

from sandbox.analysis.regret import direction, futures

MAX_BOXES = 3
QP_MAX = 0.05  # a restriction whose quasi-p-value is above this is dropped
VALUE = "uncertainty_"  # prefix of a recorded value (sandbox.experiments.design.value_column)
COORDINATE = "u_"  # prefix of a coordinate (sandbox.experiments.design.coordinate)
POSTERIOR = "u_posterior"  # the particle's coordinate: its values are recorded one by one
# EMA Workbench warns on import that an optional back end (ipyparallel) is missing
OPTIONAL = "ipyparallel not installed"
INPLACE = "The inplace keyword in DataFrame.drop is deprecated"


def import_ema():
    """The ``ema_workbench`` package (imported on demand: it takes seconds), without its
    warning about the optional ipyparallel back end, which nothing here uses."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=OPTIONAL, category=UserWarning)
        import ema_workbench

    return ema_workbench


@dataclasses.dataclass(frozen=True)
class Box:
    """One box PRIM found.

    ``limits`` has one row per restricted uncertainty: ``uncertainty``, ``lo`` and ``hi``
    (the box), ``lowest`` and ``highest`` (the range of the futures sampled), ``qp_lo``
    and ``qp_hi`` (PRIM's quasi-p-values of each restricted side, NaN for a side not
    restricted). ``trajectory`` is the peeling trajectory (coverage, density, mass,
    res_dim per step) and ``step`` the step reported.
    """

    coverage: float
    density: float
    mass: float
    futures: int
    of_interest: int
    limits: pd.DataFrame
    trajectory: pd.DataFrame
    step: int


def of_interest(
    runs: pd.DataFrame, policy: str, baseline: str, outcome: str, margin: float
) -> pd.Series:
    """Whether ``policy`` beats ``baseline`` on ``outcome`` by more than ``margin`` in each
    future (by ``point``; futures incomplete for any policy left out)."""
    table = futures(runs, outcome)
    gain = table[policy] - table[baseline]
    gain = gain if direction(outcome) == "more" else -gain
    return (gain > margin).rename("of_interest")


def _key(column: str) -> str:
    """A value column's dotted key (the recorded values carry the key with ``.`` as ``_``;
    ``design.json`` does not keep them, so the key is found among the declared ones)."""
    from sandbox.config.uncertainties import spreads

    named = {f"{VALUE}{k.replace('.', '_')}": k for k in spreads()}
    return named.get(column, column.removeprefix(VALUE))


def inputs(runs: pd.DataFrame) -> pd.DataFrame:
    """PRIM's x, one row per future (by ``point``): module docstring."""
    first = runs.sort_values(["point", "replicate"], kind="stable").groupby("point").first()
    out: dict[str, pd.Series] = {}
    for column in first.columns:
        values = first[column]
        if column.startswith(VALUE):
            if values.dtype == bool:
                out[_key(column)] = values.astype(int)
            elif pd.api.types.is_numeric_dtype(values):
                out[_key(column)] = values.astype(float)
            else:  # a list as JSON text: its coordinate below
                continue
        elif column.startswith(COORDINATE) and column != POSTERIOR:
            key = column.removeprefix(COORDINATE)
            recorded = VALUE + key.replace(".", "_")
            if recorded in first and _is_list(first[recorded]):
                out[column] = values.astype(float)
    x = pd.DataFrame(out, index=first.index)
    return x.loc[:, x.nunique() > 1]


def _is_list(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values) or values.dtype == bool:
        return False
    try:
        return isinstance(json.loads(str(values.iloc[0])), list)
    except ValueError:
        return False


def discover(x: pd.DataFrame, y: pd.Series | np.ndarray, min_coverage: float) -> list[Box]:
    """PRIM's boxes of the futures ``y`` marks (True: of interest) in the space ``x``
    (numeric columns only): module docstring. No box when no future, or every future,
    is of interest."""
    import_ema()
    from ema_workbench.analysis.prim import Prim

    y = np.asarray(y, dtype=bool)
    if len(y) != len(x):
        raise ValueError(f"x has {len(x)} futures and y {len(y)}")
    if not y.any() or y.all():
        return []
    x = x.reset_index(drop=True).astype(float)
    with warnings.catch_warnings():  # EMA 3.0 drops a column in place, which pandas 3 warns of
        warnings.filterwarnings("ignore", message=INPLACE)
        prim = Prim(x, y.astype(int))
    total = int(y.sum())
    boxes: list[Box] = []
    while len(boxes) < MAX_BOXES:
        box = prim.find_box()  # None when no future is left
        if box is None:
            break
        remaining = prim.yi_remaining  # the futures this box was sought among
        left = int(y[remaining].sum())
        if left == 0:
            break
        trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]]
        wanted = min_coverage * left / total
        eligible = trajectory[trajectory["coverage"] >= wanted - 1e-12]
        step = int(eligible["density"].idxmax()) if len(eligible) else 0
        box.select(step)
        step = _prune(box, step)
        trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]]
        chosen = trajectory.loc[step]
        if chosen["density"] <= left / len(remaining) + 1e-12:
            break
        boxes.append(
            Box(
                coverage=float(chosen["coverage"]),
                density=float(chosen["density"]),
                mass=float(chosen["mass"]),
                futures=int(chosen["n"]),
                of_interest=int(chosen["k"]),
                limits=_limits(prim, box, step, x),
                trajectory=trajectory.astype(float).reset_index(drop=True),
                step=step,
            )
        )
    return boxes


def _prune(box, step: int) -> int:
    """Drop, one at a time, the restriction least significant (the largest of its
    restricted sides' smallest quasi-p-value) while it is above ``QP_MAX``; the step of
    the box left (EMA Workbench's ``drop_restriction`` adds it to the trajectory)."""
    while True:
        weak = {
            name: min(q for q in sides if q >= 0)
            for name, sides in box.p_values[step].items()
            if any(q >= 0 for q in sides)
        }
        weak = {name: q for name, q in weak.items() if q > QP_MAX}
        if not weak:
            return step
        box.drop_restriction(max(weak, key=weak.get), step)
        step = len(box.peeling_trajectory) - 1


def _limits(prim, box, step: int, x: pd.DataFrame) -> pd.DataFrame:
    lims = box.box_lims[step]
    rows = []
    for name in x.columns:
        lo, hi = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        lowest, highest = float(prim.box_init[name].iloc[0]), float(prim.box_init[name].iloc[1])
        if lo <= lowest and hi >= highest:
            continue
        qp = [np.nan if q < 0 else float(q) for q in box.p_values[step].get(name, [-1, -1])]
        rows.append(
            {
                "uncertainty": name,
                "lo": lo,
                "hi": hi,
                "lowest": lowest,
                "highest": highest,
                "qp_lo": qp[0],
                "qp_hi": qp[1],
            }
        )
    columns = ["uncertainty", "lo", "hi", "lowest", "highest", "qp_lo", "qp_hi"]
    return pd.DataFrame(rows, columns=columns)


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """The boxes as one table: a row per restricted uncertainty of each box, with the
    box's coverage, density, mass and counts."""
    frames = [
        b.limits.assign(
            box=i + 1,
            coverage=b.coverage,
            density=b.density,
            mass=b.mass,
            futures=b.futures,
            of_interest=b.of_interest,
        )
        for i, b in enumerate(boxes)
    ]
    columns = ["box", "coverage", "density", "mass", "futures", "of_interest",
               "uncertainty", "lo", "hi", "lowest", "highest", "qp_lo", "qp_hi"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
