"""sandbox-reproduce: re-run runs from their saved configs and compare every output.

Given a run folder or a sweep folder, each completed run is first checked against its
manifest (every file it wrote must match its SHA-256), then simulated again from its
``.hydra/config.yaml``; its month-by-month table (``timeseries.parquet``) and its
summary (``summary.json``) are compared value by value with the stored ones. One line per
run says ``identical`` or names the file and the first difference (in column order for
the table); the exit code is 1 if any run differs or is damaged.

A saved config that names a stored history (``history.checkpoint``) is re-run from it only
when the history is found in the folder's store or inside the folder (or ``results/``)
and passes its checks (``sandbox.experiments.checkpoint``); otherwise that run is
``REFUSED`` with one paragraph saying why, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.config.schema import to_params
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import jsonable
from sandbox.experiments.collect import job_dirs
from sandbox.experiments.manifest import MANIFEST, damage
from sandbox.experiments.runner import SUMMARY, TIMESERIES, run
from sandbox.experiments.store import UnreadableConfigError, read_json, saved_config


def first_difference(stored: pd.DataFrame, fresh: pd.DataFrame) -> str | None:
    """``None`` if the tables are identical, else where they first differ."""
    if list(stored.columns) != list(fresh.columns):
        return f"columns differ: {sorted(set(stored.columns) ^ set(fresh.columns))}"
    if len(stored) != len(fresh):
        return f"{len(stored)} months stored, {len(fresh)} simulated"
    for column in stored.columns:
        a, b = stored[column].to_numpy(), fresh[column].to_numpy()
        same = (a == b) | (pd.isna(a) & pd.isna(b))
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            return f"{column} at {fresh['month'].iloc[row]}: stored {a[row]!r}, now {b[row]!r}"
    return None


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def summary_difference(stored: dict, fresh: dict) -> str | None:
    """``None`` if two summaries hold the same keys and values, else the first difference."""
    fresh = json.loads(json.dumps(jsonable(fresh)))  # as written: NaN as null
    if set(stored) != set(fresh):
        return f"keys differ: {sorted(set(stored) ^ set(fresh))}"
    for key in fresh:
        if not _same(stored[key], fresh[key]):
            return f"{key}: stored {stored[key]!r}, now {fresh[key]!r}"
    return None


REFUSED = "REFUSED: "


def reproduce(job: Path, folder: Path | None = None) -> str | None:
    """Check and re-run one completed run; ``None`` when identical, else what differs.

    Args:
        job: the run's folder.
        folder: the folder being reproduced (a sweep's): a stored history the run names
            is looked up in it (``sandbox.experiments.runner.run``).
    """
    job = Path(job)
    manifest = read_json(job / MANIFEST)
    if manifest is None:
        return f"DAMAGED: {MANIFEST} cannot be read"
    problem = damage(job, manifest)
    if problem:
        return f"DAMAGED: {problem}"
    try:
        params = to_params(saved_config(job))
    except UnreadableConfigError as err:
        return f"DAMAGED: {err}"
    try:
        fresh = run(params, folder=Path(folder) if folder is not None else job)
    except ConfigError as err:
        return f"{REFUSED}{err}"
    if TIMESERIES in manifest["files"]:
        difference = first_difference(pd.read_parquet(job / TIMESERIES), fresh.timeseries)
        if difference:
            return f"{TIMESERIES}: {difference}"
    stored = json.loads((job / SUMMARY).read_text(encoding="utf-8"))
    difference = summary_difference(stored, fresh.summary)
    return f"{SUMMARY}: {difference}" if difference else None


def main(argv: list[str] | None = None) -> None:
    """Reproduce every (or a random sample of) completed run under a folder."""
    parser = argparse.ArgumentParser(prog="sandbox-reproduce", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--sample", type=int, default=None, help="re-run K random runs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    args = parser.parse_args(argv)
    jobs = [j for j in job_dirs(args.folder) if (j / MANIFEST).is_file()]
    if not jobs:
        print(f"sandbox-reproduce: no completed run under {args.folder}", file=sys.stderr)
        sys.exit(2)
    if args.sample is not None and args.sample < len(jobs):
        pick = np.random.default_rng(args.seed).choice(len(jobs), args.sample, replace=False)
        jobs = [jobs[i] for i in sorted(pick)]
    mismatches = refused = 0
    for job in jobs:
        difference = reproduce(job, args.folder)
        mismatches += difference is not None
        if difference is not None and difference.startswith(REFUSED):
            refused += 1
            print(f"{job}: {difference}")
        else:
            print(f"{job}: {'identical' if difference is None else 'DIFFERS: ' + difference}")
    print(f"{len(jobs) - mismatches} of {len(jobs)} runs identical")
    sys.exit(2 if refused else 1 if mismatches else 0)


if __name__ == "__main__":  # python -m sandbox.experiments.reproduce
    main()
