"""A design's runs in EMA Workbench's format, for its other analyses.

EMA Workbench (``ema_workbench``) analyses results as a pair ``(experiments, outcomes)``:
a table with one row per experiment (the uncertainties' values, the ``policy``, the
``scenario`` and the ``model``) and a mapping from each outcome's name to an array with
one value per experiment; ``ema_workbench.save_results`` writes the pair as a .tar.gz
that ``ema_workbench.load_results`` reads back. ``write_ema`` writes a design's pair into
its folder (``EXPORT``), so that feature scoring (``ema_workbench.analysis
.feature_scoring``), dimensional stacking, CART or PRIM with other settings can be applied
to it directly::

    from ema_workbench import load_results
    experiments, outcomes = load_results("results/designs/robustness-.../ema_workbench.tar.gz")

One experiment is one (future, policy): ``scenario`` is the future (the design's
``point``), ``policy`` the regime; the uncertainties are the values the runs used, as
PRIM reads them (``sandbox.analysis.discovery.inputs``: dotted keys, flags as 0 or 1, a
list by its ``u_<key>`` coordinate), every one the design varies. Each outcome of
``sandbox.model.outcomes`` the runs report is the mean over the future's finished
replicates (as ``sandbox.analysis.regret.futures``), declared to EMA as a
``ScalarOutcome`` that it maximises, minimises or only reports (``Outcome.better``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.analysis.discovery import import_ema, inputs
from sandbox.analysis.regret import policies_of
from sandbox.experiments.atomic import write_atomic
from sandbox.model.outcomes import BY_NAME

EXPORT = "ema_workbench.tar.gz"
MODEL = "sandbox"


def outcome_names(runs: pd.DataFrame) -> list[str]:
    """The outcomes of ``sandbox.model.outcomes`` that ``runs`` holds as numbers."""
    return [
        name
        for name in BY_NAME
        if name in runs.columns and pd.api.types.is_numeric_dtype(runs[name])
    ]


def to_ema(runs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """A design's ``(experiments, outcomes)`` in EMA Workbench's form (module docstring)."""
    order = policies_of(runs)
    x = inputs(runs)
    names = outcome_names(runs)
    done = runs[runs["status"] == "ok"]
    means = done.groupby(["point", "policy"])[names].mean()
    index = pd.MultiIndex.from_product([x.index, order], names=["point", "policy"])
    means = means.reindex(index)
    experiments = x.loc[index.get_level_values("point")].reset_index(drop=True)
    experiments["scenario"] = index.get_level_values("point").astype(int)
    experiments["policy"] = pd.Categorical(index.get_level_values("policy"), categories=order)
    experiments["model"] = pd.Categorical([MODEL] * len(index))
    outcomes = {name: means[name].to_numpy(dtype=float) for name in names}
    return experiments, outcomes


def write_ema(folder: Path, runs: pd.DataFrame) -> Path:
    """Write the design's pair as ``EXPORT`` in ``folder`` (atomically); its path."""
    ema = import_ema()
    from ema_workbench.em_framework.outcomes import ScalarOutcome

    kinds = {"more": ScalarOutcome.MAXIMIZE, "less": ScalarOutcome.MINIMIZE}
    experiments, outcomes = to_ema(runs)
    for name in outcomes:  # declares each outcome to EMA's register, which save_results reads
        ScalarOutcome(name, kind=kinds.get(BY_NAME[name].better, ScalarOutcome.INFO))
    path = Path(folder) / EXPORT
    write_atomic(path, lambda tmp: ema.save_results((experiments, outcomes), str(tmp)))
    return path
