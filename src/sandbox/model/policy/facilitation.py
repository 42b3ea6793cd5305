"""The State as facilitator: light approval, data-market rules, lighter monitoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.pilots import Track
from sandbox.model.policy.base import Regime

if TYPE_CHECKING:
    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.model import SandboxModel


class Facilitation(Regime):
    """Every proposal takes the facilitated track (``policy.facilitated``)."""

    name = "facilitation"

    def track_for(self, model: SandboxModel, authority: LocalAuthority) -> Track:
        """Every proposal takes the facilitated track."""
        return Track.FACILITATED
