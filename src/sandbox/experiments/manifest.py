"""A run's ``manifest.json``: what a reviewer needs to trust and reproduce it.

Seeds and streams, the config's hash, the code version and input files it was computed
with (``sandbox.experiments.provenance``), the platform (``compute_platform``: CPU, NumPy's
SIMD code, BLAS and its kernel, C library, builds), and the SHA-256 of every file the run
wrote.
The manifest is written last: its presence marks the run complete, and its checksums let
a resume, ``sandbox-collect`` and ``sandbox-reproduce`` tell a damaged or edited output
from the one the run wrote.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
import sys
from pathlib import Path

import numpy as np

from sandbox.experiments.provenance import code_version, compute_platform, file_sha256
from sandbox.model.rng import STREAMS, stream_seed

MANIFEST = "manifest.json"
WALL_SECONDS = "wall_seconds"  # a run's own time in the model (runs.parquet's column too)
# the key of the values a run drew beyond its saved config (the posterior particle of
# ``uncertainty=posterior``), by dotted parameter key
DRAWN = "uncertainty_draw"


def config_hash(config_text: str) -> str:
    """SHA-256 of the resolved configuration (canonical JSON, sorted keys)."""
    return hashlib.sha256(config_text.encode()).hexdigest()


@functools.cache
def environment() -> dict:
    """Python, packages and platform (``compute_platform``: the CPU, NumPy's SIMD code,
    BLAS and its kernel, the C library, the builds): the same for every run of a process."""
    distributions = sorted(importlib.metadata.distributions(), key=lambda d: d.name.lower())
    return {
        "python": sys.version,
        "packages": {d.metadata["Name"]: d.version for d in distributions},
        "platform": platform.platform(),
        "machine": platform.machine(),
        "compute_platform": compute_platform(),
    }


def checksums(folder: Path, names: list[str]) -> dict[str, str]:
    """SHA-256 of each named file of ``folder``."""
    return {name: file_sha256(Path(folder) / name) for name in names}


def damage(folder: Path, manifest: dict) -> str | None:
    """``None`` when every file the manifest lists matches its checksum, else what does not."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return f"{MANIFEST} lists no checksums of the run's files"
    for name, expected in files.items():
        path = Path(folder) / name
        if not path.is_file():
            return f"{name} is missing"
        if file_sha256(path) != expected:
            return f"{name} does not match its checksum in {MANIFEST}"
    return None


def build_manifest(
    seed: int,
    replicate: int,
    config_text: str,
    wall_seconds: float,
    files: dict[str, str],
    inputs: dict[str, str],
) -> dict:
    """The manifest of one run.

    Args:
        seed: root seed.
        replicate: replicate index.
        config_text: the resolved config as canonical text.
        wall_seconds: simulation time.
        files: SHA-256 of every file the run wrote, by name relative to its folder.
        inputs: SHA-256 of every input file, by the config key that names it.
    """
    root = np.random.SeedSequence(seed)
    return {
        "seed": seed,
        "replicate": replicate,
        "seed_sequence_entropy": str(root.entropy),
        "streams": {name: list(stream_seed(seed, name, replicate).spawn_key) for name in STREAMS},
        "config_sha256": config_hash(config_text),
        **code_version(),
        "inputs": inputs,
        "files": files,
        **environment(),
        WALL_SECONDS: wall_seconds,
    }
