"""Speed benchmarks (run on demand: ``make bench``; not part of the tests).

1. default run: 63 provinces, 10^5 citizens, 144 months (2019-01 to 2030-12), wall time
   after imports;
2. citizen update: citizen-months per second at 10^7 citizens, one core (the adoption
   update alone, and the whole model's month);
3. one-to-one Vietnam: ``citizens.n=100000000``, wall time and peak memory (own process),
   with the process's CPU time (on a shared machine, wall time over CPU time shows how
   much of it other processes took);
4. stored history: the default history (2019-01 to policy.start, 84 months, 10^5
   citizens) simulated, then stored and loaded as a sweep's store does
   (``sandbox.experiments.checkpoint``: the file, its record and the SHA-256 check).

Usage: python benchmarks/run_all.py [--skip-full] [--only NAME[,NAME]] [--full-repeats N]

``--only`` picks benchmarks by name (``default_run``, ``citizen_update``, ``whole_model``,
``stored_history``, ``full_vietnam``); ``--full-repeats`` runs the one-to-one run N times,
each in a fresh process, and reports the medians (peak memory: the largest) with every run.
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
from sandbox.regions import load_region


def params(**dotlist: object) -> Params:
    """Default parameters with dotted overrides."""
    cfg = OmegaConf.merge(
        structured(),
        OmegaConf.from_dotlist([f"{k}={v}" for k, v in dotlist.items()]),
    )
    return OmegaConf.to_object(cfg)


def default_run(repeats: int = 5) -> dict:
    """Wall time of the default scenario (construction + 144 months), after imports and
    after its parameters are built (a sweep's launcher builds them once per job), with the
    time per simulated month."""
    times = []
    for seed in range(repeats):
        scenario = params(seed=seed)
        start = time.perf_counter()
        model = SandboxModel(scenario)
        model.run()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {
        "median_s": median,
        "min_s": min(times),
        "ms_per_month": 1000 * median / len(model.months),
        "repeats": repeats,
    }


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


def full_vietnam(repeats: int = 1) -> dict:
    """One citizen per person, in a fresh process so that peak memory is its own.

    With ``repeats`` > 1, that many processes one after the other: medians of the times,
    the largest peak, and every run under ``runs``.
    """
    code = (
        "import json, resource, time\n"
        "from benchmarks.run_all import params\n"
        "from sandbox.model.model import SandboxModel\n"
        "start = time.perf_counter()\n"
        "model = SandboxModel(params(**{'citizens.n': 100_000_000}))\n"
        "built = time.perf_counter()\n"
        "model.run()\n"
        "done = time.perf_counter()\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "rss = usage.ru_maxrss / 2**20\n"
        "print(json.dumps({'construct_s': built - start, 'simulate_s': done - built,"
        " 'total_s': done - start, 'cpu_s': usage.ru_utime + usage.ru_stime,"
        " 'peak_rss_gib': rss}))\n"
    )
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
        )
        runs.append(json.loads(out.stdout))
    if repeats == 1:
        return runs[0]
    summary = {
        name: statistics.median(run[name] for run in runs)
        for name in ("construct_s", "simulate_s", "total_s", "cpu_s")
    }
    return {**summary, "peak_rss_gib": max(run["peak_rss_gib"] for run in runs), "runs": runs}


def stored_history(repeats: int = 9) -> dict:
    """Medians of storing and loading the default history, beside the time to simulate it."""
    import tempfile
    from pathlib import Path

    from sandbox.experiments.checkpoint import history_key, load_history, write_history

    scenario = params()
    model = SandboxModel(scenario)
    start = time.perf_counter()
    model.run_history()
    simulate = time.perf_counter() - start
    key = history_key(scenario)
    stores, loads = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{key}.npz"
        for _ in range(repeats):
            start = time.perf_counter()
            write_history(path, model, scenario)
            stores.append(time.perf_counter() - start)
            start = time.perf_counter()
            load_history(path, key)
            loads.append(time.perf_counter() - start)
        size = path.stat().st_size
    return {
        "months": model.t,
        "simulate_s": simulate,
        "store_s": statistics.median(stores),
        "load_s": statistics.median(loads),
        "file_mb": size / 1e6,
    }


def _option(name: str, default: str) -> str:
    """The value after ``name`` on the command line, else ``default``."""
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    """Run and print every benchmark (or those of ``--only``) as JSON."""
    benchmarks = {
        "default_run": ("default_run", default_run),
        "citizen_update": ("citizen_update_1e7", citizen_update),
        "whole_model": ("whole_model_1e7", whole_model),
        "stored_history": ("stored_history", stored_history),
        "full_vietnam": (
            "full_vietnam_1e8",
            lambda: full_vietnam(int(_option("--full-repeats", "1"))),
        ),
    }
    chosen = _option("--only", ",".join(benchmarks)).split(",")
    if "--skip-full" in sys.argv:
        chosen = [name for name in chosen if name != "full_vietnam"]
    unknown = sorted(set(chosen) - set(benchmarks))
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; choose from {sorted(benchmarks)}")
    results = {}
    for name in benchmarks:  # in the documented order
        if name == "full_vietnam" or name not in chosen:
            continue
        key, run = benchmarks[name]
        results[key] = run()
    results["python"] = sys.version.split()[0]
    results["peak_rss_gib_this_process"] = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    )
    if "full_vietnam" in chosen:
        key, run = benchmarks["full_vietnam"]
        results[key] = run()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
