"""Proposals are sized to what the province can fund: reach and cost cut in proportion,
down to ``pilots.min_size`` of a whole pilot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import SMALL, scenario
from sandbox.model.model import SandboxModel
from sandbox.model.pilots import Status

COST = 10.0  # billion VND, a whole pilot


def _sizes(monkeypatch, local: float, central: float, min_size: float = 0.25):
    """``ResourceMechanism.sizer`` of one whole pilot of ``COST`` at the given headrooms."""
    model = SandboxModel(scenario(*SMALL))
    monkeypatch.setattr(model.ledger, "local_headroom", lambda *_: local)
    monkeypatch.setattr(model.ledger, "central_headroom", lambda *_: central)
    resources = model.context.resources
    size = resources.sizer(model.context, 0, 12, min_size)(COST)
    return size, resources.params.grant_share


@pytest.mark.parametrize(
    ("local", "central", "expected"),
    [
        (100.0, 100.0, 1.0),  # room for the whole pilot
        (2.5, 100.0, 0.5),  # the province's half of a half pilot (the grant pays half)
        (2.5, 0.0, 0.25),  # no grant: the province pays all, a quarter fits
        (1.0, 0.0, 0.0),  # a tenth is below the smallest pilot
        # the centre could grant a whole pilot's 5 for only 0.4 of one; without a grant
        # the province funds 0.3 of one; with a grant on 0.4 it pays 2 and funds it
        (3.0, 2.0, 0.4),
    ],
)
def test_a_pilot_is_the_largest_share_the_province_can_fund(
    monkeypatch, local: float, central: float, expected: float
) -> None:
    size, grant_share = _sizes(monkeypatch, local, central)
    assert grant_share == 0.5  # the closed forms above assume it
    assert size == pytest.approx(expected)


def test_whole_pilots_only_at_min_size_one(monkeypatch) -> None:
    assert _sizes(monkeypatch, 4.99, 100.0, 1.0)[0] == 0.0
    assert _sizes(monkeypatch, 5.0, 100.0, 1.0)[0] == 1.0


def _run(seed: int, *overrides: str) -> tuple[SandboxModel, pd.Series]:
    model = SandboxModel(scenario(*SMALL, f"seed={seed}", "resources.local_budget=10", *overrides))
    return model, model.run().iloc[-1]


def test_sized_pilots_reach_and_cost_in_proportion_and_fit_the_budget() -> None:
    model, _ = _run(0)
    pilots = [q for a in model.authority_list for q in a.pilots]
    sizes = np.array([q.size for q in pilots])
    min_size, scope = model.params.pilots.min_size, model.params.pilots.scope
    assert ((sizes >= min_size) & (sizes <= 1.0)).all()
    assert (sizes < 1.0).any(), "a budget of 10 should leave some provinces short"
    premium = model.params.pilots.data_cost_premium
    financed = 0
    for q in pilots:
        assert q.scope == pytest.approx(min(scope * q.size, q.track.params.exposure_cap))
        if q.status in (Status.RUNNING, Status.SUCCEEDED, Status.FAILED):
            # a whole pilot's cost lies between the domain's and its cost with no data
            whole = q.contract / q.size
            base = model.context.domains.cost_list[q.domain]
            dependence = model.context.domains.dependence_list[q.domain]
            assert base * (1 - 1e-12) <= whole <= base * (1 + premium * dependence) * (1 + 1e-12)
            financed += q.size < 1.0
    assert financed > 0
    assert (model.ledger.local >= -1e-9).all()


def test_sizing_lets_provinces_short_of_money_deploy_more_and_reach_more_people() -> None:
    """Against proposing whole pilots only, over paired seeds, under a tight budget: more
    (province, domain) services, and, though each sized pilot reaches fewer, more of the
    population within reach of one."""
    sized = pd.DataFrame([_run(seed)[1] for seed in range(4)])
    whole = pd.DataFrame([_run(seed, "pilots.min_size=1")[1] for seed in range(4)])
    for metric in ("services_per_province", "population_covered"):
        assert sized[metric].mean() > whole[metric].mean(), metric
