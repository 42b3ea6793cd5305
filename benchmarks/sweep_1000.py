"""A 1,000-run sweep of the default scenario, end to end (collect included).

Usage: python benchmarks/sweep_1000.py [n_runs] [n_jobs] [joblib|ray]
Prints wall time, and the time per run of the model alone for comparison. With ``ray``
the sweep starts a private Ray on this machine, which uses every core (n_jobs is ignored).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    """Run the sweep in a fresh process and report where the time went."""
    n_runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    launcher = sys.argv[3] if len(sys.argv) > 3 else "joblib"
    engine = {
        "joblib": ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={n_jobs}"],
        "ray": ["hydra/launcher=ray"],
    }[launcher]
    folder = Path(tempfile.mkdtemp()) / "sweep"
    args = [
        str(Path(sys.executable).with_name("sandbox-run")),
        "-m",
        f"replicate=range({n_runs})",
        *engine,
        f"hydra.sweep.dir={folder}",
        "hydra.sweep.subdir=${hydra:job.override_dirname}",
    ]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - start
    runs = pd.read_parquet(folder / "runs.parquet")
    model = [
        json.loads((folder / job / "manifest.json").read_text())["wall_seconds"]
        for job in runs["job"]
    ]
    print(
        json.dumps(
            {
                "runs": n_runs,
                "launcher": launcher,
                "n_jobs": n_jobs,
                "wall_s": wall,
                "done": int((runs["status"] == "done").sum()),
                "model_s_per_run_mean": sum(model) / len(model),
                "overhead_s_per_run": wall * n_jobs / n_runs - sum(model) / len(model),
            },
            indent=2,
        )
    )
    shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
