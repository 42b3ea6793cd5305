"""What each authority could propose this month, valued for all of them at once.

Candidates (docs/model.md, Local authority). An authority free to propose (it runs fewer
pilots than its most at once, proposed, approved or running) considers, in each domain it
can build (its data access reaches ``pilots.data_feasibility`` x the domain's data
dependence), the newest established and the newest novel technology it neither pilots
nor deployed (``Technologies.untaken``; the earliest with ``technologies.leapfrog=false``).

Values. Each candidate is valued by need and by benefit per person reached against cost,
which sizing leaves unchanged: need (the share of the province's people the domain
serves, ``DomainTable.need``) x benefit x success / the province's cost of the pilot
(``Appraisal.domain_costs``) x (1 - ``technologies.overlap``) for each technology it
already has in the domain (x ``technologies.novel_benefit`` for a novel technology) x
what it expects of the track (``AdHoc.prospect``: the chance of approval x (1 - the legal
risk it bears there, at its technology's clarity); for the sandbox, admission or else the
ad-hoc route) x a random factor in [1 - spread, 1 + spread) (``authorities.value_spread``).

Funding. The track is the regime's (``Regime.track_for``) or the ad-hoc route. A pilot is
sized to what the province can fund on it (``ResourceMechanism.sizer``: its own expected
share of the cost, paid over the track's duration, fits this year's pool and the coming
years' budgets beside what it already owes, less what it expects a PPP partner to
co-finance, ``ResourceMechanism.private_share``), reach and cost cut in proportion, down to
``pilots.min_size`` of a whole pilot. The best candidate is the most valued one it can
fund, over both tracks (the first met, track by track, domain by domain, established
before novel, among equal values).

Why at once. Within the month's proposing no value changes: proposals change no law, no
budget (money is committed when a pilot is financed) and no other authority's pilots. So
the values of every authority are computed in one NumPy pass (``Offers``); what stays in
order is what proposals do change: the track a regime offers (a programme's room) and the
pilots proposed. Every number is the one a candidate-by-candidate loop computes (the same
IEEE operations in the same order; ``tests/test_offers.py`` checks the ranking against
that loop).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sandbox.model.domains import DOMAINS, Domain

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.context import Context
    from sandbox.model.tracks import AdHoc

N_DOMAINS = len(DOMAINS)
CLASSES = 2  # established, novel
WIDTH = N_DOMAINS * CLASSES  # candidates per track: (domain, class), flattened


class Offers:
    """The month's candidates of ``authorities`` (in the order they act), valued at once
    (module docstring).

    Args:
        context: the model's context.
        authorities: the authorities acting this month, in their order; each draws its
            random factors from the ``authorities`` stream in this order.
        unclear: 1 - legal clarity, ``[established, novel][domain]``.
    """

    def __init__(
        self, context: Context, authorities: Sequence[LocalAuthority], unclear: np.ndarray
    ) -> None:
        c = self.context = context
        self.unclear = unclear.tolist()
        n = len(authorities)
        # each authority's random factors of value, a row each (kept for inspection)
        self.draws = draws = c.streams["authorities"].random((n, N_DOMAINS))
        # what each holds: its pilots proposed, approved or running, and its services
        book = c.book
        _, places = book.held()
        province, domain, technology = places.province, places.domain, places.technology
        row_of = np.full(len(c.authorities), -1)
        row_of[[a.province for a in authorities]] = np.arange(n)
        row = row_of[province]
        mine = row >= 0
        is_open = mine & (np.arange(len(places)) < len(book.open_pilots))
        busy = np.bincount(row[is_open], minlength=n).tolist()
        held = np.bincount(row[mine] * N_DOMAINS + domain[mine], minlength=n * N_DOMAINS).reshape(
            n, N_DOMAINS
        )
        taken = np.zeros((n, len(c.technologies) + 1), dtype=bool)  # a last column for none
        taken[row[mine], technology[mine]] = True
        # the rows free to propose, and their candidates
        self.free = [i for i, a in enumerate(authorities) if busy[i] < a.max_active]
        rows = self.free
        self.slot = dict(zip(rows, range(len(rows)), strict=True))
        appraisal, technologies = c.appraisal, c.technologies
        access = appraisal.provinces_access([authorities[i].province for i in rows])
        self.access = access.tolist()
        firsts = technologies.untaken(taken[rows])
        buildable = access[:, None] >= np.array(appraisal.feasible_access)
        mask = buildable[:, :, None] & (firsts >= 0)
        costs = appraisal.domain_costs(access)
        # the cheapest candidate's cost (a bound on what a track can fund, ``best``)
        self.cheapest = np.where(mask.any(axis=2), costs, np.inf).min(axis=1).tolist()
        self.costs = costs.tolist()
        self.firsts = firsts.reshape(len(rows), WIDTH).tolist()
        self.mask = mask.reshape(len(rows), WIDTH)
        self.any = self.mask.any(axis=1).tolist()
        p = c.params
        keep = 1.0 - p.technologies.overlap
        powers = np.array([math.pow(keep, h) for h in range(int(held.max(initial=0)) + 1)])
        low, width = 1.0 - p.authorities.value_spread, 2.0 * p.authorities.value_spread
        need = np.array([authorities[i].need for i in rows]).reshape(len(rows), N_DOMAINS)
        base = (
            need
            * np.array(c.domains.expected_benefit)
            / costs
            * powers[held[rows]]
            * (low + width * draws[rows])
        )
        # the value of each candidate before the track's prospect: x the novelty premium
        self.base = base[:, :, None] * np.array([1.0, p.technologies.novel_benefit])
        self.authorities = authorities
        self._values: dict[AdHoc, np.ndarray] = {}
        self._ranks: dict[AdHoc, list[list[int]]] = {}

    @property
    def candidates(self) -> list[int]:
        """The rows that are free and have a candidate, in order: for every other row
        ``best`` is None whatever happens before it this month."""
        return [row for row, has in zip(self.free, self.any, strict=True) if has]

    # --------------------------------------------------------------- values
    def values(self, track: AdHoc) -> np.ndarray:
        """Each free authority's candidate values on ``track``, ``[row][domain, class]``
        flattened (-inf where there is no candidate)."""
        values = self._values.get(track)
        if values is None:
            c, unclear = self.context, self.unclear
            if track.personal:
                rows = [self.authorities[i] for i in self.free]
            else:
                rows = self.authorities[:1] if self.free else []  # the same for all
            prospect = np.array(
                [
                    [
                        [
                            track.prospect(c, a, unclear[novel][d], bool(novel))
                            for novel in range(CLASSES)
                        ]
                        for d in range(N_DOMAINS)
                    ]
                    for a in rows
                ]
            ).reshape(len(rows), N_DOMAINS, CLASSES)
            values = (self.base * prospect).reshape(len(self.free), WIDTH)
            values = np.where(self.mask, values, -np.inf)
            self._values[track] = values
        return values

    def _ranked(self, tracks: tuple[AdHoc, ...], slot: int) -> list[int]:
        """One free authority's candidates on ``tracks`` in order of value, best first
        (the first met among equal values: the sort is stable), as flat indices
        ``track x (domain, class)``."""
        if len(tracks) == 1:  # one track: every row ranked in one sort
            ranks = self._ranks.get(tracks[0])
            if ranks is None:
                ranks = np.argsort(-self.values(tracks[0]), axis=1, kind="stable").tolist()
                self._ranks[tracks[0]] = ranks
            return ranks[slot]
        row = np.concatenate([self.values(t)[slot] for t in tracks])
        return np.argsort(-row, kind="stable").tolist()

    # ----------------------------------------------------------------- choice
    def best(self, row: int, authority: LocalAuthority) -> tuple[Domain, float, AdHoc, int] | None:
        """The candidate authority ``row`` proposes if it proposes this month, as
        (domain, size, track, technology), or None (busy, nothing to build, nothing it
        can fund). The track is asked of the regime now, after the authorities before it
        proposed."""
        slot = self.slot.get(row)
        if slot is None or not self.any[slot]:
            return None
        c = self.context
        offered = c.regime.track_for(c, authority)
        # the regime's track, or the ordinary route, whichever the province expects more of
        tracks = (offered,) if offered is c.adhoc else (offered, c.adhoc)
        resources, province = c.resources, authority.province
        min_size, pilots = c.params.pilots.min_size, c.params.pilots
        sizers: list[Callable[[float, float], float] | None] = [
            resources.sizer(c, province, option.duration(pilots), min_size) for option in tracks
        ]
        # a track on which not even its cheapest candidate, at the most co-finance a partner
        # brings, is funded funds none (a size falls with cost and rises with co-finance)
        most_private = resources.most_private(c)
        for i, size in enumerate(sizers):
            if size(self.cheapest[slot], most_private) <= 0.0:
                sizers[i] = None
        if not any(sizers):
            return None
        costs, firsts, mask = self.costs[slot], self.firsts[slot], self.mask[slot]
        ppp, access, unclear = resources.ppp_exists(c), self.access[slot], self.unclear[0]
        sized: dict[int, float] = {}
        for j in self._ranked(tracks, slot):
            i, flat = divmod(j, WIDTH)
            if not mask[flat]:
                break  # the rest have no candidate
            sizer = sizers[i]
            if sizer is None:
                continue
            d = flat // CLASSES
            key = i * N_DOMAINS + d  # each (track, domain) sized once, when first asked
            size = sized.get(key)
            if size is None:
                # the co-finance it expects a partner to bring (at established risk)
                private = (
                    resources.private_share(
                        c, province, access, d, tracks[i].params.legal_risk * unclear[d]
                    )
                    if ppp
                    else 0.0
                )
                size = sized[key] = sizer(costs[d], private)
            if size > 0.0:
                return DOMAINS[d], size, tracks[i], firsts[flat]
        return None
