"""Experimental mechanisms: local rules that hold once central authorities align."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.pilots import Track
from sandbox.model.policy.base import Regime

if TYPE_CHECKING:
    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.model import SandboxModel


class Experimental(Regime):
    """Provinces issue local experimental rules (``policy.experimental``).

    A running pilot's rule aligns with the centre with monthly probability
    ``coordination``; a pilot that ends unaligned pays ``rework_cost`` and waits
    ``rework_months``; an aligned success adds ``alignment_gain`` national clarity.
    """

    name = "experimental"

    def track_for(self, model: SandboxModel, authority: LocalAuthority) -> Track:
        """Every proposal takes the local-rule track."""
        return Track.LOCAL_RULE
