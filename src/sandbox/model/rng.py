"""Named random streams derived from one root seed (docs/model.md §7).

Each subsystem draws only from its own ``numpy.random.Generator``, seeded from
``SeedSequence(seed, spawn_key=(replicate, crc32(name)))``. A stream therefore depends on
the root seed, the replicate index and its own name only: switching a mechanism on or off
changes the draws of the subsystems that use it and of no other (common random numbers
across policies), and replicate ``r`` of an experiment is the same random world under
every policy (paired runs).
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS: tuple[str, ...] = (
    "schedule",  # activation order of Mesa agents (seeds Mesa's own generators)
    "government",  # reviews, legislation, sandbox selection
    "authorities",  # province attributes, learning, proposals
    "firms",  # firm attributes, bids, entry
    "pilots",  # incidents, success, alignment
    "citizens",  # citizen attributes and adoption thresholds
    "exposure",  # which citizens an incident exposes
)


def stream_seed(root_seed: int, name: str, replicate: int = 0) -> np.random.SeedSequence:
    """The seed sequence of one named stream.

    Args:
        root_seed: the run's root seed (the top-level ``seed`` key).
        name: one of ``STREAMS``.
        replicate: the replicate index (the top-level ``replicate`` key).

    Returns:
        A ``SeedSequence`` that depends on ``root_seed``, ``replicate`` and ``name`` only.
    """
    if name not in STREAMS:
        raise KeyError(f"unknown random stream {name!r}; known: {', '.join(STREAMS)}")
    key = (replicate, zlib.crc32(name.encode()))
    return np.random.SeedSequence(root_seed, spawn_key=key)


def make_streams(root_seed: int, replicate: int = 0) -> dict[str, np.random.Generator]:
    """One independent generator per stream name."""
    return {
        name: np.random.default_rng(stream_seed(root_seed, name, replicate)) for name in STREAMS
    }
