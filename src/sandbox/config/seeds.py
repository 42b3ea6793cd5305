"""How a run's ``seed`` and ``replicate`` (top-level keys) become the seed of one of its
random processes: ``SeedSequence(seed, spawn_key=(replicate, crc32(name)))``. The
processes are named, and their streams kept, in ``sandbox.model.rng``; the posterior
particle a replicate runs with (``sandbox.config.posterior``) is drawn from its own."""

from __future__ import annotations

import zlib

import numpy as np


def process_seed(root_seed: int, name: str, replicate: int = 0) -> np.random.SeedSequence:
    """The seed sequence of process ``name`` in replicate ``replicate`` of ``root_seed``:
    it depends on those three only."""
    return np.random.SeedSequence(root_seed, spawn_key=(replicate, zlib.crc32(name.encode())))
