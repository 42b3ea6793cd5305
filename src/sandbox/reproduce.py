"""sandbox-reproduce: re-run runs from their saved configs and compare, bit for bit.

Given a run folder or a sweep folder, each completed run is simulated again from its
``.hydra/config.yaml`` and its month-by-month table compared with the stored
``timeseries.parquet``. One line per run says ``identical`` or names the first metric
(in column order) and month that differ; the exit code is 1 if any run differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sandbox.collect import job_dirs
from sandbox.runner import run
from sandbox.schema import to_params


def first_difference(stored: pd.DataFrame, fresh: pd.DataFrame) -> str | None:
    """``None`` if the tables are identical, else where they first differ."""
    if list(stored.columns) != list(fresh.columns):
        return f"columns differ: {sorted(set(stored.columns) ^ set(fresh.columns))}"
    if len(stored) != len(fresh):
        return f"{len(stored)} months stored, {len(fresh)} simulated"
    for column in stored.columns:
        a, b = stored[column].to_numpy(), fresh[column].to_numpy()
        same = a == b
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            return f"{column} at {fresh['month'].iloc[row]}: stored {a[row]!r}, now {b[row]!r}"
    return None


def reproduce(job: Path) -> str | None:
    """Re-run one completed run; ``None`` when identical, else the first difference."""
    params = to_params(OmegaConf.load(job / ".hydra" / "config.yaml"))
    fresh = run(params).timeseries
    return first_difference(pd.read_parquet(job / "timeseries.parquet"), fresh)


def main(argv: list[str] | None = None) -> None:
    """Reproduce every (or a random sample of) completed run under a folder."""
    parser = argparse.ArgumentParser(prog="sandbox-reproduce", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--sample", type=int, default=None, help="re-run K random runs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    args = parser.parse_args(argv)
    jobs = [j for j in job_dirs(args.folder) if (j / "manifest.json").is_file()]
    if not jobs:
        print(f"sandbox-reproduce: no completed run under {args.folder}", file=sys.stderr)
        sys.exit(2)
    if args.sample is not None and args.sample < len(jobs):
        pick = np.random.default_rng(args.seed).choice(len(jobs), args.sample, replace=False)
        jobs = [jobs[i] for i in sorted(pick)]
    mismatches = 0
    for job in jobs:
        difference = reproduce(job)
        mismatches += difference is not None
        print(f"{job}: {'identical' if difference is None else 'DIFFERS: ' + difference}")
    print(f"{len(jobs) - mismatches} of {len(jobs)} runs identical")
    sys.exit(1 if mismatches else 0)
