"""Robustness of the regimes across sampled futures, and where one beats the status quo.

``sandbox-run -m experiment=robustness`` (``design.analysis=robustness``):

1. **Futures**: ``design.samples`` points of the unit hypercube of the uncertainties
   (``sandbox.config.uncertainties.dimensions``), a Latin hypercube
   (``scipy.stats.qmc.LatinHypercube`` seeded by ``design.seed``); the ``posterior``
   coordinate draws the fitted parameters jointly, one particle by weight.
2. **Runs**: every future, replicates ``0..design.replicates-1``, every policy of
   ``design.policies`` (the first the baseline), the history once per (future, replicate)
   and a branch per policy, paired by common random numbers
   (``sandbox.experiments.design.run_design``: chunked, resumable).
3. **Robustness** (``sandbox.analysis.regret``), per headline outcome: the share of
   futures in which each policy is best (ties split), its regret (mean, 90th percentile,
   maximum) and the minimax-regret ranking.
4. **Scenario discovery** (``sandbox.analysis.discovery``): PRIM's boxes of the futures in
   which ``design.prim_policy`` beats the baseline on ``design.prim_outcome`` by more
   than ``design.prim_margin``.
5. **Export** (``sandbox.experiments.ema_export``): the runs as EMA Workbench's
   ``(experiments, outcomes)`` pair, ``ema_workbench.tar.gz``.
6. **Report** (``sandbox.experiments.robustness_report``): ``report.md`` and its figures.

Everything lands in the design's folder, ``<design.store>/robustness-<key>``, the key
naming what the runs depend on (the scenarios, the points, the replicates, the code), not
how they are run (``design.workers``, ``design.chunk``) nor the PRIM settings: the same
command resumes its runs, and a command that only changes the PRIM settings reuses them
and writes the tables, export and report again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from sandbox.analysis.discovery import boxes_table, discover, inputs, of_interest
from sandbox.analysis.regret import direction, robustness
from sandbox.config.params import Params
from sandbox.config.params.design import DesignParams
from sandbox.config.uncertainties import dimensions
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import write_parquet
from sandbox.experiments.design import describe_design, keyed_folder, run_design
from sandbox.experiments.ema_export import write_ema
from sandbox.model.outcomes import HEADLINE

ANALYSIS = "robustness"
TABLE = "robustness.parquet"  # sandbox.analysis.regret.robustness
FUTURES = "prim_futures.parquet"  # PRIM's x and y, one row per future
BOXES = "prim_boxes.parquet"  # sandbox.analysis.discovery.boxes_table


def sample(samples: int, seed: int) -> pd.DataFrame:
    """``samples`` futures: a Latin hypercube over every coordinate of ``dimensions()``."""
    from scipy.stats import qmc

    names = list(dimensions())
    unit = qmc.LatinHypercube(d=len(names), rng=seed).random(samples)
    return pd.DataFrame(unit, columns=names)


def planned(params: Params) -> str:
    """The design's size in words, before anything runs (``sandbox-run --dry-run``)."""
    d = params.design
    histories = d.samples * d.replicates
    runs = histories * len(d.policies)
    return (
        f"the {ANALYSIS} design: {d.samples:,} futures, {d.replicates} replicates each, "
        f"{len(d.policies)} policies: {runs:,} runs ({histories:,} histories, each branched "
        "into every policy)"
    )


def check(design: DesignParams, policies: list[str]) -> None:
    """Refuse PRIM settings that name no policy or outcome of the design.

    Raises:
        ConfigError: on the first setting that does not fit.
    """
    if len(policies) < 2:
        raise ConfigError("design.policies", policies, "two policies or more, the baseline first")
    if design.prim_policy not in policies[1:]:
        raise ConfigError(
            "design.prim_policy", design.prim_policy, f"one of {policies[1:]} (design.policies)"
        )
    try:
        direction(design.prim_outcome)
    except (KeyError, ValueError):
        raise ConfigError(
            "design.prim_outcome",
            design.prim_outcome,
            "an outcome of sandbox.model.outcomes that improves one way, e.g. one of "
            + ", ".join(HEADLINE),
        ) from None


def neutral(policies: dict[str, Params]) -> dict[str, Params]:
    """The scenarios without their ``design`` settings (which do not change a run), so
    that neither the folder nor ``design.json`` depends on them."""
    return {name: dataclasses.replace(p, design=DesignParams()) for name, p in policies.items()}


def design_folder(params: Params, policies: dict[str, Params], points: pd.DataFrame) -> Path:
    """``<design.store>/robustness-<key>``: the key, 16 hex digits of the SHA-256 of what
    ``design.json`` records (scenarios, points, replicates, code and inputs)."""
    record = describe_design(ANALYSIS, policies, points, params.design.replicates)
    return keyed_folder(params.design.store, ANALYSIS, record)


def analyse(
    params: Params, policies: dict[str, Params], command: str = "", log=print, progress=True
) -> Path:
    """Run (or resume) the robustness design of ``params.design`` and write its tables,
    EMA Workbench export and report; the report's path.

    Args:
        params: the composed scenario (its ``design`` section sizes the design).
        policies: each policy of ``design.policies`` composed as the command would.
        command: the command line, recorded in the report.

    Raises:
        ConfigError: PRIM settings that name no policy or outcome of the design, or a
            design folder holding another design.
    """
    from sandbox.experiments.robustness_report import write_report

    d = params.design
    order = list(policies)
    check(d, order)
    scenarios = neutral(policies)
    points = sample(d.samples, d.seed)
    folder = design_folder(params, scenarios, points)
    log(f"{ANALYSIS}: {d.samples} futures x {d.replicates} replicates x {len(order)} policies "
        f"into {folder}")  # fmt: skip
    runs = run_design(
        folder,
        ANALYSIS,
        scenarios,
        points,
        d.replicates,
        workers=d.workers,
        chunk=d.chunk,
        posterior=params.uncertainty.posterior,
        log=log,
        progress=progress,
    )
    table = robustness(runs, HEADLINE)
    write_parquet(folder / TABLE, table)
    interest = of_interest(runs, d.prim_policy, order[0], d.prim_outcome, d.prim_margin)
    x = inputs(runs).loc[interest.index]
    boxes = discover(x, interest, d.prim_coverage)
    write_parquet(folder / FUTURES, x.assign(of_interest=interest).reset_index())
    write_parquet(folder / BOXES, boxes_table(boxes))
    export = write_ema(folder, runs)
    return write_report(folder, params, runs, table, interest, boxes, export, command)
