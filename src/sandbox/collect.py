"""Gather a sweep's run folders into two tidy tables, streaming.

``runs.parquet``: one row per run: ``run_id``, ``status``, ``error``, ``replicate``,
``seed``, ``job``, every lever (``lever_...``), uncertainty (``uncertainty_...``) and
setting (``setting_...``) flattened to its own snake_case column, and the run's summary
metrics. ``timeseries.parquet``: ``run_id``, ``month`` and every metric, one row per run
and month, written run by run so that memory does not grow with the sweep.

Rows are ordered by ``run_id``, so a sweep collected after any interruption and resume
gives the same tables as one never interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from sandbox.atomic import write_atomic, write_parquet
from sandbox.metrics import METRICS, SUMMARY_EXTRA
from sandbox.store import RunStatus, load_saved, run_id, status

LEVERS = ("policy", "resources", "data")
UNCERTAINTIES = ("citizens", "authorities", "firms", "domains", "pilots")
SETTINGS = ("horizon", "region", "validation")
RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"


def job_dirs(sweep_dir: Path) -> list[Path]:
    """Every run folder (one holding ``.hydra/config.yaml``) under a sweep folder."""
    return sorted(p.parent.parent for p in Path(sweep_dir).glob("**/.hydra/config.yaml"))


def flatten(data: dict, prefix: str) -> dict[str, object]:
    """Nested config to ``prefix_key_subkey`` columns; lists become JSON text."""
    out: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}_{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name))
        else:
            out[name] = json.dumps(value) if isinstance(value, list) else value
    return out


def choices(job: Path, cfg: dict) -> dict[str, str]:
    """The config-group options a run was composed from (``lever_policy`` etc.).

    Read from Hydra's record of the run; a run re-created from a saved config has none,
    and then the ``name`` key of each group stands in.
    """
    try:
        chosen = load_saved(job / ".hydra" / "hydra.yaml")["hydra"]["runtime"]["choices"]
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        chosen = {}
    out = {}
    for family, keys in (("lever", LEVERS), ("setting", ("region", "validation"))):
        for key in keys:
            out[f"{family}_{key}"] = chosen.get(key) or cfg[key]["name"]
    return out


def describe(job: Path, cfg: dict) -> dict[str, object]:
    """The columns of a run's configuration, by family."""
    row: dict[str, object] = {"seed": cfg["seed"], "replicate": cfg["replicate"]}
    row.update(choices(job, cfg))
    for family, keys in (("lever", LEVERS), ("uncertainty", UNCERTAINTIES), ("setting", SETTINGS)):
        for key in keys:
            row.update(flatten(cfg[key], f"{family}_{key}"))
    return row


def collect(sweep_dir: Path) -> tuple[Path, Path]:
    """Write ``runs.parquet`` and ``timeseries.parquet`` into ``sweep_dir``.

    Returns:
        The paths of the two tables.
    """
    sweep_dir = Path(sweep_dir)
    entries = []
    for job in job_dirs(sweep_dir):
        cfg = load_saved(job / ".hydra" / "config.yaml")
        entries.append((run_id(cfg), job, cfg))
    entries.sort(key=lambda e: (e[0], str(e[1])))
    rows = []
    ts_path = sweep_dir / TIMESERIES

    def write_timeseries(tmp: Path) -> None:
        writer = None
        try:
            for rid, job, _ in entries:
                if status(job, rid) is not RunStatus.DONE:
                    continue
                frame = pd.read_parquet(job / TIMESERIES)
                frame.insert(0, "run_id", rid)
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
        if writer is None:
            empty = {"run_id": [], "month": [], **{m: [] for m in METRICS}}
            pd.DataFrame(empty).to_parquet(tmp, index=False)

    for rid, job, cfg in entries:
        state = status(job, rid)
        row = {
            "run_id": rid,
            "status": state.value,
            "error": None,
            "job": str(job.relative_to(sweep_dir)),
            **describe(job, cfg),
        }
        if state is RunStatus.DONE:
            summary = json.loads((job / "summary.json").read_text())
            row.update({m: summary[m] for m in (*METRICS, *SUMMARY_EXTRA)})
        elif state is RunStatus.FAILED:
            row["error"] = json.loads((job / "error.json").read_text())["error"]
        rows.append(row)
    write_atomic(ts_path, write_timeseries)
    runs = pd.DataFrame(rows, columns=_columns(rows))
    write_parquet(sweep_dir / RUNS, runs)
    return sweep_dir / RUNS, ts_path


def _columns(rows: list[dict]) -> list[str]:
    head = ["run_id", "status", "error", "job", "seed", "replicate"]
    config = [c for c in rows[0] if c not in head] if rows else []
    config = [c for c in config if c.startswith(("lever_", "uncertainty_", "setting_"))]
    return [*head, *config, *METRICS, *SUMMARY_EXTRA]


def main(argv: list[str] | None = None) -> None:
    """``sandbox-collect <sweep folder>``: (re)build the sweep's tables."""
    parser = argparse.ArgumentParser(prog="sandbox-collect", description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="folder of a --multirun sweep")
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        print(f"sandbox-collect: no such folder: {args.sweep_dir}", file=sys.stderr)
        sys.exit(2)
    runs, timeseries = collect(args.sweep_dir)
    table = pd.read_parquet(runs, columns=["status"])
    counts = table["status"].value_counts().to_dict()
    print(f"{len(table)} runs {counts} -> {runs}, {timeseries}")
