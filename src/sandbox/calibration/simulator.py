"""One evaluation of a fit: the targets' mean over a few histories of a parameter set."""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sandbox.calibration.priors import Free
from sandbox.calibration.targets import Target, last_month
from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.model.model import SandboxModel

MODEL_SECONDS = "model_seconds"  # the evaluation's time in the model, kept with its statistics
MAX_SEED = 2**62


def history_params(base: Params, targets: tuple[Target, ...], citizens: int) -> Params:
    """``base`` cut to the months the targets need, with ``citizens`` citizens (the
    targets count provinces, which the citizen population does not change)."""
    return with_values(base, {"horizon.end": last_month(targets), "citizens.n": citizens})


def run_history(params: Params) -> pd.DataFrame:
    """The monthly table of one run, indexed by month (``YYYY-MM``)."""
    return SandboxModel(params).run().set_index("month")


class HistorySimulator:
    """The model as pyabc sees it: parameters in, the targets' means out.

    Each call runs ``replicates`` histories, replicates ``0..replicates-1`` of a seed drawn
    from NumPy's global generator (which pyabc's samplers seed in each worker), and
    returns each target's mean plus the time spent in the model (``MODEL_SECONDS``).

    Args:
        base: the scenario, as cut by ``history_params``.
        free: the free parameters (keys of ``Params``).
        targets: the published counts.
        replicates: histories per evaluation.
    """

    def __init__(
        self, base: Params, free: tuple[Free, ...], targets: tuple[Target, ...], replicates: int
    ) -> None:
        self.base = base
        self.free = free
        self.targets = targets
        self.replicates = replicates
        self.calls = 0  # evaluations made in this process, and their time in the model
        self.model_seconds = 0.0

    def params(self, parameter: Mapping[str, float], seed: int, replicate: int) -> Params:
        """The scenario of one history of an evaluation."""
        values = {f.key: f.value(parameter[f.key]) for f in self.free}
        return with_values(self.base, {**values, "seed": seed, "replicate": replicate})

    def __call__(self, parameter: Mapping[str, float]) -> dict[str, float]:
        # pyabc seeds NumPy's global generator in each worker (and we do for `single`)
        seed = int(np.random.randint(0, MAX_SEED, dtype=np.int64))  # noqa: NPY002
        start = time.perf_counter()
        frames = [run_history(self.params(parameter, seed, r)) for r in range(self.replicates)]
        seconds = time.perf_counter() - start
        self.calls += 1
        self.model_seconds += seconds
        out = {t.name: float(np.mean([t.observed(f) for f in frames])) for t in self.targets}
        out[MODEL_SECONDS] = seconds
        return out
