"""sandbox-reproduce: re-run runs from their saved configs and compare every output.

Given a run folder or a sweep folder, each completed run is checked first: every file it
wrote must match its SHA-256 in ``manifest.json``, and its saved ``.hydra/config.yaml``
must give the ``run_id`` the manifest records (a config edited after the run is refused,
not re-run). It is then simulated again from that config, and its outputs
(``timeseries.parquet``, ``provinces.parquet``, ``summary.json``) are compared value by
value with the stored ones. One line per run gives its verdict:

* ``identical``: bit for bit;
* ``identical within floating-point tolerance on another platform``: every number within
  ``RTOL`` of the stored one, and the manifest records another platform than this one
  (what differs is named: NumPy's SIMD code, BLAS kernel, C library...);
* ``OTHER CODE``: the run's recorded ``code_fingerprint`` is not the installed code's;
  both are named, and whether the results are identical, within tolerance on another
  platform, or differ (the first difference);
* ``OTHER RESULT``: the same code, other numbers (on the same platform, on an unrecorded
  one, or beyond the tolerance): the first difference;
* ``DAMAGED``: a file does not match its checksum, the manifest or the saved config cannot
  be read, the saved config gives another run id, or it holds an interpolation (a saved
  config is data: nothing in it is resolved);
* ``REFUSED``: the run names a stored history (``history.checkpoint``) that is not found
  in the folder's store or inside the folder (or ``results/``), or fails its checks
  (``sandbox.experiments.checkpoint``): one paragraph says why, and nothing is run.

The last line counts the verdicts. Exit code 0 when every run is identical or identical
within tolerance on another platform, 1 when any is other code, other result or damaged,
2 when any is refused, and for a wrong command (no completed run under the folder, a bad
option).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from sandbox.config.params import Params
from sandbox.config.schema import to_params
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import jsonable
from sandbox.experiments.collect import job_dirs
from sandbox.experiments.manifest import MANIFEST, damage
from sandbox.experiments.provenance import (
    code_fingerprint,
    compute_platform,
    input_hashes,
    platform_differences,
    platform_name,
)
from sandbox.experiments.runner import PROVINCES, SUMMARY, TIMESERIES, RunResult, run
from sandbox.experiments.store import (
    SAVED_CONFIG,
    UnreadableConfigError,
    interpolations,
    read_json,
    run_id,
    saved_config,
)

PROG = "sandbox-reproduce"
# Relative tolerance for a run re-computed on another platform: each number within RTOL
# of the stored one, relative to the size of its metric (the largest absolute value of its
# column, or the number itself when larger, so that a difference of nearly equal numbers
# such as urban_rural_gap is judged against the metric's size). Another CPU, BLAS kernel
# or C library changes a result by rounding only: a few units in the last place (1e-16)
# per operation, 4e-16 at most measured over whole runs. 1e-9 leaves seven orders of
# magnitude for rounding to accumulate over a run, and stays far below any difference of
# substance (results are read to three or four digits; replicates differ by 1e-2). A
# difference beyond it means a discrete event went another way or the code computes
# something else, which a tolerance must not hide.
RTOL = 1e-9


class Kind(Enum):
    """A run's verdict."""

    IDENTICAL = "identical"
    WITHIN_TOLERANCE = "identical within floating-point tolerance on another platform"
    OTHER_CODE = "OTHER CODE"
    OTHER_RESULT = "OTHER RESULT"
    DAMAGED = "DAMAGED"
    REFUSED = "REFUSED"


@dataclass(frozen=True)
class Verdict:
    """A run's verdict and its line (without the folder).

    ``same_numbers``: the results are bit for bit the stored ones, or within ``RTOL`` and
    computed on another platform, whatever code computed them.
    """

    kind: Kind
    text: str
    same_numbers: bool = False

    @property
    def reproduced(self) -> bool:
        """Identical, or identical within tolerance on another platform."""
        return self.kind in (Kind.IDENTICAL, Kind.WITHIN_TOLERANCE)


@dataclass(frozen=True)
class Gap:
    """How the fresh outputs compare with the stored ones."""

    first: str | None = None  # the first difference (file, then where); None: bit for bit
    largest: float = 0.0  # the largest difference relative to its metric's size
    where: str = ""  # where that largest difference is

    def worse(self, other: Gap) -> Gap:
        first = self.first or other.first
        if other.largest > self.largest:
            return Gap(first, other.largest, other.where)
        return Gap(first, self.largest, self.where)


def _show(value: object) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def _numeric(values: np.ndarray) -> bool:
    return values.dtype.kind in "biuf"


def _row(frame: pd.DataFrame, row: int) -> str:
    place = [str(frame[c].iloc[row]) for c in ("month", "province") if c in frame]
    return ", ".join(place) if place else f"row {row}"


def table_gap(stored: pd.DataFrame, fresh: pd.DataFrame, name: str) -> Gap:
    """The first difference between two tables (in column order) and the largest one."""
    if list(stored.columns) != list(fresh.columns):
        changed = sorted(set(stored.columns) ^ set(fresh.columns))
        return Gap(f"{name}: columns differ: {changed}", math.inf, name)
    if len(stored) != len(fresh):
        return Gap(f"{name}: {len(stored)} rows stored, {len(fresh)} simulated", math.inf, name)
    gap = Gap()
    for column in stored.columns:
        a, b = stored[column].to_numpy(), fresh[column].to_numpy()
        same = (a == b) | (pd.isna(a) & pd.isna(b))
        if same.all():
            continue
        row = int(np.flatnonzero(~same)[0])
        first = (
            f"{name}: {column} at {_row(fresh, row)}: stored {_show(a[row])}, now {_show(b[row])}"
        )
        largest, where = math.inf, row
        if _numeric(a) and _numeric(b):
            a, b = a.astype(float), b.astype(float)
            with np.errstate(invalid="ignore"):
                error = np.where(same, 0.0, np.abs(a - b))  # NaN against a number: NaN
            scale = max(np.nanmax(np.abs(a), initial=0.0), np.nanmax(np.abs(b), initial=0.0))
            if not np.isnan(error).any() and scale > 0:
                where = int(np.argmax(error))
                largest = float(error[where] / scale)
        gap = gap.worse(Gap(first, largest, f"{name} {column} at {_row(fresh, where)}"))
    return gap


def summary_gap(stored: dict, fresh: dict, scales: dict[str, float]) -> Gap:
    """The first differing key of two summaries and the largest difference (relative to the
    key's metric: ``scales`` holds each metric's largest absolute value over the months)."""
    fresh = json.loads(json.dumps(jsonable(fresh)))  # as written: NaN as null
    if set(stored) != set(fresh):
        return Gap(f"{SUMMARY}: keys differ: {sorted(set(stored) ^ set(fresh))}", math.inf)
    gap = Gap()
    for key in fresh:
        a, b = stored[key], fresh[key]
        if a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b):
            continue
        largest = math.inf
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
        if numbers and math.isfinite(a) and math.isfinite(b):
            largest = abs(a - b) / max(abs(a), abs(b), scales.get(key, 0.0))
        first = f"{SUMMARY}: {key}: stored {a!r}, now {b!r}"
        gap = gap.worse(Gap(first, largest, f"{SUMMARY} {key}"))
    return gap


def compare(job: Path, manifest: dict, fresh: RunResult) -> Gap:
    """Every output the run's manifest lists, compared with a fresh run's."""
    files = manifest.get("files") or {}
    gap, scales = Gap(), {}
    for name, table in ((TIMESERIES, fresh.timeseries), (PROVINCES, fresh.provinces)):
        if name in files:
            stored = pd.read_parquet(job / name)
            gap = gap.worse(table_gap(stored, table, name))
            if name == TIMESERIES:
                numeric = stored.select_dtypes("number").abs()
                scales = {c: float(v) for c, v in numeric.max().items() if v == v}
    stored = json.loads((job / SUMMARY).read_text(encoding="utf-8"))
    return gap.worse(summary_gap(stored, fresh.summary, scales))


def _edited_config(job: Path, recorded: object, given: str) -> str:
    return (
        f"refused: its saved config ({SAVED_CONFIG}) gives run_id {given!r}, but "
        f"{MANIFEST} records run_id {recorded!r}: the config was edited after the run, so "
        "re-running it would not reproduce this run. Allowed: a run folder whose saved "
        "config is the one it ran (restore that file; to run the edited config, run it as "
        f"a new run: sandbox-run --config-path {job.resolve() / '.hydra'} --config-name "
        "config)"
    )


def check(job: Path, folder: Path | None = None) -> Verdict:
    """Check one completed run, re-run it and give its verdict (module docstring).

    Args:
        job: the run's folder.
        folder: the folder being reproduced (a sweep's): a stored history the run names
            is looked up in it (``sandbox.experiments.runner.run``); default ``job``.
    """
    job = Path(job)
    manifest = read_json(job / MANIFEST)
    if manifest is None:
        return Verdict(Kind.DAMAGED, f"DAMAGED: {MANIFEST} cannot be read")
    problem = damage(job, manifest)
    if problem:
        return Verdict(Kind.DAMAGED, f"DAMAGED: {problem}")
    try:
        config = saved_config(job)
    except UnreadableConfigError as err:
        return Verdict(Kind.DAMAGED, f"DAMAGED: {err}")
    planted = interpolations(config)
    if planted:  # a saved config is data: resolving it could read the environment
        return Verdict(
            Kind.DAMAGED,
            f"DAMAGED: {SAVED_CONFIG} holds an interpolation at {', '.join(planted[:3])}; a "
            "saved config is data and is not resolved (re-run the command that made it)",
        )
    given = run_id(config)
    if manifest.get("run_id") != given:
        return Verdict(
            Kind.DAMAGED, f"DAMAGED: {_edited_config(job, manifest.get('run_id'), given)}"
        )
    made_by, installed = manifest.get("code_fingerprint"), code_fingerprint()
    code = f"made by code {made_by}, installed code {installed}"
    try:
        params = to_params(config)
    except ConfigError as err:
        if made_by != installed:
            return Verdict(Kind.OTHER_CODE, f"OTHER CODE: {code}; cannot be re-run: {err}")
        return Verdict(Kind.DAMAGED, f"DAMAGED: its saved config is refused: {err}")
    try:
        fresh = run(params, folder=Path(folder) if folder is not None else job)
    except ConfigError as err:  # a stored history it names is refused
        return Verdict(Kind.REFUSED, f"REFUSED: {err}")
    gap = compare(job, manifest, fresh)
    recorded_platform = manifest.get("compute_platform")
    here = compute_platform()
    differences = platform_differences(recorded_platform, here)
    within = gap.largest <= RTOL
    elsewhere = bool(differences)
    size = f"largest relative difference {gap.largest:.1e}, {gap.where}"
    if gap.first is None:
        results = "results identical"
    elif within and elsewhere:
        results = (
            f"results identical within floating-point tolerance (relative {RTOL:g}) on "
            f"another platform ({'; '.join(differences)}); {size}"
        )
    else:
        results = f"results differ: {gap.first}"
        if within:
            why = "on the same platform" if differences == [] else "with no platform recorded"
            results += f" ({size}: within {RTOL:g}, but {why})"
        else:
            results += f" ({size}, beyond {RTOL:g})"
        changed = _changed_inputs(manifest, params)
        if changed:
            results += f"; input files changed since the run: {', '.join(changed)}"
    same_numbers = gap.first is None or (within and elsewhere)
    if made_by != installed:
        return Verdict(Kind.OTHER_CODE, f"OTHER CODE: {code}; {results}", same_numbers)
    if gap.first is None:
        note = f" (recorded on another platform: {'; '.join(differences)})" if elsewhere else ""
        return Verdict(Kind.IDENTICAL, f"identical{note}", True)
    if within and elsewhere:
        text = (
            f"{Kind.WITHIN_TOLERANCE.value} (relative {RTOL:g}): recorded on "
            f"{platform_name(recorded_platform)}, here on {platform_name(here)}; differs "
            f"in: {'; '.join(differences)}; {size}"
        )
        return Verdict(Kind.WITHIN_TOLERANCE, text, True)
    return Verdict(Kind.OTHER_RESULT, f"OTHER RESULT: {results.removeprefix('results differ: ')}")


def _changed_inputs(manifest: dict, params: Params) -> list[str]:
    try:
        now = input_hashes(params.region.table, params.region.merge_table)
    except Exception:  # the input file is gone: the re-run itself would have failed
        return []
    then = manifest.get("inputs") or {}
    return sorted(k for k in now if then.get(k) not in (None, now[k]))


def reproduce(job: Path, folder: Path | None = None) -> str | None:
    """Check and re-run one completed run; ``None`` when identical, else its verdict."""
    verdict = check(job, folder)
    return None if verdict.kind is Kind.IDENTICAL else verdict.text


OPTIONS = (
    "a run or sweep folder, --sample K (a whole number of runs >= 1), --seed N (a whole number)"
)


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one paragraph and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(f"Invalid command line: {message}. Allowed: {OPTIONS}.")


def fail(message: str) -> NoReturn:
    """Print ``message`` as the command's one-paragraph error and exit 2."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def _sample(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of runs >= 1")
    return value


def main(argv: list[str] | None = None) -> None:
    """Reproduce every (or a random sample of) completed run under a folder."""
    parser = _Parser(prog=PROG, description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--sample", type=_sample, default=None, help="re-run K random runs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    args = parser.parse_args(argv)
    jobs = [j for j in job_dirs(args.folder) if (j / MANIFEST).is_file()]
    if not jobs:
        fail(f"no completed run under {args.folder}")
    if args.sample is not None and args.sample < len(jobs):
        pick = np.random.default_rng(args.seed).choice(len(jobs), args.sample, replace=False)
        jobs = [jobs[i] for i in sorted(pick)]
    counts: Counter[Kind] = Counter()
    try:
        for job in jobs:
            verdict = check(job, args.folder)
            counts[verdict.kind] += 1
            print(f"{job}: {verdict.text}", flush=True)
        print(
            f"{counts[Kind.IDENTICAL]} of {len(jobs)} runs identical, "
            f"{counts[Kind.WITHIN_TOLERANCE]} identical within tolerance on another platform, "
            f"{counts[Kind.OTHER_CODE]} other code, {counts[Kind.OTHER_RESULT]} other result, "
            f"{counts[Kind.DAMAGED]} damaged"
            + (f", {counts[Kind.REFUSED]} refused" if counts[Kind.REFUSED] else ""),
            flush=True,
        )
    except BrokenPipeError:
        # the reader stopped listening (``sandbox-reproduce ... | head``): stop quietly, as
        # Python's documentation advises, with stdout sent nowhere so its flush at exit
        # raises nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    reproduced = counts[Kind.IDENTICAL] + counts[Kind.WITHIN_TOLERANCE]
    sys.exit(2 if counts[Kind.REFUSED] else 0 if reproduced == len(jobs) else 1)


if __name__ == "__main__":  # python -m sandbox.experiments.reproduce
    main()
