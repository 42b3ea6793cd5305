"""The sandbox funnel: what share of applications is admitted, tests, completes and
graduates, under each regime with a sandbox, against the UK FCA sandbox's cohorts.

Two kinds of result:

* one consistency check per regime (``REGIMES``): the funnel is a funnel (no stage larger
  than the one before it, in any month) and some application was made; its numbers hold
  every stage-to-stage share, pooled over replicates;
* one result per funnel figure of the targets file (``family: funnel``) and scenario: the
  shares the file declares, judged with its tolerance. The admitted share is declared
  ``use: hand`` (``policy.sandbox.approval_prob`` was set by hand from it), so it is
  in-sample, not a validation; the testing and launch shares are ``use: check``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.calibration.targets import DEFAULT, Target
from sandbox.config.meta import with_values
from sandbox.model.metrics import FUNNEL
from sandbox.validation.figures import columns, compare, label, observe, read
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import compose, replicates, run_all
from sandbox.validation.sizes import Size

FAMILY = "funnel"
REGIMES = ("controlled_pilot", "phased_sandbox")
STAGES = ("sandbox_applications", *(a for a, _ in FUNNEL))


def published(figures: list[Target], stage: str, before: str) -> Target | None:
    """The figure declaring the share ``stage / before``, if any."""
    return next((t for t in figures if t.metric == f"{stage} / {before}"), None)


def _consistency(
    regime: str, frames: list[pd.DataFrame], figures: list[Target], end: str
) -> CheckResult:
    """The funnel's nesting under one regime, and its shares beside the published ones."""
    counts = np.array([f[list(STAGES)].to_numpy(dtype=float) for f in frames])  # r x m x s
    broken = int((np.diff(counts, axis=2) > 0).any(axis=2).sum())
    final = counts[:, -1, :]  # replicates x stages
    totals = final.sum(axis=0)
    numbers: dict[str, float | int | str | None] = {"replicates": len(frames), "horizon.end": end}
    for stage, mean in zip(STAGES, final.mean(axis=0), strict=True):
        numbers[f"{stage}_mean"] = float(mean)
    for i, (stage, before) in enumerate(FUNNEL, start=1):
        with np.errstate(invalid="ignore", divide="ignore"):
            each = final[:, i] / final[:, i - 1]
        figure = published(figures, stage, before)
        numbers[f"{stage}_share"] = float(totals[i] / totals[i - 1]) if totals[i - 1] else None
        numbers[f"{stage}_share_sd"] = float(np.nanstd(each, ddof=1)) if len(each) > 1 else 0.0
        numbers[f"{stage}_share_published"] = figure.value if figure else None
        numbers[f"{stage}_share_use"] = figure.use if figure else None
        numbers[f"{stage}_of"] = before
    problems = []
    if broken:
        problems.append(f"{broken} run-months with a stage larger than the one before")
    if totals[0] == 0:
        problems.append("no sandbox application in any replicate: no funnel to compare")
    admitted = numbers["sandbox_admitted_share"]
    return CheckResult(
        family=FAMILY,
        name=regime,
        claim=f"policy={regime} (default scenario, to {end}): the sandbox funnel is nested "
        "in every month",
        value=float(admitted) if admitted is not None else float("nan"),
        condition="stages nested in every month; >= 1 application (shares judged below)",
        numbers=numbers,
        problems=tuple(problems),
    )


def check(size: Size, jobs: int, source: str | Path = DEFAULT) -> list[CheckResult]:
    """The consistency of each regime's funnel, then each funnel figure under each of its
    scenarios, over ``size.funnel_replicates`` replicates."""
    figures = [t for t in read(source) if t.family == FAMILY]
    scenarios = [f"policy={r}" for r in REGIMES]
    scenarios += [s for t in figures for s in t.scenarios if s not in scenarios]
    wanted = sorted(set(STAGES) | set(columns(figures)))
    runs, ends = [], {}
    for scenario in scenarios:
        params = compose(*scenario.split())
        later = [t.month for t in figures if scenario in t.scenarios and t.modelled]
        end = max([params.horizon.end, *later])
        ends[scenario] = end
        params = with_values(params, {"horizon.end": end})
        months = list(pd.period_range(params.horizon.start, end, freq="M").strftime("%Y-%m"))
        runs += [(p, months, wanted) for p in replicates(params, size.funnel_replicates)]
    frames = run_all(observe, runs, jobs)
    n = size.funnel_replicates
    by_scenario = {s: frames[i * n : (i + 1) * n] for i, s in enumerate(scenarios)}
    out = [
        _consistency(r, by_scenario[f"policy={r}"], figures, ends[f"policy={r}"]) for r in REGIMES
    ]
    for t in figures:
        for scenario in t.scenarios:
            name = f"{t.name}/{label(scenario)}"
            out.append(compare(t, by_scenario[scenario], FAMILY, name, scenario))
    return out
