"""The interface every resource mechanism implements.

``finance(model, pilot)`` splits an approved pilot's cost between central grant, private
co-finance and the local budget, pays it from the ledger and returns ``True``; returns
``False`` when it cannot be financed (the pilot dies unfunded) and ``None`` when financing
waits (a competitive fund between rounds). ``local_share`` is what a province expects to
pay itself, so that it proposes only what it can fund.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import ResourceParams

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.pilots import Pilot


class ResourceMechanism:
    """Base mechanism: central grants (if ``grant``) and PPP co-finance (if ``ppp``), on
    top of each other; the province pays the rest.

    PPP (once it exists in law, ``ppp_from``): the partner firm co-finances ``ppp_share``
    of what the grant leaves, in exchange for revenue rights (``ppp_return`` a year on its
    stake while the service runs), when its expected return clears its hurdle:
    ``ppp_return * P(success) * (1 - legal risk) * data access >= firms.ppp_hurdle``, with
    legal risk of the pilot's track in its domain and the hurdle lowered by standard
    contracts (``policy.contract_saving``).

    Args:
        params: the ``resources`` section of the configuration.
    """

    name = "central_budget"
    grant = True
    ppp = False

    def __init__(self, params: ResourceParams) -> None:
        self.params = params

    def ppp_exists(self, model: SandboxModel) -> bool:
        """PPP co-finance is part of the mechanism and exists in law this month."""
        return self.ppp and str(model.months[model.t]) >= self.params.ppp_from

    def invests(self, model: SandboxModel, pilot: Pilot) -> bool:
        """The partner firm's decision to co-finance, by expected return."""
        if not self.ppp_exists(model) or pilot.firm is None:
            return False
        p = self.params
        risk = pilot.track.params.legal_risk * (1.0 - model.government.clarity[pilot.domain])
        access = model.data_access(pilot)
        expected = p.ppp_return * model.success_probability(pilot) * (1.0 - risk) * access
        return expected >= model.params.firms.ppp_hurdle * (1.0 - model.contract_saving)

    def grant_amount(self, model: SandboxModel, cost: float) -> float:
        """The central grant a pilot of ``cost`` gets now (nothing if the pool is short)."""
        grant = self.params.grant_share * cost if self.grant else 0.0
        return grant if grant <= model.ledger.central else 0.0

    def local_share(self, model: SandboxModel, cost: float) -> float:
        """What a province expects to pay itself for a pilot of ``cost``."""
        return cost - self.grant_amount(model, cost)

    def finance(self, model: SandboxModel, pilot: Pilot) -> bool | None:
        """Split, check and pay a pilot's cost."""
        cost = model.pilot_cost(pilot)
        grant = self.grant_amount(model, cost)
        return self._settle(model, pilot, cost, upfront=grant, withheld=0.0)

    def _settle(
        self, model: SandboxModel, pilot: Pilot, cost: float, upfront: float, withheld: float
    ) -> bool:
        """Private co-finance on what the grant leaves, then the province pays the rest."""
        private = 0.0
        if self.invests(model, pilot):
            private = self.params.ppp_share * (cost - upfront - withheld)
            if pilot.firm.capital < private:
                private = 0.0
        local = cost - upfront - private
        if local > model.ledger.local[pilot.province] + 1e-12:
            model.count("proposals_unfunded")
            return False
        self._pay(model, pilot, local=local, central=upfront, private=private)
        pilot.withheld_grant = withheld
        return True

    @staticmethod
    def _pay(model: SandboxModel, pilot: Pilot, local: float, central: float, private: float):
        ledger = model.ledger
        ledger.spend_local(pilot.province, local)
        ledger.spend_central(central)
        if private > 0:
            pilot.firm.invest(private)
            ledger.private += private
        pilot.local_funding += local
        pilot.central_funding += central
        pilot.private_funding += private

    def on_success(self, model: SandboxModel, pilot: Pilot) -> None:
        """Called when a pilot succeeds (performance-based payments)."""
