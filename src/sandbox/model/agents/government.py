"""The national government: legislation, reviews, grants and evidence-based rule making."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.domains import N_DOMAINS, Domain
from sandbox.model.pilots import Status

if TYPE_CHECKING:
    from sandbox.model.context import Context
    from sandbox.model.model import SandboxModel


class NationalGovernment(mesa.Agent):
    """Owns legal clarity per domain and runs the approval tracks (docs/model.md).

    Its ``step`` conducts the month's first stage, so it uses most of the context the
    model hands it (the whole ``Context``, which it hands on to every mechanism): the clock, the
    ledger and the mechanisms in force, the streams, the pilot book and the appraisal.

    Args:
        model: the model (Mesa's owner of the agent, and its ``context``).
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel) -> None:
        super().__init__(model)
        self.context: Context = model.context
        self.clarity = np.zeros(N_DOMAINS)

    def add_clarity(self, domain: Domain | None, gain: float) -> None:
        """Raise legal clarity of one domain (or of all when ``domain`` is None)."""
        index = slice(None) if domain is None else int(domain)
        self.clarity[index] = np.minimum(1.0, self.clarity[index] + gain)

    def step(self) -> None:
        """Budgets, legislation, regime events, data platform, reviews, finance, outcomes.

        The month's first stage: budgets and instalments, legislation, the regime's and
        the data regime's monthly events, the tracks' reviews, financing of approved
        pilots and the evaluation of last month's successes."""
        c = self.context
        p = c.regime.params
        clock, ledger, resources = c.clock, c.ledger, c.resources
        if clock.month_of_year == 1 or clock.t == 0:  # a run starting mid-year gets its budgets
            r = resources.params
            ledger.new_year(r.central_budget, resources.local_budget(ledger.fiscal), r.carry_over)
        ledger.pay_instalments(clock.month_of_year)  # financed pilots' shares, before anything new
        laws = c.streams["legislation"].random(N_DOMAINS) < p.legislation_rate
        self.clarity[laws] = np.minimum(1.0, self.clarity[laws] + p.legislation_gain)
        c.regime.start_month(c)
        c.data_regime.start_month(c, c.streams["platform"].random(c.n_provinces))
        self._review()
        self._finance()
        self._evaluate()

    # ------------------------------------------------------------------ reviews
    def _review(self) -> None:
        """Each waiting application's track considers it, then closes its month's review."""
        c = self.context
        waiting = [q for q in c.book.open_pilots if q.status is Status.PROPOSED]
        for pilot in waiting:
            pilot.track.consider(c, pilot)
        for track in dict.fromkeys(q.track for q in waiting):
            track.close_review(c)

    def _finance(self) -> None:
        """Approved pilots, most likely to succeed first: financed and started, rejected
        unfunded, or left waiting (for a fund's round)."""
        c = self.context
        book = c.book
        approved = [q for q in book.open_pilots if q.status is Status.APPROVED]
        approved.sort(key=lambda q: -c.appraisal.success_probability(q))
        for pilot in approved:
            funded = c.resources.finance(c, pilot)
            if funded is None:
                continue
            if funded:
                book.start(pilot)
            else:
                book.reject(pilot)

    # ----------------------------------------------------------------- outcomes
    def _evaluate(self) -> None:
        """Pilots that succeeded last month: performance payments, and their evidence
        for the domain's rules (each track says how much it weighs)."""
        c = self.context
        for pilot in c.book.take_finished():
            if pilot.status is not Status.SUCCEEDED:
                continue
            c.resources.on_success(c, pilot)
            pilot.track.on_success(c, pilot)
