"""Gather a sweep's run folders into three tidy tables, streaming.

``runs.parquet``: one row per run folder: ``run_id``, ``status`` (done, stale, damaged,
failed, missing; ``sandbox.experiments.store``), ``error`` (why a run is not done), ``job``,
``seed``, ``replicate``, the code version it was made by (``code_fingerprint``,
``code_git_commit``, ``code_git_dirty``) and its input files' hashes (``input_...``),
every lever (``lever_...``), uncertainty (``uncertainty_...``) and setting
(``setting_...``) flattened to its own snake_case column, and the run's summary metrics.
``timeseries.parquet``: ``run_id``, ``month`` and every metric, one row per done run and
month, read run by run and written in row groups of many runs (``GROUP_CELLS`` values), so
that neither memory nor the file's footer grows by a row group per run; one saved config
is held at a time. ``provinces.parquet``: ``run_id`` and each done run's own
``provinces.parquet`` (``month``, ``province``, ``services_deployed``, ``adoption``: one row
per month and province of that month's map), gathered the same way; a run folder made
before the model wrote that file adds no rows.

The tables are replaced together: they are written into a new folder under ``.tables/``,
and one atomic rename of the link ``.tables/current`` switches them all (``runs.parquet``,
``timeseries.parquet`` and ``provinces.parquet`` in the sweep folder are links through it).
A reader never sees one table of a collection with another of another.

Every job the sweep planned (``sweep.json``, ``sandbox.experiments.sweep_plan``) has a
row, matched to its folder by the overrides Hydra saved for it (``.hydra/overrides.yaml``):
a planned job with no folder is ``missing``; a folder whose saved config is gone, or whose
tables have other columns than this version writes, is ``damaged``; a folder that is no
planned job is listed as ``damaged`` too. Nothing is dropped without a word. A folder
without a plan (made before plans were recorded) is collected from the run folders found.

Rows are ordered by ``run_id``, so a sweep collected after any interruption and resume
gives the same tables as one never interrupted. Runs made by different code are not
pooled unless asked for (``allow_mixed_code``). Collect takes the sweep folder's lock
(``sandbox.experiments.lock``): one writer at a time. A folder that is not a sweep's, or
cannot be written, is refused before anything is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from sandbox.analysis.tables import Results, tidy
from sandbox.config.meta import with_role
from sandbox.config.params import Params
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import clean_temporary, temporary_name
from sandbox.experiments.lock import FolderError, writes_into_sweep
from sandbox.experiments.manifest import DRAWN, WALL_SECONDS
from sandbox.experiments.store import (
    IGNORED,
    SAVED_CONFIG,
    Check,
    RunStatus,
    UnreadableConfigError,
    inspect,
    load_saved,
    saved_config,
)
from sandbox.experiments.store import run_id as config_run_id
from sandbox.experiments.sweep_plan import (
    RECORD,
    SweepFolderError,
    SweepPlan,
    planned_jobs,
    read_plan,
    run_folders,
)
from sandbox.model.metrics import METRICS, SUMMARY_EXTRA

# Column families, one per section, by the role each section of ``Params`` declares
# (``output`` is left out: it does not change results).
LEVERS = with_role(Params, "lever")
UNCERTAINTIES = with_role(Params, "uncertainty")
SETTINGS = tuple(s for s in with_role(Params, "setting") if s not in IGNORED)
RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"
PROVINCES = "provinces.parquet"  # the sweep's table; each run folder has one of its own
TABLE_NAMES = (RUNS, TIMESERIES, PROVINCES)
# the per-province table's columns after run_id (sandbox.model.model.provinces_frame)
PROVINCE_COLUMNS = ("month", "province", "services_deployed", "adoption")
TABLES = ".tables"
CURRENT = "current"
CODE_COLUMNS = ("code_fingerprint", "code_git_commit", "code_git_dirty")
INPUT_KEYS = ("region.table", "region.base_table")
CHUNK_ROWS = 100  # rows of runs.parquet held as dicts (some 40 kB each) at a time
# values (rows x columns) per row group of timeseries.parquet and provinces.parquet: a row
# group per run would give a footer of some 9 kB per run, which a reader decodes whole
GROUP_CELLS = 2_000_000
MERGE_TABLES = 64  # runs' tables waiting for their row group are merged into one this often
SAVED_OVERRIDES = Path(".hydra") / "overrides.yaml"


class MixedCodeError(ConfigError):
    """Done runs of one sweep were made by different code."""


def job_dirs(sweep_dir: Path) -> list[Path]:
    """Every run folder (one holding ``.hydra/config.yaml``) under a sweep folder."""
    return sorted(p.parent.parent for p in Path(sweep_dir).glob(f"**/{SAVED_CONFIG}"))


def saved_overrides(job: Path) -> tuple[str, ...] | None:
    """A run folder's job overrides as Hydra saved them, sorted (None when unreadable)."""
    try:
        data = load_saved(job / SAVED_OVERRIDES)
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(data, list) or not all(isinstance(o, str) for o in data):
        return None
    return tuple(sorted(data))


def flatten(data: dict, prefix: str) -> dict[str, object]:
    """Nested config to ``prefix_key_subkey`` columns; lists become JSON text.

    ``pd.json_normalize(data, sep="_")`` gives the same columns and values (lists aside),
    but takes about 3.5 ms per run against 0.1 ms here (the default config's 354 leaves):
    collecting a design of 10^5 runs would spend six minutes in it. Hence this loop."""
    out: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}_{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name))
        else:
            out[name] = json.dumps(value) if isinstance(value, list) else value
    return out


# config groups that bundle lever settings into one named counterfactual, recorded as a
# lever of their own: the mechanism an ablation switches off, the barrier a barrier
# experiment lifts (configs/ablation/, configs/barrier/)
COUNTERFACTUALS = ("ablation", "barrier")


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
    for group in COUNTERFACTUALS:  # what an experiment switched off (ablation) or lifted
        if chosen.get(group):
            out[f"lever_{group}"] = chosen[group]
    return out


def describe(job: Path, cfg: dict) -> dict[str, object]:
    """The columns of a run's configuration, by family."""
    row: dict[str, object] = {"seed": cfg["seed"], "replicate": cfg["replicate"]}
    row.update(choices(job, cfg))
    for family, keys in (("lever", LEVERS), ("uncertainty", UNCERTAINTIES), ("setting", SETTINGS)):
        for key in keys:
            row.update(flatten(cfg[key], f"{family}_{key}"))
    return row


def drawn_columns(manifest: dict | None) -> dict[str, object]:
    """The values a run drew beyond its saved config (``uncertainty=posterior``: its
    posterior particle, in its manifest), in the columns of those parameters: a table
    shows what each run used, not the config's central values."""
    drawn = (manifest or {}).get(DRAWN) or {}
    if not isinstance(drawn, dict):
        return {}
    out = {}
    for key, value in drawn.items():
        section = str(key).split(".", 1)[0]
        if section in UNCERTAINTIES and isinstance(value, int | float):
            out[f"uncertainty_{str(key).replace('.', '_')}"] = value
    return out


def input_column(key: str) -> str:
    """The column of an input file's hash: ``region.table`` -> ``input_region_table``."""
    return "input_" + key.replace(".", "_")


def provenance(check: Check) -> dict[str, object]:
    """Code version and input hashes from a run's manifest, and the run's own time in the
    model (``wall_seconds``, against which a sweep's overhead is measured); None where it
    has no manifest."""
    manifest = check.manifest or {}
    inputs = manifest.get("inputs") or {}
    return {
        **{c: manifest.get(c) for c in CODE_COLUMNS},
        **{input_column(k): inputs.get(k) for k in INPUT_KEYS},
        WALL_SECONDS: manifest.get(WALL_SECONDS),
    }


@dataclass(frozen=True)
class Entry:
    """A row to collect: a run folder, a planned job without one, or both."""

    rid: str
    job: Path | None
    planned: tuple[str, ...] | None = None  # the planned job's overrides
    problem: str | None = None  # why it cannot be done


def _run_id(job: Path) -> str:
    try:
        return config_run_id(saved_config(job))
    except UnreadableConfigError:
        return ""


def _entries(sweep_dir: Path, plan: SweepPlan | None) -> list[Entry]:
    """Every planned job and every run folder, matched by their overrides, sorted by run
    id (rows without one last)."""
    folders = sorted(run_folders(sweep_dir))
    if plan is None:
        entries = [Entry(_run_id(job), job) for job in folders]
    else:
        by_overrides: dict[tuple[str, ...], Path] = {}
        entries = []
        for job in folders:
            key = saved_overrides(job)
            if key is None:
                why = ("its .hydra/overrides.yaml is missing or unreadable, so which planned "
                       "job it holds cannot be told")  # fmt: skip
                entries.append(Entry(_run_id(job), job, problem=why))
            elif key in by_overrides:
                why = f"a second folder of the planned job {','.join(key)}"
                entries.append(Entry(_run_id(job), job, problem=why))
            else:
                by_overrides[key] = job
        for key in planned_jobs(plan):
            job = by_overrides.pop(key, None)
            if job is None:
                why = "no run folder: never started, killed before it began, or removed"
                entries.append(Entry("", None, planned=key, problem=why))
            else:
                entries.append(Entry(_run_id(job), job, planned=key))
        for key, job in by_overrides.items():
            why = f"not a job this sweep planned ({RECORD}): overrides {','.join(key)}"
            entries.append(Entry(_run_id(job), job, problem=why))
    return sorted(entries, key=lambda e: (e.rid == "", e.rid, str(e.job or ""), e.planned or ()))


def _row(sweep_dir: Path, entry: Entry, schemas: dict[str, pa.Schema]) -> tuple[dict, Check]:
    """A run's row of ``runs.parquet`` and its check.

    ``schemas``: the schema of each run table (``timeseries.parquet``, ``provinces.parquet``)
    of the first done run, which every other done run's must match.
    """
    job = entry.job
    base = {
        "run_id": entry.rid or None,
        "job": str(job.relative_to(sweep_dir)) if job is not None else None,
        "overrides": ",".join(entry.planned) if entry.planned else None,
    }
    if job is None:
        check = Check(RunStatus.MISSING, entry.problem)
        return {**base, "status": check.status.value, "error": check.reason}, check
    try:
        cfg = saved_config(job)
    except UnreadableConfigError as err:
        check = Check(RunStatus.DAMAGED, entry.problem or str(err))
        return {**base, "status": check.status.value, "error": check.reason}, check
    check = inspect(job, entry.rid)
    if entry.problem:
        check = Check(RunStatus.DAMAGED, entry.problem, check.manifest)
    elif check.status is RunStatus.DONE:
        problem = _schema_problem(job, schemas)
        if problem:
            check = Check(RunStatus.DAMAGED, problem, check.manifest)
    row = {**base, "status": check.status.value, "error": check.reason}
    row.update(provenance(check))
    row.update(describe(job, cfg))
    row.update(drawn_columns(check.manifest))
    if check.status is RunStatus.DONE:
        summary = json.loads((job / "summary.json").read_text(encoding="utf-8"))
        row.update({m: summary.get(m) for m in (*METRICS, *SUMMARY_EXTRA)})
    return row, check


def _schema_problem(job: Path, schemas: dict[str, pa.Schema]) -> str | None:
    """Why a done run's tables cannot join the sweep's (other columns or types), or None.

    ``timeseries.parquet`` must have the columns this version writes, ``provinces.parquet``
    (when there is one) too; the first done run's schemas are the reference for the types.
    """
    for name, columns, required in (
        (TIMESERIES, ("month", *METRICS), True),
        (PROVINCES, PROVINCE_COLUMNS, False),
    ):
        path = job / name
        if not path.is_file():
            if required:
                return f"{name} is missing"
            continue
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowException) as err:
            return f"{name} cannot be read ({type(err).__name__})"
        missing = [c for c in columns if c not in schema.names]
        extra = [c for c in schema.names if c not in columns]
        if missing or extra:
            return (
                f"{name} has other columns than this version of sandbox writes (missing: "
                f"{', '.join(missing[:5]) or 'none'}; unknown: {', '.join(extra[:5]) or 'none'})"
                ": made by other code"
            )
        reference = schemas.setdefault(name, schema)
        if not schema.equals(reference):
            differ = [f.name for f in schema if f.type != reference.field(f.name).type]
            return (
                f"{name} has other column types than the sweep's other runs "
                f"({', '.join(differ[:5]) or 'their order'})"
            )
    return None


@writes_into_sweep
def collect(sweep_dir: Path, allow_mixed_code: bool = False) -> tuple[Path, Path]:
    """Write ``runs.parquet``, ``timeseries.parquet`` and ``provinces.parquet`` of
    ``sweep_dir``, together, under the folder's lock.

    Raises:
        FolderError: the folder is not a sweep's, cannot be written, or another process
            holds its lock (``sandbox.experiments.lock.writes_into_sweep``); nothing is
            written then.
        MixedCodeError: done runs were made by more than one code version and
            ``allow_mixed_code`` is false. Nothing is written then.

    Returns:
        The paths of ``runs.parquet`` and ``timeseries.parquet`` (``provinces.parquet``
        lies beside them).
    """
    sweep_dir = Path(sweep_dir)
    try:
        plan = read_plan(sweep_dir)
    except SweepFolderError as err:
        raise FolderError(f"{sweep_dir}: {err}") from None
    _collect(sweep_dir, plan, allow_mixed_code)
    return sweep_dir / RUNS, sweep_dir / TIMESERIES


def runs_table(sweep_dir: Path, allow_mixed_code: bool = False) -> pd.DataFrame:
    """The ``runs.parquet`` that ``collect`` would write, in memory, with nothing written:
    what the rounds of an adaptive sweep compare (its time series and per-province tables
    are read only once, by the collection at the end).

    Raises:
        FolderError, MixedCodeError: as ``collect``.
    """
    sweep_dir = Path(sweep_dir)
    try:
        plan = read_plan(sweep_dir)
    except SweepFolderError as err:
        raise FolderError(f"{sweep_dir}: {err}") from None
    runs, _ = _runs(sweep_dir, plan, allow_mixed_code)
    return runs.to_pandas()


def _collect(sweep_dir: Path, plan: SweepPlan | None, allow_mixed_code: bool) -> None:
    clean_temporary(sweep_dir)
    runs, done = _runs(sweep_dir, plan, allow_mixed_code)

    def write_tables(folder: Path) -> None:
        _write_timeseries(folder / TIMESERIES, done)
        _write_provinces(folder / PROVINCES, done)
        pq.write_table(runs, folder / RUNS)

    publish(sweep_dir, write_tables)


def _runs(
    sweep_dir: Path, plan: SweepPlan | None, allow_mixed_code: bool
) -> tuple[pa.Table, list[tuple[str, Path, object]]]:
    """The runs table and the done runs (run id, folder, code fingerprint)."""
    chunks, rows, done, columns, schemas = [], [], [], {}, {}
    for entry in _entries(sweep_dir, plan):
        row, check = _row(sweep_dir, entry, schemas)
        rows.append(row)
        columns.update(dict.fromkeys(row))
        if check.status is RunStatus.DONE:
            done.append((entry.rid, entry.job, row.get("code_fingerprint")))
        if len(rows) == CHUNK_ROWS:  # as Arrow columns, a row takes a few kB, not ~100
            chunks.append(_arrow(rows))
            rows = []
    chunks.append(_arrow(rows))
    versions = sorted({str(code) for *_, code in done})
    if len(versions) > 1 and not allow_mixed_code:
        counts = pd.Series([str(code) for *_, code in done]).value_counts()
        made = ", ".join(f"{n} by {code}" for code, n in counts.items())
        raise MixedCodeError(
            f"{sweep_dir} code_fingerprint",
            made,
            "runs of one code version in one table: re-run the sweep's command with the "
            "present code (runs of other code are run again), or collect with "
            "--allow-mixed-code to pool them knowingly (runs.parquet names each run's code)",
            "Runs of different code in",
        )
    runs = pa.concat_tables(chunks, promote_options="default")
    return runs.select([c for c in _columns(columns) if c in runs.column_names]), done


def _write_timeseries(path: Path, done: list[tuple[str, Path, object]]) -> None:
    _gather(path, done, TIMESERIES, ("month", *METRICS), required=True)


def _write_provinces(path: Path, done: list[tuple[str, Path, object]]) -> None:
    _gather(path, done, PROVINCES, PROVINCE_COLUMNS, required=False)


def _gather(
    path: Path,
    done: list[tuple[str, Path, object]],
    name: str,
    columns: tuple[str, ...],
    required: bool,
) -> None:
    """Write each done run's table ``name``, ``run_id`` first, one run at a time.

    A run without the file is an error when ``required``, else adds no rows. With no
    rows at all, an empty table of ``run_id`` and ``columns`` is written when ``required``;
    otherwise nothing is (no run had the file: the sweep has no such table).
    """
    writer = None
    pending: list[pa.Table] = []  # runs not yet written: one row group of GROUP_CELLS
    rows = 0
    try:
        for rid, job, _ in done:
            if not required and not (job / name).is_file():
                continue
            frame = pd.read_parquet(job / name)
            frame.insert(0, "run_id", rid)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            elif not table.schema.equals(writer.schema, check_metadata=False):
                raise ValueError(f"{job / name} has other columns than the first run's")
            pending.append(table)
            rows += table.num_rows
            if rows * table.num_columns >= GROUP_CELLS:
                _write_group(writer, pending)
                pending, rows = [], 0
            elif len(pending) >= MERGE_TABLES:  # one table: not a schema and buffers a run
                pending = [pa.concat_tables(pending).combine_chunks()]
        if pending:
            _write_group(writer, pending)
    finally:
        if writer is not None:
            writer.close()
    if writer is None and required:
        pd.DataFrame({c: [] for c in ("run_id", *columns)}).to_parquet(path, index=False)


def _write_group(writer: pq.ParquetWriter, tables: list[pa.Table]) -> None:
    """Write runs' tables (of the file's columns) as one row group."""
    table = pa.concat_tables(tables)
    writer.write_table(table, row_group_size=max(1, table.num_rows))


def publish(sweep_dir: Path, write: callable) -> None:
    """Write a collection's tables into a new folder and switch to it in one rename.

    ``write(folder)`` writes the tables (``TABLE_NAMES``) into ``folder``; each one it
    wrote gets a link in the sweep folder, and a link to a table it did not write is
    removed. Older collections and temporary folders left by a killed collect are removed.
    """
    store = sweep_dir / TABLES
    store.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix="collection-", dir=store))
    try:
        write(new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    current = store / CURRENT
    link = temporary_name(current)
    link.unlink(missing_ok=True)
    os.symlink(new.name, link)
    if current.is_dir() and not current.is_symlink():
        shutil.rmtree(current)  # a copy that followed the link (shutil.copytree, cp -rL)
    os.replace(link, current)  # the switch: every table at once
    for name in TABLE_NAMES:
        path = sweep_dir / name
        target = Path(TABLES) / CURRENT / name
        if not (new / name).is_file():
            if path.is_symlink() and Path(os.readlink(path)) == target:
                path.unlink()  # a table of an earlier collection that this one has not
            continue
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        if path.exists() or path.is_symlink():
            path.unlink()  # an older layout's plain file, or a link elsewhere
        tmp = temporary_name(path)
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, path)
    for old in store.iterdir():
        if old.name != new.name and old.name != CURRENT and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def _arrow(rows: list[dict]) -> pa.Table:
    frame = pd.DataFrame(rows, columns=list(dict.fromkeys(c for row in rows for c in row)))
    return pa.Table.from_pandas(frame, preserve_index=False)


def _columns(names: dict[str, None]) -> list[str]:
    """Column order: identity and provenance, configuration (by family), metrics."""
    head = ["run_id", "status", "error", "job", "overrides", "seed", "replicate", *CODE_COLUMNS]
    head += [input_column(k) for k in INPUT_KEYS] + [WALL_SECONDS]
    families = ("lever_", "uncertainty_", "setting_")
    config = [c for c in names if c.startswith(families)]
    return [*head, *config, *METRICS, *SUMMARY_EXTRA]


def load_run(folder: Path | str) -> Results:
    """One run folder (``timeseries.parquet``, ``summary.json``, ``.hydra/``) as ``Results``.

    Its row of ``runs`` has the columns ``sandbox-collect`` would give it: identity and
    state, code version and inputs, configuration by family, and the summary metrics.
    """
    folder = Path(folder)
    cfg = saved_config(folder)
    rid = config_run_id(cfg)
    check = inspect(folder, rid)
    row: dict[str, object] = {
        "run_id": rid,
        "status": check.status.value,
        "error": check.reason,
        "job": folder.name,
        **provenance(check),
        **describe(folder, cfg),
    }
    if (folder / "summary.json").is_file():
        row.update(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
    series = pd.read_parquet(folder / TIMESERIES)
    series.insert(0, "run_id", rid)
    return tidy(pd.DataFrame([row]), series, done_only=False)


def main(argv: list[str] | None = None) -> None:
    """``sandbox-collect <sweep folder>``: (re)build the sweep's tables."""
    parser = argparse.ArgumentParser(prog="sandbox-collect", description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="folder of a --multirun sweep")
    parser.add_argument(
        "--allow-mixed-code",
        action="store_true",
        help="pool runs made by different code versions (each row names its code)",
    )
    args = parser.parse_args(argv)
    try:
        runs, timeseries = collect(args.sweep_dir, args.allow_mixed_code)
    except (MixedCodeError, FolderError) as err:
        print(f"sandbox-collect: {err}", file=sys.stderr)
        sys.exit(2)
    table = pd.read_parquet(runs, columns=["status"])
    counts = table["status"].value_counts().to_dict()
    print(f"{len(table)} runs {counts} -> {runs}, {timeseries}, {runs.with_name(PROVINCES)}")
    for line in not_done(runs):
        print(line)
    sys.exit(0 if (table["status"] == "done").all() else 1)


def not_done(runs: Path, sweep_dir: Path | None = None) -> list[str]:
    """A line for each run of a collected ``runs.parquet`` that is not done: its state,
    its folder (under ``sweep_dir`` when given) or planned overrides, and why."""
    columns = ["job", "overrides", "status", "error"]
    present = pq.read_schema(runs).names
    table = pd.read_parquet(runs, columns=[c for c in columns if c in present])
    table = table.reindex(columns=columns)
    bad = table[table["status"] != "done"]
    lines = []
    for job, overrides, status, error in bad.itertuples(index=False):
        if isinstance(job, str):
            where = str(Path(sweep_dir) / job) if sweep_dir is not None else job
        else:
            where = f"planned job {overrides}"
        lines.append(f"  {status}: {where}: {error or 'not run'}")
    return lines


if __name__ == "__main__":  # python -m sandbox.experiments.collect
    main()
