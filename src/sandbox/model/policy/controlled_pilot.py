"""The regulatory sandbox: controlled pilot programmes at the local level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.pilots import Track
from sandbox.model.policy.base import Regime

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

    def track_for(self, model: SandboxModel, authority: LocalAuthority) -> Track:
        """Sandbox when the programme has room and the province is eligible."""
        sandbox = self.params.sandbox
        eligible = authority.digital_capacity >= sandbox.min_capacity
        if eligible and model.sandbox_load() < sandbox.capacity:
            return Track.SANDBOX
        return Track.ADHOC
