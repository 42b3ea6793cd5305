"""The validation report: ``report.md`` for people, ``validation.json`` for programs, the
checks as a JSON list (``sandbox-validate --json``) and the short table printed at the end
of ``sandbox-validate``. Files are written atomically
(``sandbox.experiments.atomic.write_atomic``: a temporary name, then a rename).

Checks fall in three sections (``CheckResult.section``): in-sample (figures the model was
fitted to or set by hand from: they show the fit holds, not that the model is valid), out
of sample (figures declared ``use: check``: validation) and model checks against oracles
(no published figure). The command's verdict (``Report.passed``) is that of the in-sample
and model checks; out-of-sample failures are listed plainly and fail the command only
with ``--strict`` (``Report.exit_code``).
"""

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
from sandbox.validation.result import (
    FAILED,
    IN_SAMPLE,
    NOT_MODELLED,
    ORACLE,
    OUT_OF_SAMPLE,
    PASSED,
    CheckResult,
)
from sandbox.validation.sizes import Size

REPORT = "report.md"
JSON = "validation.json"
FAMILIES: dict[str, str] = {
    "bass": "the citizen submodel against the Bass closed form (homogeneous citizens) and a "
    "per-citizen Bernoulli reference (heterogeneous citizens)",
    "invariants": "bounds and conservation in every month of every run",
    "metamorphic": "how outputs move when inputs move, paired over replicates",
    "targets": "the default history against the published figures, fitted and not",
    "funnel": "the sandbox funnel against the UK FCA sandbox's cohorts",
}
SECTIONS_TITLE = {
    IN_SAMPLE: "In-sample: these were fitted (or set by hand)",
    OUT_OF_SAMPLE: "Out of sample: not used in the fit",
    ORACLE: "Model checks against oracles (no published figure)",
}
# the keys of each check in ``--json`` and ``validation.json`` (target and tolerance are
# null for a check without one number to meet; value and passed null when not modelled)
RECORD = ("family", "name", "value", "target", "tolerance", "passed", "used_in_fit", "use",
          "status", "section", "condition", "claim")  # fmt: skip


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
        strict: whether an out-of-sample failure fails the command (``--strict``).
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
    strict: bool = False

    def section(self, name: str) -> list[CheckResult]:
        """The checks of one section (``IN_SAMPLE``, ``OUT_OF_SAMPLE``, ``ORACLE``)."""
        return [r for r in self.results if r.section == name]

    @property
    def judged(self) -> list[CheckResult]:
        """The checks the verdict rests on: in-sample and model checks."""
        return [r for r in self.results if r.section != OUT_OF_SAMPLE]

    @property
    def passed(self) -> bool:
        """Whether every in-sample and model check passed (out of sample aside)."""
        return all(r.status != FAILED for r in self.judged)

    @property
    def failed(self) -> list[CheckResult]:
        """The in-sample and model checks that failed."""
        return [r for r in self.judged if r.status == FAILED]

    def out_of_sample(self, status: str) -> list[CheckResult]:
        """The out-of-sample checks with ``status`` (passed, failed, not modelled)."""
        return [r for r in self.section(OUT_OF_SAMPLE) if r.status == status]

    @property
    def exit_code(self) -> int:
        """0 when the in-sample and model checks passed (and, with ``strict``, every
        out-of-sample check that is modelled), else 1."""
        strict_failed = self.strict and self.out_of_sample(FAILED)
        return 0 if self.passed and not strict_failed else 1


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


def verdict(result: CheckResult | bool) -> str:
    """``PASS``, ``FAIL`` or ``NOT MODELLED``."""
    if isinstance(result, bool):
        return "PASS" if result else "FAIL"
    return {PASSED: "PASS", FAILED: "FAIL", NOT_MODELLED: "NOT MODELLED"}[result.status]


def used_in_fit(result: CheckResult, short: bool = False) -> str:
    """Whether the check's figure was used in the fit, in words (``short``: for the
    console)."""
    if result.use == "fit":
        return "yes (fitted)"
    if result.use == "hand":
        return (
            "yes (by hand)"
            if short
            else (f"yes (used to set `{result.numbers.get('sets')}` by hand)")
        )
    return "no" if result.use == "check" else "– (no data)"


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _names(results: list[CheckResult]) -> str:
    return ", ".join(f"{r.family}/{r.name}" for r in results)


def headline(report: Report) -> list[str]:
    """The verdict in plain words: in-sample and model checks, then out of sample."""
    judged, failed = report.judged, report.failed
    lines = [
        f"{verdict(report.passed)}: {len(judged) - len(failed)} of {len(judged)} in-sample "
        "and model checks passed" + (f"; failed: {_names(failed)}" if failed else "")
    ]
    outside = report.section(OUT_OF_SAMPLE)
    if outside:
        ok, bad, nm = (report.out_of_sample(s) for s in (PASSED, FAILED, NOT_MODELLED))
        text = f"out of sample: {len(ok)} of {len(outside)} passed"
        text += f"; FAILED: {_names(bad)}" if bad else "; none failed"
        text += f"; not modelled: {_names(nm)}" if nm else ""
        lines.append(text)
        if bad:
            lines.append(
                f"exit code {report.exit_code}: "
                + (
                    "out-of-sample failures fail the command (--strict)"
                    if report.strict
                    else "out-of-sample failures are reported, not fatal, without --strict"
                )
            )
    return lines


def console_table(report: Report) -> str:
    """The short table printed at the end: one line per check, the funnel's shares, the
    verdict."""
    rows = [("family", "check", "used in fit", "value", "condition", "result")]
    rows += [
        (r.family, r.name, used_in_fit(r, short=True), fmt(r.value), r.condition, verdict(r))
        for r in report.results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[5]
        for row in rows
    ]
    shares = _funnel_rows(report)
    if shares:
        lines += ["", "sandbox funnel (pooled share; published: UK FCA sandbox, first cohorts)"]
        lines += [
            f"  {regime:<17} {stage:<24} {share:>6}  (published {published}; {use})"
            for regime, stage, _, share, _, published, use in shares
        ]
    lines += ["", *headline(report)]
    lines[-len(headline(report))] += (
        f" in {report.wall_seconds:.1f} s ({report.size.name} size, {report.jobs} jobs)"
    )
    return "\n".join(lines)


def _share_use(use: object) -> str:
    if use == "hand":
        return "in-sample: used to set policy.sandbox.approval_prob by hand"
    return "out of sample" if use == "check" else "not published"


def _funnel_rows(report: Report) -> list[tuple[str, ...]]:
    rows = []
    for r in report.results:
        if r.family != funnel.FAMILY or f"{FUNNEL[0][0]}_share" not in r.numbers:
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
                    _share_use(n[f"{stage}_share_use"]),
                )
            )
    return rows


def _numbers(result: CheckResult) -> str:
    return "; ".join(f"{k} {fmt(v)}" for k, v in result.numbers.items())


def _figure_rows(results: list[CheckResult], why: bool) -> list[tuple[object, ...]]:
    rows = []
    for r in results:
        n = r.numbers
        spread = "" if not r.modelled else f" (sd {fmt(n['sd'])}; {fmt(n['5%'])}–{fmt(n['95%'])})"
        row = [
            f"{r.family}/{r.name}",
            r.claim,
            n["metric"] or f"none ({n.get('status')})",
            f"{fmt(r.value)}{spread}",
            fmt(r.target),
            fmt(r.tolerance),
        ]
        if why:
            row.append(n["tolerance_why"])
        rows.append((*row, used_in_fit(r), verdict(r)))
    return rows


def _in_sample(report: Report) -> list[str]:
    results = report.section(IN_SAMPLE)
    if not results:
        return []
    return [
        "",
        f"## {SECTIONS_TITLE[IN_SAMPLE]}",
        "",
        "These figures were used to fit the model (ABC-SMC, `use: fit` in the targets "
        "file) or to set a parameter by hand (`use: hand`). Meeting them shows the fit "
        "holds; it is no validation. Model: the figure over the replicates (a mean, or a "
        "pooled share), with the replicates' sd and 5–95%.",
        "",
        *_table(
            (
                "check",
                "figure",
                "metric",
                "model",
                "published",
                "tolerance",
                "used in fit",
                "result",
            ),
            _figure_rows(results, why=False),
        ),
    ]


def _out_of_sample(report: Report) -> list[str]:
    results = report.section(OUT_OF_SAMPLE)
    if not results:
        return []
    lines = [
        "",
        f"## {SECTIONS_TITLE[OUT_OF_SAMPLE]}",
        "",
        "Figures declared `use: check` in the targets file: none was used to fit the model "
        "or to set a parameter. Each tolerance was declared in the file, with its reason, "
        "before any comparison. A figure today's model has no metric for is reported as "
        "not modelled: neither passed nor failed.",
        "",
        *_table(
            (
                "check",
                "figure",
                "metric",
                "model",
                "published",
                "tolerance",
                "why this tolerance",
                "used in fit",
                "result",
            ),
            _figure_rows(results, why=True),
        ),
    ]
    bad, nm = report.out_of_sample(FAILED), report.out_of_sample(NOT_MODELLED)
    if bad:
        lines += ["", "**Failed** (today's model misses these published figures):", ""]
        lines += [f"- {r.family}/{r.name}: {'; '.join(r.problems)}" for r in bad]
    if nm:
        lines += ["", "**Not modelled** (no metric in today's model):", ""]
        lines += [f"- {r.family}/{r.name}: {r.numbers.get('mapping')}" for r in nm]
    return lines


def _oracles(report: Report) -> list[str]:
    results = report.section(ORACLE)
    if not results:
        return []
    return [
        "",
        f"## {SECTIONS_TITLE[ORACLE]}",
        "",
        "The model against oracles that share no code with it (a closed form, a reference "
        "implementation, bounds, relations between runs): no published figure is involved.",
        "",
        *_table(
            ("check", "claim", "value", "condition", "result"),
            [
                (f"{r.family}/{r.name}", r.claim, fmt(r.value), r.condition, verdict(r))
                for r in results
            ],
        ),
    ]


def markdown(report: Report) -> str:
    """The whole report as Markdown."""
    code = report.code
    dirty = " (uncommitted changes)" if code.get("code_git_dirty") else ""
    first, *rest = headline(report)
    lines = [
        "# Validation report",
        "",
        f"- command: `{report.command}`",
        f"- size: {report.size.name} ({_size_text(report.size)})",
        f"- families: {', '.join(report.families)}",
        f"- targets file: `{report.targets}`",
        f"- started {report.started}; wall time {report.wall_seconds:.1f} s on {report.jobs} "
        f"jobs ({report.cpus} CPUs); per family: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in report.family_seconds.items()),
        f"- code: fingerprint {code.get('code_fingerprint')}, git commit "
        f"{code.get('code_git_commit') or 'unknown'}{dirty}",
        "",
        f"**{first}**.",
        *(f"\n{line}." for line in rest),
        "",
        "## Summary",
        "",
        *_table(
            ("family", "check", "used in fit", "value", "target", "tolerance", "result"),
            [
                (
                    r.family,
                    r.name,
                    used_in_fit(r),
                    fmt(r.value),
                    fmt(r.target),
                    fmt(r.tolerance),
                    f"**{verdict(r)}**",
                )
                for r in report.results
            ],
        ),
        *_in_sample(report),
        *_out_of_sample(report),
        *_oracles(report),
        "",
        "## Each family in full",
        "",
        "Every check again, family by family, with all its numbers.",
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
    """A family's checks: claim, numbers, condition, result."""
    return _table(
        ("check", "claim", "numbers", "condition", "result"),
        [(r.name, r.claim, _numbers(r), r.condition, verdict(r)) for r in results],
    )


def _targets_section(report: Report, results: list[CheckResult]) -> list[str]:
    """Each figure beside the model's value over replicates, and whether it was fitted."""
    header = ("figure", "month", "metric", "published", "model", "sd", "model − published",
              "tolerance", "used in fit", "result")  # fmt: skip
    rows = []
    for r in results:
        n = r.numbers
        rows.append(
            (r.name, n["month"], n["metric"] or "none", fmt(n["target"]), fmt(r.value),
             fmt(n.get("sd")), fmt(n.get("difference")), r.condition, used_in_fit(r),
             verdict(r))
        )  # fmt: skip
    replicates = next((r.numbers["replicates"] for r in results if r.modelled), 0)
    return [
        f"Targets file: `{report.targets}`. The model's mean (or pooled share) and sd (n − 1) "
        f"over {replicates} replicates of the default history, region vietnam.",
        "",
        *_table(header, rows),
    ]


def _funnel_section(report: Report, results: list[CheckResult]) -> list[str]:
    """The funnel's shares beside the published ones, then the checks."""
    return [
        "Shares are pooled over replicates (stage total / previous stage total); sd is that "
        "of the replicates' own shares. The published shares and their use come from the "
        f"targets file (`{report.targets}`): the admitted share was used to set "
        "`policy.sandbox.approval_prob` by hand (in-sample, no validation); the testing and "
        "launch shares were not used (out of sample).",
        "",
        *_table(("regime", "stage", "of", "share", "sd", "published", "use"), _funnel_rows(report)),
        "",
        *_table(
            ("check", "numbers", "condition", "used in fit", "result"),
            [(r.name, _numbers(r), r.condition, used_in_fit(r), verdict(r)) for r in results],
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


def record(result: CheckResult) -> dict:
    """One check as ``--json`` prints it (``RECORD``'s keys)."""
    return _plain({key: getattr(result, key) for key in RECORD})


def checks_json(report: Report) -> list[dict]:
    """Every check, as the JSON list ``sandbox-validate --json`` prints."""
    return [record(r) for r in report.results]


def as_json(report: Report) -> dict:
    """The report as a JSON-ready dict."""
    return _plain(
        {
            "passed": report.passed,
            "exit_code": report.exit_code,
            "strict": report.strict,
            "out_of_sample": {
                s: [f"{r.family}/{r.name}" for r in report.out_of_sample(s)]
                for s in (PASSED, FAILED, NOT_MODELLED)
            },
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
            "results": [
                {**record(r), "numbers": r.numbers, "problems": r.problems} for r in report.results
            ],
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
