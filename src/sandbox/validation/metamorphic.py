"""Metamorphic relations: how outputs must move when inputs move, paired over replicates.

Replicate ``r`` is the same random world in every scenario (common random numbers), so
each relation compares runs pair by pair. Relations 1 to 4 run on the 63 provinces with the
policy in force from the first month (2019-01), 5,000 citizens; relation 5 on the default
scenario (history, merger, sandbox from 2026-01).

1. More central budget never lowers the mean number of provinces with a project, averaged
   over the months of the run (by 2030 every province has one whatever the budget, so the
   final month cannot tell; the average over months measures how early projects spread).
2. With zero incident risk nobody is harmed, under the status quo, the sandbox and
   facilitation (while pilots do run); with the default risk somebody is.
3. A sandbox with no capacity is the status quo on the approval path, run by run; an open
   one is not.
4. Start-ups (domestic SMEs) win a lower share of contracts under the status quo than
   under the sandbox, whose low compliance cost lets them bid.
5. Imitation only speeds diffusion: without incidents, citizens never act on institutions,
   and with exact thresholds (one exponential draw per citizen) a larger ``q`` raises every
   province's cumulative hazard, so raising ``q`` leaves every institutional metric
   identical and lowers adoption in no month of any replicate.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.model.metrics import METRICS
from sandbox.model.model import SandboxModel
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import chunks, compose, replicates, run_all, without_incidents
from sandbox.validation.sizes import Size

FAMILY = "metamorphic"
BASE = ("region=vietnam_63", "citizens.n=5000", "policy.start=2019-01")
BUDGETS = (0.0, 100.0, 400.0, 1600.0)  # resources.central_budget, billion VND a year
SAFE_POLICIES = ("status_quo", "controlled_pilot", "facilitation")
# every pilot count, and the provinces with a project or an application
APPROVAL_PATH = (
    *(m for m in METRICS if m.startswith("pilots_")),
    "provinces_with_project",
    "provinces_with_app",
)
COLUMNS = (*APPROVAL_PATH, "incidents", "citizens_harmed", "sme_contract_share")
Q_LOW, Q_HIGH = 0.38, 0.76
CITIZEN_METRICS = ("adoption", "adoption_urban", "adoption_rural", "urban_rural_gap")
INSTITUTIONS = tuple(m for m in METRICS if m not in CITIZEN_METRICS)
Z = 2.0  # paired differences are judged against Z standard errors


@dataclass(frozen=True)
class Paired:
    """A paired difference over replicates: its mean and standard error."""

    mean: float
    se: float

    @classmethod
    def of(cls, after: np.ndarray, before: np.ndarray) -> Paired:
        """The mean of ``after - before`` and its standard error."""
        diff = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
        se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
        return cls(float(diff.mean()), se)


def scenarios() -> dict[str, Params]:
    """Every scenario relations 1 to 4 run, by name."""
    quo = compose(*BASE)
    pilot = compose(*BASE, "policy=controlled_pilot")
    return {
        **{f"budget={b:g}": with_values(quo, {"resources.central_budget": b}) for b in BUDGETS},
        "status_quo": quo,
        "controlled_pilot": pilot,
        "controlled_pilot capacity=0": with_values(pilot, {"policy.sandbox.capacity": 0}),
        **{f"safe {p}": without_incidents(compose(*BASE, f"policy={p}")) for p in SAFE_POLICIES},
    }


def _columns(params: Params) -> pd.DataFrame:
    return SandboxModel(params).run()[list(COLUMNS)]


def _final(frames: Sequence[pd.DataFrame], column: str) -> np.ndarray:
    return np.array([f[column].iloc[-1] for f in frames], dtype=float)


def _over_months(frames: Sequence[pd.DataFrame], column: str) -> np.ndarray:
    return np.array([f[column].mean() for f in frames], dtype=float)


def budget_never_lowers_projects(runs: dict[str, list[pd.DataFrame]]) -> CheckResult:
    """Relation 1."""
    averages = [_over_months(runs[f"budget={b:g}"], "provinces_with_project") for b in BUDGETS]
    steps = [Paired.of(b, a) for a, b in itertools.pairwise(averages)]
    means = [float(f.mean()) for f in averages]
    problems = [
        f"central budget {lo:g} -> {hi:g}: mean change {s.mean:.2f} < -{Z:g} SE ({s.se:.2f})"
        for (lo, hi), s in zip(itertools.pairwise(BUDGETS), steps, strict=True)
        if s.mean < -Z * s.se
    ]
    if not means[-1] > means[0]:
        problems.append(
            f"budget makes no difference: {means[0]:.2f} at 0, {means[-1]:.2f} at {BUDGETS[-1]:g}"
        )
    return CheckResult(
        family=FAMILY,
        name="budget_never_lowers_projects",
        claim="more central budget never lowers the mean of provinces with a project "
        "(averaged over the months of the run)",
        value=min(s.mean for s in steps),
        condition=f"each step's mean paired change >= -{Z:g} SE; mean at {BUDGETS[-1]:g} > "
        "mean at 0",
        numbers={
            "replicates": len(averages[0]),
            **{f"mean_at_{b:g}": m for b, m in zip(BUDGETS, means, strict=True)},
            **{
                f"change_{lo:g}_to_{hi:g}": f"{s.mean:.3f} (SE {s.se:.3f})"
                for (lo, hi), s in zip(itertools.pairwise(BUDGETS), steps, strict=True)
            },
        },
        problems=tuple(problems),
    )


def no_risk_no_harm(runs: dict[str, list[pd.DataFrame]]) -> CheckResult:
    """Relation 2."""
    problems = []
    worst = 0.0
    fewest_running = np.inf
    for policy in SAFE_POLICIES:
        for r, frame in enumerate(runs[f"safe {policy}"]):
            harm = float(frame["incidents"].max() + frame["citizens_harmed"].max())
            worst = max(worst, harm)
            fewest_running = min(fewest_running, frame["pilots_running"].max())
            if harm > 0:
                problems.append(f"{policy} replicate {r}: incidents or harm with zero risk")
    if fewest_running == 0:
        problems.append("a run had no pilot running: the relation was not exercised")
    harmed_at_default = float(_final(runs["status_quo"], "citizens_harmed").sum())
    if harmed_at_default <= 0:
        problems.append("nobody harmed at the default risk either: the relation has no power")
    return CheckResult(
        family=FAMILY,
        name="no_risk_no_harm",
        claim="with zero incident risk there is no incident and nobody is harmed "
        f"({', '.join(SAFE_POLICIES)}), though pilots run",
        value=worst,
        condition="incidents + harmed = 0 in every month; pilots ran; harm > 0 at default risk",
        numbers={
            "replicates": len(runs["status_quo"]),
            "policies": ", ".join(SAFE_POLICIES),
            "max_incidents_plus_harmed": worst,
            "fewest_pilots_running_at_peak": float(fewest_running),
            "harmed_at_default_risk_total": harmed_at_default,
        },
        problems=tuple(problems[:5]),
    )


def closed_sandbox_is_status_quo(runs: dict[str, list[pd.DataFrame]]) -> CheckResult:
    """Relation 3."""
    path = list(APPROVAL_PATH)
    quo, closed, opened = (
        runs[k] for k in ("status_quo", "controlled_pilot capacity=0", "controlled_pilot")
    )
    differ = [
        r for r, (a, b) in enumerate(zip(quo, closed, strict=True)) if not a[path].equals(b[path])
    ]
    opened_differ = sum(not a[path].equals(b[path]) for a, b in zip(quo, opened, strict=True))
    problems = [
        f"replicate {r}: the closed sandbox's approval path is not the status quo's"
        for r in differ[:5]
    ]
    if opened_differ == 0:
        problems.append("an open sandbox equals the status quo too: the relation has no power")
    return CheckResult(
        family=FAMILY,
        name="closed_sandbox_is_status_quo",
        claim="a sandbox with capacity 0 equals the status quo on the approval path "
        f"({', '.join(APPROVAL_PATH)}) in every month, replicate by replicate",
        value=len(differ),
        condition="0 replicates differ; the open sandbox differs in >= 1",
        numbers={
            "replicates": len(quo),
            "replicates_differing": len(differ),
            "replicates_open_sandbox_differs": opened_differ,
        },
        problems=tuple(problems),
    )


def startups_gain_in_sandbox(runs: dict[str, list[pd.DataFrame]]) -> CheckResult:
    """Relation 4."""
    quo = _final(runs["status_quo"], "sme_contract_share")
    sandbox = _final(runs["controlled_pilot"], "sme_contract_share")
    gain = Paired.of(sandbox, quo)
    problems = []
    if not gain.mean > Z * gain.se:
        problems.append(f"mean gain {gain.mean:.4f} not above {Z:g} SE ({gain.se:.4f})")
    return CheckResult(
        family=FAMILY,
        name="startups_gain_in_sandbox",
        claim="start-ups' (SMEs') share of contracts is lower under the status quo than "
        "under the sandbox (final month)",
        value=gain.mean,
        condition=f"mean paired gain (sandbox - status quo) > {Z:g} SE",
        numbers={
            "replicates": len(quo),
            "status_quo_mean": float(quo.mean()),
            "sandbox_mean": float(sandbox.mean()),
            "mean_gain": gain.mean,
            "se": gain.se,
            "replicates_lower_under_status_quo": int((quo < sandbox).sum()),
        },
        problems=tuple(problems),
    )


def _imitation_pair(params: Params) -> tuple[bool, float, float, float]:
    """Institutions identical?, the smallest monthly adoption gain, both final adoptions."""
    low = SandboxModel(with_values(params, {"citizens.q_imitation": Q_LOW})).run()
    high = SandboxModel(with_values(params, {"citizens.q_imitation": Q_HIGH})).run()
    same = low[list(INSTITUTIONS)].equals(high[list(INSTITUTIONS)])
    gain = high["adoption"].to_numpy() - low["adoption"].to_numpy()
    final = (float(low["adoption"].iloc[-1]), float(high["adoption"].iloc[-1]))
    return same, float(gain.min()), *final


def imitation_only_speeds_diffusion(size: Size, jobs: int) -> CheckResult:
    """Relation 5."""
    # citizens' use feeds back into proposals (the political return): cut that loop, so
    # that q can act on adoption alone (the central budget has no users' fees either)
    params = without_incidents(
        compose("citizens.n=5000", "policy=controlled_pilot", "authorities.political_return=0")
    )
    pairs = run_all(_imitation_pair, replicates(params, size.metamorphic_replicates), jobs)
    changed = [r for r, (same, *_) in enumerate(pairs) if not same]
    lowest = min(g for _, g, _, _ in pairs)
    low = np.array([a for *_, a, _ in pairs])
    high = np.array([b for *_, b in pairs])
    problems = [f"replicate {r}: an institutional metric changed with q" for r in changed[:5]]
    if lowest < 0:
        problems.append(f"adoption fell by {-lowest:.6f} in some month when q rose")
    if not high.mean() > low.mean():
        problems.append("a larger q did not raise final adoption: the relation has no power")
    return CheckResult(
        family=FAMILY,
        name="imitation_only_speeds_diffusion",
        claim=f"without incidents and with citizens' feedback cut (political_return 0), "
        f"raising q from {Q_LOW} to {Q_HIGH} leaves every institutional metric identical and "
        "lowers adoption in no month (default scenario, controlled_pilot)",
        value=lowest,
        condition="smallest monthly adoption gain >= 0; 0 replicates with institutions changed",
        numbers={
            "replicates": len(pairs),
            "replicates_institutions_changed": len(changed),
            "smallest_monthly_gain": lowest,
            f"final_adoption_q{Q_LOW}": float(low.mean()),
            f"final_adoption_q{Q_HIGH}": float(high.mean()),
        },
        problems=tuple(problems),
    )


def check(size: Size, jobs: int) -> list[CheckResult]:
    """Every relation, over ``size.metamorphic_replicates`` paired replicates."""
    named = scenarios()
    n = size.metamorphic_replicates
    jobs_list = [p for params in named.values() for p in replicates(params, n)]
    frames = run_all(_columns, jobs_list, jobs)
    runs = dict(zip(named, chunks(frames, len(named)), strict=True))
    return [
        budget_never_lowers_projects(runs),
        no_risk_no_harm(runs),
        closed_sandbox_is_status_quo(runs),
        startups_gain_in_sandbox(runs),
        imitation_only_speeds_diffusion(size, jobs),
    ]
