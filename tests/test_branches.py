"""A design point's branches are the full runs of the same scenarios, bit for bit."""

from __future__ import annotations

import math

import pytest

from conftest import scenario
from sandbox.config.meta import with_values
from sandbox.experiments.branches import WALL_SECONDS, evaluate
from sandbox.experiments.runner import run

POLICIES = ("status_quo", "facilitation", "phased_sandbox")
BASE = ("region=toy", "citizens.n=2000", "horizon.end=2027-06")


def _same(a: object, b: object) -> bool:
    both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return both_nan or a == b


@pytest.mark.parametrize("replicate", [0, 3])
def test_each_branch_equals_the_full_run_of_its_scenario(replicate: int) -> None:
    policies = {name: scenario(f"policy={name}", *BASE) for name in POLICIES}
    values = {"citizens.trust_mean": 0.35, "authorities.risk_weight": 1.3}
    out = evaluate(policies, values, replicate)
    assert list(out) == list(POLICIES)
    for name, params in policies.items():
        alone = run(with_values(params, {**values, "replicate": replicate})).summary
        assert out[name].keys() - alone.keys() == {WALL_SECONDS}
        differ = [k for k in alone if not _same(alone[k], out[name][k])]
        assert not differ, f"{name}: {differ}"
        assert out[name][WALL_SECONDS] > 0


def test_the_values_reach_the_history() -> None:
    """A value that acts before the policy starts changes what every branch inherits."""
    policies = {"status_quo": scenario(*BASE)}
    low = evaluate(policies, {"citizens.trust_mean": 0.1}, 0)["status_quo"]
    high = evaluate(policies, {"citizens.trust_mean": 0.6}, 0)["status_quo"]
    assert high["adoption"] > low["adoption"]
