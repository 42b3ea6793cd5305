"""Competitive fund: performance-based grants awarded in rounds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.resources.base import ResourceMechanism

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.pilots import Pilot


class CompetitiveFund(ResourceMechanism):
    """Approved pilots wait for the next round (every ``fund_interval`` months).

    In a round, waiting pilots are ranked by their expected success (the model ranks them
    before calling ``finance``) and get a grant of ``grant_share`` of cost while the pool
    lasts. The province pre-finances ``performance_share`` of the grant, which the centre
    reimburses if the pilot succeeds. Pilots the pool cannot reach are financed locally
    or die unfunded.
    """

    name = "competitive_fund"
    grant = True
    ppp = False

    def local_share(self, model: SandboxModel, cost: float) -> float:
        """The province also pre-finances the performance part of the grant."""
        return cost - self.grant_amount(model, cost) * (1 - self.params.performance_share)

    def finance(self, model: SandboxModel, pilot: Pilot) -> bool | None:
        """Wait for a round; then grant (partly on performance) or finance locally."""
        p = self.params
        if model.months_since_policy % p.fund_interval != 0:
            return None
        cost = model.pilot_cost(pilot)
        grant = self.grant_amount(model, cost)
        upfront = grant * (1 - p.performance_share)
        return self._settle(model, pilot, cost, upfront=upfront, withheld=grant - upfront)

    def on_success(self, model: SandboxModel, pilot: Pilot) -> None:
        """Reimburse the withheld part of the grant."""
        if pilot.withheld_grant > 0:
            paid = model.ledger.reimburse(pilot.province, pilot.withheld_grant)
            pilot.local_funding -= paid
            pilot.central_funding += paid
            pilot.withheld_grant = 0.0
