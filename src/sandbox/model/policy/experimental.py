"""Experimental mechanisms: local rules that hold once central authorities align."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PolicyParams
from sandbox.model.policy.base import Regime
from sandbox.model.tracks import AdHoc, LocalRule

if TYPE_CHECKING:
    from sandbox.model.interfaces import AuthorityView, RegimeContext


class Experimental(Regime):
    """Provinces issue local experimental rules (the ``LocalRule`` track)."""

    name = "experimental"
    levers = ("experimental",)

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        self.local_rule = LocalRule(params.experimental)

    def track_for(self, ctx: RegimeContext, authority: AuthorityView) -> AdHoc:
        """Every proposal takes the local-rule track."""
        return self.local_rule
