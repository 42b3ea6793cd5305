"""The technologies provinces can adopt, and how they arrive (an uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import UNSOURCED, param

EXAMPLES = (
    "data/evidence/technologies.csv: 13 dated first pilots in Vietnam 2017-2026 (parking "
    "apps, AI cameras, IOCs, telemedicine, camera networks, drones, autonomous vehicles, "
    "data exchanges, digital twins, biometric fares)"
)


@dataclass(frozen=True)
class TechnologyParams:
    """Technologies per domain (docs/model.md S0): some established at the start, more
    arriving over time; a novel one needs a legal corridor (its own legal clarity)."""

    initial: int = param(
        2,
        unit="technologies per domain",
        range="count",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: in 2019 each domain had about two technologies Vietnamese provinces "
            "were piloting under existing law (e.g. parking apps and AI cameras in transport, "
            "IOCs and feedback apps in government services; " + EXAMPLES + ")"
        ),
        doc="established technologies per domain at the start",
    )
    arrival_rate: float = param(
        0.5,
        unit="per domain per year",
        range="nonnegative",
        spread=(0.25, 1.0),
        role="uncertainty",
        source=(
            "assumption: from " + EXAMPLES + ": 13 first pilots over nine years and six "
            "domains is 0.24 a domain a year, a lower bound (only reported firsts are "
            "counted); 0.5, range 0.25-1"
        ),
        doc="technologies arriving per domain per year (Poisson)",
    )
    novel_share: float = param(
        0.3,
        unit="share",
        range="unit",
        spread=(0.2, 0.5),
        role="uncertainty",
        source=(
            "data/evidence/technologies.csv: 4 of the 13 dated technologies (drones and "
            "autonomous vehicles in HCMC's high-tech park, agricultural UAVs, a level-4 "
            "autonomous car, data exchanges) needed a legal corridor; range 0.2-0.5"
        ),
        doc="share of arriving technologies that are novel (not covered by existing law)",
    )
    duration_sigma: float = param(
        0.5,
        unit="log-sd",
        range="nonnegative",
        spread=(0.0, 1.0),
        role="uncertainty",
        source=(
            "data/evidence/technologies.csv: the dated trials planned 3 months (a level-4 "
            "autonomous-vehicle test), 6 (AI cameras in HCMC), 12 (Da Nang's data exchange) and "
            "about 36 (Da Nang's digital twin): a log-sd of about 1.0 across technologies and "
            "tracks together; half of it is put on the technology; range 0-1"
        ),
        doc=(
            "spread of an arriving technology's trial length: a pilot runs its track's "
            "duration x exp(sigma z - sigma^2 / 2), mean 1 (the start's technologies: 1)"
        ),
    )
    overlap: float = param(
        0.5,
        unit="share",
        range="unit",
        spread=(0.25, 0.75),
        role="uncertainty",
        source=(
            "assumption: a further technology in a domain the province already serves meets "
            "needs partly met already (a parking app where traffic cameras run): each "
            "technology it has there halves the value of the next; range 0.25-0.75"
        ),
        doc="share of a technology's value lost for each one the province has in its domain",
    )
    novel_benefit: float = param(
        1.5,
        unit="factor",
        range="positive",
        spread=(1.0, 2.0),
        role="uncertainty",
        source=(
            "assumption: a province pilots a novel technology because it promises more than "
            "what it has (an AI camera over a fixed one); half as much again, range 1-2"
        ),
        doc="benefit of a novel technology relative to an established one in its domain",
    )
    leapfrog: bool = param(
        True,
        unit="flag",
        range="flag",
        role="uncertainty",
        source=(
            "assumption: after " + EXAMPLES + ", each piloted by a leading province within "
            "months of its arrival, not after the older technologies of its domain had been "
            "taken: a province procuring a service buys the current generation (true, the "
            "rule the stored calibration is fitted with; false takes them in order of "
            "arrival)"
        ),
        doc=(
            "a province considers the newest technology of each class it has not taken "
            "(false: the earliest)"
        ),
    )
