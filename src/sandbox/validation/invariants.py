"""Bounds and conservation that must hold in every month of every run.

The model is stepped month by month and every invariant is checked after each month, on
every combination of regulatory regime, resource mechanism and data regime, under three
settings (the defaults; everything pushed high; no money and a closed sandbox) and over
replicates: on the toy region with the policy in force from the first month, and (at the
default size) on the default map, whose history ends with the merger of 63 provinces into
34 units. The invariants are the ones ``tests/test_invariants.py`` states for the final
month, here checked in every month, plus the identity ``public_spending =
central_spending + local_spending`` and the nesting of the sandbox funnel.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.model.domains import DOMAINS
from sandbox.model.metrics import COUNTERS, FUNNEL, LEFT, METRICS
from sandbox.model.model import SandboxModel
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import (
    compose,
    options,
    replicates,
    run_all,
    with_mechanisms,
)
from sandbox.validation.sizes import Size

FAMILY = "invariants"
MECHANISMS = ("policy", "resources", "data")  # every option of each, in every combination
PROVINCE_COUNTS = tuple(m for m in METRICS if m.startswith("provinces_"))
SHARES = (
    "adoption",
    "adoption_urban",
    "adoption_rural",
    "interoperability",
    "population_covered",
    "population_scaled",
    "sme_contract_share",
    *(m for m in METRICS if m.startswith(("clarity_", "population_share_", "population_covered_"))),
)
MONEY_TOLERANCE = 1e-6  # billion VND
# the maps: their group options, then their values (set after the mechanisms' sections,
# as policy.start lives in the policy section)
MAPS: dict[str, tuple[tuple[str, ...], dict[str, object]]] = {
    "toy": (
        ("region=toy",),
        {"citizens.n": 2000, "policy.start": "2019-01", "horizon.end": "2024-12"},
    ),
    "vietnam": ((), {"citizens.n": 5000}),
}
SETTINGS: dict[str, dict[str, object]] = {
    "defaults": {},
    "stressed": {
        "authorities.propose_rate": 1.0,
        "resources.central_budget": 2000.0,
        "resources.local_budget": 200.0,
        "citizens.q_imitation": 2.0,
        "citizens.trust_drop": 1.0,
        "citizens.abandon_prob": 1.0,
        "policy.sandbox.capacity": 30,
        "policy.sandbox.call_interval": 1,
        "policy.sandbox.exposure_cap": 1.0,
        **{f"domains.{d.key}.incident_risk": 1.0 for d in DOMAINS},
    },
    "starved": {
        "authorities.propose_rate": 1.0,
        "resources.central_budget": 0.0,
        "resources.local_budget": 0.0,
        "citizens.q_imitation": 0.0,
        "policy.sandbox.capacity": 0,
    },
}


def _finite(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    bad = [m for m in METRICS if not np.isfinite(row[m])]
    return f"not finite: {', '.join(bad)}" if bad else None


def _province_counts(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    bad = [f"{m}={row[m]}" for m in PROVINCE_COUNTS if not 0 <= row[m] <= row["provinces"]]
    return f"outside [0, {row['provinces']}]: {', '.join(bad)}" if bad else None


def _shares(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    bad = [f"{m}={row[m]:.6g}" for m in SHARES if not 0.0 <= row[m] <= 1.0]
    return f"outside [0, 1]: {', '.join(bad)}" if bad else None


def _adopters(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    citizens = model.citizens
    adopters = citizens.seg_adopters()
    size = np.diff(citizens.seg_start)
    bad = np.flatnonzero((adopters < 0) | (adopters > size))
    if len(bad) == 0:
        return None
    s = int(bad[0])
    return f"segment {s}: {adopters[s]} adopters of {size[s]} citizens"


def _counters(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    if previous is None:
        return None
    names = (*COUNTERS, "public_spending", "central_spending", "private_investment")
    bad = [f"{m} {previous[m]} -> {row[m]}" for m in names if row[m] < previous[m] - 1e-9]
    return f"decreased: {', '.join(bad)}" if bad else None


def _spending(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    total = row["central_spending"] + row["local_spending"]
    if abs(row["public_spending"] - total) > MONEY_TOLERANCE * max(1.0, total):
        return (
            f"public_spending {row['public_spending']:.6f} != central {row['central_spending']:.6f}"
            f" + local {row['local_spending']:.6f}"
        )
    return None


def _ledger(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    ledger = model.ledger
    problems = []
    if ledger.central < -MONEY_TOLERANCE or (ledger.local < -MONEY_TOLERANCE).any():
        problems.append(
            f"a pool is negative (central {ledger.central:.6f}, "
            f"lowest local {ledger.local.min():.6f})"
        )
    central = ledger.spent_central + ledger.central + ledger.lapsed_central
    if not np.isclose(ledger.allocated_central, central, atol=MONEY_TOLERANCE):
        problems.append(
            f"central: allocated {ledger.allocated_central:.6f} != spent + "
            f"remaining + lapsed {central:.6f}"
        )
    local = ledger.spent_local + ledger.local + ledger.lapsed_local
    if not np.allclose(ledger.allocated_local, local, atol=MONEY_TOLERANCE):
        worst = int(np.argmax(np.abs(ledger.allocated_local - local)))
        problems.append(
            f"province {worst}: allocated {ledger.allocated_local[worst]:.6f} != "
            f"spent + remaining + lapsed {local[worst]:.6f}"
        )
    return "; ".join(problems) or None


def _pilots(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    ended = row["pilots_succeeded"] + row["pilots_failed"] + row["pilots_halted"]
    if row["pilots_approved"] > row["pilots_proposed"]:
        return f"approved {row['pilots_approved']} > proposed {row['pilots_proposed']}"
    if ended + row["pilots_running"] > row["pilots_approved"]:
        running, approved = row["pilots_running"], row["pilots_approved"]
        return f"ended {ended} + running {running} > approved {approved}"
    return None


def _funnel(model: SandboxModel, row: dict, previous: dict | None) -> str | None:
    bad = [f"{a} {row[a]} > {b} {row[b]}" for a, b in FUNNEL if row[a] > row[b]]
    out = sum(row[a] for a, _ in LEFT) + row["sandbox_admitted"]
    if out > row["sandbox_applications"]:
        bad.append(f"admitted + left {out} > applications {row['sandbox_applications']}")
    return "; ".join(bad) or None


Invariant = Callable[[SandboxModel, dict, "dict | None"], "str | None"]


@dataclass(frozen=True)
class Rule:
    """One invariant: its name, what it states and the function that finds a breach."""

    name: str
    claim: str
    breach: Invariant


RULES = (
    Rule("finite", "every metric is a finite number", _finite),
    Rule("province_counts", "every provinces_* count is in [0, provinces]", _province_counts),
    Rule(
        "shares",
        "adoption, coverage, clarity, interoperability and SME shares are in [0, 1]",
        _shares,
    ),
    Rule("adopters", "adopters per segment are in [0, the segment's citizens]", _adopters),
    Rule("cumulative", "cumulative counters and spending never decrease", _counters),
    Rule("spending", "public_spending = central_spending + local_spending", _spending),
    Rule(
        "ledger",
        "no budget pool is negative; allocated = spent + remaining + lapsed, "
        "for the centre and each province",
        _ledger,
    ),
    Rule("pilots", "approved <= proposed; ended + running <= approved", _pilots),
    Rule(
        "funnel",
        "the sandbox funnel is nested: applications >= admitted >= testing >= "
        "completed >= graduated, and applications >= admitted + gone ad hoc + withdrawn",
        _funnel,
    ),
)


@dataclass(frozen=True)
class Case:
    """One run of the grid: its label and its parameters."""

    label: str
    params: Params


def cases(size: Size) -> list[Case]:
    """Every (map, policy, resources, data, setting, replicate) the size checks."""
    counts = {"toy": size.invariant_replicates, "vietnam": size.invariant_full_map_replicates}
    maps = [where for where in MAPS if counts[where] > 0]
    policies, resources_options, data_options = (options(g) for g in MECHANISMS)
    grid = itertools.product(maps, policies, resources_options, data_options)
    out = []
    for i, (where, policy, resources, data) in enumerate(grid):
        groups, values = MAPS[where]
        params = with_mechanisms(compose(*groups), policy, resources, data)
        # in rotation, each data regime (the fastest-varying option) meets every setting
        rotated = list(SETTINGS)[(i + i // len(data_options)) % len(SETTINGS)]
        names = list(SETTINGS) if size.invariant_all_settings else [rotated]
        for setting in names:
            scenario = with_values(params, {**values, **SETTINGS[setting]})
            for p in replicates(scenario, counts[where]):
                label = f"{where} {policy} {resources} {data} {setting} replicate={p.replicate}"
                out.append(Case(label, p))
    return out


def breaches(case: Case) -> tuple[int, dict[str, tuple[int, str]]]:
    """Run one case month by month; the months run, and per rule the months it failed
    and the first failure."""
    model = SandboxModel(case.params)
    found: dict[str, tuple[int, str]] = {}
    previous = None
    while model.t < len(model.months):
        model.step()
        row = model.rows[-1]
        for rule in RULES:
            problem = rule.breach(model, row, previous)
            if problem is not None:
                count, first = found.get(rule.name, (0, ""))
                where = f"{case.label}, {model.months[model.t - 1]}: {problem}"
                found[rule.name] = (count + 1, first or where)
        previous = row
    return model.t, found


def check(size: Size, jobs: int) -> list[CheckResult]:
    """One result per invariant over the whole grid."""
    grid = cases(size)
    outcomes = run_all(breaches, grid, jobs)
    months = sum(m for m, _ in outcomes)
    failed: Counter[str] = Counter()
    runs_failed: Counter[str] = Counter()
    first: dict[str, str] = {}
    for _, found in outcomes:
        for name, (count, where) in found.items():
            failed[name] += count
            runs_failed[name] += 1
            first.setdefault(name, where)
    return [
        CheckResult(
            family=FAMILY,
            name=rule.name,
            claim=rule.claim,
            value=failed[rule.name],
            condition="0 run-months in breach",
            target=0,
            tolerance=0,
            numbers={
                "runs": len(grid),
                "run_months": months,
                "run_months_in_breach": failed[rule.name],
                "runs_in_breach": runs_failed[rule.name],
                "settings": ", ".join(SETTINGS),
                "replicates_toy": size.invariant_replicates,
                "replicates_default_map": size.invariant_full_map_replicates,
            },
            problems=(first[rule.name],) if rule.name in first else (),
        )
        for rule in RULES
    ]
