"""Named random streams derived from one root seed (MODEL.md Section 7).

Each subsystem draws only from its own ``numpy.random.Generator``, seeded from
``SeedSequence(root_seed, spawn_key=(crc32(name),))``. A stream therefore depends on the
root seed and its own name only: switching a mechanism on or off changes the draws of the
subsystems that use it and of no other (common random numbers across policies).
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


def stream_seed(root_seed: int, name: str) -> np.random.SeedSequence:
    """The seed sequence of one named stream.

    Args:
        root_seed: the run's root seed (the top-level ``seed`` key).
        name: one of ``STREAMS``.

    Returns:
        A ``SeedSequence`` that depends on ``root_seed`` and ``name`` only.
    """
    if name not in STREAMS:
        raise KeyError(f"unknown random stream {name!r}; known: {', '.join(STREAMS)}")
    return np.random.SeedSequence(root_seed, spawn_key=(zlib.crc32(name.encode()),))


def make_streams(root_seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per stream name."""
    return {name: np.random.default_rng(stream_seed(root_seed, name)) for name in STREAMS}
