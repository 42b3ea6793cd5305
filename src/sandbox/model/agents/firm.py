"""Firms: incumbents, domestic SMEs and foreign vendors that bid, co-finance and learn."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.config.params import FirmKindParams
from sandbox.model.domains import N_DOMAINS
from sandbox.model.pilots import DEPLOYED, Pilot

if TYPE_CHECKING:
    from sandbox.model.interfaces import FirmContext
    from sandbox.model.model import SandboxModel


class FirmKind(Enum):
    """Kinds of firm (docs/model.md)."""

    INCUMBENT = "incumbent"
    SME = "sme"
    FOREIGN = "foreign"


def bid_matrix(
    capital: np.ndarray,
    risk_tolerance: np.ndarray,
    compliance: np.ndarray,
    risk: np.ndarray,
    draws: np.ndarray,
    bid_share: float,
) -> np.ndarray:
    """Which firm bids on which of this month's proposals (firms x proposals).

    A firm must be able to front a proposal's compliance cost; perceived legal risk,
    softened by the firm's risk tolerance, lowers its chance to bid. Each firm decides on
    its own; the rule is evaluated for all firms at once.

    Args:
        capital: each firm's capital, billion VND.
        risk_tolerance: each firm's risk tolerance in [0, 1].
        compliance: each proposal's compliance cost, billion VND.
        risk: each proposal's perceived legal risk in [0, 1].
        draws: uniform numbers from the ``firms`` stream, firms x proposals.
        bid_share: chance that a firm with no legal worry bids.
    """
    able = capital[:, None] >= compliance[None, :]
    willing = draws < bid_share * (1.0 - risk[None, :] * (1.0 - risk_tolerance[:, None]))
    return able & willing


class Firm(mesa.Agent):
    """A technology firm (docs/model.md).

    It sees the model through the context the model hands it (``FirmContext``,
    ``sandbox.model.interfaces``): the parameters, the regime's standard contracts, the
    resource mechanism's PPP return and the counters.

    Args:
        model: the model (Mesa's owner of the agent, and its ``context``).
        kind: incumbent, SME or foreign vendor.
        params: that kind's parameters (means of capability and capital).
        rng: the stream its attributes are drawn from (``firms`` at the start, ``entry``
            for entrants).
    """

    model: SandboxModel

    def __init__(
        self,
        model: SandboxModel,
        kind: FirmKind,
        params: FirmKindParams,
        rng: np.random.Generator,
    ) -> None:
        super().__init__(model)
        self.context: FirmContext = model.context
        self.kind = kind
        firms = self.context.params.firms
        concentration = firms.capability_concentration
        self.capability = float(
            rng.beta(params.capability * concentration, (1 - params.capability) * concentration)
        )
        sigma = firms.capital_sigma  # location -sigma^2/2: the mean capital is params.capital
        self.capital = float(params.capital * rng.lognormal(-(sigma * sigma) / 2, sigma))
        self.risk_tolerance = params.risk_tolerance
        self.experience = np.zeros(N_DOMAINS)
        self.won_value = 0.0  # contract value won so far, billion VND
        self.contracts: list[Pilot] = []

    def win(self, pilot: Pilot) -> None:
        """A financed contract: the margin on its value; the compliance cost is fronted
        (tied up until the pilot ends, when the contract's last payment returns it)."""
        c = self.context
        compliance = pilot.track.params.compliance_cost * (1.0 - c.regime.contract_saving)
        pilot.compliance_fronted = compliance * pilot.contract
        self.capital += c.params.firms.margin * pilot.contract - pilot.compliance_fronted
        c.book.count(f"contracts_{self.kind.value}")
        self.won_value += pilot.contract
        self.contracts.append(pilot)

    def invest(self, amount: float) -> None:
        """Private co-finance under PPP."""
        self.capital -= amount

    def learn(self, pilot: Pilot) -> None:
        """Experience in the domain; capability rises along a learning curve."""
        firms = self.context.params.firms
        self.capital += pilot.compliance_fronted
        pilot.compliance_fronted = 0.0
        gain = firms.learning
        self.experience[pilot.domain] += gain
        self.capability += firms.capability_learning * gain * (1.0 - self.capability)


def pay_costs(firms: list[Firm], context: FirmContext) -> None:
    """A month of each of ``firms``, in order: fixed costs, PPP revenue (on each stake, at
    its province's use: ``ResourceMechanism.revenue_rate``); exit when capital runs out.
    One loop over the firms (a month's firms are many and most hold no contract)."""
    fixed_cost = context.params.firms.fixed_cost
    rate, use = context.resources.revenue_rate, context.use
    for firm in firms:
        if firm.contracts:
            firm.contracts = [q for q in firm.contracts if q.status in DEPLOYED]
            revenue = 0.0
            for q in firm.contracts:
                if q.private_funding:  # a PPP stake (most contracts have none)
                    revenue += q.private_funding * rate(use[q.province])
            firm.capital += revenue / 12.0
        firm.capital -= fixed_cost * firm.capability
        if firm.capital <= 0:
            firm.remove()
