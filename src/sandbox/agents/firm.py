"""Firms: incumbents, domestic SMEs and foreign vendors that bid, co-finance and learn."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.domains import N_DOMAINS
from sandbox.params import FirmKindParams
from sandbox.pilots import DEPLOYED, Pilot, Status

if TYPE_CHECKING:
    from sandbox.model import SandboxModel


class FirmKind(Enum):
    """Kinds of firm (MODEL.md Section 2)."""

    INCUMBENT = "incumbent"
    SME = "sme"
    FOREIGN = "foreign"


class Firm(mesa.Agent):
    """A technology firm (MODEL.md Sections 2 and 3.3).

    Args:
        model: the model.
        kind: incumbent, SME or foreign vendor.
        params: that kind's parameters (means of capability and capital).
    """

    model: SandboxModel

    def __init__(self, model: SandboxModel, kind: FirmKind, params: FirmKindParams) -> None:
        super().__init__(model)
        rng = model.streams["firms"]
        self.kind = kind
        concentration = 10.0
        self.capability = float(
            rng.beta(params.capability * concentration, (1 - params.capability) * concentration)
        )
        self.capital = float(params.capital * rng.lognormal(-0.125, 0.5))
        self.risk_tolerance = params.risk_tolerance
        self.experience = np.zeros(N_DOMAINS)
        self.won_value = 0.0  # contract value won so far, billion VND
        self.contracts: list[Pilot] = []

    def bid(self, calls: list[tuple[Pilot, float, float]], draws: np.ndarray) -> None:
        """Bid on this month's proposals.

        Each call comes with its compliance cost and perceived legal risk. A firm must be
        able to front the compliance cost; legal risk, softened by the firm's risk
        tolerance, lowers its chance to bid.

        Args:
            calls: (proposal, compliance cost in billion VND, perceived legal risk).
            draws: one uniform number per call from the ``firms`` stream.
        """
        bid_share = self.model.params.firms.bid_share
        for (pilot, compliance, risk), draw in zip(calls, draws, strict=True):
            if self.capital < compliance:
                continue
            if draw < bid_share * (1.0 - risk * (1.0 - self.risk_tolerance)):
                pilot.bids.append(self)

    def win(self, pilot: Pilot) -> None:
        """A financed contract: margin on its value, minus the compliance cost."""
        m = self.model
        compliance = m.regime.track_params(pilot.track).compliance_cost
        self.capital += (m.params.firms.margin - compliance) * pilot.cost
        self.won_value += pilot.cost
        self.contracts.append(pilot)

    def invest(self, amount: float) -> None:
        """Private co-finance under PPP."""
        self.capital -= amount

    def learn(self, pilot: Pilot) -> None:
        """Experience in the domain; capability rises along a learning curve."""
        gain = self.model.params.firms.learning
        self.experience[pilot.domain] += gain
        self.capability += 0.5 * gain * (1.0 - self.capability)

    def step(self) -> None:
        """Fixed costs, PPP revenue; exit when capital runs out."""
        p = self.model.params
        revenue = sum(
            q.private_funding for q in self.contracts if q.status in DEPLOYED and q.private_funding
        )
        self.capital += (
            revenue * p.resources.ppp_return / 12.0 - p.firms.fixed_cost * self.capability
        )
        self.contracts = [
            q for q in self.contracts if q.status in DEPLOYED or q.status is Status.APPROVED
        ]
        if self.capital <= 0:
            self.remove()
