"""Competitive fund: performance-based grants awarded in rounds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.resources.base import ResourceMechanism

if TYPE_CHECKING:
    from sandbox.model.interfaces import ResourceContext
    from sandbox.model.pilots import Pilot


class CompetitiveFund(ResourceMechanism):
    """Approved pilots wait for the next round (every ``fund_interval`` months).

    In a round, waiting pilots are ranked by their expected success (the model ranks them
    before calling ``finance``) and get a grant of ``grant_share`` of cost while the
    centre can commit its instalments. The province pre-finances ``performance_share`` of
    the grant, which the centre reimburses if the pilot succeeds. Pilots the grants
    cannot reach are financed locally or die unfunded.
    """

    name = "competitive_fund"
    grant = True
    ppp = False

    @property
    def withheld_share(self) -> float:
        """The performance part of a grant, which the province pre-finances."""
        return self.params.performance_share

    def finance(self, ctx: ResourceContext, pilot: Pilot) -> bool | None:
        """Wait for a round; then grant (partly on performance) or finance locally."""
        if ctx.clock.months_since_policy % self.params.fund_interval != 0:
            return None
        return super().finance(ctx, pilot)

    def on_success(self, ctx: ResourceContext, pilot: Pilot) -> None:
        """Reimburse the withheld part of the grant (from the central money no instalment
        needs this year)."""
        if pilot.withheld_grant > 0:
            paid = ctx.ledger.reimburse(pilot.province, pilot.withheld_grant)
            pilot.local_funding -= paid
            pilot.central_funding += paid
            pilot.withheld_grant = 0.0
