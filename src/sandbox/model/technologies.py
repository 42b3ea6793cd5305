"""The technologies provinces can adopt: established ones at the start, and arrivals.

Each domain starts with ``technologies.initial`` established technologies (covered by
existing law). Every later month, each domain receives a Poisson number of new ones (mean
``arrival_rate / 12``), each novel with chance ``novel_share``: a novel technology needs a
legal corridor, so its legal clarity is its own (``sandbox.model.legislation``). Arrivals
are drawn from the ``technologies`` stream keyed by (domain, month), so every policy and
every horizon meets the same technologies on the same dates.

A province adopts technology after technology: a pilot is of one technology, and a
province may pilot each technology once it has arrived, unless it already runs or
deployed it.
"""

from __future__ import annotations

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
        self.by_class: list[list[list[int]]] = [[[], []] for _ in range(N_DOMAINS)]
        for d in DOMAINS:
            for _ in range(params.initial):
                self._add(int(d), False, 0)

    def __len__(self) -> int:
        return len(self.domain)

    def _add(self, domain: int, novel: bool, month: int) -> None:
        self.by_class[domain][novel].append(len(self.domain))
        self.domain.append(domain)
        self.novel.append(novel)
        self.arrived.append(month)

    def arrive(self, streams: RandomStreams, t: int) -> None:
        """The technologies arriving in month ``t`` (none in month 0: the start's are the
        established ones)."""
        if t == 0:
            return
        p = self.params
        for d in range(N_DOMAINS):
            rng = streams.at("technologies", d, t)
            for _ in range(poisson(float(rng.random()), p.arrival_rate / 12.0)):
                self._add(d, bool(rng.random() < p.novel_share), t)

    def count(self, novel: bool | None = None) -> int:
        """Technologies arrived so far (of one class when ``novel`` is given)."""
        if novel is None:
            return len(self.domain)
        return sum(len(classes[novel]) for classes in self.by_class)

    def first_untaken(self, domain: int, novel: bool, taken: set[int]) -> int:
        """The earliest technology of a domain and class not in ``taken`` (-1 if none)."""
        for k in self.by_class[domain][novel]:
            if k not in taken:
                return k
        return -1

    def firsts_untaken(self, domain: int, taken: set[int]) -> list[int]:
        """``first_untaken`` of a domain's established and of its novel technologies."""
        firsts = []
        for ids in self.by_class[domain]:
            first = -1
            for k in ids:
                if k not in taken:
                    first = k
                    break
            firsts.append(first)
        return firsts
