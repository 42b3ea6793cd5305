"""A regime defined outside the package: centrally-run cities issue local experimental
rules, every other province follows ad-hoc approval. One class, nothing else edited."""

from __future__ import annotations

from sandbox.config.params import PolicyParams
from sandbox.model.policy import Regime
from sandbox.model.tracks import AdHoc, LocalRule


class CityRules(Regime):
    """Local rules for the five centrally-run cities, ad hoc elsewhere."""

    name = "city_rules"

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        self.local_rule = LocalRule(params.experimental)

    def track_for(self, model, authority) -> AdHoc:
        """The local-rule track for centrally-run cities."""
        return self.local_rule if authority.centrally_run else self.adhoc
