"""Paired comparison of a collected sweep's options against a baseline, written and printed.

``sandbox-compare`` writes the comparison (``sandbox.analysis.comparison``, where the
statistics are set out) into the sweep folder as
``comparison_vs_<baseline>[_by_<levers>].{txt,parquet}`` and prints it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sandbox.analysis.comparison import (
    ONE_PAIR,
    ONE_PAIR_PER_COMBINATION,
    as_option,
    breakdown_tables,
    breakdowns,
    check_lever,
    ci_notes,
    comparison_table,
    fit_line,
    fit_table,
    lever_column,
    pair_notes,
    paired_comparison,
    range_table,
    read_runs,
    sign_changes,
    swept_with,
)
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.lock import FolderError, writes_into_sweep
from sandbox.units import unit


@writes_into_sweep
def comparison_stem(sweep_dir: Path | str, baseline: object, by: Sequence[str] = ()) -> Path:
    """The path, without its extension, of the comparison against ``baseline`` (broken down
    by the levers ``by``): ``comparison_vs_<baseline>[_by_<levers>]``, the baseline as
    given, so that ``0.05`` and ``0.4`` (or ``-1``) each have their own files."""
    tail = f"_by_{'_'.join(by)}" if by else ""
    return Path(sweep_dir) / f"comparison_vs_{baseline}{tail}"


def _named(stem: Path, extension: str) -> Path:
    """``stem`` with ``extension`` appended (``with_suffix`` would eat a baseline's
    decimals: ``comparison_vs_0.05`` would become ``comparison_vs_0.txt``)."""
    return stem.with_name(stem.name + extension)


def write_breakdown(sweep_dir: Path, baseline: object, lever: str = "lever_policy") -> str:
    """Break the comparison of ``lever`` against ``baseline`` down by the other levers
    swept with it (``breakdowns``); write ``comparison_vs_<baseline>_by_<levers>.parquet``
    and ``.txt`` (a table per metric, [95% CI]) for each way; return a short text for the
    console: the range of each difference across the combinations (when the other levers
    are broken down together), or the files' names; ``""`` when there is no other lever.
    """
    sweep_dir = Path(sweep_dir)
    runs = read_runs(sweep_dir)
    done = runs[runs["status"] == "done"]
    lever = check_lever(done, lever)
    value = as_option(done[lever], baseline)
    ways = breakdowns(done, lever)
    out = []
    for by in ways:
        result = paired_comparison(runs, value, lever, by=by)
        if result.empty:
            continue
        names = [b.removeprefix("lever_") for b in by]
        stem = comparison_stem(sweep_dir, baseline, names)
        n = len(result[by].drop_duplicates())
        head = (
            f"Difference of each other {lever.removeprefix('lever_')} option from {value} "
            f"within each combination of {', '.join(names)} ({n}), at the end of the "
            "horizon: mean over the pairs of runs that share the replicate and the other "
            "levers [95% CI]; first row: the level of "
            f"{value}"
        )
        tables = breakdown_tables(result, value, lever)
        text = "\n\n".join(
            [fit_line(head), *(f"{m} ({unit(m)}):\n{fit_table(t)}" for m, t in tables.items())]
        )
        write_atomic(_named(stem, ".parquet"), lambda t, r=result: r.to_parquet(t))
        write_atomic(_named(stem, ".txt"), lambda t, x=text: t.write_text(x + "\n"))
        if len(ways) > 1:
            out.append(f"by {', '.join(names)} ({n} values): {stem.name}.txt")
            continue
        flips = sign_changes(result)
        out += [
            f"By {', '.join(names)} ({n} combinations): the lowest to the highest mean "
            f"difference from {value} across them (each with its 95% CI in {stem.name}.txt)",
            fit_table(range_table(result)),
            *(
                [f"note: the sign depends on {', '.join(names)} for {'; '.join(flips)}"]
                if flips
                else []
            ),
        ]
    if len(ways) > 1 and out:
        out.insert(0, "Broken down by each other lever in turn (pooled over the rest):")
    return "\n".join(fit_line(line) for text in out for line in text.split("\n"))


@writes_into_sweep
def write_comparison(
    sweep_dir: Path, baseline: object, lever: str = "lever_policy", by: Sequence[str] = ()
) -> str:
    """Compare; write ``comparison_vs_<baseline>.parquet`` and ``.txt``; return the text.

    ``baseline`` may be given as text (``"10"`` for a numeric lever); the file name
    keeps it as given. ``by``: other levers to break the comparison down by.
    """
    runs = read_runs(sweep_dir)
    done = runs[runs["status"] == "done"]
    lever = check_lever(done, lever)
    value = as_option(done[lever], baseline)
    result = paired_comparison(runs, value, lever, by=[lever_column(b) for b in by])
    if result.empty:
        raise ValueError(
            f"nothing to compare: {lever!r} has no option other than {value!r} among done runs"
        )
    table = comparison_table(result, value, lever)
    reduction = result.groupby("metric", sort=False)["variance_reduction"].median()
    no_ci = result.groupby("metric", sort=False)["ci_note"].apply(
        lambda n: n.isin([ONE_PAIR, ONE_PAIR_PER_COMBINATION]).all()
    )
    n_rep = done["replicate"].nunique()
    n_pairs = int(result["n_pairs"].max())
    swept = swept_with(done, lever)
    n_combinations = len(done[swept].drop_duplicates()) if swept else 1
    ends = sorted(set(done["setting_horizon_end"])) if "setting_horizon_end" in done else []
    end = ", ".join(map(str, ends)) or "unknown"
    units = "; ".join(f"{m}: {unit(m)}" for m in table.columns if unit(m))
    others = done[done[lever] != value]
    same = [m for m in table.columns if others[m].nunique() == 1]
    text = "\n".join(
        [
            f"Level of {value}, and difference of each other "
            f"{lever_column(lever).removeprefix('lever_')} option "
            f"from it, at the end of the horizon ({end}): mean over {n_pairs} pairs "
            f"({n_rep} replicate{'s' * (n_rep != 1)} x {n_combinations} "
            f"combination{'s' * (n_combinations != 1)} of the other levers) [95% CI]",
            f"units: {units}",
            fit_table(table),
            *(
                f"note: every run of every other option ends with {m} = {others[m].iloc[0]:g}, "
                "so their differences from the baseline are the same"
                for m in same
            ),
            *(f"note: {n}" for n in ci_notes(result)),
            *(f"note: {n}" for n in pair_notes(result, value, runs)),
            "variance reduction by pairing: how many times more replicates independent "
            "runs would need for the same CI (the arms' variances added over the variance "
            "of the paired differences; median over options): "
            + ", ".join(
                f"{m} {v:.1f}x"
                if np.isfinite(v)
                else f"{m} n/a ({'no CI' if no_ci[m] else 'no variation'})"
                for m, v in reduction.items()
            ),
        ]
    )
    text = "\n".join(fit_line(line) for line in text.split("\n"))
    stem = comparison_stem(sweep_dir, baseline)
    write_atomic(_named(stem, ".parquet"), lambda t: result.to_parquet(t))
    write_atomic(_named(stem, ".txt"), lambda t: t.write_text(text + "\n"))
    return text


def main(argv: list[str] | None = None) -> None:
    """``sandbox-compare <sweep folder> [--baseline status_quo] [--lever ...]``."""
    parser = argparse.ArgumentParser(prog="sandbox-compare", description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="a collected sweep folder")
    parser.add_argument(
        "--baseline",
        default="status_quo",
        help="the option every other is compared with (default: status_quo); for a "
        "numeric or boolean lever its value, e.g. --lever policy_sandbox_capacity --baseline 10",
    )
    parser.add_argument("--lever", default="policy",
                        help="the lever whose options are compared: policy (default), "
                             "resources, data, or any lever_ column of runs.parquet")  # fmt: skip
    parser.add_argument("--by", nargs="*", default=(),
                        help="other levers to break the comparison down by, e.g. "
                             "--by ablation")  # fmt: skip
    args = parser.parse_args(argv)
    if not (args.sweep_dir / "runs.parquet").is_file():
        print(f"sandbox-compare: no runs.parquet in {args.sweep_dir}: it is not a collected "
              "sweep folder (sandbox-collect <sweep folder> collects one); nothing was "
              "written.", file=sys.stderr)  # fmt: skip
        sys.exit(2)
    try:
        print(write_comparison(args.sweep_dir, args.baseline, args.lever, args.by))
    except (ValueError, KeyError, FolderError) as err:
        print(f"sandbox-compare: {err}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":  # python -m sandbox.experiments.compare
    main()
