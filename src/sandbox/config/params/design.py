"""A sampled design of the uncertainties (``experiment=sensitivity``, ``robustness``)."""
# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param

DECIDED = "decision: docs/experiments.md#designs"
REGIMES = [
    "status_quo",
    "controlled_pilot",
    "phased",
    "phased_sandbox",
    "experimental",
    "facilitation",
]


@dataclass(frozen=True)
class DesignParams:
    """Which analysis samples the uncertainties, how many points, and how they run.

    Every point of the unit hypercube of the uncertainties (``sandbox.config.uncertainties``)
    runs ``replicates`` replicates; each (point, replicate) simulates the history once and
    branches into every policy of ``policies`` (``sandbox.experiments.branches``).
    """

    analysis: str = param(
        "",
        unit="–",
        range=("", "sensitivity", "robustness"),
        role="setting",
        source="decision: experiment=sensitivity or experiment=robustness sets it",
        doc="run this analysis of a sampled design instead of a scenario ('' for none)",
    )
    samples: int = param(
        8,
        unit="–",
        range="count",
        role="setting",
        source=DECIDED,
        doc="the design's size: Morris trajectories (sensitivity) or sampled futures (robustness)",
    )
    replicates: int = param(
        2,
        unit="runs",
        range=(2, 1000),
        role="setting",
        source=f"{DECIDED}: two at least, so that replicate noise is measured",
        doc="replicates per design point (replicates 0..n-1, shared by every point)",
    )
    policies: list[str] = param(
        factory=lambda: list(REGIMES),
        unit="–",
        range="names",
        role="setting",
        source=f"{DECIDED}: every regime; the first is the baseline of the paired effects",
        doc="the policies every point branches into (configs/policy/ names)",
    )
    workers: int = param(
        0,
        unit="processes",
        range=(0, 4096),
        role="setting",
        source="decision: 0 uses every core",
        doc="worker processes (0: every core)",
    )
    chunk: int = param(
        8,
        unit="runs",
        range="count",
        role="setting",
        source=f"{DECIDED}: a few seconds of work, so resume loses little",
        doc="(point, replicate) pairs per chunk file",
    )
    store: str = param(
        "results/designs",
        unit="folder",
        range="text",
        role="setting",
        source="decision: designs live in the result store, by content",
        doc="folder of designs (one sub-folder per design, named by its content hash)",
    )
    seed: int = param(
        2024,
        unit="–",
        range="seed",
        role="setting",
        source="decision: any fixed seed",
        doc="seed of the design's sample (not of the runs: their seed is `seed`)",
    )
    prim_policy: str = param(
        "phased_sandbox",
        unit="–",
        range="text",
        role="setting",
        source=f"{DECIDED}: the regime with a sandbox for novel technologies, which beats the "
        "status quo on novel_uptake in some futures and not in others (200 futures, December "
        "2026)",
        doc="robustness: the policy whose advantage over the baseline (the first of policies) "
        "PRIM explains (one of policies, not the first)",
    )
    prim_outcome: str = param(
        "novel_uptake",
        unit="–",
        range="text",
        role="setting",
        source=f"{DECIDED}: the headline outcome a sandbox is meant to move",
        doc="robustness: the outcome PRIM's cases of interest are judged on (an outcome with "
        "a direction, sandbox.model.outcomes)",
    )
    prim_margin: float = param(
        0.0,
        unit="the outcome's unit",
        range="nonnegative",
        role="setting",
        source=f"{DECIDED}: any advantage at all",
        doc="robustness: a future is of interest when prim_policy beats the baseline on "
        "prim_outcome by more than this (mean over replicates, in the good direction)",
    )
    prim_coverage: float = param(
        0.5,
        unit="share",
        range="unit",
        role="setting",
        source=f"{DECIDED}: a box that explains at least half the cases of interest",
        doc="robustness: the box PRIM reports is the densest on its peeling trajectory "
        "whose coverage is at least this",
    )
    sobol_samples: int = param(
        8,
        unit="–",
        range="count",
        role="setting",
        source=f"{DECIDED}: a power of 2 (Sobol' sequence); sized to 30 minutes on 2 cores",
        doc="sensitivity: Sobol's base samples N (N x (factors + 3) points, the dummy included)",
    )
    sobol_factors: int = param(
        4,
        unit="–",
        range="count",
        role="setting",
        source=f"{DECIDED}: the few Morris ranks first",
        doc="sensitivity: how many uncertainties, the first by Morris, Sobol's analysis varies",
    )
