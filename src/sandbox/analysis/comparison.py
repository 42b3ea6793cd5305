"""Paired comparison of policies against a baseline, from a collected runs.parquet.

Replicate ``r`` of every policy shares its random world (common random numbers), so the
difference policy - baseline is taken within pairs that agree on the replicate and on
every other lever. The 95% confidence interval of the mean difference uses Student's t
over the pairs. The variance reduction is the variance the difference would have if the
runs were independent (the two arms' variances added) over the variance of the paired
difference; both are taken around the mean of each combination of the other levers, so
that mixing combinations does not inflate either.

A lever may hold text (``lever_policy``), numbers (``lever_policy_sandbox_capacity``) or
booleans; a baseline given as text (as on the command line) is read as the column's type.
With one pair per combination of the other levers there is no variance to estimate: the
interval is NaN and ``ci_note`` says why, never a zero-width interval. So it is when every
pair differs by the same amount (``SAME``; ``NO_DIFFERENCE`` when that amount is zero),
as a count that no option changes does: a t interval would have zero width and read as
certainty, where the runs only show no spread.

A time to an event that a run did not reach by its horizon (NaN, an outcome declared
``censored`` in ``sandbox.model.outcomes``) is a censored observation, not a missing one:
dropping such pairs would make the regime that fails to get there look fast. It is counted
at the months the run was followed (from its first month or from ``policy.start`` to the
horizon's end), so the difference is one of restricted means, the standard summary of
censored times to an event up to a horizon (Royston and Parmar, 2013, BMC Medical Research
Methodology 13:152); ``n_censored`` counts the pairs in which a run did not get there.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy import stats

from sandbox.model.outcomes import BY_NAME, HEADLINE

# The outcomes every comparison reports: the headline outcomes of the outcome table
# (``sandbox.model.outcomes``), in their order.
FLAGSHIP = HEADLINE


# ``ci_note`` of a difference without an interval, and how a table's cell shows it
ONE_PAIR = "no CI: one pair (one replicate); more replicates needed"
ONE_PAIR_PER_COMBINATION = (
    "no CI: one pair per combination of the other levers (one replicate); more replicates needed"
)
SAME = "no CI: identical in every pair (no spread to estimate an interval from)"
SAME_WITHIN = (
    "no CI: identical in every pair within each combination of the other levers (no spread "
    "to estimate an interval from)"
)
NO_DIFFERENCE = "no CI: no difference in any pair"
# a summary's mean over runs that all hold the same value (sandbox.analysis.summarise)
SAME_RUNS = "no CI: the same value in every run"
CELL_NOTES = {
    SAME: "identical in every pair",
    SAME_WITHIN: "identical within each combination",
    NO_DIFFERENCE: "no difference in any pair",
    SAME_RUNS: "same in every run",
}
# a comparison is broken down by the other levers together up to this many combinations
# of them (a column each in a table), else by each of them alone
MAX_COMBINATIONS = 8
# relative tolerance under which paired differences count as identical (float rounding)
SAME_RTOL = 1e-9


def no_spread_note(diff: pd.Series, centred: pd.Series, size: float = 0.0) -> str:
    """``SAME``, ``SAME_WITHIN`` or ``NO_DIFFERENCE`` when the paired differences have no
    spread around their combinations' means (``centred``); ``""`` otherwise. Rounding is
    judged relative to ``size`` (the largest value compared) or the largest difference."""
    scale = max(float(diff.abs().max()), size, 1e-300)
    if (centred.abs() > SAME_RTOL * scale).any():
        return ""
    if (diff.abs() <= SAME_RTOL * scale).all() or (diff == 0).all():
        return NO_DIFFERENCE
    if (diff - diff.iloc[0]).abs().max() <= SAME_RTOL * scale:
        return SAME
    return SAME_WITHIN


def lever_column(lever: str) -> str:
    """The ``runs.parquet`` column of a lever named with or without its ``lever_`` prefix."""
    return lever if lever.startswith("lever_") else f"lever_{lever}"


# column families of runs.parquet no comparison reads (half its width): the uncertainties
# and settings (but the horizon's end, which a table's title gives) and the provenance
UNREAD = ("uncertainty_", "setting_", "code_", "input_")
READ_SETTINGS = ("setting_horizon_end",)


def read_runs(sweep_dir: Path | str) -> pd.DataFrame:
    """A sweep's ``runs.parquet`` with the columns a comparison reads: identity, state,
    levers, the horizon's end and metrics (not the uncertainties, the other settings or
    the code and inputs, so that a large sweep's table is held lean)."""
    path = Path(sweep_dir) / "runs.parquet"
    names = pq.read_schema(path).names
    return pd.read_parquet(
        path, columns=[c for c in names if not c.startswith(UNREAD) or c in READ_SETTINGS]
    )


def as_option(values: pd.Series, option: object) -> object:
    """The value of a lever column that ``option`` names, in the column's own type.

    ``option`` may be the value itself or its text, as typed on a command line: ``"10"``
    names ``10`` of an integer column, ``"0.05"`` names ``0.05`` of a float column,
    ``"true"`` names ``True`` of a boolean column.

    Raises:
        ValueError: no value of the column is named by ``option``.
    """
    present = [v.item() if isinstance(v, np.generic) else v for v in pd.unique(values.dropna())]
    for value in present:
        if _same(value, option):
            return value
    text = str(option).strip()
    for value in present:
        if isinstance(value, bool):
            if text.lower() == str(value).lower():
                return value
        elif str(value) == text or (isinstance(value, int | float) and _number(text) == value):
            return value
    shown = sorted(present, key=lambda v: (str(type(v)), v))
    raise ValueError(f"baseline {option!r} not among {shown}")


def _same(value: object, option: object) -> bool:
    """``value == option`` without taking ``True`` for ``1`` or text for a number."""
    if isinstance(value, bool | np.bool_) != isinstance(option, bool | np.bool_):
        return False
    if isinstance(option, str) != isinstance(value, str):
        return False
    return bool(value == option)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _centre(values: pd.Series, groups: pd.DataFrame) -> pd.Series:
    if groups.shape[1] == 0:
        return values - values.mean()
    return values - values.groupby([groups[c] for c in groups.columns]).transform("mean")


def _levers_of(done: pd.DataFrame) -> list[str]:
    return sorted(
        c.removeprefix("lever_")
        for c in done.columns
        if c.startswith("lever_") and done[c].nunique() > 1
    )


def independent_levers(runs: pd.DataFrame, given: Sequence[str] = ()) -> list[str]:
    """The levers that vary, less those that follow the others (in table order).

    A lever follows when the other levers kept, with ``given``, fix its value:
    ``lever_policy_name`` is fixed by ``lever_policy``; ``lever_policy_data_market``, which
    an ablation switches off but the status quo has off anyway, by ``lever_policy`` and
    ``lever_ablation`` together. Levers are checked from the last column to the first, so
    of two that fix each other the first is kept.
    """
    varying = [
        c
        for c in runs.columns
        if c.startswith("lever_") and c not in given and runs[c].nunique(dropna=False) > 1
    ]
    kept = list(varying)
    for lever in reversed(varying):
        rest = [*given, *(k for k in kept if k != lever)]
        if rest and runs.groupby(rest, dropna=False)[lever].nunique(dropna=False).max() == 1:
            kept.remove(lever)
    return kept


def breakdowns(runs: pd.DataFrame, lever: str) -> list[list[str]]:
    """How a comparison of ``lever`` is broken down by the other levers swept with it:
    by all of them together when they make at most ``MAX_COMBINATIONS`` combinations,
    else by each alone (pooled over the rest); ``[]`` when there is no other."""
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    lever = lever_column(lever)
    others = swept_with(done, lever)
    if not others:
        return []
    if len(done[others].drop_duplicates()) <= MAX_COMBINATIONS:
        return [others]
    return [[c] for c in others]


def check_lever(done: pd.DataFrame, lever: str) -> str:
    column = lever_column(lever)
    if column not in done.columns:
        raise ValueError(
            f"lever {column!r} is not a column of runs.parquet; the levers this sweep varies "
            f"are {_levers_of(done)} (written with or without the lever_ prefix)"
        )
    return column


def paired_comparison(
    runs: pd.DataFrame,
    baseline: object,
    lever: str = "lever_policy",
    metrics: Sequence[str] = FLAGSHIP,
    level: float = 0.95,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Mean difference from ``baseline`` with a paired CI, per option of ``lever`` and metric.

    Args:
        runs: a collected ``runs.parquet`` (only ``status == "done"`` rows are used).
        baseline: the option of ``lever`` to compare against (``"status_quo"``, ``10`` or
            its text ``"10"``; see ``as_option``).
        lever: the column whose options are compared (``lever_`` prefix optional); text,
            numbers or booleans.
        metrics: metric columns.
        level: confidence level.
        by: other levers (``lever_`` prefix optional) or columns (``month`` of a time
            series) to break the comparison down by: one comparison within each
            combination of their values.

    Returns:
        One row per (combination of ``by``, option, metric): the ``by`` columns, then
        ``option``, ``metric``, ``n_pairs``, ``baseline_mean``, ``mean_diff``, ``ci_low``,
        ``ci_high``, ``se_paired``, ``se_independent``, ``variance_reduction``,
        ``ci_note`` (empty, or why the interval is NaN), ``n_formed`` (pairs of done runs
        formed; ``n_pairs`` of them had a value of the metric in both runs),
        ``n_unpaired`` (done runs of the option without a baseline partner) and
        ``n_inactive`` (pairs in which no metric differs).
    """
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    lever = check_lever(done, lever)
    baseline = as_option(done[lever], baseline)
    keys = [b if b in done.columns else check_lever(done, b) for b in by]
    if lever in keys:
        raise ValueError(f"cannot break {lever!r} down by itself")
    if not keys:
        return pd.DataFrame(_compare(done, lever, baseline, metrics, level), columns=COLUMNS)
    parts = []
    for values, group in done.groupby(keys, sort=True, dropna=False):
        if not (group[lever] == baseline).any():
            continue
        rows = _compare(group, lever, baseline, metrics, level)
        parts.append(
            pd.DataFrame(rows, columns=COLUMNS).assign(**dict(zip(keys, values, strict=True)))
        )
    if not parts:
        return pd.DataFrame(columns=[*keys, *COLUMNS])
    result = pd.concat(parts, ignore_index=True)
    return result[[*keys, *COLUMNS]]


COLUMNS = (
    "option",
    "metric",
    "n_pairs",
    "baseline_mean",
    "mean_diff",
    "ci_low",
    "ci_high",
    "se_paired",
    "se_independent",
    "variance_reduction",
    "ci_note",
    "n_formed",  # pairs of done runs that share the replicate and the other levers
    "n_unpaired",  # done runs of the option with no baseline run to pair with
    "n_inactive",  # pairs in which no metric differs
    "n_censored",  # pairs in which a run did not reach a time-to-event outcome's event
)

# where a run's months followed are counted from, per origin of a censored outcome
ORIGIN_COLUMNS = {"start": "setting_horizon_start", "policy": "lever_policy_start"}
END_COLUMN = "setting_horizon_end"


def months_followed(runs: pd.DataFrame, metric: str) -> pd.Series | None:
    """For an outcome declared ``censored`` (a time to an event), the months each run was
    followed from its origin to the end of its horizon: the value a run that never got
    there is counted at. ``None`` for other outcomes, or when ``runs`` lacks the months."""
    outcome = BY_NAME.get(metric)
    origin = outcome.censored if outcome is not None else None
    if origin is None or END_COLUMN not in runs or ORIGIN_COLUMNS[origin] not in runs:
        return None
    end = _ordinals(runs[END_COLUMN])
    begin = _ordinals(runs[ORIGIN_COLUMNS[origin]])
    if origin == "policy" and ORIGIN_COLUMNS["start"] in runs:  # a policy before the start
        begin = np.maximum(begin, _ordinals(runs[ORIGIN_COLUMNS["start"]]))
    return pd.Series(end - begin + 1.0, index=runs.index)


def restricted(runs: pd.DataFrame, metric: str) -> pd.Series:
    """``runs[metric]``, with a censored time to an event that a run did not reach counted
    at its ``months_followed`` (the values a restricted mean is taken of)."""
    values = runs[metric].astype(float)
    limit = months_followed(runs, metric)
    return values if limit is None else values.fillna(limit)


def _ordinals(months: pd.Series) -> np.ndarray:
    """Monthly ordinals of ``YYYY-MM`` texts (NaN where a month is missing)."""
    periods = pd.PeriodIndex(months.astype("string").fillna(pd.NA), freq="M")
    return np.where(periods.isna(), np.nan, periods.asi8.astype(float))


def swept_with(done: pd.DataFrame, lever: str) -> list[str]:
    """The other levers swept independently of ``lever``: those that vary within one of its
    options and that do not follow it and the others (``independent_levers``). Runs are
    paired, and comparisons broken down, on these."""
    return [
        c
        for c in independent_levers(done, given=[lever])
        if done.groupby(lever)[c].nunique(dropna=False).max() > 1
    ]


def _compare(
    done: pd.DataFrame, lever: str, baseline: object, metrics: Sequence[str], level: float
) -> list[dict]:
    """Rows of ``paired_comparison`` for one table in which ``baseline`` is present."""
    others = swept_with(done, lever)  # pairs share these and the replicate
    keys = [*others, "replicate"]
    base = done[done[lever] == baseline].set_index(keys)
    rows = []
    for option in sorted(set(done[lever].dropna()) - {baseline}):
        arm = done[done[lever] == option].set_index(keys)
        common = arm.index.intersection(base.index)
        inactive = _inactive(arm.loc[common, list(metrics)], base.loc[common, list(metrics)])
        for metric in metrics:
            a = arm.loc[common, metric].astype(float).reset_index(drop=True)
            b = base.loc[common, metric].astype(float).reset_index(drop=True)
            censored = 0
            limit_a = months_followed(arm.loc[common], metric)
            limit_b = months_followed(base.loc[common], metric)
            if limit_a is not None and limit_b is not None:  # not reached: counted at the end
                late = (a.isna() | b.isna()).to_numpy()
                a = a.fillna(limit_a.reset_index(drop=True))
                b = b.fillna(limit_b.reset_index(drop=True))
                censored = int((late & np.isfinite(a) & np.isfinite(b)).sum())
            finite = (np.isfinite(a) & np.isfinite(b)).to_numpy()  # pairs where both ended
            a, b = a[finite].reset_index(drop=True), b[finite].reset_index(drop=True)
            groups = common.to_frame(index=False)[others][finite].reset_index(drop=True)
            n_groups = len(groups.drop_duplicates()) if others else 1
            diff = a - b
            n = len(diff)
            dof = n - n_groups
            note = ""
            if n == 0 and len(common):
                note = f"no CI: no pair in which both runs have a value of {metric}"
            elif n == 0:
                note = f"no CI: no run of {option!r} shares a replicate with the baseline"
            elif dof < 1:
                note = ONE_PAIR if n_groups == 1 else ONE_PAIR_PER_COMBINATION
            else:
                size = max(float(a.abs().max()), float(b.abs().max()))
                note = no_spread_note(diff, _centre(diff, groups), size)
            if note and note not in CELL_NOTES:
                var_paired = var_indep = se = half = np.nan
            else:  # with a note here the differences have no spread: no interval
                var_paired = 0.0 if note else float((_centre(diff, groups) ** 2).sum() / dof)
                var_indep = float(
                    ((_centre(a, groups) ** 2).sum() + (_centre(b, groups) ** 2).sum()) / dof
                )
                se = np.sqrt(var_paired / n)
                half = np.nan if note else stats.t.ppf(0.5 + level / 2, dof) * se
            mean = float(diff.mean()) if n else np.nan
            rows.append(
                {
                    "option": option,
                    "metric": metric,
                    "n_pairs": n,
                    "baseline_mean": float(b.mean()) if n else np.nan,
                    "mean_diff": mean,
                    "ci_low": float(mean - half),
                    "ci_high": float(mean + half),
                    "se_paired": float(se),
                    "se_independent": float(np.sqrt(var_indep / n)) if n else np.nan,
                    "variance_reduction": var_indep / var_paired if var_paired > 0 else np.nan,
                    "ci_note": note,
                    "n_formed": len(common),
                    "n_unpaired": len(arm) - len(common),
                    "n_inactive": inactive,
                    "n_censored": censored,
                }
            )
    return rows


def _inactive(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """Pairs in which no metric differs: the option's mechanisms did not act there."""
    same = (a.to_numpy() == b.to_numpy()) | (pd.isna(a).to_numpy() & pd.isna(b).to_numpy())
    return int(same.all(axis=1).sum())


def pair_notes(result: pd.DataFrame, baseline: object, runs: pd.DataFrame) -> list[str]:
    """What the pairs behind a comparison leave out, in words: runs that are not done, runs
    without a baseline partner, pairs a metric has no value in (a threshold not reached by
    the horizon), and options that changed no outcome in some pairs."""
    out = []
    if "status" in runs:
        states = runs["status"].value_counts()
        not_done = int(states.drop("done", errors="ignore").sum())
        if not_done:
            shown = ", ".join(f"{n} {s}" for s, n in states.drop("done", errors="ignore").items())
            out.append(f"{not_done} of {len(runs)} runs are not done ({shown}; runs.parquet "
                       "says why): they and their partners are in no pair")  # fmt: skip
    options = result.drop_duplicates("option")
    for r in options.itertuples():
        if r.n_unpaired:
            out.append(f"{r.n_unpaired} run(s) of {r.option} have no done {baseline} run to "
                       "pair with: left out")  # fmt: skip
        if r.n_inactive:
            out.append(f"{r.option}: no outcome differs from {baseline} in {r.n_inactive} "
                       f"of {r.n_formed} pairs (its mechanisms did not act there)")  # fmt: skip
    if "n_censored" in result:
        late = result[result["n_censored"] > 0]
        for metric, rows in late.groupby("metric", sort=False):
            cells = ", ".join(
                f"{r.option} {r.n_censored} of {r.n_pairs}" for r in rows.itertuples()
            )
            out.append(f"{metric}: not reached by the end of the horizon in a run of {cells} "
                       "pairs; such a run counts at the months it was followed (a restricted "
                       "mean: it understates how late that run was)")  # fmt: skip
    short = result[result["n_pairs"] < result["n_formed"]]
    for metric, rows in short.groupby("metric", sort=False):
        cells = ", ".join(f"{r.option} {r.n_pairs} of {r.n_formed}" for r in rows.itertuples())
        out.append(f"{metric}: pairs used {cells}; the others have no value in a run of the "
                   "pair (a threshold not reached by the end of the horizon)")  # fmt: skip
    return out


def _formatter(*values: float):
    """One number format for related values: 3 decimals below 10, 1 below 1,000, else 0."""
    scale = max((abs(v) for v in values if np.isfinite(v)), default=0.0)
    digits = 3 if scale < 10 else 1 if scale < 1000 else 0
    return lambda v: f"{v + 0.0:,.{digits}f}".replace("-0.000", "0.000")


def interval_text(value: float, low: float, high: float, note: str = "") -> str:
    """``value [low, high]`` in one number format; ``value [why]`` without an interval."""
    fmt = _formatter(value, low, high)
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"{fmt(value)} [{CELL_NOTES.get(note, 'no CI')}]"
    return f"{fmt(value)} [{fmt(low)}, {fmt(high)}]"


def _cells(result: pd.DataFrame) -> list[str]:
    """Each row of a ``paired_comparison`` as a table's cell (``interval_text``)."""
    return [interval_text(r.mean_diff, r.ci_low, r.ci_high, r.ci_note) for r in result.itertuples()]


def ci_notes(result: pd.DataFrame) -> list[str]:
    """Each ``ci_note`` of a ``paired_comparison`` once; a note of no spread (``SAME``,
    ``SAME_WITHIN``, ``NO_DIFFERENCE``) names the metrics (and options) it is about."""
    out = []
    for note, rows in result[result["ci_note"] != ""].groupby("ci_note", sort=True):
        if note not in CELL_NOTES:
            out.append(note)
            continue
        where = []
        for metric, cells in rows.groupby("metric", sort=False):
            options = result.loc[result["metric"] == metric, "option"].nunique()
            named = sorted(map(str, cells["option"].unique()))
            every = len(named) == options and options > 1
            where.append(f"{metric} ({'every option' if every else ', '.join(named)})")
        out.append(f"{note}: {'; '.join(where)}")
    return out


def comparison_table(
    result: pd.DataFrame, baseline: object = None, lever: str = "lever_policy"
) -> pd.DataFrame:
    """Options as rows, metrics as columns, each cell ``mean difference [95% CI]``.

    With ``baseline``, a first row gives the baseline's own mean level of each metric.
    A result broken down ``by`` other levers gives one such block per combination of
    them, its values leading the row index.
    """
    by = list(result.columns[: list(result.columns).index("option")])
    if by:
        blocks = {
            values: comparison_table(group.drop(columns=by), baseline, lever)
            for values, group in result.groupby(by, sort=False, dropna=False)
        }
        table = pd.concat(blocks, names=[*(b.removeprefix("lever_") for b in by), None])
        table.index = table.index.set_names(lever_column(lever).removeprefix("lever_"), level=-1)
        return table
    cells = result.assign(cell=_cells(result))
    table = cells.pivot(index="option", columns="metric", values="cell")
    table = table[[m for m in dict.fromkeys(result["metric"]) if m in table.columns]]
    if baseline is not None:
        levels = result.drop_duplicates("metric").set_index("metric")["baseline_mean"]
        level_row = pd.DataFrame(
            [[_formatter(levels[m])(levels[m]) for m in table]],
            index=[f"{baseline} (level)"],
            columns=table.columns,
        )
        table = pd.concat([level_row, table])
    table.index.name = lever_column(lever).removeprefix("lever_")
    return table


def breakdown_tables(
    result: pd.DataFrame, baseline: object, lever: str = "lever_policy"
) -> dict[str, pd.DataFrame]:
    """A comparison broken down ``by`` other levers, one table per metric: the baseline's
    level and then each option (rows) within each combination of the ``by`` levers
    (columns), each cell ``mean difference [95% CI]``."""
    by = list(result.columns[: list(result.columns).index("option")])
    combination = result[by].astype(str).agg(", ".join, axis=1)
    cells = result.assign(combination=combination, cell=_cells(result))
    columns = list(dict.fromkeys(combination))
    tables = {}
    for metric, part in cells.groupby("metric", sort=False):
        table = part.pivot(index="option", columns="combination", values="cell")[columns]
        levels = part.drop_duplicates("combination").set_index("combination")["baseline_mean"]
        fmt = _formatter(*levels)
        level_row = pd.DataFrame(
            [[fmt(levels[c]) for c in columns]], index=[f"{baseline} (level)"], columns=columns
        )
        table = pd.concat([level_row, table])
        table.index.name = lever_column(lever).removeprefix("lever_")
        table.columns.name = ", ".join(b.removeprefix("lever_") for b in by)
        tables[str(metric)] = table
    return tables


def range_table(result: pd.DataFrame) -> pd.DataFrame:
    """Options x metrics: the smallest and the largest mean difference across the
    combinations of a broken-down comparison (``lowest to highest``)."""
    spans = result.groupby(["option", "metric"], sort=False)["mean_diff"].agg(["min", "max"])
    cells = pd.Series(
        [f"{_formatter(lo, hi)(lo)} to {_formatter(lo, hi)(hi)}" for lo, hi in spans.to_numpy()],
        index=spans.index,
    )
    table = cells.unstack("metric")
    return table[list(dict.fromkeys(result["metric"]))]


def sign_changes(result: pd.DataFrame) -> list[str]:
    """``option on metric`` where the mean difference is above zero in one combination of
    a broken-down comparison and below it in another."""
    signs = result.assign(sign=np.sign(result["mean_diff"]))
    both = signs.groupby(["option", "metric"], sort=False)["sign"].agg(
        lambda s: (s > 0).any() and (s < 0).any()
    )
    return [f"{option} on {metric}" for (option, metric), flips in both.items() if flips]


WIDTH = 100  # console columns: tables wrap their columns, sentences their words


def fit_table(frame: pd.DataFrame) -> str:
    """``frame`` as text within ``WIDTH`` columns (pandas wraps the columns into blocks)."""
    return frame.to_string(line_width=WIDTH)


def fit_line(line: str) -> str:
    """A sentence within ``WIDTH`` columns; a table's line (already fitted) as it is.

    A list of items (``units: a: x; b: y``) breaks between its ``"; "``-separated items,
    so that no item (a unit, a note on one outcome) is cut; a longer item, or a sentence,
    between words."""
    if len(line) <= WIDTH or "  " in line.strip():
        return line
    wrap = functools.partial(
        textwrap.wrap, width=WIDTH, subsequent_indent="  ", break_on_hyphens=False
    )
    rows: list[str] = []
    for item in line.split("; "):
        if rows and len(rows[-1]) + 2 + len(item) <= WIDTH:
            rows[-1] += "; " + item
        elif rows and len(item) + 2 <= WIDTH:
            rows[-1] += ";"
            rows.append("  " + item)
        else:  # the first item, or one too long for a row of its own
            if rows:
                rows[-1] += ";"
            rows += wrap(item, initial_indent="  " if rows else "")
    return "\n".join(rows)
