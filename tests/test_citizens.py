"""The vectorised population: allocation, sorting invariant, incidents."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.config.params import CitizenParams
from sandbox.model.citizens import Citizens, allocate
from sandbox.regions import load_region


@given(st.integers(4, 10**6), st.lists(st.floats(1, 1e7), min_size=1, max_size=70))
def test_allocate_is_exact_and_proportional(total: int, weights: list[float]) -> None:
    w = np.array(weights)
    if total < len(w):
        return
    counts = allocate(total, w)
    assert counts.sum() == total
    assert (counts >= 1).all()
    share = w / w.sum() * total
    if (share >= 1).all():  # no province needs lifting to its one citizen
        assert np.abs(counts - share).max() < 1


def make(n: int = 20000, **changes) -> Citizens:
    params = dataclasses.replace(CitizenParams(n=n), **changes)
    return Citizens(params, load_region("toy.csv"), np.random.default_rng(0))


def keys_sorted(c: Citizens) -> bool:
    return bool((np.diff(c.key) >= 0).all())


def test_keys_sorted_and_population_split_by_census() -> None:
    c = make()
    region = load_region("toy.csv")
    assert keys_sorted(c)
    assert c.n == 20000
    urban = np.diff(c.seg_start)[0::2]
    assert np.allclose(urban / c.province_n, region.urban_share, atol=1 / c.province_n.min())


def test_no_coverage_no_adoption() -> None:
    c = make()
    for _ in range(24):
        c.step(np.zeros(4))
    assert c.seg_adopters().sum() == 0


def test_exposure_with_certain_abandonment_removes_exposed_adopters() -> None:
    c = make(abandon_prob=1.0, trust_drop=0.0)
    for _ in range(36):
        c.step(np.ones(4))
    before = c.seg_adopters()
    exposed = c.expose(0, 1.0, np.random.default_rng(1))
    assert before[:2].sum() > 0  # the return value counts people, not simulated citizens
    assert exposed == pytest.approx(before[:2].sum() * c.seg_weight[0])
    after = c.seg_adopters()
    assert after[:2].sum() == 0 and np.array_equal(after[2:], before[2:])
    assert keys_sorted(c)


def test_full_data_protection_spares_all_an_incident_costs_with_full_relief() -> None:
    c = make(abandon_prob=1.0, trust_drop=1.0, protection_relief=1.0)
    for _ in range(24):
        c.step(np.ones(4))
    key, adopters = c.key.copy(), c.seg_adopters()
    exposed = c.expose(0, 1.0, np.random.default_rng(1), protection=1.0)
    assert exposed > 0  # the exposed adopters are still counted as exposed
    assert np.array_equal(c.seg_adopters(), adopters) and np.array_equal(c.key, key)


@pytest.mark.parametrize("protection", [0.0, 0.5])
def test_more_data_protection_means_fewer_abandon_after_an_incident(protection) -> None:
    kept = []
    for level in (protection, protection + 0.4):
        c = make(abandon_prob=0.5, trust_drop=0.0, protection_relief=0.8)
        for _ in range(24):
            c.step(np.ones(4))
        c.expose(0, 1.0, np.random.default_rng(1), protection=level)
        kept.append(c.seg_adopters()[:2].sum())
    assert kept[1] > kept[0]


def test_full_trust_loss_stops_adoption_of_exposed() -> None:
    c = make(abandon_prob=0.0, trust_drop=1.0)
    for _ in range(12):
        c.step(np.ones(4))
    before = c.seg_adopters()
    c.expose(1, 1.0, np.random.default_rng(1))
    assert keys_sorted(c)
    for _ in range(24):
        c.step(np.ones(4))
    after = c.seg_adopters()
    assert np.array_equal(after[2:4], before[2:4])  # province 1 frozen
    assert after[4:].sum() > before[4:].sum()  # others go on


def test_trust_drop_slows_but_keeps_order() -> None:
    hit, control = make(trust_drop=0.5), make(trust_drop=0.5)
    for c in (hit, control):
        for _ in range(6):
            c.step(np.ones(4))
    hit.expose(2, 0.5, np.random.default_rng(3))
    assert keys_sorted(hit)
    assert hit.multiplier.sum() < control.multiplier.sum()
    for c in (hit, control):
        for _ in range(24):
            c.step(np.ones(4))
    assert hit.seg_adopters()[4:6].sum() < control.seg_adopters()[4:6].sum()
