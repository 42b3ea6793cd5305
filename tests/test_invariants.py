"""Invariants that hold for every valid configuration (property-based, hypothesis)."""

from __future__ import annotations

import dataclasses
import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.config.meta import with_values
from sandbox.config.params.design import REGIMES
from sandbox.config.paths import CONFIG_DIR
from sandbox.model.metrics import COUNTERS, METRICS
from sandbox.model.model import SandboxModel
from tests.conftest import scenario

POLICIES = tuple(REGIMES)
# every option of the resources and data config groups, as their files declare them
RESOURCES = tuple(sorted(p.stem for p in (CONFIG_DIR / "resources").glob("*.yaml")))
DATA = tuple(sorted(p.stem for p in (CONFIG_DIR / "data").glob("*.yaml")))
PROVINCE_COUNTS = [m for m in METRICS if m.startswith("provinces_")]
SHARES = (
    "adoption",
    "adoption_urban",
    "adoption_rural",
    "interoperability",
    *tuple(m for m in METRICS if m.startswith("clarity_")),
)

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "40"))  # more for a deeper search

configs = st.fixed_dictionaries(
    {
        "policy": st.sampled_from(POLICIES),
        "resources": st.sampled_from(RESOURCES),
        "data": st.sampled_from(DATA),
        "seed": st.integers(0, 2**32),
        "n": st.integers(4, 3000),
        "propose_rate": st.floats(0, 1),
        "central_budget": st.floats(0, 2000),
        "local_budget": st.floats(0, 200),
        "incident_scale": st.floats(0, 20),
        "trust_drop": st.floats(0, 1),
        "abandon_prob": st.floats(0, 1),
        "capacity": st.integers(0, 30),
        "call_interval": st.integers(1, 12),
        "exposure_cap": st.floats(0, 1),
        "q": st.floats(0, 2),
    }
)


def build(c: dict) -> SandboxModel:
    params = scenario(
        "region=toy",
        f"policy={c['policy']}",
        f"resources={c['resources']}",
        f"data={c['data']}",
        "horizon.end=2021-12",
    )
    changes = {
        "seed": c["seed"],
        "citizens.n": c["n"],
        "citizens.trust_drop": c["trust_drop"],
        "citizens.abandon_prob": c["abandon_prob"],
        "citizens.q_imitation": c["q"],
        "authorities.propose_rate": c["propose_rate"],
        "resources.central_budget": c["central_budget"],
        "resources.local_budget": c["local_budget"],
        "policy.sandbox.capacity": c["capacity"],
        "policy.sandbox.call_interval": c["call_interval"],
        "policy.sandbox.exposure_cap": c["exposure_cap"],
    }
    for field in dataclasses.fields(params.domains):
        risk = getattr(params.domains, field.name).incident_risk
        changes[f"domains.{field.name}.incident_risk"] = min(1.0, risk * c["incident_scale"])
    return SandboxModel(with_values(params, changes))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_invariants_hold_for_random_valid_configs(c: dict) -> None:
    model = build(c)
    frame = model.run()
    n = model.region.n
    values = frame[list(METRICS)]
    assert not values.isna().any().any()
    assert ((values[PROVINCE_COUNTS] >= 0) & (values[PROVINCE_COUNTS] <= n)).all().all()
    for column in SHARES:
        assert frame[column].between(0, 1).all(), column
    # adopters never exceed the population, per segment and in total
    citizens = model.citizens
    adopters = citizens.seg_adopters()
    assert (adopters >= 0).all()
    assert (adopters <= np.diff(citizens.seg_start)).all()
    # cumulative counters never decrease; outcomes never exceed approvals
    assert (values[list(COUNTERS)].diff().dropna() >= 0).all().all()
    last = frame.iloc[-1]
    assert last["pilots_approved"] <= last["pilots_proposed"]
    ended = last["pilots_succeeded"] + last["pilots_failed"] + last["pilots_halted"]
    assert ended + last["pilots_running"] <= last["pilots_approved"]
    # money is never negative and never created: allocated = spent + remaining + lapsed
    ledger = model.ledger
    assert ledger.central >= -1e-9
    assert (ledger.local >= -1e-9).all()
    assert np.isclose(
        ledger.allocated_central, ledger.spent_central + ledger.central + ledger.lapsed_central
    )
    assert np.allclose(
        ledger.allocated_local, ledger.spent_local + ledger.local + ledger.lapsed_local
    )
    assert last["public_spending"] <= (
        ledger.allocated_central
        + ledger.allocated_local.sum()
        + model.context.data_regime.spent
        + 1e-6
    )
    funded = sum(q.cost for q in (*model.book.open_pilots, *model.book.services))
    assert funded <= ledger.public_spending + ledger.private + 1e-6
    assert (frame["public_spending"].diff().dropna() >= -1e-9).all()
