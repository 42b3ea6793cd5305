"""Adaptive replications: a comparison adds paired replicates until its CIs are narrow."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param
from sandbox.errors import ConfigError

DECIDED = "decision: docs/experiments.md#adaptive-replications"
SECTION = "adaptive"


def of_sweep(key: str) -> bool:
    """Whether an override's key (``+``/``~`` prefixes allowed) sets the sweep's adaptive
    replications: such an override configures the sweep, not its jobs, so it is left out of
    each job's overrides, of its folder's name and of the sweep's plan, and a sweep run
    again with another target adds runs to the same folder."""
    name = key.lstrip("+~")
    return name == SECTION or name.startswith(SECTION + ".")


def replicates_of(values: list[str]) -> list[int] | None:
    """The replicates a sweep's ``replicate`` values name, or None unless whole numbers."""
    try:
        return [int(v) for v in values]
    except ValueError:
        return None


def not_a_comparison(half_width: object) -> ConfigError:
    """The error of adaptive replications asked of a command that is not a comparison."""
    return ConfigError(
        "adaptive.half_width",
        half_width,
        "0 (off), unless the command is a comparison: adaptive replications need a baseline "
        "to compare with (an experiment's hydra.callbacks.sweep.baseline, e.g. "
        "experiment=policy_comparison) and a sweep over replicate in whole numbers (e.g. "
        "replicate=range(8))",
    )


@dataclass(frozen=True)
class AdaptiveParams:
    """A target half-width for the 95% CI of every headline paired difference.

    A sweep that compares its options with a baseline (``hydra.callbacks.sweep.baseline``)
    and sweeps ``replicate`` runs its replicates, then adds ``batch`` more paired replicates
    of every combination at a time until the CI of each headline outcome's difference from
    the baseline (each option, pooled over the other levers, as ``comparison_vs_*.txt``
    shows it) is at most ``half_width`` wide on either side, or the sweep has
    ``max_replicates`` replicates (``sandbox.experiments.adaptive``). These settings change
    no run's results: they decide how many runs there are.
    """

    half_width: float = param(
        0.0,
        unit="the outcome's unit, or a share (relative)",
        range="nonnegative",
        role="setting",
        source=f"{DECIDED}: off unless asked for",
        doc="target half-width of every headline paired difference's 95% CI (0: off, the "
        "sweep runs the replicates it names)",
    )
    relative: bool = param(
        False,
        unit="–",
        range="flag",
        role="setting",
        source=f"{DECIDED}: absolute, in each outcome's own unit",
        doc="half_width is a share of the outcome's level (the larger of the two arms' "
        "means), not a value in its unit",
    )
    batch: int = param(
        0,
        unit="replicates",
        range=(0, 100000),
        role="setting",
        source=f"{DECIDED}: as many as the sweep names, so each round doubles the first",
        doc="replicates added per round (0: as many as the sweep's own replicate list)",
    )
    max_replicates: int = param(
        64,
        unit="replicates",
        range="count",
        role="setting",
        source=f"{DECIDED}: four times the flagship's 16",
        doc="the cap: no round takes the sweep beyond this many replicates",
    )
