"""The 2025 merger: 63 provinces become 34 units that inherit their provinces' state."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import scenario
from sandbox.model.metrics import observe
from sandbox.model.model import SandboxModel
from sandbox.model.status import Places
from sandbox.regions import load_region

BEFORE_POLICY = ("citizens.n=5000", "horizon.end=2025-12")


@pytest.fixture(scope="module")
def merged() -> tuple[SandboxModel, dict, dict]:
    """A model just before and just after the merger (state observed both times)."""
    model = SandboxModel(scenario(*BEFORE_POLICY, "seed=2"))
    while model.t < model.merge_t:
        model.step()
    model.status = model.book.status_matrix(model.region.n, model.base_map)  # as the merger sees
    before = _state(model)
    model.merge_provinces(load_region("vietnam_34.csv"), "vietnam_34.csv")
    return model, before, _state(model)


def _state(model: SandboxModel) -> dict:
    pilots = [q for a in model.authority_list for q in a.pilots]
    return {
        "row": observe(
            model.context, model.status, model.region, model.base_map.population, model.firm_set
        ),
        "pilots": {id(q) for q in pilots},
        "local": model.ledger.local.sum(),
        "allocated": model.ledger.allocated_local.sum(),
        "fiscal": model.ledger.fiscal.sum(),
        "adopters": (model.citizens.seg_adopters() * model.citizens.seg_weight).sum(),
    }


def test_the_map_changes_in_july_2025() -> None:
    frame = SandboxModel(scenario(*BEFORE_POLICY)).run().set_index("month")
    assert (frame.loc[:"2025-06", "provinces"] == 63).all()
    assert (frame.loc["2025-07":, "provinces"] == 34).all()
    assert frame["provinces_with_app"].max() <= 63
    assert (frame.loc["2025-07":, "provinces_with_app"] <= 34).all()


def test_units_inherit_pilots_money_and_citizens(merged) -> None:
    model, before, after = merged
    assert model.region.n == len(model.authority_list) == 34
    assert len(model.authorities) == 34  # the other provinces' agents are gone
    assert after["pilots"] == before["pilots"]  # every pilot and service carried over
    assert all(0 <= q.province < 34 for a in model.authority_list for q in a.pilots)
    for key in ("local", "allocated", "fiscal", "adopters"):
        assert after[key] == pytest.approx(before[key], rel=1e-12), key
    # population-weighted shares and adoption do not jump; counts of provinces do
    for key in ("adoption", "adoption_urban", "adoption_rural", "public_spending"):
        assert after["row"][key] == pytest.approx(before["row"][key], rel=1e-12), key
    assert after["row"]["provinces"] == 34 and before["row"]["provinces"] == 63
    # the merger alone changes no pilot: the people living where a project, an app or an
    # initiative exists are the same people (while more units than provinces have one)
    for key in ("project", "app", "initiative"):
        share = f"population_share_with_{key}"
        assert after["row"][share] == before["row"][share], share
    assert after["row"]["provinces_with_initiative"] / 34 > (
        before["row"]["provinces_with_initiative"] / 63
    )


def test_each_unit_holds_its_provinces_pilots(merged) -> None:
    model, _, _ = merged
    region = model.region
    for unit, authority in enumerate(model.authority_list):
        assert authority.name == region.names[unit]
        assert authority.province == unit
        assert all(q.province == unit for q in authority.pilots)


def test_money_is_conserved_across_the_merger() -> None:
    model = SandboxModel(scenario(*BEFORE_POLICY, "seed=7"))
    model.run()
    ledger = model.ledger
    assert len(ledger.local) == 34
    np.testing.assert_allclose(
        ledger.allocated_local, ledger.spent_local + ledger.local + ledger.lapsed_local
    )
    assert (ledger.local >= -1e-9).all()


def test_adoption_keeps_growing_through_the_merger() -> None:
    frame = SandboxModel(scenario(*BEFORE_POLICY, "seed=2")).run().set_index("month")
    jump = frame.loc["2025-07", "adoption"] - frame.loc["2025-06", "adoption"]
    step = frame.loc["2025-06", "adoption"] - frame.loc["2025-05", "adoption"]
    assert 0 <= jump <= 3 * max(step, 1e-3)


def test_a_run_starting_after_the_merger_uses_the_34_units() -> None:
    model = SandboxModel(scenario("citizens.n=2000", "horizon.start=2025-07"))
    assert model.region.n == 34 and model.merge_t == -1


def test_fixed_maps_never_merge() -> None:
    for region in ("vietnam_63", "vietnam_34"):
        frame = SandboxModel(scenario("citizens.n=2000", f"region={region}")).run()
        assert frame["provinces"].nunique() == 1


def test_the_books_kept_places_are_the_pilots_own_every_month_across_the_merger() -> None:
    """``PilotBook.held`` keeps its services' places from month to month; each month they
    must equal the places read afresh from the pilots, before the merger, in its month
    (the merger moves every pilot) and after it."""
    model = SandboxModel(scenario("citizens.n=3000", "horizon.end=2026-06", "seed=1"))
    months = 0
    while model.t < len(model.months):
        model.step()
        pilots, kept = model.book.held()
        assert np.array_equal(kept.table, Places.of(pilots).table), f"month {model.t}"
        assert kept.table.shape == (len(pilots), 5)
        months += 1
    assert model.t > model.merge_t  # the merger happened inside the run
    assert len(model.book.services) > 0 and months > 12
