"""ABC-SMC with pyabc: a stored, resumable fit of the free parameters to the targets.

A fit lives in the result store under ``calibration.store``, in a folder named by the
content it depends on (``fit_key``: the scenario, the targets, the priors, the size of
the fit and the code's fingerprint). pyabc keeps every finished generation in that
folder's SQLite database (``abc.db``); a fit killed part-way continues from its last
finished generation when the same command is run again, and a finished fit
(``status.json`` says so) is not run again.

Samplers (``calibration.sampler``): ``single`` (one process; with ``calibration.seed``
the fit is reproducible), ``multicore`` (``n_procs`` processes on this machine, every
core by default), and pyabc's own distributed samplers ``redis`` and ``dask`` for a
cluster (docs/calibration.md#parallel).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.calibration.distance import Deviance
from sandbox.calibration.priors import Free
from sandbox.calibration.simulator import MODEL_SECONDS, HistorySimulator
from sandbox.calibration.targets import Target
from sandbox.config.params import CalibrationParams, Params
from sandbox.config.posterior import WEIGHT
from sandbox.experiments.atomic import write_atomic, write_json
from sandbox.experiments.provenance import code_fingerprint

DB = "abc.db"
STATUS = "status.json"
POSTERIOR = "posterior.csv"
# the keys of ``calibration`` that change a fit's result (the rest say how it is run)
SIZE = ("replicates", "citizens", "population", "generations", "min_acceptance",
        "max_simulations", "min_epsilon", "seed")  # fmt: skip


def fit_key(params: Params, targets: tuple[Target, ...], free: tuple[Free, ...]) -> str:
    """16 hex digits naming a fit by everything its result depends on."""
    world = asdict(params)
    for section in ("calibration", "uncertainty", "output", "adaptive"):
        world.pop(section)
    size = {k: getattr(params.calibration, k) for k in SIZE}
    content = {
        "world": world,
        "targets": [t.fit_fields() for t in targets],
        "free": [asdict(f) for f in free],
        "size": size,
        "code": code_fingerprint(),
    }
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_sampler(c: CalibrationParams):
    """The pyabc sampler ``calibration.sampler`` names."""
    from pyabc import sampler

    if c.sampler == "single":
        return sampler.SingleCoreSampler()
    if c.sampler == "multicore":
        return sampler.MulticoreEvalParallelSampler(n_procs=c.n_procs or os.cpu_count())
    host, _, port = c.address.partition(":")
    if c.sampler == "redis":
        return sampler.RedisEvalParallelSampler(host=host or "localhost", port=int(port or 6379))
    from distributed import Client  # dask

    return sampler.DaskDistributedSampler(dask_client=Client(c.address or None))


@dataclass
class FitResult:
    """A finished fit: its folder, posterior particles and what it cost."""

    folder: Path
    posterior: pd.DataFrame
    status: dict


def generations(history) -> list[dict]:
    """One row per stored generation: threshold, evaluations, acceptance, ESS."""
    rows = []
    populations = history.get_all_populations()
    for row in populations[populations["t"] >= 0].itertuples():
        _, weights = history.get_distribution(m=0, t=int(row.t))
        ess = float(1.0 / np.sum(np.square(weights)))
        rows.append({
            "generation": int(row.t),
            "epsilon": float(row.epsilon),
            "evaluations": int(row.samples),
            "particles": int(history.get_nr_particles_per_population()[row.t]),
            "acceptance": float(history.get_nr_particles_per_population()[row.t] / row.samples),
            "ess": ess,
        })  # fmt: skip
    return rows


def mean_model_seconds(history) -> float:
    """Mean time in the model of the accepted evaluations of the last generation."""
    stats = history.get_weighted_sum_stats(t=history.max_t)[1]
    return float(np.mean([s[MODEL_SECONDS] for s in stats]))


def run_fit(
    folder: Path,
    simulator: HistorySimulator,
    observed: dict[str, float],
    c: CalibrationParams,
    log=print,
) -> FitResult:
    """Fit (or continue, or just read) the ABC-SMC run stored in ``folder``.

    Args:
        folder: the fit's folder (made if missing).
        simulator: the model as pyabc sees it.
        observed: the targets' values by name.
        c: the size and sampler of the fit.
        log: where progress lines go.
    """
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    folder.mkdir(parents=True, exist_ok=True)
    status_path = folder / STATUS
    previous = json.loads(status_path.read_text()) if status_path.is_file() else {}
    url = f"sqlite:///{folder / DB}"
    prior = pyabc.Distribution(**{
        f.key: pyabc.RV("uniform", f.low, f.high - f.low) for f in simulator.free
    })  # fmt: skip
    abc = pyabc.ABCSMC(
        simulator, prior, Deviance(simulator.targets),
        population_size=c.population, sampler=make_sampler(c),
    )  # fmt: skip
    wall = float(previous.get("wall_seconds", 0.0))
    if (folder / DB).is_file() and previous.get("started"):
        history = abc.load(url, 1)
        done = history.n_populations
        if previous.get("finished"):
            log(f"calibration: reading the finished fit in {folder}")
        else:
            log(f"calibration: continuing {folder} after {done} stored generation(s)")
    else:
        (folder / DB).unlink(missing_ok=True)
        np.random.seed(c.seed)  # noqa: NPY002  (pyabc draws from NumPy's global generator)
        history = abc.new(url, observed)
        write_json(status_path, {"started": True, "finished": False, "wall_seconds": 0.0})
        done = 0
    remaining = c.generations - done
    if not previous.get("finished") and remaining > 0:
        start = time.perf_counter()
        history = abc.run(
            minimum_epsilon=c.min_epsilon,
            max_nr_populations=remaining,
            min_acceptance_rate=c.min_acceptance,
            max_total_nr_simulations=c.max_simulations,
        )
        wall += time.perf_counter() - start
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    posterior = frame[[f.key for f in simulator.free]].reset_index(drop=True)
    posterior[WEIGHT] = weights / weights.sum()
    write_atomic(folder / POSTERIOR, lambda tmp: posterior.to_csv(tmp, index=False))
    rows = generations(history)
    evaluations = int(sum(r["evaluations"] for r in rows))
    model_s = mean_model_seconds(history) * evaluations
    workers = _workers(c)
    status = {
        "started": True,
        "finished": True,
        "wall_seconds": wall,
        "evaluations": evaluations,
        "workers": workers,
        "model_seconds_estimated": model_s,
        "overhead_share": (wall * workers - model_s) / model_s if model_s > 0 else None,
        "generations": rows,
    }
    write_json(status_path, status)
    return FitResult(folder, posterior, status)


def _workers(c: CalibrationParams) -> int:
    if c.sampler == "single":
        return 1
    if c.sampler == "multicore":
        return c.n_procs or os.cpu_count() or 1
    return 0  # a cluster's: unknown here
