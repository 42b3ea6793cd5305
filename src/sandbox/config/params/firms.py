"""Firms' parameters (an uncertainty section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import ASSUMED, FITTED, param


@dataclass(frozen=True)
class FirmKindParams:
    """One kind of firm: how many, and their starting capability and capital."""

    count: int = param(
        10,
        unit="firms",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="firms of this kind at the start",
        limit=(100_000, "one Mesa agent per firm"),
    )
    capability: float = param(
        0.5,
        unit="share",
        range="open_unit",
        role="uncertainty",
        source=ASSUMED,
        doc="mean starting capability (Beta, concentration firms.capability_concentration)",
    )
    capital: float = param(
        100.0,
        unit="billion VND",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="mean starting capital (log-normal, sigma firms.capital_sigma)",
    )
    risk_tolerance: float = param(
        0.5,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="higher tolerates more legal risk",
    )


@dataclass(frozen=True)
class FirmParams:
    """The technology market: incumbents, domestic SMEs and foreign vendors."""

    incumbent: FirmKindParams = param(
        factory=lambda: FirmKindParams(
            count=12, capability=0.7, capital=3000.0, risk_tolerance=0.3
        ),
        role="uncertainty",
        source="assumption: a dozen large state-owned or private IT/telecom groups",
        doc="incumbents",
    )
    sme: FirmKindParams = param(
        factory=lambda: FirmKindParams(count=200, capability=0.45, capital=3.0, risk_tolerance=0.7),
        role="uncertainty",
        source="assumption: start-ups with about 3 billion VND (≈ 120,000 USD, seed stage)",
        doc="domestic SMEs",
    )
    foreign: FirmKindParams = param(
        factory=lambda: FirmKindParams(
            count=25, capability=0.75, capital=800.0, risk_tolerance=0.4
        ),
        role="uncertainty",
        source=ASSUMED,
        doc="foreign vendors",
    )
    capability_concentration: float = param(
        10.0,
        unit="–",
        range="positive",
        role="uncertainty",
        source=ASSUMED,
        doc="Beta concentration (alpha + beta) of a firm's starting capability",
    )
    capital_sigma: float = param(
        0.5,
        unit="log-scale sd",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="sigma of a firm's log-normal starting capital (location -sigma^2/2: mean kept)",
    )
    margin: float = param(
        0.15,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="profit margin on contract value",
    )
    bid_share: float = param(
        0.262,
        unit="probability",
        range="unit",
        role="uncertainty",
        source=FITTED,
        doc="chance a firm with no legal worry bids on a given call",
    )
    choice_noise: float = param(
        0.15,
        unit="score",
        range="positive",
        role="uncertainty",
        source=(
            "assumption: authorities weigh capability and experience, but price, relations "
            "and local presence also count (a logit choice with this scale)"
        ),
        doc="scale of the unobserved part of an authority's choice among bidders",
    )
    ppp_hurdle: float = param(
        0.05,
        unit="per year",
        range="unit",
        role="uncertainty",
        source=(
            "assumption: about the yield of Vietnamese government bonds (2-3%) plus a "
            "project premium; investors compare it with their expected return"
        ),
        doc="expected yearly return on its stake a firm requires to co-finance a PPP pilot",
    )
    learning: float = param(
        0.08,
        unit="per pilot",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="experience gained per completed pilot in its domain",
    )
    capability_learning: float = param(
        0.5,
        unit="–",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="share of the experience gain by which capability closes its gap to 1",
    )
    entry_rate: float = param(
        0.2,
        unit="SMEs per month per open application",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="new SMEs per month per open application (Poisson)",
        limit=(10, "new SME agents per month per open call"),
    )
    fixed_cost: float = param(
        0.05,
        unit="billion VND per month per capability",
        range="nonnegative",
        role="uncertainty",
        source=ASSUMED,
        doc="monthly cost per unit of capability",
    )
