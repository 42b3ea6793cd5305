"""The bridge between configuration and model: run a scenario, write its results.

Nothing here imports Hydra: ``sandbox.cli`` converts the composed config into
``Params`` and calls ``run`` / ``write_results``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sandbox.config.params import Params
from sandbox.experiments.atomic import write_json, write_parquet
from sandbox.experiments.checkpoint import CheckpointStore, branch, has_history
from sandbox.experiments.manifest import DRAWN, MANIFEST, build_manifest, checksums
from sandbox.experiments.provenance import input_hashes
from sandbox.model.bass import max_abs_error
from sandbox.model.metrics import (
    COVERAGE_THRESHOLDS,
    DEPTH_THRESHOLDS,
    METRICS,
    funnel_shares,
    months_to_share,
)
from sandbox.model.model import SandboxModel
from sandbox.units import unit

SUMMARY_COLUMNS = (
    "provinces_with_project",
    "provinces_with_app",
    "provinces_with_initiative",
    "adoption",
    "urban_rural_gap",
    "pilots_approved",
    "pilots_succeeded",
    "citizens_harmed",
    "public_spending",
    "private_investment",
)
TIMESERIES = "timeseries.parquet"
SUMMARY = "summary.json"
PROVINCES = "provinces.parquet"


@dataclass(frozen=True)
class RunResult:
    """The outputs of one run."""

    timeseries: pd.DataFrame  # one row per month
    provinces: pd.DataFrame  # one row per month and province (``SandboxModel.provinces_frame``)
    summary: dict  # final-month metrics and months to 50% / 90% of provinces with an app
    wall_seconds: float


def run(
    params: Params, store: CheckpointStore | None = None, folder: Path | None = None
) -> RunResult:
    """Simulate one scenario.

    Args:
        params: the scenario.
        store: where histories are kept (``sandbox.experiments.checkpoint``); with one,
            the history up to ``policy.start`` is loaded when stored and stored when not.
            A history named in ``history.checkpoint`` is branched from in any case.
        folder: the sweep's folder (or the folder re-run by ``sandbox-reproduce``): a
            history named by its path may lie in it (or in ``results/``); without
            ``store``, a key is looked up in its store (``output.checkpoints``). By
            default the folder ``store`` lies in.
    """
    start = time.perf_counter()
    if params.history.checkpoint:
        if folder is None and store is not None:
            folder = store.folder
        if store is None and folder is not None:
            store = CheckpointStore.inside(folder, params.output.checkpoints)
        model = branch(params.history.checkpoint, params, store, folder)
    elif store is not None and has_history(params):
        model = store.model(params)
    else:
        model = SandboxModel(params)
    frame = model.run()
    summary = summarise(model, frame, params)
    return RunResult(frame, model.provinces_frame(), summary, time.perf_counter() - start)


def summarise(model: SandboxModel, frame: pd.DataFrame, params: Params) -> dict:
    """A finished run's summary: final-month metrics, months to the coverage, depth and
    app thresholds, funnel shares (and the Bass check under ``validation=bass``)."""
    final = frame.iloc[-1]
    app = frame["provinces_with_app"]
    summary = {
        "month": final["month"],
        **{name: final[name].item() for name in METRICS},
        "months_to_50pct_app": months_to_share(app, frame["provinces"], 0.5),
        "months_to_90pct_app": months_to_share(app, frame["provinces"], 0.9),
        **{
            f"months_to_{p}pct_scaled": months_to_share(
                frame["population_scaled"].iloc[model.policy_t0 :], 1, p / 100
            )
            for p in COVERAGE_THRESHOLDS
        },
        **{
            f"months_to_{p}pct_depth": months_to_share(
                frame["services_per_province"].iloc[model.policy_t0 :], 6, p / 100
            )
            for p in DEPTH_THRESHOLDS
        },
        **funnel_shares(final),
        "n_provinces": model.region.n,
    }
    if params.validation.name == "bass":
        c = params.citizens
        error = max_abs_error(frame["adoption"].to_numpy(), c.p_innovation, c.q_imitation)
        summary["bass_max_abs_error"] = error
    return summary


def write_results(
    out_dir: Path,
    result: RunResult,
    params: Params,
    config_text: str,
    run_id: str = "",
    inputs: dict[str, str] | None = None,
) -> None:
    """Write timeseries, summary and (last, as the completion mark) the manifest.

    Args:
        out_dir: the run's folder.
        result: what ``run`` returned.
        params: the scenario.
        config_text: the resolved config as canonical text (hashed into the manifest).
        run_id: the run's id in a result store.
        inputs: SHA-256 of the input files as they were when the run read them
            (``sandbox.experiments.provenance.input_hashes``); computed now when not given.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if params.output.timeseries:
        write_parquet(out_dir / TIMESERIES, result.timeseries)
        write_parquet(out_dir / PROVINCES, result.provinces)
        written += [TIMESERIES, PROVINCES]
    write_json(out_dir / SUMMARY, result.summary)
    written.append(SUMMARY)
    if inputs is None:
        inputs = input_hashes(params.region.table, params.region.merge_table)
    manifest = build_manifest(
        params.seed,
        params.replicate,
        config_text,
        result.wall_seconds,
        files=checksums(out_dir, written),
        inputs=inputs,
    )
    # the values the run used where they differ from its saved config: the posterior
    # particle of ``uncertainty=posterior`` (``runs.parquet`` reads them from here)
    from sandbox.config.posterior import drawn_values  # lazily: calibration runs runs

    drawn = drawn_values(params)
    write_json(out_dir / MANIFEST, {"run_id": run_id, **manifest, DRAWN: drawn})


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"


def _months(value: float) -> str:
    return "not reached" if value != value else str(int(value))


def format_summary(result: RunResult, params: Params) -> str:
    """A short table: the key metrics (with their units) at the end of each year and at the
    last month; then the months to 50% / 90% of provinces with an app."""
    frame = result.timeseries
    rows = frame[frame["month"].str.endswith("-12") | (frame.index == len(frame) - 1)]
    table = rows.set_index("month")[list(SUMMARY_COLUMNS)].T.map(_fmt)
    table.index = [f"{m} ({unit(m)})" if unit(m) else m for m in table.index]
    s = result.summary
    policy = params.policy.name
    if policy == "phased":
        policy += f" (within {params.policy.phasing.within})"
    lines = [
        f"policy={policy} resources={params.resources.name} "
        f"data={params.data.name} region={params.region.name} seed={params.seed}",
        table.to_string(),
        f"months from {frame['month'].iloc[0]} to 50% / 90% of provinces with an app: "
        f"{_months(s['months_to_50pct_app'])} / {_months(s['months_to_90pct_app'])}",
        f"simulated in {result.wall_seconds:.2f} s",
    ]
    if "bass_max_abs_error" in s:
        lines.insert(
            -1,
            f"Bass closed form (p={params.citizens.p_innovation}, q={params.citizens.q_imitation})"
            f": max abs error of adoption {s['bass_max_abs_error']:.4f} (share of population) "
            f"over {len(frame)} months",
        )
    return "\n".join(lines)
