"""The calibration report: what was fitted, to what, how well, and what was left for
validation (``report/report.md`` and PNG figures in the fit's folder).

Besides the stored fit it runs ``report_replicates`` histories at the posterior's central
point and as many with a particle drawn from the posterior each (a few seconds), for the
spread of the targets and for every other metric at the last target month, which later
published figures can be checked against out of sample. The posterior draws are the
posterior predictive: with a temporal hold-out (``calibration.holdout_after``) they give
the held-out figures' predictions and intervals, and with or without one they give the
declared out-of-sample figures' (``use: check``). ``identifiability`` says, per fitted
parameter, how far the targets narrowed its prior.
"""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.calibration import figures as plots
from sandbox.calibration.distance import deviance
from sandbox.calibration.fit import FitResult
from sandbox.calibration.priors import Free
from sandbox.calibration.simulator import run_history
from sandbox.calibration.targets import Target, last_month
from sandbox.config.meta import describe, with_values
from sandbox.config.params import Params
from sandbox.config.posterior import WEIGHT, central_point, draw, weighted_quantile
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.markdown import markdown_table
from sandbox.experiments.provenance import code_version
from sandbox.experiments.report_figures import save_figure
from sandbox.model.metrics import METRICS

FOLDER = "report"
REPORT = "report.md"
CENTRAL = "central point"
PREDICTIVE = "posterior draws"
STRONG = 0.5  # |correlation| from which two parameters count as hard to tell apart
INTERVAL = (0.05, 0.95)  # the predictive interval of a figure not fitted
# posterior IQR over prior IQR below which a parameter counts as pinned down, partly
# identified; at or above the second, the targets barely narrowed it (1: not at all)
PINNED, PARTLY = 0.5, 0.8
STRONGEST = 3  # correlations named in the identifiability section


def replicate_runs(
    params: Params,
    targets: tuple[Target, ...],
    values: list[dict],
    seed: int,
    predicted: tuple[Target, ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Histories to the last month of the targets and the ``predicted`` figures,
    replicate ``r`` with ``values[r]``.

    Returns:
        replicates x figures (the targets, then the predicted), and replicates x metrics
        at the last target month.
    """
    figures = (*targets, *predicted)
    base = with_values(params, {"horizon.end": last_month(figures), "seed": seed})
    at_figures, last = [], []
    for r, value in enumerate(values):
        frame = run_history(with_values(base, {**value, "replicate": r}))
        at_figures.append({t.name: t.observed(frame) for t in figures})
        last.append(frame.loc[last_month(targets)])
    return pd.DataFrame(at_figures), pd.DataFrame(last).reset_index(drop=True)


def predictions_table(runs: dict[str, pd.DataFrame], figures: tuple[Target, ...]) -> pd.DataFrame:
    """Each figure not fitted beside its posterior predictive: the mean and 5-95% of the
    histories with a posterior draw each (and of those at the central point), whether the
    published value lies in that interval, and whether the predictive mean is within the
    tolerance the targets file declares."""
    rows = {}
    for t in figures:
        drawn = runs[PREDICTIVE][t.name].dropna()
        lo, hi = np.quantile(drawn, INTERVAL) if len(drawn) else (np.nan, np.nan)
        mean = float(drawn.mean()) if len(drawn) else float("nan")
        rows[t.name] = {
            "month": t.month,
            "what was published": t.figure,
            "metric": t.metric,
            "use": "held out (fit figure)" if t.use == "fit" else "check (never fitted)",
            "published": t.value,
            f"{PREDICTIVE}: mean (5-95%)": f"{mean:.3g} ({lo:.3g}-{hi:.3g})",
            f"{CENTRAL}: mean (sd)": f"{runs[CENTRAL][t.name].mean():.3g} "
            f"({runs[CENTRAL][t.name].std():.2g})",
            "published in 5-95%": "yes" if lo <= t.value <= hi else "no",
            "declared tolerance": f"{t.tolerance:g}",
            "within it": "yes" if t.passes(mean) else "no",
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("name")


def verdict(ratio: float) -> str:
    """How far the targets pin a parameter down, from its posterior / prior IQR."""
    if ratio < PINNED:
        return "pinned down"
    if ratio < PARTLY:
        return "partly"
    return "not identified by these targets"


def identifiability(posterior: pd.DataFrame, free: tuple[Free, ...]) -> pd.DataFrame:
    """Per parameter: how much the targets narrowed its uniform prior.

    ``IQR ratio`` is the weighted posterior interquartile range over the prior's (half its
    width); ``90% ratio`` the weighted 5-95% range over the prior's (0.9 of its width).
    Both are 1 for a posterior that is the prior and near 0 for one pinned to a point;
    the verdict reads the IQR ratio (``PINNED``, ``PARTLY``), the steadier of the two
    with a few hundred particles.
    """
    weights = posterior[WEIGHT].to_numpy(dtype=float)
    rows = {}
    for f in free:
        values = posterior[f.key].to_numpy(dtype=float)
        q = {p: weighted_quantile(values, weights, p) for p in (0.05, 0.25, 0.75, 0.95)}
        width = f.high - f.low
        iqr = (q[0.75] - q[0.25]) / (width / 2)
        rows[f.key] = {
            "prior": f"{f.low:g}-{f.high:g}",
            "posterior IQR": f"{q[0.25]:.3g}-{q[0.75]:.3g}",
            "IQR ratio": iqr,
            "90% ratio": (q[0.95] - q[0.05]) / (0.9 * width),
            "verdict": verdict(iqr),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("parameter")


def strongest_pairs(corr: pd.DataFrame, n: int = STRONGEST) -> list[tuple[str, str, float]]:
    """The ``n`` parameter pairs with the largest |correlation|, largest first."""
    keys = list(corr.index)
    pairs = [(a, b, float(corr.at[a, b])) for i, a in enumerate(keys) for b in keys[i + 1 :]]
    return sorted(pairs, key=lambda p: -abs(p[2]))[:n]


def identifiability_lines(posterior: pd.DataFrame, free: tuple[Free, ...], corr) -> list[str]:
    """The report's identifiability section."""
    table = identifiability(posterior, free)
    counts = table["verdict"].value_counts()
    ratios = ("IQR ratio", "90% ratio")
    shown = table.assign(**{k: table[k].map(lambda v: f"{v:.2f}") for k in ratios})
    return [
        "## Identifiability: how much the targets pin each parameter down",
        "",
        "Posterior width over prior width, per fitted parameter: the weighted interquartile "
        "range over the prior's (IQR ratio) and the weighted 5-95% range over the prior's "
        "(90% ratio); 1 means the targets left the prior as it was. Verdict from the IQR "
        f"ratio: below {PINNED} pinned down, below {PARTLY} partly, else not identified by "
        "these targets. "
        + ", ".join(
            f"{counts.get(v, 0)} {v}"
            for v in ("pinned down", "partly", "not identified by these targets")
        )
        + ".",
        "",
        markdown_table(shown),
        "",
        "Strongest posterior correlations (the targets fix a combination, not each parameter):",
        "",
        *[f"- `{a}` and `{b}`: {r:+.2f}" for a, b, r in strongest_pairs(corr)],
        "",
    ]


def _spread(values: pd.Series, digits: int = 1) -> str:
    lo, hi = np.quantile(values, [0.05, 0.95])
    mean, sd = values.mean(), values.std()
    return f"{mean:.{digits}f} (sd {sd:.{digits}f}; {lo:.{digits}f}-{hi:.{digits}f})"


def targets_table(runs: dict[str, pd.DataFrame], targets: tuple[Target, ...]) -> pd.DataFrame:
    """Each target with the simulated mean, sd and 5-95% range of each set of runs."""
    rows = {}
    for t in targets:
        row = {"month": t.month, "figure": t.figure, "published": t.value}
        for label, frame in runs.items():
            row[f"{label}: mean (sd; 5-95%)"] = _spread(frame[t.name])
        mean = runs[CENTRAL][t.name].mean()
        row["deviance (central mean)"] = f"{deviance([t.value], [mean], [t.out_of]):.2f}"
        rows[t.name] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("target")


def parameters_table(posterior: pd.DataFrame, free: tuple[Free, ...]) -> pd.DataFrame:
    """Prior, central point (the weighted medoid), 90% interval, how much the data narrowed
    it, default."""
    weights = posterior[WEIGHT].to_numpy()
    declared = describe(Params)
    point = central_point(posterior)
    rows = {}
    for f in free:
        values = posterior[f.key].to_numpy(dtype=float)
        lo, hi = (weighted_quantile(values, weights, q) for q in (0.05, 0.95))
        rows[f.key] = {
            "prior (uniform)": f"{f.low:g}-{f.high:g}",
            "central point": point[f.key],
            "90% interval": f"{lo:.3g}-{hi:.3g}",
            "interval / prior width": f"{(hi - lo) / (f.high - f.low):.2f}",
            "declared default": declared[f.key].default,
            "why free": f.why,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("parameter")


def strong_pairs(corr: pd.DataFrame) -> list[str]:
    """Lines naming the parameter pairs whose correlation reaches ``STRONG``."""
    keys = list(corr.index)
    return [
        f"- `{a}` and `{b}`: {corr.at[a, b]:+.2f}"
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if abs(corr.at[a, b]) >= STRONG
    ]


def _named(figures: tuple[Target, ...]) -> str:
    return ", ".join(f"{t.name} ({t.month})" for t in figures) or "none"


def _predictions(runs, targets, held, checks, holdout_after: str, n: int) -> list[str]:
    """The hold-out section (when there is one) and the declared checks' section."""
    about = (
        f"Posterior predictive: {n} histories, each with a parameter set drawn from the "
        "posterior (chance and parameter uncertainty together); the published value is "
        "compared with their 5-95% range and, with the tolerance the targets file declares, "
        "with their mean."
    )
    lines = []
    if holdout_after:
        lines += [
            f"## Hold-out: fitted to {_named(targets)}, predicted {_named(held)}",
            "",
            f"A temporal hold-out (`calibration.holdout_after={holdout_after}`): the fit saw "
            f"only the figures up to {holdout_after}; the later fitted figures were left out "
            "of the distance and are predicted here. " + about,
            "",
            markdown_table(predictions_table(runs, held)) if held else "No figure held out.",
            "",
        ]
    if checks:
        lines += [
            "## Out-of-sample figures (declared checks, never fitted)",
            "",
            "The figures the targets file declares `use: check` that the history gives "
            "(`sandbox-validate` checks them at the published central point). " + about,
            "",
            markdown_table(predictions_table(runs, checks)),
            "",
        ]
    return lines


def metrics_table(last: pd.DataFrame) -> pd.DataFrame:
    """Every metric at the last target month: mean, sd, 5% and 95% over replicates."""
    numeric = last.select_dtypes("number")
    table = pd.DataFrame({
        "mean": numeric.mean(),
        "sd": numeric.std(),
        "5%": numeric.quantile(0.05),
        "95%": numeric.quantile(0.95),
    })  # fmt: skip
    table = table.map(lambda v: f"{v:,.4g}")
    table["meaning"] = [METRICS.get(k, "") for k in table.index]
    return table.rename_axis("metric")


def _what_was_run(
    folder: Path, params: Params, result: FitResult, command: str, targets: tuple[Target, ...]
) -> list[str]:
    c, s = params.calibration, result.status
    code = code_version()
    overhead = s.get("overhead_share")
    return [
        "## What was run",
        "",
        f"- command: `{command or 'sandbox-run experiment=calibration'}`",
        f"- fit folder: `{folder}` (resumable: pyabc's database `abc.db`)",
        f"- figures fitted (`use: fit` in `{c.targets}`"
        + (f", up to `calibration.holdout_after={c.holdout_after}`" if c.holdout_after else "")
        + f"): {_named(targets)}",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- method: ABC-SMC (pyabc {importlib.metadata.version('pyabc')}), uniform priors, "
        "binomial deviance between the published counts and the mean of "
        f"{c.replicates} histories per evaluation, quantile thresholds (pyabc's default), "
        f"{c.population} particles per generation",
        f"- stopping: at most {c.generations} generations, {c.max_simulations} evaluations, "
        f"acceptance below {c.min_acceptance} or threshold below {c.min_epsilon}",
        f"- histories: region {params.region.name}, {params.horizon.start} to the last "
        f"target month, {c.citizens} citizens per evaluation",
        f"- sampler: {c.sampler} ({s.get('workers') or 'cluster'} workers)",
        f"- cost: {s['evaluations']} evaluations in {s['wall_seconds']:.0f} s; time outside "
        "the model (sampling, weighting, database), as a share of the time in the model: "
        + (f"{overhead:.1%} (estimated)" if overhead is not None else "n/a"),
        f"- code: fingerprint {code['code_fingerprint']}, git commit "
        f"{code['code_git_commit']}{' (dirty)' if code['code_git_dirty'] else ''}",
        "",
    ]


def write_report(
    folder: Path,
    params: Params,
    targets: tuple[Target, ...],
    free: tuple[Free, ...],
    result: FitResult,
    recovery: dict | None,
    command: str = "",
    predicted: tuple[Target, ...] = (),
) -> Path:
    """Write ``report/report.md`` and its figures into the fit's ``folder``.

    Args:
        predicted: figures not fitted that the history gives: the held-out fitted figures
            (``use: fit`` after ``calibration.holdout_after``), then declared checks.
    """
    out = folder / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    c, posterior = params.calibration, result.posterior
    n = c.report_replicates
    point = central_point(posterior)
    central, last = replicate_runs(params, targets, [point] * n, c.seed + 2, predicted)
    drawn = [draw(posterior, c.seed + 3, r) for r in range(n)]
    predictive, _ = replicate_runs(params, targets, drawn, c.seed + 3, predicted)
    runs = {CENTRAL: central, PREDICTIVE: predictive}
    corr = plots.weighted_correlation(posterior)
    held = tuple(t for t in predicted if t.use == "fit")
    checks = tuple(t for t in predicted if t.use != "fit")
    figures = {
        "targets.png": plots.targets_figure(runs, (*targets, *held)),
        "marginals.png": plots.marginals_figure(posterior, free),
        "correlations.png": plots.correlation_figure(corr),
    }
    lines = [
        "# Calibration of the shared history",
        "",
        "What was fitted, to what, how well, and what is left for validation.",
        "",
        *_what_was_run(folder, params, result, command, targets),
        "## Fit to the targets",
        "",
        f"Simulated over {n} histories at the posterior's central point (its weighted "
        f"medoid, one accepted particle; {params.citizens.n} citizens), and over {n} "
        "histories with a parameter set drawn from the posterior each (chance and "
        "parameter uncertainty together).",
        "",
        markdown_table(targets_table(runs, targets)),
        "",
        "![targets](targets.png)",
        "",
        "## Free parameters",
        "",
        "Uniform priors; the posterior's central point (its weighted medoid, rounded as "
        "declared) and each parameter's weighted 90% interval. A width near 1 means the targets "
        "say little about that parameter.",
        "",
        markdown_table(parameters_table(posterior, free)),
        "",
        "![marginals](marginals.png)",
        "",
        "## Correlations: what the targets cannot tell apart",
        "",
        markdown_table(corr.map(lambda v: f"{v:+.2f}")),
        "",
        *(strong_pairs(corr) or [f"No pair reaches |r| = {STRONG}."]),
        "",
        "![correlations](correlations.png)",
        "",
        *identifiability_lines(posterior, free, corr),
        *_predictions(runs, targets, held, checks, c.holdout_after, n),
        "## Generations",
        "",
        markdown_table(
            pd.DataFrame(result.status["generations"])
            .set_index("generation")
            .map(lambda v: f"{v:.4g}")
        ),
        "",
    ]
    if recovery is not None:
        check = recovery["check"]
        figures["recovery.png"] = plots.recovery_figure(check, free)
        held = sum(row["inside"] for row in check)
        lines += [
            "## Recovery check",
            "",
            "The central point taken as a known truth; the targets simulated from it (mean "
            f"of {n} histories); a fit to those with the same settings. The truth lies in "
            f"the recovered 90% interval for {held} of {len(check)} parameters.",
            "",
            markdown_table(pd.DataFrame(check).set_index("key")),
            "",
            "![recovery](recovery.png)",
            "",
        ]
    lines += [
        f"## Every metric at {last_month(targets)} (out of sample)",
        "",
        f"At the central point, over {n} histories. None of these was fitted except the "
        "targets above; figures published later can be checked against them.",
        "",
        markdown_table(metrics_table(last)),
        "",
    ]
    for name, fig in figures.items():
        save_figure(fig, out / name)
    text = "\n".join(lines)
    write_atomic(out / REPORT, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return out / REPORT
