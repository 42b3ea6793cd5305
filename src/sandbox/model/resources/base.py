"""The interface every resource mechanism implements.

``finance(model, pilot)`` splits an approved pilot's cost between central grant, local
budget and private co-finance, pays it from the ledger and returns ``True``; returns
``False`` when it cannot be financed (the pilot is rejected) and ``None`` when financing
waits (a competitive fund between rounds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import ResourceParams

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.pilots import Pilot


class ResourceMechanism:
    """Base mechanism: central grants (if ``grant``) and PPP (if ``ppp``), local pays the rest.

    Args:
        params: the ``resources`` section of the configuration.
    """

    name = "central_budget"
    grant = True
    ppp = False

    def __init__(self, params: ResourceParams) -> None:
        self.params = params

    def ppp_open(self, model: SandboxModel, pilot: Pilot) -> bool:
        """Private investors come in once PPP exists in law (``ppp_from``, PPP Law
        64/2020 in force from 2021-01) and only where legal clarity is high enough."""
        if not self.ppp or str(model.months[model.t]) < self.params.ppp_from:
            return False
        return model.government.clarity[pilot.domain] >= self.params.ppp_clarity

    def private_share(self, model: SandboxModel, pilot: Pilot) -> float:
        """The share of cost the partner firm co-finances."""
        return self.params.ppp_share if self.ppp_open(model, pilot) else 0.0

    def finance(self, model: SandboxModel, pilot: Pilot) -> bool | None:
        """Split, check and pay a pilot's cost."""
        p = self.params
        ledger = model.ledger
        cost = model.domains.cost[pilot.domain]
        private = self.private_share(model, pilot) * cost
        if private > 0 and (pilot.firm is None or pilot.firm.capital < private):
            private = 0.0
        grant = min(p.grant_share * cost, cost - private) if self.grant else 0.0
        if grant > ledger.central:
            grant = 0.0
        local = cost - private - grant
        if local > ledger.local[pilot.province] + 1e-12:
            return False
        self._pay(model, pilot, local=local, central=grant, private=private)
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
