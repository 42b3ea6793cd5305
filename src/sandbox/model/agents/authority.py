"""Local authorities: learn from peers, propose pilots, choose partner firms."""

from __future__ import annotations

import math
from operator import itemgetter
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import DOMAINS, Domain
from sandbox.model.pilots import BUSY, Pilot, Status
from sandbox.model.portable import dot, exp

if TYPE_CHECKING:
    from sandbox.model.context import Context
    from sandbox.model.model import SandboxModel
    from sandbox.model.regions import Region


# attributes a merged unit takes as its provinces' population-weighted mean
RATES = ("digital_capacity", "data_readiness", "awareness", "leadership", "risk_aversion")


class LocalAuthority(mesa.Agent):
    """One province's authority (docs/model.md).

    Static attributes come from the region table; digital capacity, leadership and risk
    aversion are drawn from the documented distributions of ``authorities`` params. It
    acts through the context the model hands it (the whole ``Context``, which it hands
    on to the regime and the resource mechanism): the regime's tracks, legal clarity,
    the appraisal of pilots, the resource mechanism's sizing and the pilot book.

    Args:
        model: the model (Mesa's owner of the agent; its ``context`` and ``region``).
        province: row index in the region table.
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel, province: int) -> None:
        super().__init__(model)
        self.context: Context = model.context
        p = self.context.params.authorities
        region = model.region
        rng = self.context.streams["authorities"]
        self.stream = rng
        self.province = province
        self.name = region.names[province]
        self.centrally_run = bool(region.centrally_run[province])
        capacity = (
            p.capacity_intercept
            + p.capacity_urban_slope * region.urban_share[province]
            + p.capacity_city_bonus * self.centrally_run
            + p.capacity_noise * rng.standard_normal()
        )
        self.digital_capacity = float(np.clip(capacity, p.capacity_floor, 1.0))
        self.leadership = float(rng.beta(p.leadership_alpha, p.leadership_beta))
        self.risk_aversion = float(rng.beta(p.risk_aversion_alpha, p.risk_aversion_beta))
        self.awareness = p.awareness_initial
        self.data_readiness = p.data_readiness_share * self.digital_capacity
        self.max_active = self._max_active()
        self.need = self.context.domains.need(float(region.urban_share[province]))
        self.pilots: list[Pilot] = []
        # proposing is a hazard with a threshold (``propose``): the key of its random
        # thresholds (its row at set-up, kept through the merger), the proposals it made,
        # the cumulative hazard since the last one and the next one's threshold
        self.stream_key = province
        self.proposals = 0
        self.urge = 0.0
        self.threshold = self._threshold()

    def _threshold(self) -> float:
        """The threshold ``E ~ Exp(1)`` of its next proposal, keyed by (authority, n)."""
        u = self.context.streams.at("proposals", self.stream_key, self.proposals).random()
        return -math.log1p(-u)

    def _max_active(self) -> int:
        """Pilots it may run at once (centrally-run cities: ``city_pilot_factor`` times)."""
        p = self.context.params.authorities
        return p.max_active_pilots * (p.city_pilot_factor if self.centrally_run else 1)

    def step(self, peer_success: np.ndarray, unclear: list[list[float]] | None = None) -> None:
        """Learn from peers (``peer_success``: per province, the share of its peers with a
        succeeded service), then maybe propose a pilot (``unclear``: as in ``propose``)."""
        self.learn(peer_success[self.province])
        self.propose(unclear)

    def learn(self, peers: float) -> None:
        """Awareness rises with peers' successes (``peers``: the share of the other
        provinces of its region with a succeeded service), weighted by leadership."""
        p = self.context.params.authorities
        gain = p.learning_base + p.learning_peer * self.leadership * peers
        self.awareness += (1.0 - self.awareness) * min(1.0, gain)

    def propose(self, unclear: list[list[float]] | None = None) -> None:
        """Compare expected value with perceived legal risk; propose the best technology.

        Candidates are, in each domain the province can build (its data access reaches
        ``pilots.data_feasibility`` x the domain's data dependence), the newest established
        and the newest novel technology it neither pilots nor deployed
        (``Technologies.untaken``; the earliest with ``technologies.leapfrog=false``), while it
        runs fewer than its most pilots at once;
        each must be funded: a pilot is sized to what the province can fund (its own
        expected share of the cost, paid in monthly instalments over the pilot's duration,
        fits this year's pool and the coming years' budgets beside what it already owes,
        less what it expects a PPP partner to co-finance, ``ResourceMechanism.private_share``),
        reach and cost cut in proportion, down to ``pilots.min_size`` of a whole pilot
        (``ResourceMechanism.sizer``). Each is valued by need and by benefit per person
        reached against cost, which sizing leaves unchanged: need (the share of
        the province's people the domain serves, ``DomainTable.need``) x benefit x success
        / the province's cost of the pilot x (1 - ``technologies.overlap``) for each
        technology it already has in the domain (x ``technologies.novel_benefit`` for a
        novel technology) x what it expects of the track
        (``AdHoc.prospect``: the chance of approval x (1 - the legal risk it bears there, at
        its technology's clarity);
        for the sandbox, admission or else the ad-hoc route) x a random factor in
        [1 - spread, 1 + spread) (``authorities.value_spread``). The track is the regime's
        (``Regime.track_for``) or the ad-hoc route, whichever gives the best value (sized
        for its own length). The best is proposed with a chance rising with awareness and
        leadership (``leadership_floor`` + leadership), falling with risk aversion x the
        legal risk it bears on its track, and rising with its citizens' use of services (a
        political return: x (1 + ``political_return`` x the province's adopted share at the
        end of last month, ``Context.use``).

        Exact threshold form of that monthly chance ``c``: the authority proposes once its
        cumulative hazard ``sum -log(1 - c)`` over the months it had a candidate reaches a
        threshold ``E ~ Exp(1)`` drawn for each proposal (``proposals`` stream), then starts
        again from zero. This is equal in distribution to a Bernoulli draw each month with
        probability ``c``; under a policy that raises ``c`` the same proposal comes
        earlier by what the hazard implies, not by a fresh lottery (common random numbers).

        ``unclear`` is 1 - legal clarity, ``[established, novel][domain]``, as the month's
        authorities all see it (computed here when not given).
        """
        c = self.context
        draws = self.stream.random(len(DOMAINS)).tolist()
        busy, taken, held = 0, set(), [0] * len(DOMAINS)
        for q in self.pilots:
            if q.status in BUSY:
                busy += 1
            elif q.status is not Status.SUCCEEDED:
                continue
            taken.add(q.technology)
            held[q.domain] += 1
        if busy >= self.max_active:
            return
        offered = c.regime.track_for(c, self)
        # the regime's track, or the ordinary route, whichever the province expects more of
        tracks = (offered,) if offered is c.adhoc else (offered, c.adhoc)
        if unclear is None:
            unclear = (1.0 - c.government.clarity).tolist()
        appraisal = c.appraisal
        access = appraisal.province_access(self.province)
        feasible = appraisal.feasible_access
        costs = appraisal.domain_costs(access)
        need, benefit = self.need, c.domains.expected_benefit
        technologies = c.technologies
        # per buildable domain, the technology of each class it would take next
        candidates = []
        for d, firsts in zip(DOMAINS, technologies.untaken(taken), strict=True):
            if access < feasible[d]:
                continue
            if firsts[0] >= 0 or firsts[1] >= 0:
                candidates.append((d, firsts))
        if not candidates:
            return
        p = c.params.authorities
        low, width = 1.0 - p.value_spread, 2.0 * p.value_spread
        premium = c.params.technologies.novel_benefit
        keep = 1.0 - c.params.technologies.overlap
        resources = c.resources
        ppp = resources.ppp_exists(c)
        province = self.province
        # a track on which not even its cheapest candidate, at the most co-finance a partner
        # brings, is funded funds none (a size falls with cost and rises with co-finance)
        min_size, pilots = c.params.pilots.min_size, c.params.pilots
        cheapest = min(costs[d] for d, _ in candidates)
        most_private = resources.most_private(c)
        sizers = [
            resources.sizer(c, province, option.duration(pilots), min_size) for option in tracks
        ]
        open_tracks = [
            (i, option)
            for i, option in enumerate(tracks)
            if sizers[i](cheapest, most_private) > 0.0
        ]
        if not open_tracks:
            return
        # the values first (sizing leaves them unchanged), in the order the loops meet them
        ranked = []
        for i, option in open_tracks:
            for d, firsts in candidates:
                base = (
                    need[d]
                    * benefit[d]
                    / costs[d]
                    * math.pow(keep, held[d])
                    * (low + width * draws[d])
                )
                for novel, k in enumerate(firsts):
                    if k >= 0:
                        value = (
                            base
                            * (premium if novel else 1.0)
                            * option.prospect(c, self, unclear[novel][d], bool(novel))
                        )
                        ranked.append((value, i, d, k))
        # then the most valued one it can fund (the first met among equal values: the sort
        # is stable), each (track, domain) sized once, when first asked
        ranked.sort(key=itemgetter(0), reverse=True)
        sized: dict[tuple[int, int], float] = {}
        best = None
        for _, i, d, k in ranked:
            size = sized.get((i, d))
            if size is None:
                # the co-finance it expects a partner to bring (at established risk)
                private = (
                    resources.private_share(
                        c, province, access, d, tracks[i].params.legal_risk * unclear[0][d]
                    )
                    if ppp
                    else 0.0
                )
                size = sized[i, d] = sizers[i](costs[d], private)
            if size > 0.0:
                best, best_size, track, best_tech = d, size, tracks[i], k
                break
        if best is None:
            return
        novel = technologies.novel[best_tech]
        best_risk = track.params.legal_risk * unclear[novel][best]
        chance = (
            p.propose_rate
            * self.awareness
            * (p.leadership_floor + self.leadership)
            * math.exp(-p.risk_weight * self.risk_aversion * best_risk)
            * (1.0 + p.political_return * c.use[self.province])
        )
        self.urge += -math.log1p(-chance) if chance < 1.0 else math.inf
        if self.urge < self.threshold:
            return
        self.urge = 0.0
        self.proposals += 1
        self.threshold = self._threshold()
        self.pilots.append(c.book.propose(self.province, best, track, best_size, best_tech, novel))

    def choose_partner(self, pilot: Pilot, draw: float) -> None:
        """Choose among the bidders by capability and experience in the domain, with an
        unobserved part (a logit choice of scale ``firms.choice_noise``, decided by the
        uniform ``draw``); no bid means no pilot."""
        if not pilot.bids:
            self.context.book.reject(pilot)
            return
        score = np.array([f.capability + f.experience[pilot.domain] for f in pilot.bids])
        weight = exp((score - score.max()) / self.context.params.firms.choice_noise)
        cumulative = np.cumsum(weight)
        pick = int(np.searchsorted(cumulative, draw * cumulative[-1], side="right"))
        pilot.firm = pilot.bids[min(pick, len(pilot.bids) - 1)]
        pilot.bids = []

    def on_outcome(self, pilot: Pilot) -> None:
        """Capacity and data readiness grow with success (a planning pilot builds the GIS)."""
        if pilot.status is not Status.SUCCEEDED:
            return
        p = self.context.params.authorities
        self.digital_capacity = min(1.0, self.digital_capacity + p.capacity_learning)
        if pilot.domain is Domain.PLANNING:
            self.data_readiness = min(1.0, self.data_readiness + p.planning_readiness_gain)

    def absorb(
        self, members: list[LocalAuthority], weights: np.ndarray, unit: int, region: Region
    ) -> None:
        """Become the authority of a merged unit (``sandbox.model.merger``).

        Args:
            members: the authorities of the provinces merged (this one among them).
            weights: their population shares in the unit.
            unit: the unit's index in the merged table ``region``.
            region: the merged table.
        """
        for name in RATES:
            values = np.array([getattr(a, name) for a in members])
            setattr(self, name, dot(weights, values))
        self.pilots = [q for a in members for q in a.pilots]
        self.province = unit
        self.name = region.names[unit]
        self.need = self.context.domains.need(float(region.urban_share[unit]))
        self.centrally_run = bool(region.centrally_run[unit])
        self.max_active = self._max_active()
