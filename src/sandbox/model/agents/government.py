"""The national government: legislation, reviews, grants and evidence-based rule making."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.model.data.connections import N_DATABASES, connect_drive, load_databases, load_drive
from sandbox.model.legislation import Legislation
from sandbox.model.pilots import Pilot, Status

if TYPE_CHECKING:
    from sandbox.model.context import Context
    from sandbox.model.model import SandboxModel


class NationalGovernment(mesa.Agent):
    """Owns legal clarity per domain (its ``legislation``) and runs the approval tracks
    (docs/model.md).

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
        p = self.context.params
        self.legislation = Legislation(p.legislation, p.horizon.start)
        # the national platform connection drive, month index -> share connected
        self.connection_drive = load_drive(p.horizon.start)
        # the national databases connected through it, month index -> databases connected
        self.database_drive = load_databases(p.horizon.start)

    @property
    def clarity(self) -> np.ndarray:
        """Legal clarity per class of technology (row 0 established, 1 novel) and domain,
        [0, 1] (``sandbox.model.legislation``)."""
        return self.legislation.clarity

    @property
    def protection(self) -> float:
        """Personal-data protection in law, [0, 1] (``sandbox.model.legislation``)."""
        return self.legislation.protection

    def clarity_of(self, pilot: Pilot) -> float:
        """The legal clarity a pilot's technology has in its domain."""
        return float(self.legislation.clarity[int(pilot.novel), pilot.domain])

    def unclear_of(self, pilot: Pilot) -> float:
        """The share of legal risk the rules leave a pilot's technology in its domain
        (1 - ``clarity_of``)."""
        return 1.0 - self.clarity_of(pilot)

    def add_evidence(self, pilot: Pilot, value: float) -> None:
        """A successful pilot's evidence goes to the rule making of its domain, for its
        class of technology."""
        self.legislation.add_evidence(pilot.novel, int(pilot.domain), value, self.context.clock.t)

    def codify(self) -> None:
        """The evidence waiting for rule making becomes rules now (a phase's review)."""
        self.legislation.codify()

    def step(self) -> None:
        """Budgets, legislation, regime events, data platform, reviews, finance, outcomes.

        The month's first stage: budgets and instalments, legislation, the regime's and
        the data regime's monthly events, the tracks' reviews, financing of approved
        pilots and the evaluation of last month's successes."""
        c = self.context
        clock, ledger, resources = c.clock, c.ledger, c.resources
        if clock.month_of_year == 1 or clock.t == 0:  # a run starting mid-year gets its budgets
            r = resources.params
            ledger.new_year(r.central_budget, resources.local_budget(ledger.fiscal), r.carry_over)
        ledger.pay_instalments(clock.month_of_year)  # financed pilots' shares, before anything new
        self.legislation.step(clock.t)  # acts in force, and evidence codified
        c.technologies.arrive(c.streams, clock.t)
        if clock.t in self.connection_drive:  # the State's platform drive (2019-2020)
            capacity = np.array([a.digital_capacity for a in c.authorities])
            connect_drive(c.data_regime.connected, capacity, self.connection_drive[clock.t])
        if clock.t in self.database_drive:  # the national databases (2021-2022)
            c.data_regime.connect_databases(
                self.database_drive[clock.t], N_DATABASES, c.params.infrastructure
            )
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
