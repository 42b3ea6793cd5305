"""Pilots' parameters (an uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import ASSUMED, FITTED, param


@dataclass(frozen=True)
class PilotParams:
    """Pilots: duration, reach, success and harm."""

    duration_months: int = param(
        45,
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
        role="uncertainty",
        source=ASSUMED,
        doc="share of the province's population a pilot plans to reach",
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
        role="uncertainty",
        source=ASSUMED,
        doc="success probability gain per unit firm capability",
    )
    capacity_weight: float = param(
        0.2,
        unit="–",
        range="any",
        role="uncertainty",
        source=ASSUMED,
        doc="success probability gain per unit local digital capacity",
    )
    data_weight: float = param(
        0.3,
        unit="–",
        range="any",
        role="uncertainty",
        source=ASSUMED,
        doc="success probability gain per unit effective data access (times data dependence)",
    )
    default_capability: float = param(
        0.5,
        unit="share",
        range="unit",
        role="uncertainty",
        source="decision: the neutral point of the capability term (no gain, no loss)",
        doc="capability counted for a pilot without a partner firm",
    )
    success_min: float = param(
        0.02,
        unit="probability",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="lowest success probability of a pilot",
    )
    success_max: float = param(
        0.98,
        unit="probability",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="highest success probability of a pilot",
    )
    incident_offset: float = param(
        1.5,
        unit="–",
        range=(1.0, float("inf")),
        role="uncertainty",
        source=ASSUMED,
        doc="incident hazard = domain incident_risk x (incident_offset - firm capability)",
    )
    harm_fraction: float = param(
        0.05,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="share of a pilot's exposed adopters harmed by an unmonitored incident",
    )
    halt_severity: float = param(
        0.3,
        unit="probability",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="chance an incident is severe (caught under monitoring, it halts the pilot)",
    )
    scaled_coverage: float = param(
        0.85,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="coverage a scaled service reaches",
    )
    service_risk: float = param(
        0.5,
        unit="share of a pilot's hazard",
        range="unit",
        role="uncertainty",
        source="assumption: a service in operation is more stable than a trial, not safe",
        doc="incident hazard of a deployed service, relative to a running pilot's",
    )
    clarity_safety: float = param(
        0.5,
        unit="share",
        range="unit",
        role="uncertainty",
        source="assumption: clear rules (data protection, standards) halve incidents at most",
        doc="share of a service's incident hazard that full legal clarity removes",
    )
    data_cost_premium: float = param(
        0.5,
        unit="share of pilot cost",
        range="nonnegative",
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
        role="uncertainty",
        source="assumption: a fully data-dependent service needs some data to be built at all",
        doc="data access a fully data-dependent domain needs before a province proposes it",
    )
    scale_hazard: float = param(
        0.04,
        unit="per month at full clarity",
        range="unit",
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
        role="uncertainty",
        source=ASSUMED,
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
