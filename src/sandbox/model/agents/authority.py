"""Local authorities: learn from peers, propose pilots, choose partner firms."""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import Domain
from sandbox.model.offers import Offers
from sandbox.model.pilots import Pilot, Status
from sandbox.model.portable import dot

if TYPE_CHECKING:
    from sandbox.model.context import Context
    from sandbox.model.model import SandboxModel
    from sandbox.regions import Region


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

    def learn(self, peers: float) -> None:
        """Awareness rises with peers' successes (``peers``: the share of the other
        provinces of its region with a succeeded service), weighted by leadership."""
        p = self.context.params.authorities
        gain = p.learning_base + p.learning_peer * self.leadership * peers
        self.awareness += (1.0 - self.awareness) * min(1.0, gain)

    def propose(self, offers: Offers | None = None, row: int = 0) -> None:
        """Maybe propose the best candidate it can fund (``Offers.best``, where candidates,
        values and sizing are set out), at row ``row`` of the month's ``offers`` (made for
        this authority alone when not given).

        The best is proposed with a chance rising with awareness and leadership
        (``leadership_floor`` + leadership), falling with risk aversion x the legal risk it
        bears on its track, and rising with its citizens' use of services (a political
        return: x (1 + ``political_return`` x the province's adopted share at the end of
        last month, ``Context.use``).

        Exact threshold form of that monthly chance ``c``: the authority proposes once its
        cumulative hazard ``sum -log(1 - c)`` over the months it had a candidate reaches a
        threshold ``E ~ Exp(1)`` drawn for each proposal (``proposals`` stream), then starts
        again from zero. This is equal in distribution to a Bernoulli draw each month with
        probability ``c``; under a policy that raises ``c`` the same proposal comes
        earlier by what the hazard implies, not by a fresh lottery (common random numbers).
        """
        c = self.context
        if offers is None:
            offers = Offers(c, [self], 1.0 - c.government.clarity)
        best = offers.best(row, self)
        if best is None:
            return
        domain, size, track, technology = best
        novel = c.technologies.novel[technology]
        risk = track.params.legal_risk * offers.unclear[novel][domain]
        p = c.params.authorities
        chance = (
            p.propose_rate
            * self.awareness
            * (p.leadership_floor + self.leadership)
            * math.exp(-p.risk_weight * self.risk_aversion * risk)
            * (1.0 + p.political_return * c.use[self.province])
        )
        self.urge += -math.log1p(-chance) if chance < 1.0 else math.inf
        if self.urge < self.threshold:
            return
        self.urge = 0.0
        self.proposals += 1
        self.threshold = self._threshold()
        self.pilots.append(c.book.propose(self.province, domain, track, size, technology, novel))

    def choose_partner(self, pilot: Pilot, draw: float) -> None:
        """Choose among the bidders by capability and experience in the domain, with an
        unobserved part (a logit choice of scale ``firms.choice_noise``, decided by the
        uniform ``draw``); no bid means no pilot."""
        if not pilot.bids:
            self.context.book.reject(pilot)
            return
        # in plain floats (a few bidders): the C library's ``exp``, summed in order
        domain = pilot.domain
        score = [float(f.capability + f.experience[domain]) for f in pilot.bids]
        top, noise = max(score), self.context.params.firms.choice_noise
        cumulative = list(accumulate(math.exp((s - top) / noise) for s in score))
        pick = bisect_right(cumulative, draw * cumulative[-1])
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
