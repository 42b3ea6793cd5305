"""The technologies provinces can adopt: established ones at the start, and arrivals.

Each domain starts with ``technologies.initial`` established technologies (covered by
existing law). Every later month, each domain receives a Poisson number of new ones (mean
``arrival_rate / 12``), each novel with chance ``novel_share``: a novel technology needs a
legal corridor, so its legal clarity is its own (``sandbox.model.legislation``). Arrivals
are drawn from the ``technologies`` stream keyed by (domain, month), so every policy and
every horizon meets the same technologies on the same dates. Each arrival also draws how
long a trial of it runs relative to its track's duration (``duration_factor``, mean 1,
``technologies.duration_sigma``); the start's established technologies, on which the
ad-hoc track's duration was fitted, run the track's own (1).

A province adopts technology after technology: a pilot is of one technology, and a
province may pilot each technology once it has arrived, unless it already runs or
deployed it. Of those it has not taken, it considers the newest of each class (it buys the
current generation), or with ``technologies.leapfrog=false`` the earliest.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

from sandbox.config.params.technologies import TechnologyParams
from sandbox.model.domains import DOMAINS, N_DOMAINS
from sandbox.model.rng import RandomStreams, poisson


class Technologies:
    """Every technology arrived so far (module docstring): ``domain``, ``novel`` and
    ``arrived`` (month index) per technology id, and per domain and class (0 established,
    1 novel) the ids in order of arrival.

    Args:
        params: the ``technologies`` section.
    """

    def __init__(self, params: TechnologyParams) -> None:
        self.params = params
        self.domain: list[int] = []
        self.novel: list[bool] = []
        self.arrived: list[int] = []
        self.duration_factor: list[float] = []  # its trial length / its track's duration
        self.first_use: list[int] = []  # month of its first province-wide use (-1: none yet)
        self.by_class: list[list[list[int]]] = [[[], []] for _ in range(N_DOMAINS)]
        self._ids: np.ndarray | None = None  # ``_ids_by_class``, for ``_ids_count`` ids
        self._ids_count = 0
        for d in DOMAINS:
            for _ in range(params.initial):
                self._add(int(d), False, 0)

    def __len__(self) -> int:
        return len(self.domain)

    def _add(self, domain: int, novel: bool, month: int, duration_factor: float = 1.0) -> None:
        self.by_class[domain][novel].append(len(self.domain))
        self.domain.append(domain)
        self.novel.append(novel)
        self.arrived.append(month)
        self.duration_factor.append(duration_factor)
        self.first_use.append(-1)

    def arrive(self, streams: RandomStreams, t: int) -> None:
        """The technologies arriving in month ``t`` (none in month 0: the start's are the
        established ones)."""
        if t == 0:
            return
        p = self.params
        sigma = p.duration_sigma
        for d in range(N_DOMAINS):
            rng = streams.at("technologies", d, t)
            for _ in range(poisson(float(rng.random()), p.arrival_rate / 12.0)):
                novel = bool(rng.random() < p.novel_share)
                factor = math.exp(sigma * float(rng.standard_normal()) - sigma * sigma / 2.0)
                self._add(d, novel, t, factor)

    def duration(self, technology: int, months: int) -> int:
        """A trial of ``technology`` on a track of ``months``: its factor x ``months``,
        at least one month (``months`` for no technology, ``-1``)."""
        if technology < 0:
            return months
        return max(1, round(months * self.duration_factor[technology]))

    def put_to_use(self, technology: int, t: int) -> None:
        """A service of ``technology`` is in province-wide use from month ``t`` (its first
        such month is kept)."""
        if technology >= 0 and self.first_use[technology] < 0:
            self.first_use[technology] = t

    def months_to_use(self, since: int, t: int) -> tuple[float, int]:
        """Restricted mean months from arrival to first province-wide use of the
        technologies arrived from month ``since`` (up to ``t``), each not yet in use
        counted until ``t`` (censored there: the same technologies arrive under every
        policy, so the means compare); and how many arrived."""
        total, n = 0.0, 0
        first = bisect_left(self.arrived, max(since, 1))  # ids arrive in order of months
        for arrived, used in zip(self.arrived[first:], self.first_use[first:], strict=True):
            if arrived > t:
                break
            total += (used if used >= 0 else t) - arrived
            n += 1
        return (total / n if n else 0.0), n

    def count(self, novel: bool | None = None) -> int:
        """Technologies arrived so far (of one class when ``novel`` is given)."""
        if novel is None:
            return len(self.domain)
        return sum(len(classes[novel]) for classes in self.by_class)

    def untaken(self, taken: np.ndarray) -> np.ndarray:
        """Per row of ``taken`` (a province's holdings: ``taken[row, k]`` whether it runs or
        deployed technology ``k``, a column per technology and a last one for none, -1),
        per domain and class, the technology it considers (-1 where there is none): the
        newest of those not taken (the current generation), or with
        ``technologies.leapfrog=false`` the earliest. Shape (rows, domains, classes)."""
        ids = self._ids_by_class()
        free = ~taken[:, ids] & (ids >= 0)  # (rows, domain x class, arrival order)
        if self.params.leapfrog:
            pick = ids.shape[1] - 1 - np.argmax(free[:, :, ::-1], axis=2)
        else:
            pick = np.argmax(free, axis=2)
        chosen = ids[np.arange(ids.shape[0]), pick]
        return np.where(free.any(axis=2), chosen, -1).reshape(len(taken), N_DOMAINS, 2)

    def _ids_by_class(self) -> np.ndarray:
        """``by_class`` as a matrix: a row per (domain, class), the ids in order of arrival,
        padded with -1 (kept until the next arrival)."""
        if self._ids is None or self._ids_count != len(self.domain):
            rows = [ids for classes in self.by_class for ids in classes]
            width = max(map(len, rows))
            self._ids = np.array([ids + [-1] * (width - len(ids)) for ids in rows], dtype=int)
            self._ids_count = len(self.domain)
        return self._ids
