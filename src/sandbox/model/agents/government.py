"""The national government: legislation, reviews, grants and evidence-based rule making."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import N_DOMAINS, Domain
from sandbox.model.pilots import Pilot, Status, Track

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel


class NationalGovernment(mesa.Agent):
    """Owns legal clarity per domain and runs the approval tracks (docs/model.md §3).

    Args:
        model: the model.
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel) -> None:
        super().__init__(model)
        self.clarity = np.zeros(N_DOMAINS)
        self.stream = model.streams["government"]

    def add_clarity(self, domain: Domain | None, gain: float) -> None:
        """Raise legal clarity of one domain (or of all when ``domain`` is None)."""
        index = slice(None) if domain is None else int(domain)
        self.clarity[index] = np.minimum(1.0, self.clarity[index] + gain)

    def step(self) -> None:
        """Budgets, legislation, regime events, data platform, reviews, financing, outcomes."""
        m = self.model
        p = m.params.policy
        if m.month_of_year == 1:
            m.ledger.new_year(m.params.resources.central_budget, m.local_budget)
        laws = self.stream.random(N_DOMAINS) < p.legislation_rate
        self.clarity[laws] = np.minimum(1.0, self.clarity[laws] + p.legislation_gain)
        m.regime.start_month(m)
        m.data_regime.start_month(m)
        self._review()
        self._finance()
        self._evaluate()

    # ------------------------------------------------------------------ reviews
    def _review(self) -> None:
        m = self.model
        waiting = [q for q in m.open_pilots if q.status is Status.PROPOSED]
        sandbox = []
        for pilot in waiting:
            if pilot.track is Track.SANDBOX:
                sandbox.append(pilot)
            elif pilot.decision_month <= m.t:
                approve = self.stream.random() < m.regime.track_params(pilot.track).approval_prob
                m.decide(pilot, approve)
        if sandbox and m.t % m.params.policy.sandbox.call_interval == 0:
            self._sandbox_call(sandbox)

    def _sandbox_call(self, applicants: list[Pilot]) -> None:
        """Admit a cohort: eligible applicants by score, within cohort size and capacity.

        Applicants not admitted go on through ad-hoc review.
        """
        m = self.model
        s = m.params.policy.sandbox
        free = max(0, min(s.cohort_size, s.capacity - m.sandbox_load()))
        eligible = [q for q in applicants if q.firm.capability >= s.min_capability]
        eligible.sort(
            key=lambda q: -(q.firm.capability + m.authority_list[q.province].digital_capacity)
        )
        admitted = {id(q) for q in eligible[:free]}
        for pilot in applicants:
            if id(pilot) in admitted:
                m.decide(pilot, True)
            else:
                m.reroute(pilot, Track.ADHOC)

    def _finance(self) -> None:
        m = self.model
        approved = [q for q in m.open_pilots if q.status is Status.APPROVED]
        approved.sort(key=lambda q: -m.success_probability(q))
        for pilot in approved:
            funded = m.resources.finance(m, pilot)
            if funded is None:
                continue
            if funded:
                m.start(pilot)
            else:
                m.reject(pilot)

    # ----------------------------------------------------------------- outcomes
    def _evaluate(self) -> None:
        """Graduate, reward and scale pilots that ended last month; scale earlier ones."""
        m = self.model
        p = m.params.policy
        for pilot in m.finished:
            if pilot.status is not Status.SUCCEEDED:
                continue
            m.resources.on_success(m, pilot)
            clean = pilot.incidents == 0 or not p.sandbox.graduation_clean_only
            if pilot.track is Track.SANDBOX and clean:
                pilot.graduated = True
                m.count("pilots_graduated")
                self.add_clarity(pilot.domain, p.sandbox.graduation_gain)
            if pilot.track is Track.LOCAL_RULE and pilot.aligned:
                self.add_clarity(pilot.domain, p.experimental.alignment_gain)
        m.finished = []
        for pilot in m.services:
            if not pilot.scaled and self.clarity[pilot.domain] >= p.scale_clarity:
                pilot.scaled = True
                m.count("pilots_scaled")
