"""The technology domains' parameters (an uncertainty section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import UNSOURCED, param


@dataclass(frozen=True)
class DomainParams:
    """One technology domain."""

    cost: float = param(
        20.0,
        unit="billion VND",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a middling pilot within the span of the six declared domains (10 to 30 "
            "billion VND); each of the six sets its own"
        ),
        doc="pilot cost",
    )
    benefit: float = param(
        1.0,
        unit="billion VND per year per 1,000 adopters",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a reference benefit of 1 (the six domains: 0.8 to 1.5); it only ranks "
            "domains, so only ratios between domains matter"
        ),
        doc="yearly benefit per person reached, used only to rank domains",
    )
    urban_need: float = param(
        0.0,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: by default a domain serves every resident; of the six, transport and "
            "urban planning set 1"
        ),
        doc="how far the need for the domain is confined to urban residents: the share of a "
        "province's people it serves is 1 - urban_need x (1 - urban share)",
    )
    success: float = param(
        0.65,
        unit="probability",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a middling base chance within the six domains' 0.6 to 0.75: most pilots "
            "succeed, a good share do not"
        ),
        doc="base success probability of a pilot",
    )
    data_dependence: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: the midpoint; the six domains range from 0.4 (education) to 0.8 (planning)"
        ),
        doc="how much success needs interoperable data",
    )
    incident_risk: float = param(
        0.01,
        unit="per month",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: about one incident per eight years of a running pilot; the six domains "
            "range from 0.005 (warnings) to 0.015 (healthcare)"
        ),
        doc="incident hazard of a running pilot",
    )


DOMAINS_SOURCE = (
    "assumption: relative sizes follow the Vietnam-Asia Smart City Conference 2024's "
    "description (transport and health data-heavy and costly; warnings and e-government "
    "cheap), with costs of 10 to 30 billion VND, base success 0.6 to 0.75 and incident risk "
    "0.005 to 0.015 a month; urban_need 1 where a domain serves urban residents only"
)
WHY = {  # each domain's reasons, in the order cost, benefit, success, data, incidents
    "transportation": (
        "the costliest (sensors, signals, a control centre); time saved daily (1.2); "
        "hard to integrate across operators (0.6); traffic and transit data (0.6); outages "
        "stop traffic (0.012); traffic, parking and public transport serve urban residents"
    ),
    "healthcare": (
        "records systems across hospitals (25); the largest benefit, health (1.5); hard to "
        "integrate (0.6); patient records held by many facilities (0.7); breaches of "
        "sensitive data, the highest risk (0.015)"
    ),
    "education": (
        "platforms on existing school networks (15); benefit 1.0, the reference; "
        "off-the-shelf platforms (0.7); the least data-dependent, mostly within schools "
        "(0.4); little sensitive data (0.008)"
    ),
    "warnings": (
        "the cheapest: alerts over existing mobile networks (10); an indirect benefit, used "
        "in emergencies (0.8); the simplest technology, the best chance (0.75); "
        "hydro-meteorological data (0.5); the lowest risk (0.005)"
    ),
    "planning": (
        "a GIS and urban database (25); the administration's benefit, indirect for citizens "
        "(0.9); success 0.65; the most data-dependent: land, building and census data held "
        "by several agencies (0.8); little public exposure (0.006); urban planning serves "
        "urban residents"
    ),
    "government services": (
        "portals on the national public-service platform (12); procedures done online, "
        "time saved (1.3); an established technology (0.7); the citizen registry (0.6); "
        "personal data (0.01)"
    ),
}


def _domain(
    doc: str,
    cost: float,
    benefit: float,
    success: float,
    data: float,
    risk: float,
    urban: float = 0.0,
) -> DomainParams:
    """A domain's field in ``DomainsParams``: its defaults, from ``DOMAINS_SOURCE`` and
    its own reasons (``WHY``)."""
    return param(
        factory=lambda: DomainParams(
            cost=cost,
            benefit=benefit,
            urban_need=urban,
            success=success,
            data_dependence=data,
            incident_risk=risk,
        ),
        role="uncertainty",
        source=f"{DOMAINS_SOURCE}. {doc.capitalize()}: {WHY[doc]}",
        doc=doc,
    )


@dataclass(frozen=True)
class DomainsParams:
    """The six domains of docs/model.md (names fixed by ``sandbox.model.domains``)."""

    transportation: DomainParams = _domain("transportation", 30.0, 1.2, 0.6, 0.6, 0.012, 1.0)
    healthcare: DomainParams = _domain("healthcare", 25.0, 1.5, 0.6, 0.7, 0.015)
    education: DomainParams = _domain("education", 15.0, 1.0, 0.7, 0.4, 0.008)
    warning: DomainParams = _domain("warnings", 10.0, 0.8, 0.75, 0.5, 0.005)
    planning: DomainParams = _domain("planning", 25.0, 0.9, 0.65, 0.8, 0.006, 1.0)
    government_services: DomainParams = _domain("government services", 12.0, 1.3, 0.7, 0.6, 0.01)
