"""The validation report: ``report.md`` for people, ``validation.json`` for programs, and
the short table printed at the end of ``sandbox-validate``. Files are written atomically
(``sandbox.experiments.atomic.write_atomic``: a temporary name, then a rename)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sandbox.experiments.atomic import write_atomic
from sandbox.model.metrics import FUNNEL
from sandbox.validation import funnel
from sandbox.validation.result import CheckResult
from sandbox.validation.sizes import Size

REPORT = "report.md"
JSON = "validation.json"
FAMILIES: dict[str, str] = {
    "bass": "the citizen submodel against the Bass closed form (homogeneous citizens) and a "
    "per-citizen Bernoulli reference (heterogeneous citizens)",
    "invariants": "bounds and conservation in every month of every run",
    "metamorphic": "how outputs move when inputs move, paired over replicates",
    "targets": "the default history against the published counts",
    "funnel": "the sandbox funnel, for comparison with real sandboxes' cohorts",
}


@dataclass(frozen=True)
class Report:
    """Everything the report shows.

    Attributes:
        command: the command line as typed.
        size: the size run.
        families: the families run, in order.
        results: every check's result.
        started: when the command started (local time, ISO 8601).
        wall_seconds: the whole command's wall time.
        family_seconds: each family's wall time.
        jobs: processes used.
        cpus: CPUs of the machine.
        code: the code version (``sandbox.experiments.provenance.code_version``).
        targets: the targets file used.
    """

    command: str
    size: Size
    families: tuple[str, ...]
    results: tuple[CheckResult, ...]
    started: str
    wall_seconds: float
    family_seconds: dict[str, float]
    jobs: int
    cpus: int
    code: dict[str, object]
    targets: str

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[CheckResult]:
        """The checks that failed."""
        return [r for r in self.results if not r.passed]


def fmt(value: object) -> str:
    """A number as the report shows it: integers whole, others to 4 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return str(value)


def verdict(passed: bool) -> str:
    """``PASS`` or ``FAIL``."""
    return "PASS" if passed else "FAIL"


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def console_table(report: Report) -> str:
    """The short table printed to stdout: one line per check, then the funnel's shares."""
    rows = [("family", "check", "value", "tolerance", "result")]
    rows += [
        (r.family, r.name, fmt(r.value), r.tolerance, verdict(r.passed)) for r in report.results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[4]
        for row in rows
    ]
    shares = _funnel_rows(report)
    if shares:
        lines += ["", "sandbox funnel (pooled share; published: UK FCA sandbox, first year)"]
        lines += [
            f"  {regime:<17} {stage:<24} {share:>6}  (published {published})"
            for regime, stage, _, share, _, published in shares
        ]
    failed = report.failed
    lines.append("")
    lines.append(
        f"{verdict(report.passed)}: {len(report.results) - len(failed)} of "
        f"{len(report.results)} checks passed in {report.wall_seconds:.1f} s "
        f"({report.size.name} size, {report.jobs} jobs)"
    )
    return "\n".join(lines)


def _funnel_rows(report: Report) -> list[tuple[str, ...]]:
    rows = []
    for r in report.results:
        if r.family != funnel.FAMILY:
            continue
        for stage, before in FUNNEL:
            n = r.numbers
            rows.append(
                (
                    r.name,
                    f"{stage}_share",
                    before,
                    fmt(n[f"{stage}_share"]),
                    fmt(n[f"{stage}_share_sd"]),
                    fmt(n[f"{stage}_share_published"]),
                )
            )
    return rows


def _numbers(result: CheckResult) -> str:
    return "; ".join(f"{k} {fmt(v)}" for k, v in result.numbers.items())


def markdown(report: Report) -> str:
    """The whole report as Markdown."""
    failed = report.failed
    code = report.code
    dirty = " (uncommitted changes)" if code.get("code_git_dirty") else ""
    lines = [
        "# Validation report",
        "",
        f"- command: `{report.command}`",
        f"- size: {report.size.name} ({_size_text(report.size)})",
        f"- families: {', '.join(report.families)}",
        f"- started {report.started}; wall time {report.wall_seconds:.1f} s on {report.jobs} "
        f"jobs ({report.cpus} CPUs); per family: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in report.family_seconds.items()),
        f"- code: fingerprint {code.get('code_fingerprint')}, git commit "
        f"{code.get('code_git_commit') or 'unknown'}{dirty}",
        "",
        f"**{verdict(report.passed)}**: {len(report.results) - len(failed)} of "
        f"{len(report.results)} checks passed"
        + (f"; failed: {', '.join(f'{r.family}/{r.name}' for r in failed)}." if failed else "."),
        "",
        "## Summary",
        "",
        *_table(
            ("family", "check", "value", "tolerance", "result"),
            [
                (r.family, r.name, fmt(r.value), r.tolerance, f"**{verdict(r.passed)}**")
                for r in report.results
            ],
        ),
    ]
    for family in report.families:
        results = [r for r in report.results if r.family == family]
        lines += ["", f"## {family}: {FAMILIES[family]}", ""]
        section = SECTIONS.get(family, _checks_section)
        lines += section(report, results)
        problems = [(r.name, p) for r in results for p in r.problems]
        if problems:
            lines += ["", "Problems:", ""] + [f"- {name}: {p}" for name, p in problems]
    return "\n".join(lines) + "\n"


def _checks_section(report: Report, results: list[CheckResult]) -> list[str]:
    """A family's checks: claim, numbers, tolerance, result."""
    return _table(
        ("check", "claim", "numbers", "tolerance", "result"),
        [(r.name, r.claim, _numbers(r), r.tolerance, verdict(r.passed)) for r in results],
    )


def _targets_section(report: Report, results: list[CheckResult]) -> list[str]:
    """Each target beside the model's mean and sd over replicates."""
    header = ("target", "month", "metric", "target", "mean", "sd", "mean − target", "tolerance")
    rows = []
    for r in results:
        n = r.numbers
        rows.append(
            (r.name, n["month"], n["metric"], fmt(n["target"]), f"{r.value:.2f}",
             f"{n['sd']:.2f}", f"{n['difference']:+.2f}", r.tolerance, verdict(r.passed))
        )  # fmt: skip
    replicates = results[0].numbers["replicates"] if results else 0
    return [
        f"Targets file: `{report.targets}`. The model's mean and sd (n − 1) over {replicates} "
        "replicates of the default history, region vietnam.",
        "",
        *_table((*header, "result"), rows),
    ]


def _funnel_section(report: Report, results: list[CheckResult]) -> list[str]:
    """The funnel's shares beside the published ones, then the consistency checks."""
    return [
        f"Published reference: {funnel.PUBLISHED['source']}. Shares are pooled over "
        "replicates (stage total / previous stage total); sd is that of the replicates' "
        "own shares. The comparison is for the reader, not judged.",
        "",
        *_table(("regime", "stage", "of", "share", "sd", "published"), _funnel_rows(report)),
        "",
        *_table(
            ("check", "numbers", "tolerance", "result"),
            [(r.name, _numbers(r), r.tolerance, verdict(r.passed)) for r in results],
        ),
    ]


SECTIONS = {"targets": _targets_section, "funnel": _funnel_section}


def _size_text(size: Size) -> str:
    fields = dataclasses.asdict(size)
    fields.pop("name")
    return ", ".join(f"{k} {v}" for k, v in fields.items())


def _plain(value: object) -> object:
    """``value`` as JSON can hold it: NaN as null, NumPy numbers as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def as_json(report: Report) -> dict:
    """The report as a JSON-ready dict."""
    return _plain(
        {
            "passed": report.passed,
            "command": report.command,
            "size": dataclasses.asdict(report.size),
            "families": report.families,
            "started": report.started,
            "wall_seconds": report.wall_seconds,
            "family_seconds": report.family_seconds,
            "jobs": report.jobs,
            "cpus": report.cpus,
            "code": report.code,
            "targets": report.targets,
            "results": [{**dataclasses.asdict(r), "passed": r.passed} for r in report.results],
        }
    )


def write(out_dir: Path, report: Report) -> Path:
    """Write ``validation.json`` then ``report.md`` into ``out_dir``; return the report's
    path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(as_json(report), indent=2, allow_nan=False) + "\n"
    write_atomic(out_dir / JSON, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    body = markdown(report)
    write_atomic(out_dir / REPORT, lambda tmp: tmp.write_text(body, encoding="utf-8"))
    return out_dir / REPORT
