"""``sandbox-validate``: run the checks with independent oracles; write a pass/fail report.

Usage: ``sandbox-validate [--size small|default] [--only FAMILY[,FAMILY...]] [--out DIR]
[--targets NAME|PATH] [--jobs N] [--json] [--strict]``.

Runs the families of ``sandbox.validation`` (bass, invariants, metamorphic, targets,
funnel), prints one line per check, the verdict and the path of the report, and writes
``report.md`` and ``validation.json`` into ``--out`` (default
``results/validation/<size>_<time>``). With ``--json`` stdout holds only the checks as a
JSON list (``report.RECORD``'s keys each); the table and the report's path go to stderr.

The published figures come from the targets file, each declared fitted, set by hand or
checked (``configs/targets/``). Exit code 0 when every in-sample check (figures the model
was fitted to or set from) and every model check (oracles) passed, 1 when any failed; a
failing out-of-sample check is listed in the report and the verdict, but makes the exit
code 1 only with ``--strict`` (today's model is known to miss some). A figure the model
does not yet give is reported as not modelled and never fails. Exit code 2 for a bad
argument (one paragraph naming the option, the value and what is allowed; nothing is run
or written), an ``--out`` that cannot be written included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from sandbox.calibration.targets import DEFAULT as DEFAULT_TARGETS
from sandbox.errors import ConfigError
from sandbox.experiments.provenance import code_version
from sandbox.validation import bass, figures, funnel, invariants, metamorphic, report, targets
from sandbox.validation.result import CheckResult
from sandbox.validation.sizes import SIZES, Size

PROG = "sandbox-validate"
Family = Callable[[Size, int], list[CheckResult]]
OPTIONS = (
    "--size small|default, --only FAMILY[,FAMILY...], --out DIR, --targets NAME|PATH, "
    "--jobs N, --json, --strict (and --help)"
)


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one paragraph and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print one paragraph naming what was wrong and what is allowed; exit 2."""
        fail(f"Invalid command line: {message}. Allowed: {OPTIONS}.")


def fail(message: str) -> NoReturn:
    """Print ``message`` as the command's one-paragraph error and exit 2."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    p = _Parser(prog=PROG, description=__doc__.split("\n")[0].replace("``", ""))
    p.add_argument(
        "--size",
        default="default",
        metavar="small|default",
        help="small (CI, well under two minutes) or default (many replicates; "
        "minutes on two cores)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FAMILY",
        help=f"run only these families (comma-separated or repeated): {', '.join(report.FAMILIES)}",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of report.md and validation.json (default results/validation/<size>_<time>)",
    )
    p.add_argument(
        "--targets",
        default=DEFAULT_TARGETS,
        metavar="NAME|PATH",
        help=f"targets file: a name in configs/targets/ or a path to a .yaml "
        f"(default {DEFAULT_TARGETS})",
    )
    p.add_argument(
        "--jobs",
        default=str(os.cpu_count() or 1),
        metavar="N",
        help="processes for the replicate loops (default: every CPU)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the checks as a JSON list on stdout (the table goes to stderr)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when an out-of-sample check fails too (by default only in-sample and "
        "model checks decide the exit code)",
    )
    return p


def _families(only: list[str]) -> tuple[str, ...]:
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    for name in names:
        if name not in report.FAMILIES:
            raise ConfigError(
                "--only",
                name,
                f"one or more of {', '.join(report.FAMILIES)}, comma-separated or repeated",
            )
    return tuple(f for f in report.FAMILIES if f in names) if names else tuple(report.FAMILIES)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise ConfigError("--jobs", text, "a whole number of processes >= 1")
    return jobs


def _out(out: Path | None, size: str) -> Path:
    """The report's folder, checked writable before any check runs (nothing is created)."""
    if out is None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        out = Path("results") / "validation" / f"{size}_{stamp}"
    allowed = "a folder this user can create or write in (it is created if missing)"
    if out.exists() and not out.is_dir():
        raise ConfigError("--out", str(out), f"{allowed}, not a file")
    existing = out
    while not existing.exists():  # the folder the report's folders would be made in
        if os.path.lexists(existing):
            raise ConfigError("--out", str(out), f"{allowed}; {existing} is a broken link")
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError("--out", str(out), f"{allowed}; {existing} is a file")
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".sandbox-validate-"):
            pass
    except OSError as err:
        why = err.strerror or type(err).__name__
        problem = f"{allowed}; no file can be created in {existing} ({why})"
        raise ConfigError("--out", str(out), problem) from None
    return out


def runners(targets_source: str) -> dict[str, Family]:
    """Each family's check, by name."""
    return {
        "bass": bass.check,
        "invariants": invariants.check,
        "metamorphic": metamorphic.check,
        "targets": lambda size, jobs: targets.check(size, jobs, targets_source),
        "funnel": lambda size, jobs: funnel.check(size, jobs, targets_source),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the checks, write the report, exit 0 (in-sample and model checks passed, and
    with ``--strict`` the out-of-sample ones), 1 (any of those failed) or 2."""
    args = parser().parse_args(argv)
    started = time.perf_counter()
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        if args.size not in SIZES:
            raise ConfigError("--size", args.size, " or ".join(SIZES))
        families = _families(args.only)
        jobs = _jobs(args.jobs)
        out = _out(args.out, args.size)
        if {"targets", "funnel"} & set(families):
            figures.read(args.targets)  # a bad file stops the command before anything runs
    except ConfigError as err:
        fail(str(err))
    size = SIZES[args.size]
    run = runners(args.targets)
    results: list[CheckResult] = []
    seconds: dict[str, float] = {}
    for family in families:
        t0 = time.perf_counter()
        print(f"{PROG}: {family} ...", file=sys.stderr, flush=True)
        results += run[family](size, jobs)
        seconds[family] = time.perf_counter() - t0
    words = [PROG, *(sys.argv[1:] if argv is None else argv)]
    result = report.Report(
        command=shlex.join(words),
        size=size,
        families=families,
        results=tuple(results),
        started=stamp,
        wall_seconds=time.perf_counter() - started,
        family_seconds=seconds,
        jobs=jobs,
        cpus=os.cpu_count() or 1,
        code=code_version(),
        targets=str(args.targets),
        strict=args.strict,
    )
    path = report.write(out, result)
    table = sys.stderr if args.json else sys.stdout
    print(report.console_table(result), file=table)
    print(f"report: {path}", file=table)
    if args.json:
        print(json.dumps(report.checks_json(result), indent=1, allow_nan=False))
    sys.exit(result.exit_code)


if __name__ == "__main__":
    main()
