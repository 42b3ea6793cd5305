"""The result store: one folder per run, complete only when its manifest checks out.

A run's id is derived from its configuration as written (seed and replicate included,
``output`` settings excluded, interpolations left unresolved), so the same run has the
same id whatever launcher, worker count or job order produced it. A job computes it from
the ``.hydra/config.yaml`` that Hydra saved for it, exactly as ``sandbox-collect`` does,
so the two always agree. A saved config is read as data: nothing in it is resolved.

``manifest.json`` is written last and carries the id, the code fingerprint, the input
files' hashes and the checksum of every file the run wrote (``sandbox.experiments.manifest``). A run
folder is

* ``done``: its manifest has its id and every listed file matches its checksum (and, when
  a sweep resumes, its code and inputs are the present ones);
* ``stale``: done, but by other code or from other input files (resume runs it again);
* ``damaged``: a file the manifest lists is missing or edited, or the manifest or saved
  config cannot be read;
* ``failed``: ``error.json`` holds the error of its last attempt;
* ``missing``: never started, killed half-way, or made from another config.

Every state but ``done`` is run again when a sweep resumes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import traceback
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml
from omegaconf import DictConfig, OmegaConf

from sandbox.config.params import Params
from sandbox.experiments.atomic import write_json
from sandbox.experiments.checkpoint import CheckpointStore
from sandbox.experiments.manifest import MANIFEST, damage
from sandbox.experiments.provenance import code_fingerprint, input_hashes
from sandbox.experiments.runner import run, write_results
from sandbox.experiments.watchdog import guard

IGNORED = ("output", "calibration", "adaptive")  # keys that do not change a run's results
SAVED_CONFIG = Path(".hydra") / "config.yaml"
REQUIRED = frozenset(f.name for f in dataclasses.fields(Params) if f.name not in IGNORED)
ERROR = "error.json"


class RunStatus(Enum):
    """State of a run folder."""

    DONE = "done"
    STALE = "stale"
    DAMAGED = "damaged"
    FAILED = "failed"
    MISSING = "missing"


@dataclass(frozen=True)
class Check:
    """A run folder's state, why, and its manifest when it has a readable one."""

    status: RunStatus
    reason: str | None = None
    manifest: dict | None = None


def as_data(cfg: DictConfig | dict, resolve: bool = False) -> dict:
    """A config as plain data.

    A file's config (the plain data of a saved ``.hydra/config.yaml``) is data: an
    interpolation in it (``${oc.env:...}``) stays the text it is, never resolved, so that
    reading a downloaded run folder can neither run a resolver nor copy the environment
    into a table. ``resolve`` resolves a config ``sandbox-run`` composed itself (whose
    resolvers ``sandbox.config.safety`` has checked).
    """
    if isinstance(cfg, DictConfig):
        return OmegaConf.to_container(cfg, resolve=resolve)
    return dict(cfg)


def canonical(cfg: DictConfig | dict, ignore: tuple[str, ...] = (), resolve: bool = False) -> str:
    """The config as compact JSON with sorted keys, without ``ignore`` keys (``as_data``)."""
    data = as_data(cfg, resolve)
    for key in ignore:
        data.pop(key, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def load_saved(path: Path) -> dict:
    """A saved YAML file as plain data, with PyYAML's C parser when available."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def run_id(cfg: DictConfig | dict) -> str:
    """16 hex digits of the SHA-256 of the config as written (interpolations unresolved),
    without ``IGNORED`` keys: a composed config and its saved ``.hydra/config.yaml`` (which
    Hydra writes unresolved) give the same id."""
    return hashlib.sha256(canonical(cfg, IGNORED).encode()).hexdigest()[:16]


class UnreadableConfigError(ValueError):
    """A run folder's saved config is missing, truncated, or holds what cannot be run."""


def saved_config(job_dir: Path) -> dict:
    """The config a run folder saved, as data (``as_data``: nothing in it is resolved);
    ``UnreadableConfigError`` when it cannot be had.

    The message names the file and the kind of problem, never the file's contents.
    """
    path = Path(job_dir) / SAVED_CONFIG
    if not path.is_file():
        raise UnreadableConfigError(f"{SAVED_CONFIG} is missing")
    try:
        data = load_saved(path)
    except Exception as err:
        problem = f"{SAVED_CONFIG} cannot be read ({type(err).__name__})"
        raise UnreadableConfigError(problem) from None
    if not isinstance(data, dict) or not set(data) >= REQUIRED:
        raise UnreadableConfigError(f"{SAVED_CONFIG} is not a complete saved config")
    return data


def interpolations(data: object, path: str = "") -> list[str]:
    """The keys of ``data`` whose value holds an interpolation (``${...}``)."""
    if isinstance(data, dict):
        return [k for key, v in data.items() for k in interpolations(v, f"{path}{key}.")]
    if isinstance(data, list):
        return [k for i, v in enumerate(data) for k in interpolations(v, f"{path}{i}.")]
    return [path.rstrip(".")] if isinstance(data, str) and "${" in data else []


def read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def inspect(
    job_dir: Path, rid: str, code: str | None = None, inputs: dict[str, str] | None = None
) -> Check:
    """The state of the run ``rid`` in ``job_dir``.

    Args:
        job_dir: the run's folder.
        rid: the id the run must have.
        code: when given, a run made by code of another fingerprint is ``stale``.
        inputs: when given, a run made from input files of other hashes is ``stale``.
    """
    job_dir = Path(job_dir)
    path = job_dir / MANIFEST
    manifest = read_json(path)
    if manifest is None and path.exists():
        return Check(RunStatus.DAMAGED, f"{MANIFEST} cannot be read")
    if manifest is not None and manifest.get("run_id") == rid:
        problem = damage(job_dir, manifest)
        if problem:
            return Check(RunStatus.DAMAGED, problem, manifest)
        made_by = manifest.get("code_fingerprint")
        if code is not None and made_by != code:
            return Check(RunStatus.STALE, f"made by code {made_by}, now {code}", manifest)
        if inputs is not None and manifest.get("inputs") != inputs:
            changed = sorted(
                k for k in inputs if (manifest.get("inputs") or {}).get(k) != inputs[k]
            )
            return Check(RunStatus.STALE, f"input file changed: {', '.join(changed)}", manifest)
        return Check(RunStatus.DONE, None, manifest)
    error = read_json(job_dir / ERROR)
    if error and error.get("run_id") == rid:
        return Check(RunStatus.FAILED, str(error.get("error", "")).splitlines()[0])
    if manifest is not None:
        return Check(RunStatus.MISSING, "its results were made from another config")
    return Check(RunStatus.MISSING)


def job_run_id(job_dir: Path, cfg: DictConfig) -> str:
    """The id of a job: from its saved config, as ``sandbox-collect`` computes it."""
    if (Path(job_dir) / SAVED_CONFIG).is_file():
        return run_id(saved_config(job_dir))
    return run_id(cfg)  # hydra.output_subdir=null: nothing saved, the live config stands


def execute(
    job_dir: Path, cfg: DictConfig, params: Params, sweep_dir: Path | None = None
) -> RunStatus:
    """Run one job of a sweep unless it is done by this code from these inputs.

    A failure is recorded in ``error.json`` (its error and traceback) and never raised, so
    no launcher stops the sweep. Histories are stored in ``output.checkpoints`` inside
    ``sweep_dir`` (the sweep's folder; by default the job folder's parent).

    Returns:
        ``DONE`` when the run was already complete or has just completed, ``FAILED`` when
        it raised.
    """
    guard()
    job_dir = Path(job_dir)
    try:
        rid = job_run_id(job_dir, cfg)
    except UnreadableConfigError as err:
        rid = run_id(cfg)
        _record_failure(job_dir, rid, err)
        return RunStatus.FAILED
    try:
        inputs = input_hashes(params.region.table, params.region.merge_table)
    except Exception as err:
        _record_failure(job_dir, rid, err)
        return RunStatus.FAILED
    if inspect(job_dir, rid, code_fingerprint(), inputs).status is RunStatus.DONE:
        return RunStatus.DONE
    (job_dir / MANIFEST).unlink(missing_ok=True)  # a kill from here on leaves it missing
    (job_dir / ERROR).unlink(missing_ok=True)
    try:
        folder = Path(sweep_dir) if sweep_dir is not None else job_dir.parent
        result = run(params, CheckpointStore.inside(folder, params.output.checkpoints))
        config_text = canonical(cfg, resolve=True)
        write_results(job_dir, result, params, config_text, run_id=rid, inputs=inputs)
    except Exception as err:
        _record_failure(job_dir, rid, err)
        return RunStatus.FAILED
    return RunStatus.DONE


def _record_failure(job_dir: Path, rid: str, err: Exception) -> None:
    write_json(
        Path(job_dir) / ERROR,
        {
            "run_id": rid,
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(),
        },
    )
