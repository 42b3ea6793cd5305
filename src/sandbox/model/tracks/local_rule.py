"""Local experimental rules that hold once central authorities align."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import ExperimentalParams
from sandbox.model.lifecycle import STRIKE
from sandbox.model.pilots import Status
from sandbox.model.tracks.adhoc import AdHoc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sandbox.model.interfaces import TrackContext
    from sandbox.model.pilots import Pilot


class LocalRule(AdHoc):
    """A pilot under a province's own experimental rule (``policy.experimental``).

    While running, the rule aligns with the centre with monthly probability
    ``coordination``. At its end an unaligned rule has consequences: with probability
    ``strike_down`` the centre strikes it down and the pilot halts; otherwise it pays
    ``rework_cost`` of its cost (when the local pool holds that beyond this year's
    instalments) and runs ``rework_months`` longer, once. An aligned success gives
    ``aligned_evidence`` to its domain's rule making (other successes the track's
    ``evidence_value``).
    """

    key = "local_rule"
    params: ExperimentalParams

    def running(self, ctx: TrackContext, pilot: Pilot, draw: float) -> None:
        """The centre may align with the local rule this month."""
        if not pilot.aligned:
            pilot.aligned = bool(draw < self.params.coordination)

    def defer_end(self, ctx: TrackContext, pilot: Pilot, draws: Sequence[float]) -> bool:
        """An unaligned rule is struck down (the pilot halts) or reworked once."""
        if pilot.aligned or pilot.extensions > 0:
            return False
        if draws[STRIKE] < self.params.strike_down:
            ctx.book.count("rules_struck_down")
            ctx.book.finish(pilot, Status.HALTED)
            return True
        rework = self.params.rework_cost * pilot.contract
        if rework <= ctx.ledger.free_local(pilot.province):
            ctx.ledger.spend_local(pilot.province, rework)
            pilot.local_funding += rework
        pilot.extensions += 1
        pilot.end += self.params.rework_months
        return True

    def on_success(self, ctx: TrackContext, pilot: Pilot) -> None:
        """Aligned evidence weighs more in national rule making."""
        value = self.params.aligned_evidence if pilot.aligned else self.params.evidence_value
        ctx.government.add_evidence(pilot, value)
