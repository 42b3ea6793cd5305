"""``sandbox-report <sweep folder>``: a self-contained report of a collected sweep.

Writes ``report/report.md`` and its PNG figures into the sweep folder, each file
atomically (``sandbox.experiments.atomic.write_atomic``):

1. what was run (``sandbox.experiments.sweep_record``): the command and config Hydra saved
   in the sweep's ``multirun.yaml`` (when the folder has one), the experiment's research
   question, the sweep's size (runs and their states, replicates, the levers varied and
   their options, months) and the code that made the runs (``runs.parquet``'s provenance
   columns; Python and library versions from a run's ``manifest.json``);
2. the paired comparison tables of ``sandbox.experiments.compare``: every policy against
   the baseline (the experiment's ``hydra.callbacks.sweep.baseline``, else
   ``status_quo``) when the sweep varies the policy, else each lever it varies against its
   first option (``random`` for the phasing order), paired on the replicate and the
   other levers;
3. the figures of ``sandbox.plots``: outcomes and equity over time, the paired
   differences, the designs' trade-off frontier, and the phasing or alignment figure when
   the sweep varies those levers.

Nothing is recomputed: the report reads ``runs.parquet`` and ``timeseries.parquet``. A
folder that is not a collected sweep gets one paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sandbox.analysis import Results, design_levers
from sandbox.experiments import sweep_record as record
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.compare import (
    FLAGSHIP,
    as_option,
    ci_notes,
    comparison_table,
    lever_column,
    paired_comparison,
)
from sandbox.experiments.provenance import code_fingerprint
from sandbox.experiments.sweep_record import NotASweepError
from sandbox.units import unit

FOLDER = "report"
REPORT = "report.md"
# the option each lever is compared with unless told otherwise; other levers: the first
PREFERRED_BASELINES = {"lever_policy": "status_quo", "lever_policy_phasing_order": "random"}
OVER_TIME = (
    "adoption",
    "population_covered",
    "provinces_with_app",
    "citizens_harmed",
    "public_spending",
)
EQUITY = ("urban_rural_gap", "provinces_no_service")
FRONTIER = ("adoption", "citizens_harmed", "public_spending")
DPI = 110
MAX_LINES = 8  # lines of an over-time figure: every design when there are this few

__all__ = ["Comparison", "NotASweepError", "choose", "compare", "main", "write_report"]


@dataclass(frozen=True)
class Comparison:
    """One paired comparison: the options of ``lever`` against ``baseline``."""

    lever: str
    baseline: object
    table: pd.DataFrame  # ``comparison_table``: the baseline's level, options x metrics
    result: pd.DataFrame  # ``paired_comparison``: one row per option and metric


@dataclass(frozen=True)
class Drawing:
    """A figure of the report: its file, title, caption and how to draw it."""

    name: str
    title: str
    caption: str
    draw: Callable[[], Figure]


# -------------------------------------------------------------------- comparisons
def first_option(values: pd.Series) -> object:
    """A lever's first option: its smallest number, or its first text in sort order."""
    present = [v.item() if hasattr(v, "item") else v for v in pd.unique(values.dropna())]
    return sorted(present, key=lambda v: (str(type(v)), v))[0]


def choose(
    runs: pd.DataFrame,
    lever: str | None = None,
    baseline: object = None,
    configured: object = None,
) -> list[tuple[str, object]]:
    """The (lever column, baseline) pairs the report compares.

    Args:
        runs: the done runs.
        lever: the lever asked for; ``None``: the policy when the sweep varies it, else
            every lever it varies (``sandbox.analysis.design_levers``).
        baseline: the option asked for; ``None``: ``configured`` for the policy, else
            ``PREFERRED_BASELINES`` when present, else the lever's first option.
        configured: the experiment's ``hydra.callbacks.sweep.baseline``, if any.

    Raises:
        ValueError: the lever or baseline asked for is not in the table.
    """
    varying = design_levers(runs)
    if lever is not None:
        levers = [lever_column(lever)]
    elif "lever_policy" in varying:
        levers = ["lever_policy"]
    else:
        levers = varying
    pairs = []
    for column in levers:
        if column not in runs:
            raise ValueError(
                f"lever {column!r} is not a column of runs.parquet; the levers "
                f"this sweep varies are {[c.removeprefix('lever_') for c in varying]}"
            )
        if baseline is not None:
            pairs.append((column, as_option(runs[column], baseline)))
            continue
        wanted = PREFERRED_BASELINES.get(column)
        if column == "lever_policy" and configured is not None:
            wanted = configured
        try:
            value = as_option(runs[column], wanted) if wanted is not None else None
        except ValueError:
            value = None
        pairs.append((column, value if value is not None else first_option(runs[column])))
    return pairs


def compare(runs: pd.DataFrame, pairs: Sequence[tuple[str, object]]) -> list[Comparison]:
    """Each (lever, baseline) compared on the flagship metrics the table has.

    Raises:
        ValueError: a lever has no option besides its baseline.
    """
    metrics = [m for m in FLAGSHIP if m in runs.columns]
    out = []
    for lever, baseline in pairs:
        result = paired_comparison(runs, baseline, lever, metrics)
        if result.empty:
            raise ValueError(
                f"nothing to compare: {lever!r} has no option other than "
                f"{baseline!r} among done runs"
            )
        out.append(Comparison(lever, baseline, comparison_table(result, baseline, lever), result))
    return out


# ------------------------------------------------------------------------ figures
def _name(lever: str) -> str:
    return lever.removeprefix("lever_")


def _designs(runs: pd.DataFrame, levers: Sequence[str]) -> int:
    """How many combinations of ``levers`` the runs hold (1 when no lever varies)."""
    return len(runs[list(levers)].drop_duplicates()) if levers else 1


def _lines_by(runs: pd.DataFrame, lever: str) -> list[str]:
    """The levers whose combinations get a line: every design lever when there are at
    most ``MAX_LINES`` designs, else ``lever`` alone."""
    levers = design_levers(runs)
    if levers and _designs(runs, levers) <= MAX_LINES:
        return [_name(c) for c in levers]
    return [_name(lever)]


def drawings(results: Results, comparisons: Sequence[Comparison], start: str | None) -> list:
    """The ``Drawing`` of every figure the sweep's tables support."""
    from sandbox import plots  # matplotlib's figures only where they are drawn

    runs, series = results.runs, results.timeseries
    lever = comparisons[0].lever if comparisons else "lever_policy"
    by = _lines_by(runs, lever)
    levers = design_levers(runs)
    out = []
    over_time = [m for m in OVER_TIME if m in series.columns]
    if over_time:
        out.append(
            Drawing(
                "outcomes_over_time.png",
                "Outcomes over time",
                f"Mean over runs by month, one line per {', '.join(by)}, 95% CI band; diamonds "
                "are historical targets, the dashed line the policy start.",
                lambda: plots.outcome_over_time(series, over_time, by, policy_start=start),
            )
        )
    equity = [m for m in EQUITY if m in series.columns]
    if equity:
        out.append(
            Drawing(
                "equity_over_time.png",
                "Equity over time",
                "The urban-rural adoption gap and the provinces whose citizens have no service.",
                lambda: plots.outcome_over_time(
                    series, equity, by, targets=None, policy_start=start
                ),
            )
        )
    metrics = [m for m in FLAGSHIP if m in runs.columns]
    for c in comparisons:
        out.append(
            Drawing(
                f"comparison_{_name(c.lever)}.png",
                f"{_name(c.lever)} against {c.baseline}",
                f"Each option minus {c.baseline} at the end of the horizon, paired on the "
                "replicate and the other levers, 95% CI.",
                lambda c=c: plots.policy_comparison(runs, c.lever, c.baseline, metrics),
            )
        )
    if _designs(runs, levers) >= 2 and set(FRONTIER) <= set(runs.columns):
        out.append(
            Drawing(
                "tradeoff_frontier.png",
                "Trade-off frontier",
                "Each design's mean adoption against harm and public cost; ringed designs are "
                "non-dominated.",
                lambda: plots.tradeoff_frontier(runs),
            )
        )
    if "lever_policy_phasing_n_waves" in levers:
        out.append(
            Drawing(
                "phasing.png",
                "Phasing",
                "Outcomes against the number of waves, one line per "
                "order rule, one column per phase length.",
                lambda: plots.phasing(runs),
            )
        )
    if "lever_policy_experimental_coordination" in levers:
        out.append(
            Drawing(
                "alignment.png",
                "Local-central alignment",
                "Outcomes against the monthly chance of alignment, one line per rework cost.",
                lambda: plots.alignment(runs),
            )
        )
    return out


def save_figure(fig: Figure, path: Path) -> None:
    """Write a figure as PNG, atomically."""
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=DPI))


# ----------------------------------------------------------------------- markdown
def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame``, its index (named by its names) as the first column."""
    head = [", ".join(str(n) for n in frame.index.names if n is not None), *frame.columns]
    lines = ["| " + " | ".join(map(_cell, head)) + " |", "|" + "---|" * len(head)]
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        label = ", ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        lines.append("| " + " | ".join(map(_cell, [label, *row])) + " |")
    return "\n".join(lines)


def _options(values: pd.Series) -> str:
    present = [v.item() if hasattr(v, "item") else v for v in pd.unique(values.dropna())]
    return ", ".join(str(v) for v in sorted(present, key=lambda v: (str(type(v)), v)))


def size_section(everything: pd.DataFrame, results: Results) -> list[str]:
    """The sweep's size: runs and their states, replicates, levers and options, months."""
    runs, months = results.runs, results.timeseries["month"]
    states = everything["status"].value_counts() if "status" in everything else {}
    levers = design_levers(runs)
    reps = sorted(runs["replicate"].unique()) if "replicate" in runs else []
    rows = [
        ("runs", f"{len(everything)} ({', '.join(f'{n} {s}' for s, n in states.items())})"),
        ("replicates", f"{len(reps)}" + (f" ({reps[0]} to {reps[-1]})" if reps else "")),
        ("combinations of the levers", str(_designs(runs, levers))),
        *((f"lever `{_name(c)}`", _options(runs[c])) for c in levers),
        ("months", f"{months.min()} to {months.max()} ({months.nunique()})"),
    ]
    out = ["| | |", "|---|---|", *(f"| {_cell(k)} | {_cell(v)} |" for k, v in rows)]
    if len(everything) > len(runs):
        out += ["", f"The tables and figures use the {len(runs)} done runs only."]
    return out


def _version() -> str:
    try:
        return importlib.metadata.version("sandbox")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def versions_section(folder: Path, runs: pd.DataFrame) -> list[str]:
    """Code fingerprints, git commits and input hashes of the runs; library versions."""
    out = []
    for column in ("code_fingerprint", "code_git_commit", "code_git_dirty"):
        if column in runs:
            counts = runs[column].astype("string").fillna("not recorded").value_counts()
            out.append(f"- {column}: " + ", ".join(f"`{v}` ({n} runs)" for v, n in counts.items()))
    for column in (c for c in runs.columns if c.startswith("input_")):
        values = runs[column].dropna().astype(str).unique()
        if len(values):
            out.append(
                f"- {column} (SHA-256, first 16 digits): "
                + ", ".join(f"`{v[:16]}`" for v in values)
            )
    found = record.manifest_versions(folder, runs)
    out.append(
        "- versions (from a run's manifest.json): "
        + ", ".join(f"{k} {v}" for k, v in found.items())
        if found
        else "- versions: not known (no run folder with a manifest.json beside the tables)"
    )
    out.append(
        f"- this report: sandbox {_version()}, code `{code_fingerprint()}`, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    return out


def comparison_section(c: Comparison, runs: pd.DataFrame) -> list[str]:
    """One comparison: what it is, its units, its table and its notes."""
    ends = (
        sorted(map(str, runs["setting_horizon_end"].unique()))
        if ("setting_horizon_end" in runs)
        else ["unknown"]
    )
    units = "; ".join(f"{m}: {unit(m)}" for m in c.table.columns if unit(m))
    return [
        f"### {_name(c.lever)} against {c.baseline}",
        "",
        f"First row: the level of {c.baseline}; then each other option minus {c.baseline} at "
        f"the end of the horizon ({', '.join(ends)}): mean over up to "
        f"{int(c.result['n_pairs'].max())} pairs of runs that share the replicate and the "
        "other levers, [95% CI].",
        *(["", f"Units: {units}."] if units else []),
        "",
        markdown_table(c.table),
        *(f"\nNote: {n}." for n in ci_notes(c.result)),
    ]


def what_was_run(folder: Path, everything: pd.DataFrame, results: Results, cfg) -> list[str]:
    """The report's first section: experiment, command, size, config, code."""
    experiment = record.select(cfg, "hydra.runtime.choices.experiment")
    question = record.research_question(str(experiment) if experiment else None)
    lines = ["## What was run", ""]
    if experiment:
        lines += [
            f"Experiment `{experiment}`." + (f" Research question: {question}" if question else ""),
            "",
        ]
    run_command = record.command(cfg)
    if run_command:
        lines += [
            "Command (the same command resumes this sweep):",
            "",
            "```sh",
            run_command,
            "```",
            "",
        ]
    else:
        lines += [f"Command and config: not recorded (no {record.MULTIRUN} in this folder).", ""]
    lines += ["### Size", "", *size_section(everything, results), ""]
    if cfg is not None:
        lines += ["### Config", ""]
        rows = record.swept(cfg)
        if rows:
            lines += [
                "| key | values | set by |",
                "|---|---|---|",
                *(f"| `{_cell(k)}` | `{_cell(v)}` | {by} |" for k, v, by in rows),
                "",
            ]
        lines += [
            f"<details><summary>The sweep's composed config ({record.MULTIRUN} without "
            "Hydra's settings)</summary>",
            "",
            "```yaml",
            record.settings(cfg),
            "```",
            "",
            "</details>",
            "",
        ]
    return [*lines, "### Code and versions", "", *versions_section(folder, results.runs), ""]


def write_report(sweep_dir: Path, lever: str | None = None, baseline: object = None) -> Path:
    """Write ``report/report.md`` and its figures into ``sweep_dir``; return the report's path.

    Args:
        sweep_dir: a collected sweep folder.
        lever: the lever compared (see ``choose``).
        baseline: the option it is compared with (see ``choose``).

    Raises:
        NotASweepError: the folder is not a collected sweep.
        ValueError: ``lever`` or ``baseline`` is not in the tables, or there is nothing to
            compare.
    """
    folder = Path(sweep_dir)
    everything, results = record.read_sweep(folder)
    cfg = record.sweep_config(folder)
    runs = results.runs
    pairs = choose(runs, lever, baseline, record.select(cfg, "hydra.callbacks.sweep.baseline"))
    comparisons = compare(runs, pairs)
    out = folder / FOLDER
    out.mkdir(exist_ok=True)
    lines = [f"# Sweep report: {folder.resolve().name}", ""]
    lines += what_was_run(folder, everything, results, cfg)
    lines += ["## Comparison", ""]
    if not comparisons:
        lines += ["Nothing to compare: every run of the sweep has the same options.", ""]
    for c in comparisons:
        lines += [*comparison_section(c, runs), ""]
    lines += ["## Figures", ""]
    drawn = set()
    for drawing in drawings(results, comparisons, record.policy_start(runs, cfg)):
        try:
            save_figure(drawing.draw(), out / drawing.name)
        except (ValueError, KeyError) as err:
            lines += [f"{drawing.title}: not drawn ({' '.join(str(err).split())}).", ""]
            continue
        drawn.add(drawing.name)
        lines += [
            f"### {drawing.title}",
            "",
            drawing.caption,
            "",
            f"![{drawing.title}]({drawing.name})",
            "",
        ]
    text = "\n".join(lines).rstrip() + "\n"
    path = out / REPORT
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    for stale in out.glob("*.png"):  # figures of an earlier report that this one has not
        if stale.name not in drawn:
            stale.unlink(missing_ok=True)
    return path


def not_a_sweep(folder: Path, reason: str) -> str:
    """One paragraph for a folder no report can be made from."""
    return (
        f"sandbox-report: {reason}, so there is nothing to report. A report is made from a "
        "collected sweep with at least one done run: a folder holding runs.parquet and "
        "timeseries.parquet, which a --multirun sweep writes when it ends "
        "(results/sweeps/<experiment>/ for an experiment) and `sandbox-collect <sweep "
        f"folder>` writes by hand. Give such a folder; collect {folder} first if its runs "
        "have finished, or run its sweep again if none is done."
    )


def main(argv: list[str] | None = None) -> None:
    """``sandbox-report <sweep folder> [--lever ...] [--baseline ...]``."""
    parser = argparse.ArgumentParser(prog="sandbox-report", description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="a collected sweep folder")
    parser.add_argument(
        "--lever",
        default=None,
        help="the lever whose options are compared (default: policy when the "
        "sweep varies it, else every lever it varies)",
    )
    parser.add_argument(
        "--baseline",
        default=None,
        help="the option compared with (default: the experiment's baseline or "
        "status_quo for the policy, else the lever's first option), e.g. "
        "--lever policy_sandbox_capacity --baseline 10",
    )
    args = parser.parse_args(argv)
    try:
        path = write_report(args.sweep_dir, args.lever, args.baseline)
    except NotASweepError as err:
        print(not_a_sweep(args.sweep_dir, str(err)), file=sys.stderr)
        sys.exit(2)
    except ValueError as err:
        print(f"sandbox-report: {err}", file=sys.stderr)
        sys.exit(2)
    print(f"report: {path}")


if __name__ == "__main__":  # python -m sandbox.experiments.report
    main()
