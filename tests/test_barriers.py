"""The barrier counterfactuals (``policy.barriers``, ``experiment=barriers``): each lift
leaves the shared history alone, acts from ``policy.start`` on the mechanism that carries
its barrier, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import scenario
from sandbox.model.barriers import UNLIMITED
from sandbox.model.model import SandboxModel

BASE = ("citizens.n=2000", "resources=ppp", "seed=3")
BARRIERS = ("legal", "data", "money", "private_capital", "hesitancy")


def _run(*overrides: str) -> tuple[SandboxModel, object]:
    model = SandboxModel(scenario(*BASE, *overrides))
    return model, model.run()


@pytest.fixture(scope="module")
def status_quo():
    return _run()


@pytest.mark.parametrize("barrier", BARRIERS)
def test_a_lift_shares_the_history_and_changes_what_follows(status_quo, barrier) -> None:
    model, frame = _run(f"policy.barriers.{barrier}=true")
    base = status_quo[1]
    t0 = model.policy_t0
    before = frame.iloc[:t0].drop(columns="month")
    assert before.equals(base.iloc[:t0].drop(columns="month"))
    assert not frame.iloc[t0:].equals(base.iloc[t0:])


def test_legal_gives_full_clarity_to_every_domain_and_class() -> None:
    model, frame = _run("policy.barriers.legal=true")
    assert np.all(model.government.clarity == 1.0)
    assert frame["clarity_novel"].iloc[-1] == 1.0


def test_legal_lets_novel_technologies_into_use(status_quo) -> None:
    # without a corridor no province proposes a novel technology (tests/test_outcomes.py)
    _, frame = _run("policy.barriers.legal=true")
    assert status_quo[1]["novel_uptake"].iloc[-1] == 0.0
    assert frame["novel_uptake"].iloc[-1] > 0.0


def test_data_connects_everyone_at_full_interoperability_at_no_cost(status_quo) -> None:
    model, frame = _run("policy.barriers.data=true")
    regime = model.context.data_regime
    assert regime.interoperability == 1.0 and regime.connected.all()
    assert regime.spent == status_quo[0].context.data_regime.spent  # nothing paid for it
    assert frame["provinces_connected_platform"].iloc[-1] == model.region.n


def test_money_never_lets_a_proposal_die_unfunded(status_quo) -> None:
    model, frame = _run("policy.barriers.money=true")
    t0 = model.policy_t0
    unfunded = frame["proposals_unfunded"]
    assert unfunded.iloc[-1] == unfunded.iloc[t0 - 1]  # none after the start
    ledger = model.ledger
    assert ledger.central > UNLIMITED / 2  # the pool never ran low
    np.testing.assert_allclose(  # money still conserved
        ledger.allocated_local, ledger.spent_local + ledger.local + ledger.lapsed_local
    )


def test_private_capital_brings_more_private_money(status_quo) -> None:
    _, frame = _run("policy.barriers.private_capital=true")
    assert frame["private_investment"].iloc[-1] > status_quo[1]["private_investment"].iloc[-1]


def test_hesitancy_makes_every_authority_aware_and_risk_neutral() -> None:
    model, _ = _run("policy.barriers.hesitancy=true")
    assert all(a.awareness == 1.0 and a.risk_aversion == 0.0 for a in model.authority_list)
