"""Run a sampled design in chunks: every (point, replicate), every policy, durably.

A design is a table of points of the unit hypercube of the uncertainties (one column per
coordinate, ``sandbox.config.uncertainties.dimensions``; a column the model does not
know, such as a sensitivity analysis's dummy, is kept in the table and never read). Each
(point, replicate) pair simulates the history once and branches into every policy
(``sandbox.experiments.branches``); pairs are grouped into chunks, evaluated in worker
processes (joblib), and each chunk is written as its own Parquet file, atomically, with a
record of its SHA-256 beside it. The folder is::

    design.json        what the design is (analysis, policies, replicates, the base
                       scenario, code and input identity); a resumed run must match it
    points.parquet     the points, by index
    chunks/NNNNN.parquet + .json   one chunk's runs, and its checksum
    runs.parquet       every run, one row per (point, replicate, policy), tidy

Running the same design again skips the chunks whose file matches its checksum and runs
again the missing or damaged ones; ``runs.parquet`` is written last, from the chunks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.config.params import Params
from sandbox.config.uncertainties import dimensions, values
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import write_json, write_parquet
from sandbox.experiments.branches import WALL_SECONDS, evaluate
from sandbox.experiments.provenance import code_fingerprint, file_sha256, input_hashes

DESIGN = "design.json"
POINTS = "points.parquet"
CHUNKS = "chunks"
RUNS = "runs.parquet"
IDENTITY = ("point", "replicate", "policy", "status", "error", WALL_SECONDS)


def coordinate(name: str) -> str:
    """The column of a coordinate in ``points.parquet`` and ``runs.parquet``."""
    return f"u_{name}"


def value_column(key: str) -> str:
    """The column of an uncertainty's value in ``runs.parquet`` (as in ``sandbox-collect``)."""
    return f"uncertainty_{key.replace('.', '_')}"


def point_values(row: Mapping[str, float], posterior: str) -> dict:
    """The override values of one point (its coordinates by name: a dimension it lacks
    keeps its declared default, a name that is no dimension is ignored)."""
    return values({name: float(u) for name, u in row.items()}, posterior)


def _recorded(vals: Mapping[str, object]) -> dict[str, object]:
    """The values as columns: numbers as they are, lists as JSON text."""
    return {value_column(k): (json.dumps(v) if isinstance(v, list) else v) for k, v in vals.items()}


def _chunk_path(folder: Path, index: int) -> Path:
    return folder / CHUNKS / f"{index:05d}.parquet"


def _finished(folder: Path, index: int) -> bool:
    """Whether chunk ``index`` is written whole (its file matches its record's SHA-256)."""
    path = _chunk_path(folder, index)
    try:
        record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        return path.is_file() and file_sha256(path) == record.get("sha256")
    except (OSError, ValueError, AttributeError):
        return False


def run_chunk(
    folder: Path,
    index: int,
    policies: Mapping[str, Params],
    tasks: list[tuple[int, int, dict]],
) -> tuple[int, int, int]:
    """Evaluate one chunk's (point, replicate, values) tasks and write its file and record.

    A task that raises gives its policies' rows with ``status`` ``failed`` and the error;
    the others go on. Returns (index, runs, failed runs).
    """
    rows: list[dict] = []
    for point, replicate, vals in tasks:
        head = {"point": point, "replicate": replicate}
        try:
            out = evaluate(policies, vals, replicate)
        except Exception as err:  # a run that fails is recorded, the design goes on
            text = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}"
            for name in policies:
                rows.append({**head, "policy": name, "status": "failed", "error": text})
            continue
        for name, summary in out.items():
            rows.append(
                {**head, "policy": name, "status": "ok", "error": "", **_recorded(vals), **summary}
            )
    frame = pd.DataFrame(rows)
    path = _chunk_path(folder, index)
    write_parquet(path, frame)
    write_json(path.with_suffix(".json"), {"sha256": file_sha256(path), "rows": len(frame)})
    failed = int((frame["status"] != "ok").sum())
    return index, len(frame), failed


def keyed_folder(store: str | Path, analysis: str, record: object) -> Path:
    """``<store>/<analysis>-<key>``, the one rule naming a design's folder: the key is 16 hex
    digits of the SHA-256 of ``record`` (what names the design) as sorted JSON, so the
    same command finds the same folder and another design another one."""
    text = json.dumps(record, sort_keys=True, default=str)
    return Path(store) / f"{analysis}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def describe_design(
    analysis: str, policies: Mapping[str, Params], points: pd.DataFrame, replicates: int
) -> dict:
    """What a design is: the record ``design.json`` holds and a resumed run must match."""
    first = next(iter(policies.values()))
    base = {
        name: json.dumps(dataclasses.asdict(p), sort_keys=True, default=str)
        for name, p in policies.items()
    }
    return {
        "analysis": analysis,
        "policies": list(policies),
        "replicates": replicates,
        "points": len(points),
        "points_sha256": _frame_sha(points),
        "scenarios_sha256": hashlib.sha256(json.dumps(base, sort_keys=True).encode()).hexdigest(),
        "seed": first.seed,
        "citizens": first.citizens.n,
        "horizon_end": first.horizon.end,
        "code_fingerprint": code_fingerprint(),
        "inputs": input_hashes(first.region.table, first.region.merge_table),
    }


def run_design(
    folder: Path,
    analysis: str,
    policies: Mapping[str, Params],
    points: pd.DataFrame,
    replicates: int,
    *,
    workers: int = 0,
    chunk: int = 8,
    posterior: str = "history",
    log: Callable[[str], None] = print,
    progress: bool = True,
    distinct: bool = False,
) -> pd.DataFrame:
    """Run (or resume) a design; its tidy table of runs (also in ``runs.parquet``).

    Args:
        folder: the design's folder (created; or one holding this same design).
        analysis: what the design is for (``sensitivity``, ``robustness``), recorded.
        policies: each policy's scenario by name, differing in their levers only.
        points: one row per point, a column per coordinate varied (named as
            ``dimensions()``; the others keep their declared defaults; columns of other
            names are kept and not read), values in [0, 1].
        replicates: replicates ``0..replicates-1`` of every point.
        workers: worker processes (0: every core).
        chunk: (point, replicate) pairs per chunk.
        posterior: the stored posterior the ``posterior`` coordinate picks particles of.
        distinct: each point's replicates draw streams of their own (replicate
            ``point * replicates + r``), so that chance is independent between points (a
            sensitivity analysis's dummy then scores the noise); by default every point
            runs replicates ``0..replicates-1``. The policies of a (point, replicate)
            share its streams either way.

    Raises:
        ConfigError: ``folder`` holds another design (``design.folder``'s key differs).
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    if not set(points.columns) & set(dimensions()):
        raise ValueError("the design's points name no coordinate of the uncertainties")
    folder = Path(folder)
    record = describe_design(analysis, policies, points, replicates)
    if distinct:
        record["distinct_streams"] = True
    _claim(folder, record)
    write_parquet(
        folder / POINTS, points.rename(columns=coordinate).rename_axis("point").reset_index()
    )
    pairs = [
        (p, p * replicates + r if distinct else r, point_values(points.iloc[p], posterior))
        for p in range(len(points))
        for r in range(replicates)
    ]
    chunks = [pairs[i : i + chunk] for i in range(0, len(pairs), chunk)]
    todo = [i for i in range(len(chunks)) if not _finished(folder, i)]
    (folder / CHUNKS).mkdir(exist_ok=True)
    runs = len(pairs) * len(policies)
    done = runs - sum(len(chunks[i]) for i in todo) * len(policies)
    if done:
        log(
            f"{analysis}: resuming {folder}: {len(chunks) - len(todo)} of {len(chunks)} chunks done"
        )
    n_jobs = workers or -1
    start = time.perf_counter()
    failed = 0
    bar = tqdm(total=runs, initial=done, unit="run", disable=not progress, desc=analysis)
    jobs = (delayed(run_chunk)(folder, i, policies, chunks[i]) for i in todo)
    for _, n, bad in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
        failed += bad
        bar.update(n)
        bar.set_postfix(failed=failed)
    bar.close()
    frame = pd.concat(
        [pd.read_parquet(_chunk_path(folder, i)) for i in range(len(chunks))], ignore_index=True
    )
    order = {name: i for i, name in enumerate(policies)}
    frame = frame.sort_values(
        ["point", "replicate", "policy"],
        key=lambda c: c.map(order) if c.name == "policy" else c,
        kind="stable",
        ignore_index=True,
    )
    coords = points.rename(columns=coordinate)
    frame = frame.join(coords, on="point")
    write_parquet(folder / RUNS, frame)
    seconds = time.perf_counter() - start
    log(
        f"{analysis}: {runs} runs ({len(points)} points x {replicates} replicates x "
        f"{len(policies)} policies), {runs - done} run now in {seconds:.0f} s, "
        f"{int((frame['status'] != 'ok').sum())} failed"
    )
    return frame


def _claim(folder: Path, record: dict) -> None:
    """Make ``folder`` this design's, or check it already is."""
    path = folder / DESIGN
    if path.exists():
        held = json.loads(path.read_text(encoding="utf-8"))
        differ = [k for k in record if held.get(k) != record[k]]
        if differ:
            raise ConfigError(
                "design.store",
                str(folder),
                f"a folder of this same design, or a new one; it holds a design whose "
                f"{', '.join(differ)} differ (run the same command as made it, or remove it)",
            )
        return
    folder.mkdir(parents=True, exist_ok=True)
    write_json(path, record)


def _frame_sha(frame: pd.DataFrame) -> str:
    data = np.ascontiguousarray(frame.to_numpy(dtype=float))
    names = ",".join(map(str, frame.columns))
    return hashlib.sha256(names.encode() + data.tobytes()).hexdigest()
