"""The sandbox funnel: what share of applications is admitted, tests, completes and
graduates, under each regime with a sandbox.

The shares are printed so they can be set beside real sandboxes' published cohorts
(``PUBLISHED``); that comparison is for the reader, not a verdict, and the admitted share
is no independent one: ``policy.sandbox.approval_prob`` is set from the same FCA figure
(docs/model.md, VI), so the admitted share shows only how rarely capacity binds on top of
the screening. The check itself fails
only when the funnel is not a funnel (a stage larger than the one before it, in any month)
or when no application was made (nothing to compare).
"""

from __future__ import annotations

import numpy as np

from sandbox.config.params import Params
from sandbox.model.metrics import FUNNEL
from sandbox.model.model import SandboxModel
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import chunks, compose, replicates, run_all
from sandbox.validation.sizes import Size

FAMILY = "funnel"
REGIMES = ("controlled_pilot", "phased_sandbox")
STAGES = ("sandbox_applications", *(a for a, _ in FUNNEL))
# UK FCA sandbox, first year (two cohorts): 146 applications, 50 accepted, 41 tested.
# Completion and graduation shares were not published in the same form.
PUBLISHED = {
    "source": "UK FCA, Regulatory sandbox lessons learned report (October 2017): 146 "
    "applications, 50 accepted, 41 tested",
    "sandbox_admitted_share": 50 / 146,
    "sandbox_testing_share": 41 / 50,
    "sandbox_completed_share": None,
    "sandbox_graduated_share": None,
}


def _counts(params: Params) -> tuple[np.ndarray, int]:
    """Final-month counts of every stage, and the months in which the funnel was not nested."""
    frame = SandboxModel(params).run()
    counts = frame[list(STAGES)].to_numpy(dtype=float)
    broken = int((np.diff(counts, axis=1) > 0).any(axis=1).sum())
    return counts[-1], broken


def check(size: Size, jobs: int) -> list[CheckResult]:
    """One result per regime: the funnel's stage-to-stage shares over the replicates."""
    scenarios = [compose(f"policy={regime}") for regime in REGIMES]
    runs = [p for params in scenarios for p in replicates(params, size.funnel_replicates)]
    outcomes = chunks(run_all(_counts, runs, jobs), len(REGIMES))
    out = []
    for regime, params, results in zip(REGIMES, scenarios, outcomes, strict=True):
        counts = np.array([c for c, _ in results])  # replicates x stages
        broken = sum(b for _, b in results)
        totals = counts.sum(axis=0)
        numbers: dict[str, float | int | str | None] = {
            "replicates": len(counts),
            "policy.start": params.policy.start,
            "horizon.end": params.horizon.end,
        }
        for stage, mean in zip(STAGES, counts.mean(axis=0), strict=True):
            numbers[f"{stage}_mean"] = float(mean)
        for i, (stage, before) in enumerate(FUNNEL, start=1):
            with np.errstate(invalid="ignore", divide="ignore"):
                each = counts[:, i] / counts[:, i - 1]
            numbers[f"{stage}_share"] = float(totals[i] / totals[i - 1]) if totals[i - 1] else None
            numbers[f"{stage}_share_sd"] = float(np.nanstd(each, ddof=1)) if len(each) > 1 else 0.0
            numbers[f"{stage}_share_published"] = PUBLISHED[f"{stage}_share"]
            numbers[f"{stage}_of"] = before
        numbers["published_source"] = PUBLISHED["source"]
        problems = []
        if broken:
            problems.append(f"{broken} run-months with a stage larger than the one before")
        if totals[0] == 0:
            problems.append("no sandbox application in any replicate: no funnel to compare")
        admitted = numbers["sandbox_admitted_share"]
        out.append(
            CheckResult(
                family=FAMILY,
                name=regime,
                claim=f"policy={regime} (default scenario, {params.horizon.end}): the sandbox "
                "funnel's shares, pooled over replicates",
                value=float(admitted) if admitted is not None else float("nan"),
                tolerance="stages nested in every month; >= 1 application (shares not judged)",
                numbers=numbers,
                problems=tuple(problems),
            )
        )
    return out
