"""What a calibration spends outside the model, as a share of its time in the model.

Runs a small ABC-SMC fit of the default history with pyabc's single-process sampler, so
that every evaluation happens in this process and its time in the model is counted
exactly (``HistorySimulator.model_seconds``); the rest of the wall time is the
calibration's own work (building parameter sets, pyabc's proposals, weights, thresholds
and database). The multicore sampler adds process start-up and hand-over on top; the fit's
``status.json`` estimates that share for a real run.

Usage: python benchmarks/calibration_overhead.py [population] [generations]
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from hydra import compose, initialize_config_dir

from sandbox.calibration.fit import run_fit
from sandbox.calibration.priors import load_priors
from sandbox.calibration.simulator import HistorySimulator, history_params
from sandbox.calibration.targets import load_targets
from sandbox.cli import CONFIG_DIR
from sandbox.config.schema import register, to_params


def main(population: int = 100, generations: int = 3) -> None:
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        params = to_params(compose(config_name="config", overrides=["experiment=calibration"]))
    c = dataclasses.replace(
        params.calibration, population=population, generations=generations, sampler="single"
    )
    targets, free = load_targets(c.targets), load_priors(c.priors)
    simulator = HistorySimulator(
        history_params(params, targets, c.citizens), free, targets, c.replicates
    )
    observed = {t.name: float(t.value) for t in targets}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        run_fit(Path(folder) / "fit", simulator, observed, c, log=lambda _: None)
        wall = time.perf_counter() - start
    model = simulator.model_seconds
    per = model / simulator.calls * 1000
    print(
        f"evaluations {simulator.calls}, wall {wall:.1f} s, in the model {model:.1f} s "
        f"({per:.0f} ms per evaluation of {c.replicates} histories), outside the model "
        f"{(wall - model) / model:.1%} of the model's time"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
