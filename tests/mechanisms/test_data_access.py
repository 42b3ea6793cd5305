"""Data regimes: a province's effective data access, and how interoperability and
connections change; the expected values follow from ``sandbox.model.data``'s formulas."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeContext, with_values

from sandbox.config.params import Params
from sandbox.model.data import make_data_regime


def regime(name: str, n: int = 3, previous=None, **terms):
    params = with_values(Params().data, name=name, **terms)
    data = make_data_regime(params, previous)
    data.setup(n)
    return data


def test_access_fills_the_provinces_own_data_with_national_data_where_connected() -> None:
    data = regime("fragmented", interoperability=0.2)
    data.interoperability = 0.6  # raised by milestones, for the connected only
    data.connect(np.array([False, True, False]))
    readiness = 0.3
    assert data.access(0, readiness, False) == pytest.approx(0.3 + 0.2 * 0.7)
    assert data.access(1, readiness, False) == pytest.approx(0.3 + 0.6 * 0.7)


def test_data_market_rules_add_their_bonus_of_the_remaining_gap() -> None:
    data = regime("fragmented", interoperability=0.2, market_bonus=0.3)
    plain = data.access(0, 0.3, False)
    assert data.access(0, 0.3, True) == pytest.approx(plain + 0.3 * (1 - plain))


def test_interoperable_data_connects_everyone_and_builds_to_the_target_at_its_cost() -> None:
    data = regime("interoperable", interoperability=0.1, target=0.8)
    params = Params()
    build = with_values(params.infrastructure, build_months=4, build_cost=200)
    ctx = FakeContext(params=with_values(params, infrastructure=build))
    assert data.connected.all() and data.interoperability == 0.1  # nothing built yet
    levels, spent = [], []
    for _ in range(6):
        data.start_month(ctx, np.zeros(3))
        levels.append(data.interoperability)
        spent.append(data.spent)
    assert levels == pytest.approx([0.275, 0.45, 0.625, 0.8, 0.8, 0.8])  # even steps of 0.7 / 4
    assert spent == pytest.approx([50, 100, 150, 200, 200, 200])  # the cost, spread evenly
    assert data.access(2, 0.5, False) == pytest.approx(0.5 + 0.8 * 0.5)


def test_the_national_databases_build_interoperability_at_their_cost() -> None:
    data = regime("fragmented", interoperability=0.1)
    build = with_values(Params().infrastructure, databases_interoperability=0.4, database_cost=30)
    data.connect_databases(2, 6, build)
    assert data.interoperability == pytest.approx(0.1 + 0.3 * 2 / 6) and data.spent == 60
    data.connect_databases(2, 6, build)  # none new: nothing changes
    assert data.interoperability == pytest.approx(0.2) and data.spent == 60
    data.connect_databases(6, 6, build)
    assert data.interoperability == pytest.approx(0.4) and data.spent == 180


def test_the_history_connects_the_six_national_databases_by_2022_12() -> None:
    from sandbox.model.data.connections import N_DATABASES, load_databases

    drive = load_databases("2019-01")
    assert drive == {25: 1, 47: N_DATABASES}  # 2021-02 and 2022-12
    assert load_databases("2024-01") == {0: N_DATABASES}  # connected before the start


def test_a_national_platform_invests_builds_and_connects_each_month() -> None:
    data = regime(
        "national_platform",
        interoperability=0.1,
        target=0.8,
        platform_budget=120.0,
        platform_efficiency=0.01,
        connect_rate=0.05,
    )
    data.start_month(FakeContext(), np.array([0.04, 0.05, 0.5]))
    assert data.connected.tolist() == [True, False, False]  # a chance of 0.05 each
    assert data.spent == pytest.approx(10.0)  # a twelfth of the yearly budget
    gap = 0.8 - 0.1
    assert data.interoperability == pytest.approx(0.1 + min(gap, 0.01 * 10.0 * gap))
    data.start_month(FakeContext(), np.array([0.9, 0.01, 0.9]))
    assert data.connected.tolist() == [True, True, False]  # connected for good


def test_a_regime_taking_over_keeps_the_interoperability_built_and_the_money_spent() -> None:
    before = regime("national_platform", interoperability=0.1, platform_budget=120.0)
    before.start_month(FakeContext(), np.zeros(3))
    after = regime("fragmented", previous=before)
    assert after.interoperability == before.interoperability and after.spent == before.spent
    assert after.connected.all()


def test_a_unit_is_connected_when_any_of_its_provinces_was() -> None:
    data = regime("fragmented", n=4)
    data.connect(np.array([1]))
    data.merge(np.array([0, 0, 1, 1]), 2)
    assert data.connected.tolist() == [True, False]
