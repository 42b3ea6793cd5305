"""Local experimental rules that hold once central authorities align."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import ExperimentalParams
from sandbox.model.tracks.adhoc import AdHoc

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.pilots import Pilot


class LocalRule(AdHoc):
    """A pilot under a province's own experimental rule (``policy.experimental``).

    While running, the rule aligns with the centre with monthly probability
    ``coordination``. A pilot that reaches its end unaligned pays ``rework_cost`` of its
    cost (when the local budget allows) and runs ``rework_months`` longer, once. An aligned
    success adds ``alignment_gain`` legal clarity to its domain.
    """

    key = "local_rule"
    params: ExperimentalParams

    def running(self, model: SandboxModel, pilot: Pilot, draw: float) -> None:
        """The centre may align with the local rule this month."""
        if not pilot.aligned:
            pilot.aligned = bool(draw < self.params.coordination)

    def defer_end(self, model: SandboxModel, pilot: Pilot) -> bool:
        """An unaligned rule is reworked once: extra cost and delay."""
        if pilot.aligned or pilot.extensions > 0:
            return False
        rework = self.params.rework_cost * pilot.cost
        if rework <= model.ledger.local[pilot.province]:
            model.ledger.spend_local(pilot.province, rework)
            pilot.local_funding += rework
        pilot.extensions += 1
        pilot.end += self.params.rework_months
        return True

    def on_success(self, model: SandboxModel, pilot: Pilot) -> None:
        """Aligned evidence becomes national clarity."""
        if pilot.aligned:
            model.government.add_clarity(pilot.domain, self.params.alignment_gain)
