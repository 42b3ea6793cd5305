"""The calibration report: what was fitted, to what, how well, and what was left for
validation (``report/report.md`` and PNG figures in the fit's folder).

Besides the stored fit it runs ``report_replicates`` histories at the posterior's central
point and as many with a particle drawn from the posterior each (a few seconds), for the
spread of the targets and for every other metric at the last target month, which later
published figures can be checked against out of sample.
"""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.calibration.distance import deviance
from sandbox.calibration.fit import FitResult
from sandbox.calibration.posterior import WEIGHT, central_point, draw, weighted_quantile
from sandbox.calibration.priors import Free
from sandbox.calibration.simulator import run_history
from sandbox.calibration.targets import Target, last_month
from sandbox.config.meta import describe, with_values
from sandbox.config.params import Params
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.markdown import markdown_table
from sandbox.experiments.provenance import code_version
from sandbox.experiments.report_figures import save_figure
from sandbox.model.metrics import METRICS
from sandbox.plots import calibration as plots

FOLDER = "report"
REPORT = "report.md"
CENTRAL = "central point"
PREDICTIVE = "posterior draws"
STRONG = 0.5  # |correlation| from which two parameters count as hard to tell apart


def replicate_runs(
    params: Params, targets: tuple[Target, ...], values: list[dict], seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Histories to the last target month, replicate ``r`` with ``values[r]``.

    Returns:
        replicates x targets, and replicates x metrics at the last target month.
    """
    base = with_values(params, {"horizon.end": last_month(targets), "seed": seed})
    at_targets, last = [], []
    for r, value in enumerate(values):
        frame = run_history(with_values(base, {**value, "replicate": r}))
        at_targets.append({t.name: t.observed(frame) for t in targets})
        last.append(frame.loc[last_month(targets)])
    return pd.DataFrame(at_targets), pd.DataFrame(last).reset_index(drop=True)


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
    """Prior, central point (weighted median), 90% interval, how much the data narrowed
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


def _what_was_run(folder: Path, params: Params, result: FitResult, command: str) -> list[str]:
    c, s = params.calibration, result.status
    code = code_version()
    overhead = s.get("overhead_share")
    return [
        "## What was run",
        "",
        f"- command: `{command or 'sandbox-run experiment=calibration'}`",
        f"- fit folder: `{folder}` (resumable: pyabc's database `abc.db`)",
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
) -> Path:
    """Write ``report/report.md`` and its figures into the fit's ``folder``."""
    out = folder / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    c, posterior = params.calibration, result.posterior
    n = c.report_replicates
    point = central_point(posterior)
    central, last = replicate_runs(params, targets, [point] * n, seed=c.seed + 2)
    drawn = [draw(posterior, c.seed + 3, r) for r in range(n)]
    predictive, _ = replicate_runs(params, targets, drawn, seed=c.seed + 3)
    runs = {CENTRAL: central, PREDICTIVE: predictive}
    corr = plots.weighted_correlation(posterior)
    figures = {
        "targets.png": plots.targets_figure(runs, targets),
        "marginals.png": plots.marginals_figure(posterior, free),
        "correlations.png": plots.correlation_figure(corr),
    }
    lines = [
        "# Calibration of the shared history",
        "",
        "What was fitted, to what, how well, and what is left for validation.",
        "",
        *_what_was_run(folder, params, result, command),
        "## Fit to the targets",
        "",
        f"Simulated over {n} histories at the posterior's central point (each parameter's "
        f"weighted median; {params.citizens.n} citizens), and over {n} histories with a "
        "parameter set drawn from the posterior each (chance and parameter uncertainty "
        "together).",
        "",
        markdown_table(targets_table(runs, targets)),
        "",
        "![targets](targets.png)",
        "",
        "## Free parameters",
        "",
        "Uniform priors; the posterior's central point (each parameter's weighted median, "
        "rounded as declared) and weighted 90% interval. A width near 1 means the targets "
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
