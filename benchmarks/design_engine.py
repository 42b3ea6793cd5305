"""The design engine's overhead against the model-only floor (run on demand).

Runs the same (point, replicate) pairs twice on the same cores:

1. **floor**: each pair's runs looped in-process (``sandbox.experiments.branches.evaluate``,
   the history once and a branch per policy), the pairs split evenly over ``workers``
   processes by joblib, nothing written: the time the model needs;
2. **engine**: ``sandbox.experiments.design.run_design`` on the same pairs (chunks, atomic
   chunk files with checksums, the final ``runs.parquet``).

Reports both wall times and their ratio (the target is 1.15x or less), the sum of the
runs' own ``wall_seconds`` over the workers, and the engine's share of time outside the
model.

Usage: python benchmarks/design_engine.py [POINTS] [REPLICATES] [WORKERS] [POLICIES]
       [key=value ...]   (default 500 2 2 1: 1,000 (point, replicate) pairs of the
       default scenario, 10^5 citizens, status quo only; with POLICIES=6 every regime
       branches from each history)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from omegaconf import OmegaConf

from sandbox.config.params import Params
from sandbox.config.params.design import REGIMES
from sandbox.config.schema import structured
from sandbox.experiments.branches import evaluate
from sandbox.experiments.design import point_values, run_design

COORDINATE = "citizens.trust_mean"  # one coordinate, at its declared default's place


def scenario(policy: str, extra: list[str]) -> Params:
    """The default scenario under ``policy`` (its config group's name only: the regimes'
    own settings are not needed to time the engine)."""
    cfg = OmegaConf.merge(structured(), OmegaConf.from_dotlist([f"policy.name={policy}", *extra]))
    return OmegaConf.to_object(cfg)


def _floor_part(policies: dict, pairs: list[tuple[int, int, dict]]) -> float:
    start = time.perf_counter()
    for _, replicate, values in pairs:
        evaluate(policies, values, replicate)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    numbers = [a for a in argv if "=" not in a]
    extra = [a for a in argv if "=" in a]
    points, replicates, workers, n_policies = (
        [int(a) for a in numbers] + [500, 2, 2, 1][len(numbers) :]
    )[:4]
    policies = {name: scenario(name, extra) for name in REGIMES[:n_policies]}
    rng = np.random.default_rng(0)
    design = pd.DataFrame({COORDINATE: rng.uniform(0.45, 0.55, points)})
    pairs = [
        (p, r, point_values(design.iloc[p], "history"))
        for p in range(points)
        for r in range(replicates)
    ]
    shares = [pairs[i::workers] for i in range(workers)]
    start = time.perf_counter()
    Parallel(n_jobs=workers)(delayed(_floor_part)(policies, share) for share in shares)
    floor = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        frame = run_design(
            Path(folder) / "design", "benchmark", policies, design, replicates,
            workers=workers, chunk=8, log=lambda s: None, progress=False,
        )  # fmt: skip
        engine = time.perf_counter() - start
    model = float(frame["wall_seconds"].sum()) / workers
    print(
        json.dumps(
            {
                "runs": len(frame),
                "pairs": len(pairs),
                "workers": workers,
                "floor_s": round(floor, 2),
                "engine_s": round(engine, 2),
                "ratio": round(engine / floor, 3),
                "model_s_per_worker": round(model, 2),
                "outside_model_share": round(1 - model / engine, 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
