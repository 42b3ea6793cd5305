"""What a reviewer needs to reproduce a run: seeds, config hash, versions, commit."""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

from sandbox.rng import STREAMS, stream_seed


def config_hash(config_yaml: str) -> str:
    """SHA-256 of the resolved configuration (YAML, sorted keys)."""
    return hashlib.sha256(config_yaml.encode()).hexdigest()


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


def build_manifest(seed: int, config_yaml: str, wall_seconds: float) -> dict:
    """The manifest of one run."""
    root = np.random.SeedSequence(seed)
    status = _git(["status", "--porcelain", "--untracked-files=no"])
    return {
        "seed": seed,
        "seed_sequence_entropy": str(root.entropy),
        "streams": {name: list(stream_seed(seed, name).spawn_key) for name in STREAMS},
        "config_sha256": config_hash(config_yaml),
        "python": sys.version,
        "packages": {
            d.metadata["Name"]: d.version
            for d in sorted(
                importlib.metadata.distributions(), key=lambda d: d.metadata["Name"].lower()
            )
        },
        "git_commit": _git(["rev-parse", "HEAD"]),
        "git_dirty": None if status is None else bool(status),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "wall_seconds": wall_seconds,
    }
