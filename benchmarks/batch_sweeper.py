"""A sweep's bookkeeping per run: one launcher job per run against chunks (run on demand).

Runs the same sweep of ``RUNS`` short runs three ways on ``WORKERS`` processes (joblib):

1. ``hydra/sweeper=sandbox`` (the default): one Hydra job per run;
2. ``hydra/sweeper=batch hydra.sweeper.chunk=CHUNK``: one launcher job per chunk of runs;

and reports each command's wall time (start to exit, collecting and the report included),
the runs' own model time (``wall_seconds`` in ``runs.parquet``, summed, over the workers:
the floor), and the time per run outside the model.

Usage: python benchmarks/batch_sweeper.py [RUNS] [WORKERS] [CHUNK] [key=value ...]
       (default 200 2 16, a two-month run of the default scenario: the issue's case)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

SHORT = ["horizon.end=2019-02", "policy.start=2019-02", "output.print_summary=false"]


def sweep(folder: Path, runs: int, workers: int, extra: list[str]) -> float:
    args = [
        str(Path(sys.executable).with_name("sandbox-run")), "-m", f"replicate=range({runs})",
        "hydra/launcher=joblib", f"hydra.launcher.n_jobs={workers}",
        f"hydra.sweep.dir={folder}", *extra,
    ]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return seconds


def main(argv: list[str]) -> None:
    numbers = [int(a) for a in argv if "=" not in a]
    extra = [a for a in argv if "=" in a] or SHORT
    runs, workers, chunk = (numbers + [200, 2, 16][len(numbers) :])[:3]
    ways = {
        "one job per run (sandbox)": [],
        f"chunks of {chunk} (batch)": ["hydra/sweeper=batch", f"hydra.sweeper.chunk={chunk}"],
    }
    print(f"{runs} runs ({' '.join(extra)}), {workers} workers")
    with tempfile.TemporaryDirectory() as tmp:
        for name, how in ways.items():
            folder = Path(tmp) / name.split()[-1].strip("()")
            wall = sweep(folder, runs, workers, [*extra, *how])
            model = pd.read_parquet(folder / "runs.parquet")["wall_seconds"].sum() / workers
            print(
                f"{name:28s} wall {wall:7.1f} s, model floor {model:6.1f} s, "
                f"{(wall - model) / runs * 1000:6.0f} ms a run outside the model "
                f"({(wall - model) / wall:.0%} of the wall time)"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
