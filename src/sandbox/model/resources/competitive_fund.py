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
    or rejected.
    """

    name = "competitive_fund"
    grant = True
    ppp = False

    def finance(self, model: SandboxModel, pilot: Pilot) -> bool | None:
        """Wait for a round; then grant (partly on performance) or finance locally."""
        p = self.params
        if model.months_since_policy % p.fund_interval != 0:
            return None
        ledger = model.ledger
        cost = model.domains.cost[pilot.domain]
        grant = p.grant_share * cost
        upfront = grant * (1 - p.performance_share) if grant <= ledger.central else 0.0
        withheld = grant - upfront if upfront > 0 else 0.0
        local = cost - upfront
        if local > ledger.local[pilot.province] + 1e-12:
            return False
        self._pay(model, pilot, local=local, central=upfront, private=0.0)
        pilot.withheld_grant = withheld
        return True

    def on_success(self, model: SandboxModel, pilot: Pilot) -> None:
        """Reimburse the withheld part of the grant."""
        if pilot.withheld_grant > 0:
            paid = model.ledger.reimburse(pilot.province, pilot.withheld_grant)
            pilot.local_funding -= paid
            pilot.central_funding += paid
            pilot.withheld_grant = 0.0
