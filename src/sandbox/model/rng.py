"""Random streams: one per process, keyed by entity and month where that matters.

Every random number comes from a NumPy generator derived from the run's ``seed``, its
``replicate`` and the name of the process that draws it
(``SeedSequence(seed, spawn_key=(replicate, crc32(name)))``), so drawing more in one
process never shifts another (common random numbers across policies).

Two kinds of process:

* *sequential* (``SEQUENTIAL``): the number of draws does not depend on the policy
  (legislation: one draw per domain per month; authorities: the same draws every month;
  citizens and firms at set-up; the phasing order once). Each owns one ``Generator``.
* *keyed* (``KEYED``): the number of draws depends on the policy (how many proposals,
  reviews, bids, running months, incidents, entrants there are). Each draw is addressed
  by the entity it belongs to and its month or ordinal (``RandomStreams.at(process,
  *key)``): a counter-based generator (Philox) whose counter is the key, so "the review
  of the pilot province 12 proposed in month 40" or "the threshold of authority 7's third
  proposal" draws the same numbers under every policy in which that entity exists,
  whatever happened elsewhere.

Same seed and replicate give bit-identical draws; replicate ``r`` is one random world
shared by every policy (paired runs).
"""

from __future__ import annotations

import math

import numpy as np

from sandbox.config.seeds import process_seed

SEQUENTIAL: tuple[str, ...] = (
    "schedule",  # activation order of Mesa agents (seeds Mesa's own generator)
    "authorities",  # province attributes at set-up; each month's taste draws (per domain)
    "citizens",  # citizen attributes and adoption thresholds
    "firms",  # attributes of the firms present at the start
    "phasing",  # the order of a phased roll-out's waves (``order: random``)
    "platform",  # which provinces connect to a national data platform (every month)
    "posterior",  # which posterior particle a replicate runs with (uncertainty=posterior)
)
KEYED: dict[str, str] = {
    "proposals": "(authority, n): the threshold of an authority's n-th proposal",
    "review": (
        "(province, month proposed): a proposal's review draws in turn (delays, decisions, "
        "the sandbox's screening, going ad hoc when not admitted)"
    ),
    "bids": (
        "(province, month proposed): each firm's bid draw on that proposal, by firm id; "
        "(province, month proposed, 1): the choice among the bidders"
    ),
    "rebids": (
        "(province, month proposed, 2(r - 1)) and (..., 2(r - 1) + 1): the same when a "
        "proposal moved to another track is bid for anew, the r-th time"
    ),
    "life": "(province, month proposed, block): a pilot's monthly draws while running",
    "exposure": "(province, month proposed, month of life): who an incident reaches",
    "entry": "(month,): how many SMEs enter; (month, j): the attributes of the j-th",
    "technologies": "(domain, month): how many technologies arrive, and which are novel",
}
STREAMS: tuple[str, ...] = (*SEQUENTIAL, *KEYED)


def stream_seed(root_seed: int, name: str, replicate: int = 0) -> np.random.SeedSequence:
    """The seed sequence of one process's stream.

    Args:
        root_seed: the run's root seed (the top-level ``seed`` key).
        name: one of ``STREAMS``.
        replicate: the replicate index (the top-level ``replicate`` key).

    Returns:
        A ``SeedSequence`` that depends on ``root_seed``, ``replicate`` and ``name`` only.
    """
    if name not in STREAMS:
        raise KeyError(f"unknown random stream {name!r}; known: {', '.join(STREAMS)}")
    return process_seed(root_seed, name, replicate)


class _Keyed:
    """A Philox generator re-positioned at a counter for each keyed draw."""

    def __init__(self, seed: np.random.SeedSequence) -> None:
        self.key = seed.generate_state(2, np.uint64)
        self.bits = np.random.Philox(key=self.key)
        self.generator = np.random.Generator(self.bits)
        self.state = self.bits.state
        self._key_words = self.key.tolist()  # the key as plain ints, set with each counter

    def at(self, key: tuple[int, ...]) -> np.random.Generator:
        if len(key) > 3 or min(key, default=0) < 0:
            raise ValueError(f"a draw key is up to three non-negative integers, not {key}")
        # the counter's four 64-bit words (plain ints: Philox's state takes any sequence):
        # the key in the highest words; the lowest counts the draws within a key, from the
        # key's length in its top byte, so that keys of different lengths never share a
        # counter
        counter = [len(key) << 56, *(0,) * (3 - len(key)), *key]
        self.state["state"] = {"counter": counter, "key": self._key_words}
        self.state["buffer_pos"] = 4  # discard buffered output of an earlier key
        self.state["has_uint32"] = 0
        self.bits.state = self.state
        return self.generator


class RandomStreams:
    """The run's random streams.

    ``streams[name]`` is a sequential process's generator; ``streams.at(name, *key)`` a
    keyed process's generator positioned at ``key`` (use it at once: the next ``at`` of
    the same process moves it).

    Args:
        seed: the run's root seed.
        replicate: the replicate index.
    """

    def __init__(self, seed: int, replicate: int = 0) -> None:
        self.seed, self.replicate = seed, replicate
        self._sequential = {
            name: np.random.default_rng(stream_seed(seed, name, replicate)) for name in SEQUENTIAL
        }
        self._keyed = {name: _Keyed(stream_seed(seed, name, replicate)) for name in KEYED}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._sequential:
            raise KeyError(f"{name!r} is not a sequential stream; known: {', '.join(SEQUENTIAL)}")
        return self._sequential[name]

    def at(self, name: str, *key: int) -> np.random.Generator:
        """The generator of keyed process ``name`` positioned at ``key``."""
        if name not in self._keyed:
            raise KeyError(f"{name!r} is not a keyed stream; known: {', '.join(KEYED)}")
        return self._keyed[name].at(tuple(map(int, key)))


def poisson(u: float, mean: float) -> int:
    """A Poisson count from one uniform draw (inverse CDF): monotone in ``mean``, so runs
    whose rates differ still share the draw and differ as little as the rates make them."""
    if mean > 100:  # the summed terms would underflow; SciPy's inverse is exact there
        from scipy.stats import poisson as distribution  # imported only when needed

        return int(distribution.ppf(u, mean))
    k, term = 0, math.exp(-mean)
    total = term
    while u > total and term > 0:
        k += 1
        term *= mean / k
        total += term
    return k


def geometric(u: float, mean: float) -> int:
    """A geometric number of months (>= 1) with the given mean, from one uniform draw.

    The inverse of the geometric CDF with success probability ``1 / max(1, mean)``, so
    one uniform gives one delay and pairs across runs.
    """
    p = 1.0 / max(1.0, mean)
    if p >= 1.0:
        return 1
    return 1 + int(math.log1p(-u) / math.log1p(-p))
