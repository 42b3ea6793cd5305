"""Local authorities: learn from peers, propose pilots, choose partner firms."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import DOMAINS, Domain
from sandbox.model.pilots import BUSY, Pilot, Status

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.regions import Region


# attributes a merged unit takes as its provinces' population-weighted mean
RATES = ("digital_capacity", "data_readiness", "awareness", "leadership", "risk_aversion")


class LocalAuthority(mesa.Agent):
    """One province's authority (docs/model.md).

    Static attributes come from the region table; digital capacity, leadership and risk
    aversion are drawn from the documented distributions of ``authorities`` params.

    Args:
        model: the model.
        province: row index in the region table.
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel, province: int) -> None:
        super().__init__(model)
        p = model.params.authorities
        region = model.region
        rng = model.streams["authorities"]
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
        self.pilots: list[Pilot] = []

    def _max_active(self) -> int:
        """Pilots it may run at once (centrally-run cities: ``city_pilot_factor`` times)."""
        p = self.model.params.authorities
        return p.max_active_pilots * (p.city_pilot_factor if self.centrally_run else 1)

    def step(self) -> None:
        """Learn from peers, then maybe propose a pilot."""
        self.learn()
        self.propose()

    def learn(self) -> None:
        """Awareness rises with peers' successes, weighted by leadership."""
        p = self.model.params.authorities
        peers = self.model.peer_success[self.province]
        gain = p.learning_base + p.learning_peer * self.leadership * peers
        self.awareness += (1.0 - self.awareness) * min(1.0, gain)

    def propose(self) -> None:
        """Compare expected value with perceived legal risk; propose in the best domain.

        Candidates are the domains without a live pilot or service that the province can
        build (its data access reaches ``pilots.data_feasibility`` x the domain's data dependence)
        and fund (its own expected share of the cost fits what is left of its budget).
        Each is valued as benefit x success / cost x (1 - perceived legal risk) x a random
        factor in [0.5, 1.5); the best is proposed with a chance falling with risk aversion
        x its perceived legal risk.
        """
        m = self.model
        draws = self.stream.random(len(DOMAINS) + 1)
        busy, taken = 0, set()
        for q in self.pilots:
            if q.status in BUSY:
                busy += 1
                taken.add(q.domain)
            elif q.status is Status.SUCCEEDED:
                taken.add(q.domain)
        if busy >= self.max_active or len(taken) == len(DOMAINS):
            return
        track = m.regime.track_for(m, self)
        legal_risk = track.params.legal_risk
        clarity = m.government.clarity.tolist()
        access = m.province_access(self.province)
        budget = m.ledger.local[self.province]
        feasible = m.params.pilots.data_feasibility * m.domains.data_dependence
        costs = m.domain_costs(access)
        best, best_value, best_risk = None, -1.0, 0.0
        for d in DOMAINS:
            if d in taken or access < feasible[d]:
                continue
            if m.resources.local_share(m, costs[d]) > budget:
                continue
            risk = legal_risk * (1.0 - clarity[d])
            value = m.domains.value[d] * (1.0 - risk) * (0.5 + draws[d])
            if value > best_value:
                best, best_value, best_risk = d, value, risk
        p = m.params.authorities
        chance = (
            p.propose_rate
            * self.awareness
            * (0.5 + self.leadership)
            * math.exp(-p.risk_weight * self.risk_aversion * best_risk)
        )
        if best is not None and draws[-1] < chance:
            self.pilots.append(m.propose(self.province, best, track))

    def choose_partner(self, pilot: Pilot, draw: float) -> None:
        """Choose among the bidders by capability and experience in the domain, with an
        unobserved part (a logit choice of scale ``firms.choice_noise``, decided by the
        uniform ``draw``); no bid means no pilot."""
        if not pilot.bids:
            self.model.reject(pilot)
            return
        score = np.array([f.capability + f.experience[pilot.domain] for f in pilot.bids])
        weight = np.exp((score - score.max()) / self.model.params.firms.choice_noise)
        cumulative = np.cumsum(weight)
        pick = int(np.searchsorted(cumulative, draw * cumulative[-1], side="right"))
        pilot.firm = pilot.bids[min(pick, len(pilot.bids) - 1)]
        pilot.bids = []

    def on_outcome(self, pilot: Pilot) -> None:
        """Capacity and data readiness grow with success (a planning pilot builds the GIS)."""
        if pilot.status is not Status.SUCCEEDED:
            return
        p = self.model.params.authorities
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
            setattr(self, name, float(weights @ values))
        self.pilots = [q for a in members for q in a.pilots]
        self.province = unit
        self.name = region.names[unit]
        self.centrally_run = bool(region.centrally_run[unit])
        self.max_active = self._max_active()
