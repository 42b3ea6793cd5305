"""Citizens' parameters (an uncertainty section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import ASSUMED, param


@dataclass(frozen=True)
class CitizenParams:
    """The vectorised citizen population and its Bass-type adoption hazard."""

    n: int = param(
        100_000,
        unit="citizens",
        range="count",
        role="setting",
        source="decision: 10^5 by default; 100000000 for one citizen per person",
        doc="simulated citizens; each stands for population / n people (memory bounds it)",
    )
    p_innovation: float = param(
        0.03,
        unit="per year",
        range="nonnegative",
        role="uncertainty",
        source="mean Bass p of the meta-analysis of Sultan, Farley & Lehmann (1990)",
        doc="Bass innovation rate p",
    )
    q_imitation: float = param(
        0.38,
        unit="per year",
        range="nonnegative",
        role="uncertainty",
        source="mean Bass q of the meta-analysis of Sultan, Farley & Lehmann (1990)",
        doc="Bass imitation rate q",
    )
    substeps: int = param(
        4,
        unit="per month",
        range="count",
        role="setting",
        source="decision: the Bass test bounds the integration error",
        doc="Heun sub-steps per month when integrating the hazard",
        limit=(100, "Heun sub-steps per month; 4 already integrates the hazard closely"),
    )
    homogeneous: bool = param(
        False,
        unit="flag",
        range="flag",
        role="setting",
        source="decision: a validation switch",
        doc="literacy = trust = 1 for everyone",
    )
    literacy_urban: float = param(
        0.75,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="mean digital literacy of urban working-age adults",
    )
    literacy_rural: float = param(
        0.55,
        unit="share",
        range="unit",
        role="uncertainty",
        source="assumption: an urban-rural digital divide (Smart City Conference 2024)",
        doc="mean digital literacy of rural working-age adults",
    )
    literacy_concentration: float = param(
        6.0,
        unit="–",
        range="positive",
        role="uncertainty",
        source=ASSUMED,
        doc="Beta concentration (alpha + beta) of literacy",
    )
    age_shares: list[float] = param(
        factory=lambda: [0.243, 0.680, 0.077],
        unit="shares",
        range="shares",
        role="uncertainty",
        source="age structure 0–14 / 15–64 / 65+ of the 2019 census (GSO, completed results)",
        doc="population shares of the age groups 0–14, 15–64, 65+",
    )
    age_literacy: list[float] = param(
        factory=lambda: [0.7, 1.0, 0.45],
        unit="multiplier",
        range="nonnegative_list",
        role="uncertainty",
        source=ASSUMED,
        doc="literacy multiplier of each age group",
    )
    trust_mean: float = param(
        0.65,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="mean trust in public digital services",
    )
    trust_concentration: float = param(
        6.0,
        unit="–",
        range="positive",
        role="uncertainty",
        source=ASSUMED,
        doc="Beta concentration (alpha + beta) of trust",
    )
    trust_drop: float = param(
        0.3,
        unit="share",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="share of trust an exposed non-adopter loses in an incident",
    )
    abandon_prob: float = param(
        0.2,
        unit="probability",
        range="unit",
        role="uncertainty",
        source=ASSUMED,
        doc="chance an exposed adopter abandons after an incident",
    )
