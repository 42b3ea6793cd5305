"""Pilots' parameters (an uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import FITTED, UNSOURCED, param


@dataclass(frozen=True)
class PilotParams:
    """Pilots: duration, reach, success and harm."""

    duration_months: int = param(
        52,
        unit="months",
        range="count",
        role="uncertainty",
        source=FITTED,
        doc="planned length of an ad-hoc pilot",
    )
    scope: float = param(
        0.3,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a pilot plans to reach about a third of its province (a district or a "
            "city's core), leaving the rest to scaling (scaled_coverage); the sandbox's exposure "
            "cap (0.1) cuts it"
        ),
        doc="share of the province's population a pilot plans to reach",
    )
    min_size: float = param(
        0.25,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a province that cannot fund a whole pilot proposes a smaller one, its "
            "reach and cost cut in proportion to what it can fund, down to a quarter of the "
            "planned pilot (one district of a four-district core) below which a pilot tests "
            "too few people to show anything; at 1 a province proposes only whole pilots"
        ),
        doc="smallest share of a whole pilot (reach and cost) a province proposes",
    )
    reference_level: float = param(
        0.5,
        unit="index, 0-1",
        range="unit",
        role="setting",
        source=(
            "decision: a domain's base success rate (domains.success) is that of a pilot "
            "whose firm capability, local digital capacity and data access are all at this "
            "mid-range level; the weights below move it from there"
        ),
        doc="capability, capacity and data access at which a pilot succeeds at its base rate",
    )
    capability_weight: float = param(
        0.25,
        unit="–",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a fully capable firm adds 0.125 to a pilot's chance and one with none "
            "removes as much (weight x (capability - 0.5)), about a fifth of a domain's base "
            "chance"
        ),
        doc="success probability gain per unit firm capability",
    )
    capacity_weight: float = param(
        0.2,
        unit="–",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: local digital capacity matters a little less than the firm's capability "
            "(0.10 either way at the extremes against 0.125), as the firm builds the service and "
            "the province runs it"
        ),
        doc="success probability gain per unit local digital capacity",
    )
    data_weight: float = param(
        0.3,
        unit="–",
        range="any",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: data access moves the chance of a fully data-dependent pilot by 0.15 "
            "either way, at full dependence the largest of the three terms, so that data regimes "
            "matter most where domains need data"
        ),
        doc="success probability gain per unit effective data access (times data dependence)",
    )
    default_capability: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source="decision: the neutral point of the capability term (no gain, no loss)",
        doc="capability counted for a pilot without a partner firm",
    )
    success_min: float = param(
        0.02,
        unit="probability",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a floor that leaves every pilot a 1-in-50 chance; with the declared "
            "domains and weights the rule stays above a quarter, so it does not bind by default"
        ),
        doc="lowest success probability of a pilot",
    )
    success_max: float = param(
        0.98,
        unit="probability",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a ceiling that leaves every pilot a 1-in-50 risk of failure; it binds "
            "only for the best combinations (a capable firm in a capable, data-ready province)"
        ),
        doc="highest success probability of a pilot",
    )
    incident_offset: float = param(
        1.5,
        unit="–",
        range=(1.0, float("inf")),
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a firm of capability 0.5 meets exactly its domain's incident_risk; a "
            "fully capable firm halves it and one with none raises it by half"
        ),
        doc="incident hazard = domain incident_risk x (incident_offset - firm capability)",
    )
    harm_fraction: float = param(
        0.05,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: an unmonitored incident (data breach, outage) harms one in twenty of the "
            "adopters it reaches; monitoring cuts that further"
        ),
        doc="share of a pilot's exposed adopters harmed by an unmonitored incident",
    )
    halt_severity: float = param(
        0.3,
        unit="probability",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: about one incident in three is severe enough to stop a pilot if caught: "
            "the sandbox's monitoring (0.8) halts a trial at about a quarter of its incidents, ad "
            "hoc monitoring (0.2) at one in sixteen"
        ),
        doc="chance an incident is severe (caught under monitoring, it halts the pilot)",
    )
    scaled_coverage: float = param(
        0.85,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a service taken province-wide reaches most of the province but not "
            "remote or unconnected areas: 0.85, against a pilot's 0.3"
        ),
        doc="coverage a scaled service reaches",
    )
    service_risk: float = param(
        0.5,
        unit="share of a pilot's hazard",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a service in operation is more stable than a trial, not safe: half "
            "a running pilot's incident hazard"
        ),
        doc="incident hazard of a deployed service, relative to a running pilot's",
    )
    clarity_safety: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source="assumption: clear rules (data protection, standards) halve incidents at most",
        doc="share of a service's incident hazard that full legal clarity removes",
    )
    data_cost_premium: float = param(
        0.5,
        unit="share of pilot cost",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: without shared data a fully data-dependent pilot builds its own "
            "integrations, half again its cost (fragmented ministries' databases, 2024)"
        ),
        doc="extra cost of a fully data-dependent pilot with no data access",
    )
    data_feasibility: float = param(
        0.3,
        unit="data access",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a fully data-dependent service needs some data to be built at all: "
            "0.3 of access, so planning (dependence 0.8) needs 0.24, which holds it back only "
            "in the least data-ready provinces under fragmented data"
        ),
        doc="data access a fully data-dependent domain needs before a province proposes it",
    )
    scale_hazard: float = param(
        0.04,
        unit="per month at full clarity",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a proven service is taken province-wide at a rate that rises with "
            "the legal clarity of its domain (no clarity, no scaling)"
        ),
        doc="monthly hazard that a succeeded service scales, times its domain's clarity",
    )
    scale_rate: float = param(
        0.05,
        unit="per month",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a scaled service extends its reach by 5 points a month, from a pilot's "
            "0.3 to 0.85 in about a year"
        ),
        doc="coverage growth of a scaled service",
    )
    project_min_domains: int = param(
        2,
        unit="domains",
        range="count",
        role="setting",
        source='decision: a "smart urban project" is a multi-domain programme, a "deployed '
        'application" a single running service; this makes 48 projects and 60 provinces '
        "with an application compatible",
        doc='domains with a live pilot or service that make a "project"',
    )
