"""Firms' parameters (an uncertainty section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import FITTED, UNSOURCED, param


@dataclass(frozen=True)
class FirmKindParams:
    """One kind of firm: how many, and their starting capability and capital."""

    count: int = param(
        10,
        unit="firms",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a placeholder for a kind declared without its own count; incumbents, "
            "SMEs and foreign vendors each set theirs"
        ),
        doc="firms of this kind at the start",
        limit=(100_000, "one Mesa agent per firm"),
    )
    capability: float = param(
        0.5,
        unit="share",
        range="open_unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: the midpoint, the neutral point of the success rule "
            "(pilots.capability_weight x (capability - 0.5)); each of the three kinds sets its "
            "own"
        ),
        doc="mean starting capability (Beta, concentration firms.capability_concentration)",
    )
    capital: float = param(
        100.0,
        unit="billion VND",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a placeholder between an SME's 3 and a foreign vendor's 800 billion VND; "
            "each of the three kinds sets its own"
        ),
        doc="mean starting capital (log-normal, sigma firms.capital_sigma)",
    )
    risk_tolerance: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: the midpoint, which halves the deterrence of legal risk on bids; each of "
            "the three kinds sets its own"
        ),
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
        source=(
            "assumption: a dozen large state-owned or private IT/telecom groups: capable (0.7), "
            "with by far the most capital (3,000 billion VND) and the least tolerance of legal "
            "risk (0.3) of the three kinds"
        ),
        doc="incumbents",
    )
    sme: FirmKindParams = param(
        factory=lambda: FirmKindParams(count=200, capability=0.45, capital=3.0, risk_tolerance=0.7),
        role="uncertainty",
        source=(
            "assumption: a couple of hundred start-ups with about 3 billion VND each (≈ 120,000 "
            "USD, seed stage), less capable (0.45) than established firms but the most tolerant "
            "of legal risk (0.7)"
        ),
        doc="domestic SMEs",
    )
    foreign: FirmKindParams = param(
        factory=lambda: FirmKindParams(
            count=25, capability=0.75, capital=800.0, risk_tolerance=0.4
        ),
        role="uncertainty",
        source=(
            "assumption: a couple of dozen foreign vendors with the highest capability (0.75), "
            "less capital committed in Vietnam than the incumbents (800 against 3,000 billion "
            "VND) and a risk tolerance between theirs (0.3) and start-ups' (0.7)"
        ),
        doc="foreign vendors",
    )
    capability_concentration: float = param(
        10.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: firms of one kind differ by about 0.13 to 0.15 in capability (alpha + "
            "beta = 10), so the kinds overlap but keep their order on average"
        ),
        doc="Beta concentration (alpha + beta) of a firm's starting capability",
    )
    capital_sigma: float = param(
        0.5,
        unit="log-scale sd",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: capital within a kind varies by a factor of about 1.6 either way "
            "(log-scale sd 0.5), so a minority of start-ups can front an ad-hoc compliance cost "
            "the mean one cannot"
        ),
        doc="sigma of a firm's log-normal starting capital (location -sigma^2/2: mean kept)",
    )
    margin: float = param(
        0.15,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a mid-teens margin on contract value, above every track's compliance "
            "cost but the ad-hoc one (0.02 to 0.06 against 0.4), so only an ad-hoc contract "
            "leaves its firm short of capital until the pilot ends (docs/model.md S7)"
        ),
        doc="profit margin on contract value",
    )
    bid_share: float = param(
        0.138,
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
        spread=UNSOURCED,
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
        spread=UNSOURCED,
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
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: each completed pilot adds about half the scale of the partner choice's "
            "noise (choice_noise 0.15), so two pilots in a domain nearly triple a firm's odds of "
            "being chosen there"
        ),
        doc="experience gained per completed pilot in its domain",
    )
    capability_learning: float = param(
        0.5,
        unit="–",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: half of a pilot's experience carries over to general capability (4% of "
            "the gap to 1 per pilot), as what a firm learns in one domain partly serves in others"
        ),
        doc="share of the experience gain by which capability closes its gap to 1",
    )
    entry_rate: float = param(
        0.2,
        unit="SMEs per month per open application",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: one new start-up for every five proposals put to the market, a modest "
            "inflow beside the 200 start-ups at the start"
        ),
        doc="new SMEs per month per open application (Poisson)",
        limit=(10, "new SME agents per month per open call"),
    )
    fixed_cost: float = param(
        0.05,
        unit="billion VND per month per capability",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: an average start-up (capability 0.45) pays about 0.27 billion VND a "
            "year, so without contracts its 3 billion VND last about eleven years; negligible for "
            "the larger firms"
        ),
        doc="monthly cost per unit of capability",
    )
