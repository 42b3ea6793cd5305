"""The regulatory sandbox: controlled pilot programmes at the local level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PolicyParams
from sandbox.model.policy.base import Regime
from sandbox.model.tracks import AdHoc, Sandbox

if TYPE_CHECKING:
    from sandbox.model.interfaces import AuthorityView, RegimeContext


class ControlledPilot(Regime):
    """Eligible provinces apply to the sandbox while it has room; the rest follow ad-hoc
    approval, and applicants a cohort call does not admit go ad hoc or withdraw
    (``Sandbox.leave``).

    Cohort calls, regulator capacity, eligibility, trial length, extensions, exposure cap,
    monitoring and graduation are set in ``policy.sandbox``; with ``capacity = 0`` the
    sandbox admits nobody and every proposal takes the ad-hoc path, as in the status quo.
    """

    name = "controlled_pilot"
    levers = ("sandbox",)

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        self.sandbox = Sandbox(params.sandbox)

    def track_for(self, ctx: RegimeContext, authority: AuthorityView) -> AdHoc:
        """Sandbox when the programme takes the province's application (``Sandbox.takes``:
        eligible, and room)."""
        return self.sandbox if self.sandbox.takes(ctx, authority) else self.adhoc
