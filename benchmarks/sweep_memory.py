"""Peak memory of a sweep's launching process against the number of runs.

Runs ``sandbox-run -m`` over N tiny runs (one province, 100 citizens, two months,
``replicate=range(N)``, joblib on two workers by default) in a fresh process, polls that
process's ``VmHWM`` (its running peak resident set) in ``/proc/<pid>/status`` until it
exits, and reports the peak (while the runs ran, and overall, collecting the tables
included), the wall time and the growth per run between the sizes given.
The workers' memory is not counted: only the process that composes and launches the jobs.

Usage: python benchmarks/sweep_memory.py [N ...] [--launcher joblib|basic] [--n-jobs K]
       [--override KEY=VALUE ...]   (default: 100 4000, joblib, 2 workers)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TINY = ("region=single", "citizens.n=100", "horizon.end=2019-02", "output.print_summary=false")
POLL_S = 0.02


def peak_kib(pid: int) -> int | None:
    """``VmHWM`` of ``pid`` in KiB (None once the process has exited)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None  # a zombie: its memory is gone


def sweep(n_runs: int, launcher: str, n_jobs: int, extra: list[str]) -> dict:
    """One sweep of ``n_runs`` tiny runs: the launching process's peak RSS and wall time.

    ``peak_rss_mib_runs`` is the peak when the last run's manifest appeared (counted once a
    second, so up to a second of what follows may be in it); ``peak_rss_mib`` includes
    what follows in the same process: collecting the tables.
    """
    engine = {
        "joblib": ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={n_jobs}"],
        "basic": ["hydra/launcher=basic"],
    }[launcher]
    folder = Path(tempfile.mkdtemp()) / "sweep"
    args = [
        str(Path(sys.executable).with_name("sandbox-run")),
        "-m",
        *TINY,
        f"replicate=range({n_runs})",
        *engine,
        f"hydra.sweep.dir={folder}",
        *extra,
    ]
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    peak_runs = None
    counted = start
    while process.poll() is None:
        peak = max(peak, peak_kib(process.pid) or 0)
        if peak_runs is None and time.perf_counter() - counted > 1:
            counted = time.perf_counter()
            if sum(1 for _ in folder.glob("*/manifest.json")) == n_runs:
                peak_runs, runs_s = peak, counted - start
        time.sleep(POLL_S)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"sweep of {n_runs} runs failed:\n{stderr[-3000:]}")
    runs = pd.read_parquet(folder / "runs.parquet")
    shutil.rmtree(folder.parent)
    result = {
        "runs": n_runs,
        "done": int((runs["status"] == "done").sum()),
        "peak_rss_mib": round(peak / 1024, 1),
        "wall_s": round(wall, 1),
    }
    if peak_runs is not None:
        result |= {"peak_rss_mib_runs": round(peak_runs / 1024, 1), "runs_s": round(runs_s, 1)}
    return result


def main() -> None:
    """Run the sweeps and print the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 4000])
    parser.add_argument("--launcher", choices=["joblib", "basic"], default="joblib")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument(
        "--override", action="append", default=[], help="extra override (repeatable)"
    )
    options = parser.parse_args()
    results = [sweep(n, options.launcher, options.n_jobs, options.override) for n in options.sizes]
    report: dict = {
        "launcher": options.launcher,
        "n_jobs": options.n_jobs,
        "overrides": options.override,
        "sweeps": results,
    }
    if len(results) > 1:
        first, last = results[0], results[-1]
        for key in ("peak_rss_mib", "peak_rss_mib_runs"):
            if key in first and key in last:
                growth = (last[key] - first[key]) / (last["runs"] - first["runs"])
                report[f"growth_kib_per_run{key.removeprefix('peak_rss_mib')}"] = round(
                    growth * 1024, 2
                )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
