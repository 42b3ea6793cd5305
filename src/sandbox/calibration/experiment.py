"""``sandbox-run experiment=calibration``: fit, check the fit recovers a known truth,
publish the posterior if asked, and write the report.

1. Fit the free parameters (``configs/priors/``) to the figures the targets file
   (``configs/targets/``) declares ``use: fit``; with ``calibration.holdout_after`` only
   to those up to that month (a temporal hold-out: the later ones are predicted).
2. Recovery (``calibration.recovery``): take the posterior's central point as a known
   truth, simulate the targets from it (the mean of ``report_replicates`` histories), fit
   those with the same settings (in ``recovery/<key of those targets>/``), and check the
   truth lies in each 90% interval.
3. ``calibration.publish=<name>``: copy the posterior to ``configs/calibrated/<name>.csv``
   (with a ``.yaml`` saying what made it).
4. The report (``sandbox.calibration.report``), in the fit's folder: with the held-out
   figures as predictions and the declared checks out of sample, both with posterior
   predictive intervals.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from sandbox.calibration.fit import POSTERIOR, FitResult, fit_key, run_fit
from sandbox.calibration.priors import Free, load_priors
from sandbox.calibration.simulator import HistorySimulator, history_params, run_history
from sandbox.calibration.targets import Target, fit_targets, held_out, load_figures
from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.posterior import WEIGHT, central_point, weighted_quantile
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import write_atomic, write_json

RECOVERY = "recovery"
INTERVAL = (0.05, 0.95)  # the posterior interval the truth must fall in


def fit_folder(params: Params, targets: tuple[Target, ...], free: tuple[Free, ...]) -> Path:
    """Where the fit of ``params`` lives in the result store (a hold-out's name says up to
    which month it fitted)."""
    c = params.calibration
    stem = Path(c.targets).stem + (f"-to{c.holdout_after}" if c.holdout_after else "")
    name = f"{stem}-{Path(c.priors).stem}-{fit_key(params, targets, free)}"
    return Path(c.store) / name


def predictions(figures: tuple[Target, ...], holdout_after: str) -> tuple[Target, ...]:
    """The figures a fit does not use that its history can predict: the held-out fitted
    figures, then the declared checks of the default history that today's model gives."""
    checks = tuple(t for t in figures if t.use == "check" and t.family == "targets" and t.modelled)
    return (*held_out(figures, holdout_after), *checks)


def synthetic_targets(
    params: Params, targets: tuple[Target, ...], truth: dict[str, float | int], seed: int
) -> dict[str, float]:
    """The targets' means over ``report_replicates`` histories at ``truth``."""
    base = history_params(params, targets, params.calibration.citizens)
    base = with_values(base, {**truth, "seed": seed})
    frames = [
        run_history(with_values(base, {"replicate": r}))
        for r in range(params.calibration.report_replicates)
    ]
    return {t.name: float(np.mean([t.observed(f) for f in frames])) for t in targets}


def recovery_check(truth: dict[str, float | int], result: FitResult) -> list[dict]:
    """Per parameter: the truth, the recovered 90% interval and whether it holds the truth."""
    posterior = result.posterior
    weights = posterior[WEIGHT].to_numpy()
    rows = []
    for key, value in truth.items():
        lo, hi = (weighted_quantile(posterior[key].to_numpy(), weights, q) for q in INTERVAL)
        rows.append({"key": key, "truth": value, "low": lo, "high": hi,
                     "inside": bool(lo <= value <= hi)})  # fmt: skip
    return rows


def publish(result: FitResult, name: str, params: Params, command: str) -> Path:
    """Write the posterior to ``configs/calibrated/<name>.csv`` and its description."""
    folder = CONFIG_DIR / "calibrated"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.csv"
    write_atomic(path, lambda tmp: shutil.copyfile(result.folder / POSTERIOR, tmp))
    about = {
        "made_by": command,
        "fit": str(result.folder),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "targets": params.calibration.targets,
        "priors": params.calibration.priors,
        "particles": len(result.posterior),
        "central_point": central_point(result.posterior),
    }
    text = yaml.safe_dump(about, sort_keys=False, allow_unicode=True)
    write_atomic(path.with_suffix(".yaml"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


def calibrate(params: Params, command: str = "", log=print, folder: Path | None = None) -> Path:
    """Run the calibration experiment; the path of its report.

    Args:
        params: the scenario, with its ``calibration`` settings.
        command: the command line, as the report quotes it.
        log: where progress lines go.
        folder: the fit's folder (default: ``fit_folder``, named by content).
    """
    from sandbox.calibration.report import write_report

    c = params.calibration
    figures, free = load_figures(c.targets), load_priors(c.priors)
    targets = fit_targets(figures, c.holdout_after)
    if c.holdout_after and c.publish:
        raise ConfigError(
            "calibration.publish",
            c.publish,
            "'' with calibration.holdout_after (a hold-out fit checks the model; publish a "
            "fit to every figure)",
        )
    folder = folder or fit_folder(params, targets, free)
    simulator = HistorySimulator(
        history_params(params, targets, c.citizens), free, targets, c.replicates
    )
    log(f"calibration: {len(free)} free parameters, {len(targets)} targets, into {folder}")
    if c.holdout_after:
        later = ", ".join(t.name for t in held_out(figures, c.holdout_after)) or "none"
        log(f"calibration: hold-out after {c.holdout_after}: predicting, not fitting, {later}")
    result = run_fit(folder, simulator, {t.name: float(t.value) for t in targets}, c, log)
    log(_summary("fit", result))
    recovery = None
    if c.recovery:
        truth = central_point(result.posterior)
        observed = synthetic_targets(params, targets, truth, seed=c.seed + 1)
        # named by what it fits, so that a stored recovery is reused only for its own truth
        key = hashlib.sha256(json.dumps(observed, sort_keys=True).encode()).hexdigest()[:12]
        where = folder / RECOVERY / key
        again = run_fit(where, simulator, observed, c, log)
        recovery = {"truth": truth, "observed": observed, "check": recovery_check(truth, again)}
        write_json(where / "check.json", recovery)
        log(_summary("recovery", again))
    if c.publish:
        log(f"calibration: posterior published to {publish(result, c.publish, params, command)}")
    report = write_report(
        folder, params, targets, free, result, recovery, command,
        predicted=predictions(figures, c.holdout_after),
    )  # fmt: skip
    log(f"report: {report}")
    return report


def _summary(what: str, result: FitResult) -> str:
    s = result.status
    last = s["generations"][-1]
    return (
        f"calibration: {what}: {len(s['generations'])} generations, {s['evaluations']} "
        f"evaluations, final threshold {last['epsilon']:.2f} (deviance), "
        f"{s['wall_seconds']:.0f} s"
    )
