"""``sandbox-report <sweep folder>``: a self-contained report of a collected sweep.

Writes ``report/report.md`` and its PNG figures into the sweep folder, each file
atomically (``sandbox.experiments.atomic.write_atomic``):

1. the summary: what the sweep found, in words (``report_comparisons.summary_section``);
2. the paired comparison tables of ``sandbox.analysis.comparison``: every policy against
   the baseline (the experiment's ``hydra.callbacks.sweep.baseline``, else
   ``status_quo``) when the sweep varies the policy, else each lever it varies against its
   first option (``random`` for the phasing order), paired on the replicate and the
   other levers; then, when the sweep added replicates adaptively, which of its targets
   were met (``sandbox.experiments.adaptive``);
3. the figures of ``sandbox.plots``: outcomes and equity over time, a heat map of the
   provinces' deployed services in one run and their spread across provinces, the paired
   differences, the designs' trade-off frontier, and the phasing or alignment figure
   when the sweep varies those levers;
4. the long parts, last: the comparisons broken down by the other levers (also in
   ``comparison_vs_<baseline>_by_<levers>.txt``), then what was run
   (``sandbox.experiments.sweep_record``): the command and config Hydra saved in the
   sweep's ``multirun.yaml`` (when the folder has one), the experiment's research
   question, the sweep's size (runs and their states, replicates, the levers varied and
   their options, months) and the code that made the runs (``runs.parquet``'s provenance
   columns; Python and library versions from a run's ``manifest.json``).

The comparisons are made in ``sandbox.experiments.report_comparisons``, the figures in
``sandbox.experiments.report_figures``. Nothing is recomputed: the report reads
``runs.parquet``, ``timeseries.parquet`` and ``provinces.parquet`` (left out, with a note,
when a sweep collected earlier has none). The runs are held in memory (one row each); the
time series and the per-province table are summarised a few months at a time
(``sandbox.analysis.monthly``), so that the report's memory does not grow with them. A
folder that is not a collected sweep gets one paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import sys
from pathlib import Path

import pandas as pd

from sandbox.analysis import SweepTables, design_levers
from sandbox.experiments import sweep_record as record
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.collect import PROVINCES
from sandbox.experiments.lock import FolderError, writes_into_sweep
from sandbox.experiments.markdown import cell
from sandbox.experiments.provenance import code_fingerprint
from sandbox.experiments.report_comparisons import (
    Comparison,
    breakdowns_section,
    choose,
    compare,
    comparison_section,
    name,
    summary_section,
)
from sandbox.experiments.report_figures import designs, drawings, save_figure
from sandbox.experiments.sweep_record import NotASweepError

FOLDER = "report"
REPORT = "report.md"

__all__ = ["Comparison", "NotASweepError", "choose", "compare", "main", "write_report"]


def _options(values: pd.Series) -> str:
    present = [v.item() if hasattr(v, "item") else v for v in pd.unique(values.dropna())]
    return ", ".join(str(v) for v in sorted(present, key=lambda v: (str(type(v)), v)))


def size_section(everything: pd.DataFrame, sweep: SweepTables) -> list[str]:
    """The sweep's size: runs and their states, replicates, levers and options, months."""
    runs, months = sweep.runs, sweep.months()
    states = everything["status"].value_counts() if "status" in everything else {}
    levers = design_levers(runs)
    reps = sorted(runs["replicate"].unique()) if "replicate" in runs else []
    rows = [
        ("runs", f"{len(everything)} ({', '.join(f'{n} {s}' for s, n in states.items())})"),
        ("replicates", f"{len(reps)}" + (f" ({reps[0]} to {reps[-1]})" if reps else "")),
        ("combinations of the levers", str(designs(runs, levers))),
        *((f"lever `{name(c)}`", _options(runs[c])) for c in levers),
        ("months", f"{months.min()} to {months.max()} ({months.nunique()})"),
    ]
    out = ["| | |", "|---|---|", *(f"| {cell(k)} | {cell(v)} |" for k, v in rows)]
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


def what_was_run(folder: Path, everything: pd.DataFrame, sweep: SweepTables, cfg) -> list[str]:
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
    lines += ["### Size", "", *size_section(everything, sweep), ""]
    if cfg is not None:
        lines += ["### Config", ""]
        rows = record.swept(cfg)
        if rows:
            lines += [
                "| key | values | set by |",
                "|---|---|---|",
                *(f"| `{cell(k)}` | `{cell(v)}` | {by} |" for k, v, by in rows),
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
    return [*lines, "### Code and versions", "", *versions_section(folder, sweep.runs), ""]


@writes_into_sweep(check=record.check_collected)
def adaptive_section(folder: Path, runs: pd.DataFrame) -> list[str]:
    """Which targets of adaptive replications were met (``adaptive.txt``), when the sweep
    had any; said to be out of date when the sweep has other replicates now."""
    from sandbox.experiments.adaptive import TABLE, TEXT

    if not (folder / TEXT).is_file() or not (folder / TABLE).is_file():
        return []
    had = int(pd.read_parquet(folder / TABLE, columns=["replicates"])["replicates"].iloc[0])
    now = int(runs["replicate"].nunique())
    lines = ["## Adaptive replications", "", "```", (folder / TEXT).read_text().rstrip(), "```"]
    if had != now:
        lines += ["", f"Written when the sweep had {had} replicates; it has {now} now."]
    return [*lines, ""]


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
    everything, sweep = record.read_sweep(folder)
    cfg = record.sweep_config(folder)
    runs = sweep.runs
    pairs = choose(runs, lever, baseline, record.select(cfg, "hydra.callbacks.sweep.baseline"))
    comparisons = compare(runs, pairs)
    out = folder / FOLDER
    out.mkdir(exist_ok=True)
    lines = [f"# Sweep report: {folder.resolve().name}", ""]
    lines += summary_section(comparisons, runs, record.select(cfg, "uncertainty.source"))
    lines += ["## Comparison", ""]
    if not comparisons:
        lines += ["Nothing to compare: every run of the sweep has the same options.", ""]
    for c in comparisons:
        lines += [*comparison_section(c, runs), ""]
    lines += adaptive_section(folder, runs)
    lines += ["## Figures", ""]
    drawn = set()
    for drawing in drawings(sweep, comparisons, record.policy_start(runs, cfg)):
        try:
            save_figure(drawing.draw(), out / drawing.name)
        except (ValueError, KeyError, FileNotFoundError) as err:
            lines += [f"{drawing.title}: not drawn ({' '.join(str(err).split())}).", ""]
            continue
        drawn.add(drawing.name)
        lines += [
            f"### {drawing.title}",
            "",
            drawing.caption,
            "",
            f"![{drawing.title}]({drawing.name})",
            *drawing.after,
            "",
        ]
    if not (folder / PROVINCES).is_file():
        lines += [
            f"No per-province table ({PROVINCES}) in this folder: it was collected before "
            f"sandbox-collect gathered one, so the heat map and the spread across provinces "
            f"are left out; `sandbox-collect {folder}` adds them.",
            "",
        ]
    # the long parts last: the comparisons within each combination of the other levers,
    # then what was run (its size, its whole configuration, its code)
    breakdowns = [line for c in comparisons for line in breakdowns_section(c)]
    if breakdowns:
        lines += ["## Breakdowns", "", *breakdowns, ""]
    lines += what_was_run(folder, everything, sweep, cfg)
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
    except (ValueError, FolderError) as err:
        print(f"sandbox-report: {err}", file=sys.stderr)
        sys.exit(2)
    print(f"report: {path}")


if __name__ == "__main__":  # python -m sandbox.experiments.report
    main()
