"""The State as facilitator: light approval, data-market rules, lighter monitoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PolicyParams
from sandbox.model.policy.base import Regime
from sandbox.model.tracks import AdHoc, Facilitated

if TYPE_CHECKING:
    from sandbox.model.interfaces import AuthorityView, RegimeContext


class Facilitation(Regime):
    """Every proposal takes the facilitated track (``policy.facilitated``)."""

    name = "facilitation"
    levers = ("facilitated", "data_market", "standard_contracts", "contract_saving")

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        self.facilitated = Facilitated(params.facilitated)

    def track_for(self, ctx: RegimeContext, authority: AuthorityView) -> AdHoc:
        """Every proposal takes the facilitated track."""
        return self.facilitated
