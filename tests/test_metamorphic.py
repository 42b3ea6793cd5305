"""Metamorphic relations, each over many seeds: how outputs must move when inputs move."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.model.model import SandboxModel
from tests.conftest import scenario

SEEDS = range(12)
APPROVAL_PATH = [
    "pilots_proposed",
    "pilots_approved",
    "pilots_rejected",
    "pilots_running",
    "pilots_succeeded",
    "pilots_failed",
    "provinces_with_project",
    "provinces_with_app",
]


def runs(params: Params, seeds=SEEDS) -> list[pd.DataFrame]:
    out = []
    for seed in seeds:
        out.append(SandboxModel(dataclasses.replace(params, seed=seed)).run())
    return out


def small(*overrides: str) -> Params:
    return scenario("region=vietnam_63", "citizens.n=5000", "policy.start=2019-01", *overrides)


@pytest.mark.parametrize("resources", ["central_budget", "competitive_fund", "mixed"])
def test_no_budget_and_no_ppp_means_no_projects(resources: str) -> None:
    params = small(
        f"resources={resources}",
        "resources.central_budget=0",
        "resources.local_budget=0",
        "resources.ppp_share=0",
        "infrastructure.database_cost=0",  # the national databases: a programme of their own
    )
    for frame in runs(params, range(4)):
        assert (frame["provinces_with_app"] == 0).all()
        assert (frame["public_spending"] == 0).all()
        assert (frame["adoption"] == 0).all()


def test_more_central_budget_never_lowers_mean_projects() -> None:
    # local money short (5 billion VND a year at fiscal capacity 1, against pilots of 10 to
    # 30), so that grants decide what gets built: at the default local budget provinces
    # fund most pilots themselves, sized to what they have
    means, paired = [], []
    previous = None
    for budget in (0.0, 100.0, 400.0, 1600.0):
        frames = runs(small(f"resources.central_budget={budget}", "resources.local_budget=5"))
        final = np.array([f["provinces_with_project"].iloc[-1] for f in frames], dtype=float)
        means.append(final.mean())
        if previous is not None:
            paired.append(final - previous)
        previous = final
    for diff in paired:
        # the mean never falls by more than its paired sampling error
        se = diff.std(ddof=1) / np.sqrt(len(diff)) if diff.std() > 0 else 0.0
        assert diff.mean() >= -2 * se, means
    assert means[-1] > means[0]  # budget does matter in this setting


def test_sandbox_with_no_capacity_is_status_quo_on_the_approval_path() -> None:
    quo = runs(small("policy=status_quo"), range(6))
    closed = runs(small("policy=controlled_pilot", "policy.sandbox.capacity=0"), range(6))
    for a, b in zip(quo, closed, strict=True):
        pd.testing.assert_frame_equal(a[APPROVAL_PATH], b[APPROVAL_PATH])
    opened = runs(small("policy=controlled_pilot"), range(6))
    assert any(
        not a[APPROVAL_PATH].equals(b[APPROVAL_PATH]) for a, b in zip(quo, opened, strict=True)
    )


@pytest.mark.parametrize("policy", ["status_quo", "controlled_pilot", "facilitation"])
def test_zero_incident_risk_means_nobody_harmed(policy: str) -> None:
    params = small(f"policy={policy}")
    safe = {f"domains.{f.name}.incident_risk": 0.0 for f in dataclasses.fields(params.domains)}
    for frame in runs(with_values(params, safe), range(6)):
        assert (frame["incidents"] == 0).all()
        assert (frame["citizens_harmed"] == 0).all()
        assert frame["pilots_running"].max() > 0  # pilots did run, and harmed nobody


def test_incident_risk_does_harm_someone() -> None:
    frames = runs(small(), range(6))
    assert sum(f["citizens_harmed"].iloc[-1] for f in frames) > 0
