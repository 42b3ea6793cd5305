"""Citizens' parameters (an uncertainty section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import UNSOURCED, param


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
        spread=UNSOURCED,
        role="uncertainty",
        source="mean Bass p of the meta-analysis of Sultan, Farley & Lehmann (1990)",
        doc="Bass innovation rate p",
    )
    q_imitation: float = param(
        0.38,
        unit="per year",
        range="nonnegative",
        spread=UNSOURCED,
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
        0.87,
        unit="share",
        range="unit",
        spread=(0.75, 0.95),
        role="uncertainty",
        source=(
            "GSO: 87.3% of urban people used the internet in 2020 (data/evidence/citizens.csv, "
            "internet_users_share), the nearest sourced measure of being able to use a digital "
            "service; range 0.75-0.95 (using the internet is not yet using public services "
            "online)"
        ),
        doc="mean digital literacy of urban working-age adults",
    )
    literacy_rural: float = param(
        0.59,
        unit="share",
        range="unit",
        spread=(0.45, 0.75),
        role="uncertainty",
        source=(
            "GSO: 59.0% of rural people used the internet in 2020 (data/evidence/citizens.csv, "
            "internet_users_share); range 0.45-0.75"
        ),
        doc="mean digital literacy of rural working-age adults",
    )
    literacy_concentration: float = param(
        6.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a wide but single-peaked spread (sd about 0.16 to 0.19 around the means "
            "of the segments and age groups), with alpha and beta above 1 in each so that "
            "literacy does not pile up at 0 or 1"
        ),
        doc="Beta concentration (alpha + beta) of literacy",
    )
    age_shares: list[float] = param(
        factory=lambda: [0.243, 0.680, 0.077],
        unit="shares",
        range="shares",
        spread=UNSOURCED,
        role="uncertainty",
        source="age structure 0–14 / 15–64 / 65+ of the 2019 census (GSO, completed results)",
        doc="population shares of the age groups 0–14, 15–64, 65+",
    )
    age_literacy: list[float] = param(
        factory=lambda: [0.7, 1.0, 0.45],
        unit="multiplier",
        range="nonnegative_list",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: working-age adults are the reference (1); children 0-14, many too young "
            "to use services themselves, reach 0.7 of it and people of 65 and over under half "
            "(0.45), the group least at ease with digital services"
        ),
        doc="literacy multiplier of each age group",
    )
    trust_mean: float = param(
        0.65,
        unit="share",
        range="unit",
        spread=(0.4, 0.9),
        role="uncertainty",
        source=(
            "assumption: people lean towards trusting public digital services (0.65) but far "
            "from all do; no Vietnamese survey of trust in them was found; with literacy it "
            "scales each citizen's hazard (docs/model.md §VIII); range 0.4-0.9"
        ),
        doc="mean trust in public digital services",
    )
    trust_concentration: float = param(
        6.0,
        unit="–",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: the same spread as literacy (alpha + beta = 6: sd about 0.18 around "
            "0.65, alpha and beta above 1)"
        ),
        doc="Beta concentration (alpha + beta) of trust",
    )
    trust_drop: float = param(
        0.3,
        unit="share",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: an incident that reaches a non-adopter costs it about a third of its "
            "trust, so its remaining adoption threshold stretches by 1/0.7, about 1.4: a delay, "
            "not a refusal"
        ),
        doc="share of trust an exposed non-adopter loses in an incident",
    )
    abandon_prob: float = param(
        0.2,
        unit="probability",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: one exposed adopter in five quits for good after an incident; most keep "
            "a service they already use"
        ),
        doc="chance an exposed adopter abandons after an incident",
    )
    protection_relief: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=(0.0, 1.0),
        role="uncertainty",
        source=(
            "assumption: where personal data is protected in law (consent, breach notification, "
            "remedies: Decree 13/2023, Law 91/2025; legislation.acts' protection), an incident "
            "costs trust less; surveys of e-government use name privacy worries among the main "
            "reasons not to use online services (docs/model.md S9); range 0 to 1"
        ),
        doc=(
            "share of an incident's loss of trust and of its abandonments that full "
            "personal-data protection spares"
        ),
    )
