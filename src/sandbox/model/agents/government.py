"""The national government: legislation, reviews, grants and evidence-based rule making."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import N_DOMAINS, Domain
from sandbox.model.pilots import Status

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel


class NationalGovernment(mesa.Agent):
    """Owns legal clarity per domain and runs the approval tracks (docs/model.md).

    Args:
        model: the model.
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel) -> None:
        super().__init__(model)
        self.clarity = np.zeros(N_DOMAINS)

    def add_clarity(self, domain: Domain | None, gain: float) -> None:
        """Raise legal clarity of one domain (or of all when ``domain`` is None)."""
        index = slice(None) if domain is None else int(domain)
        self.clarity[index] = np.minimum(1.0, self.clarity[index] + gain)

    def step(self) -> None:
        """Budgets and instalments, legislation, regime events, data platform, reviews,
        financing, outcomes."""
        m = self.model
        p = m.regime.params
        if m.month_of_year == 1 or m.t == 0:  # a run starting mid-year gets its budgets
            r = m.resources.params
            m.ledger.new_year(r.central_budget, m.local_budget, r.carry_over)
        m.ledger.pay_instalments(m.month_of_year)  # financed pilots' shares, before anything new
        laws = m.streams["legislation"].random(N_DOMAINS) < p.legislation_rate
        self.clarity[laws] = np.minimum(1.0, self.clarity[laws] + p.legislation_gain)
        m.regime.start_month(m)
        m.data_regime.start_month(m, m.streams["platform"].random(m.region.n))
        self._review()
        self._finance()
        self._evaluate()

    # ------------------------------------------------------------------ reviews
    def _review(self) -> None:
        """Each waiting application's track considers it, then closes its month's review."""
        m = self.model
        waiting = [q for q in m.open_pilots if q.status is Status.PROPOSED]
        for pilot in waiting:
            pilot.track.consider(m, pilot)
        for track in dict.fromkeys(q.track for q in waiting):
            track.close_review(m)

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
        """Pilots that succeeded last month: performance payments, and their evidence
        for the domain's rules (each track says how much it weighs)."""
        m = self.model
        for pilot in m.finished:
            if pilot.status is not Status.SUCCEEDED:
                continue
            m.resources.on_success(m, pilot)
            pilot.track.on_success(m, pilot)
        m.finished = []
