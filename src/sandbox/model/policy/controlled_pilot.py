"""The regulatory sandbox: controlled pilot programmes at the local level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PolicyParams
from sandbox.model.policy.base import Regime
from sandbox.model.tracks import AdHoc, Sandbox

if TYPE_CHECKING:
    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.model import SandboxModel


class ControlledPilot(Regime):
    """Eligible provinces apply to the sandbox while it has room; the rest, and applicants
    a cohort call does not admit, follow ad-hoc approval.

    Cohort calls, regulator capacity, eligibility, trial length, extensions, exposure cap,
    monitoring and graduation are set in ``policy.sandbox``; with ``capacity = 0`` the
    sandbox admits nobody and every proposal takes the ad-hoc path, as in the status quo.
    """

    name = "controlled_pilot"

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        self.sandbox = Sandbox(params.sandbox)

    def track_for(self, model: SandboxModel, authority: LocalAuthority) -> AdHoc:
        """Sandbox when the programme has room and the province is eligible."""
        eligible = authority.digital_capacity >= self.params.sandbox.min_capacity
        if eligible and self.sandbox.has_room(model):
            return self.sandbox
        return self.adhoc
