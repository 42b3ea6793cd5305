"""The result store: one folder per run, complete only when its manifest exists.

A run's id is derived from its resolved configuration (seed and replicate included,
``output`` settings excluded), so the same run has the same id whatever launcher, worker
count or job order produced it. ``manifest.json`` is written last and carries the id: a
folder with a matching manifest is done; one with ``error.json`` failed; anything else is
missing (never started, or killed half-way) and is run again.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from enum import Enum
from pathlib import Path

import yaml
from omegaconf import DictConfig, OmegaConf

from sandbox.atomic import write_json
from sandbox.params import Params
from sandbox.runner import run, write_results

IGNORED = ("output",)  # keys that do not change results


class RunStatus(Enum):
    """State of a run folder."""

    DONE = "done"
    FAILED = "failed"
    MISSING = "missing"


def canonical(cfg: DictConfig | dict, ignore: tuple[str, ...] = ()) -> str:
    """The resolved config as compact JSON with sorted keys, without ``ignore`` keys.

    ``cfg`` is a composed config or the plain data of a saved ``.hydra/config.yaml``
    (``load_saved``); both give the same text for the same run.
    """
    data = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
    for key in ignore:
        data.pop(key, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def load_saved(path: Path) -> dict:
    """A saved YAML file as plain data, with PyYAML's C parser when available."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def run_id(cfg: DictConfig | dict) -> str:
    """16 hex digits of the SHA-256 of the resolved config, without ``IGNORED`` keys."""
    return hashlib.sha256(canonical(cfg, IGNORED).encode()).hexdigest()[:16]


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def status(job_dir: Path, rid: str) -> RunStatus:
    """Whether the run ``rid`` in ``job_dir`` is done, failed or missing."""
    manifest = _read(job_dir / "manifest.json")
    if manifest and manifest.get("run_id") == rid:
        return RunStatus.DONE
    error = _read(job_dir / "error.json")
    if error and error.get("run_id") == rid:
        return RunStatus.FAILED
    return RunStatus.MISSING


def execute(job_dir: Path, cfg: DictConfig, params: Params) -> RunStatus:
    """Run one job of a sweep unless it is already done; record a failure, never raise.

    Returns:
        ``DONE`` when the run was already complete or has just completed, ``FAILED`` when
        it raised (the error and traceback are in ``error.json``).
    """
    rid = run_id(cfg)
    if status(job_dir, rid) is RunStatus.DONE:
        return RunStatus.DONE
    (job_dir / "error.json").unlink(missing_ok=True)
    try:
        result = run(params)
        write_results(job_dir, result, params, canonical(cfg), run_id=rid)
    except Exception as err:
        write_json(
            job_dir / "error.json",
            {
                "run_id": rid,
                "error": f"{type(err).__name__}: {err}",
                "traceback": traceback.format_exc(),
            },
        )
        return RunStatus.FAILED
    return RunStatus.DONE
