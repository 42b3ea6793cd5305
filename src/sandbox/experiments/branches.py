"""One sampled future, every policy: the history once, then a branch per policy.

A design of the uncertainties (sensitivity, robustness) evaluates each point under
several policies. The policies share everything before ``policy.start`` (the history
depends on no lever), so ``evaluate`` simulates the history once per (point, replicate),
keeps its state in memory (``sandbox.experiments.snapshot``, the format of the checkpoint
store) and continues a copy of it under each policy: the same uncertainty values, the
same replicate streams, the same history. Each branch's results are bit-identical to a
full run of the same scenario (``tests/test_branches.py``), so the differences between
policies are paired effects by common random numbers.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from typing import Any

from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.experiments import snapshot
from sandbox.experiments.manifest import WALL_SECONDS  # a branch's: its share of the history too
from sandbox.experiments.runner import summarise
from sandbox.model.model import SandboxModel


def evaluate(
    policies: Mapping[str, Params], values: Mapping[str, Any], replicate: int
) -> dict[str, dict]:
    """Every policy's run summary at one point of a design.

    Args:
        policies: each policy's scenario, by name; they must differ only in their levers
            (the first one's history is the one every policy branches from).
        values: the point's parameter values by dotted key (``sandbox.config.uncertainties
            .values``), set in every policy's scenario.
        replicate: the replicate index (its streams are shared by every policy).

    Returns:
        Each policy's summary (``sandbox.experiments.runner.summarise``) with its
        ``wall_seconds``: the time of its branch plus an equal share of the history's.
    """
    scenarios = {
        name: with_values(p, {**values, "replicate": replicate}) for name, p in policies.items()
    }
    start = time.perf_counter()
    model = SandboxModel(next(iter(scenarios.values())))
    model.run_history()
    state = io.BytesIO()
    snapshot.write(state, model)
    shared = (time.perf_counter() - start) / len(scenarios)
    out: dict[str, dict] = {}
    for name, params in scenarios.items():
        start = time.perf_counter()
        state.seek(0)
        branch = snapshot.read(state)
        branch.enact_policy(params)
        frame = branch.run()
        summary = summarise(branch, frame, params)
        summary[WALL_SECONDS] = shared + time.perf_counter() - start
        out[name] = summary
    return out
