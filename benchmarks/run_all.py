"""Speed benchmarks (run on demand: ``make bench``; not part of the tests).

1. default run: 63 provinces, 10^5 citizens, 72 months, wall time after imports;
2. citizen update: citizen-months per second at 10^7 citizens, one core (the adoption
   update alone, and the whole model's month);
3. one-to-one Vietnam: ``citizens.n=100000000``, wall time and peak memory (own process).

Usage: python benchmarks/run_all.py [--skip-full]
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
from omegaconf import OmegaConf

from sandbox.config.params import Params
from sandbox.config.schema import structured
from sandbox.model.citizens import Citizens
from sandbox.model.model import SandboxModel
from sandbox.model.regions import load_region


def params(**dotlist: object) -> Params:
    """Default parameters with dotted overrides."""
    cfg = OmegaConf.merge(
        structured(),
        OmegaConf.from_dotlist([f"{k}={v}" for k, v in dotlist.items()]),
    )
    return OmegaConf.to_object(cfg)


def default_run(repeats: int = 5) -> dict:
    """Wall time of the default scenario (construction + 72 months), after imports."""
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        SandboxModel(params(seed=seed)).run()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "repeats": repeats}


def citizen_update(n: int = 10_000_000, months: int = 72) -> dict:
    """Citizen-months per second of the monthly adoption update (construction excluded)."""
    region = load_region("vietnam_63.csv")
    citizens = Citizens(params(**{"citizens.n": n}).citizens, region, np.random.default_rng(0))
    coverage = np.random.default_rng(1).uniform(0, 1, region.n)
    start = time.perf_counter()
    for _ in range(months):
        citizens.step(coverage)
    elapsed = time.perf_counter() - start
    return {
        "n": n,
        "months": months,
        "seconds": elapsed,
        "citizen_months_per_s": n * months / elapsed,
    }


def whole_model(n: int = 10_000_000) -> dict:
    """Citizen-months per second of the whole model (all stages, construction excluded)."""
    model = SandboxModel(params(**{"citizens.n": n}))
    start = time.perf_counter()
    frame = model.run()
    elapsed = time.perf_counter() - start
    return {"n": n, "seconds": elapsed, "citizen_months_per_s": n * len(frame) / elapsed}


def full_vietnam() -> dict:
    """One citizen per person, in a fresh process so that peak memory is its own."""
    code = (
        "import json, resource, time\n"
        "from benchmarks.run_all import params\n"
        "from sandbox.model.model import SandboxModel\n"
        "start = time.perf_counter()\n"
        "model = SandboxModel(params(**{'citizens.n': 100_000_000}))\n"
        "built = time.perf_counter()\n"
        "model.run()\n"
        "done = time.perf_counter()\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20\n"
        "print(json.dumps({'construct_s': built - start, 'simulate_s': done - built,"
        " 'total_s': done - start, 'peak_rss_gib': rss}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    return json.loads(out.stdout)


def main() -> None:
    """Run and print every benchmark as JSON."""
    results = {
        "default_run": default_run(),
        "citizen_update_1e7": citizen_update(),
        "whole_model_1e7": whole_model(),
        "python": sys.version.split()[0],
        "peak_rss_gib_this_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }
    if "--skip-full" not in sys.argv:
        results["full_vietnam_1e8"] = full_vietnam()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
