"""What a reviewer needs to reproduce a run: seeds, config hash, versions, commit."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

from sandbox.rng import STREAMS, stream_seed


def config_hash(config_text: str) -> str:
    """SHA-256 of the resolved configuration (canonical JSON, sorted keys)."""
    return hashlib.sha256(config_text.encode()).hexdigest()


def _git(args: list[str]) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


@functools.cache
def environment() -> dict:
    """Python, packages, git and platform: the same for every run of a process."""
    status = _git(["status", "--porcelain", "--untracked-files=no"])
    distributions = sorted(importlib.metadata.distributions(), key=lambda d: d.name.lower())
    return {
        "python": sys.version,
        "packages": {d.metadata["Name"]: d.version for d in distributions},
        "git_commit": _git(["rev-parse", "HEAD"]),
        "git_dirty": None if status is None else bool(status),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def build_manifest(seed: int, replicate: int, config_text: str, wall_seconds: float) -> dict:
    """The manifest of one run."""
    root = np.random.SeedSequence(seed)
    return {
        "seed": seed,
        "replicate": replicate,
        "seed_sequence_entropy": str(root.entropy),
        "streams": {name: list(stream_seed(seed, name, replicate).spawn_key) for name in STREAMS},
        "config_sha256": config_hash(config_text),
        **environment(),
        "wall_seconds": wall_seconds,
    }
