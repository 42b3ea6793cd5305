"""Regimes route each proposal to a track (``track_for``) and run their monthly events;
checked on a few fake provinces against the rules in the regimes' docstrings."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeContext, with_values

from sandbox.config.params import Params
from sandbox.model.pilots import Status
from sandbox.model.policy import make_regime
from sandbox.model.tracks import AdHoc, Facilitated, LocalRule, Sandbox


def regime_context(name: str, n: int = 4, **policy) -> FakeContext:
    params = Params()
    params = with_values(params, policy=with_values(params.policy, name=name, **policy))
    ctx = FakeContext(n=n, params=params)
    ctx.regime = make_regime(params.policy)
    return ctx


@pytest.mark.parametrize(
    ("name", "track"),
    [
        ("status_quo", AdHoc),
        ("experimental", LocalRule),
        ("facilitation", Facilitated),
    ],
)
def test_a_single_track_regime_routes_every_proposal_to_its_track(name, track) -> None:
    ctx = regime_context(name)
    routed = {type(ctx.regime.track_for(ctx, a)) for a in ctx.authorities}
    assert routed == {track}


def test_a_controlled_pilot_regime_sends_to_the_sandbox_while_it_takes_the_province() -> None:
    params = Params()
    sandbox = with_values(params.policy.sandbox, capacity=1, min_capacity=0.4)
    ctx = regime_context("controlled_pilot", sandbox=sandbox)
    regime = ctx.regime
    low, high = ctx.authorities[0], ctx.authorities[1]
    low.digital_capacity, high.digital_capacity = 0.3, 0.6
    assert regime.track_for(ctx, low) is regime.adhoc  # not eligible
    assert regime.track_for(ctx, high) is regime.sandbox
    ctx.pilot(regime.sandbox, province=2)  # the only place taken by an application
    assert regime.track_for(ctx, high) is regime.adhoc


def test_phased_waves_admit_the_readiest_provinces_first() -> None:
    phasing = with_values(Params().policy.phasing, n_waves=2, phase_months=12, order="readiness")
    ctx = regime_context("phased", phasing=phasing)
    for authority, capacity in zip(ctx.authorities, (0.2, 0.9, 0.5, 0.7), strict=True):
        authority.digital_capacity = capacity
    regime = ctx.regime
    regime.setup(ctx)
    assert regime.wave.tolist() == [1, 0, 1, 0]  # the two readiest in the first wave
    assert isinstance(regime.within, Facilitated)
    routed = [regime.track_for(ctx, a) for a in ctx.authorities]
    assert routed == [regime.adhoc, regime.within, regime.adhoc, regime.within]
    ctx.clock.t = 12  # the second wave starts
    assert all(regime.track_for(ctx, a) is regime.within for a in ctx.authorities)


def test_phased_waves_in_need_order_start_with_the_least_ready() -> None:
    phasing = with_values(Params().policy.phasing, n_waves=2, order="need")
    ctx = regime_context("phased", phasing=phasing)
    for authority, capacity in zip(ctx.authorities, (0.2, 0.9, 0.5, 0.7), strict=True):
        authority.digital_capacity = capacity
    ctx.regime.setup(ctx)
    assert ctx.regime.wave.tolist() == [0, 1, 0, 1]


def test_a_completed_phase_codifies_its_evidence_and_connects_its_waves() -> None:
    """A phase's end adds what the phase achieved: its pilots' evidence is codified (the
    government's ``codify``), and nothing is given on a schedule (no clarity, no
    interoperability)."""
    phasing = with_values(Params().policy.phasing, n_waves=2, phase_months=12)
    ctx = regime_context("phased", phasing=phasing)
    for authority, capacity in zip(ctx.authorities, (0.2, 0.9, 0.5, 0.7), strict=True):
        authority.digital_capacity = capacity
    regime = ctx.regime
    regime.setup(ctx)
    start = ctx.data_regime.interoperability
    for t in (0, 5, 11):  # no phase has ended
        ctx.clock.t = t
        regime.start_month(ctx)
    assert ctx.government.codified == 0 and not ctx.data_regime.connected.any()
    ctx.clock.t = 12  # the first wave completed its phase
    regime.start_month(ctx)
    assert ctx.government.codified == 1 and ctx.government.gains == []
    assert ctx.data_regime.interoperability == start
    assert ctx.data_regime.connected.tolist() == [False, True, False, True]
    ctx.clock.t = 24
    regime.start_month(ctx)
    assert ctx.data_regime.connected.all() and ctx.government.codified == 2
    ctx.clock.t = 36  # after the last phase: nothing more
    regime.start_month(ctx)
    assert ctx.government.codified == 2


def test_phased_sandbox_runs_a_sandbox_inside_the_waves() -> None:
    phasing = with_values(Params().policy.phasing, n_waves=2, within="sandbox")
    ctx = regime_context("phased", phasing=phasing)
    regime = ctx.regime
    regime.setup(ctx)
    assert isinstance(regime.within, Sandbox)
    first = [a for a in ctx.authorities if regime.wave[a.province] == 0]
    assert all(regime.track_for(ctx, a) is regime.within for a in first)
    for k in range(regime.within.params.capacity):  # the sandbox is full
        ctx.pilot(regime.within, province=0, status=Status.RUNNING, proposed=k)
    assert all(regime.track_for(ctx, a) is regime.adhoc for a in first)


def test_standard_contracts_save_only_where_the_regime_has_them() -> None:
    params = Params()
    with_contracts = make_regime(
        with_values(params.policy, standard_contracts=True, contract_saving=0.3)
    )
    without = make_regime(with_values(params.policy, standard_contracts=False))
    assert with_contracts.contract_saving == 0.3 and without.contract_saving == 0.0


def test_a_unit_is_in_the_earliest_wave_of_its_provinces() -> None:
    ctx = regime_context("phased", phasing=with_values(Params().policy.phasing, n_waves=2))
    ctx.regime.setup(ctx)
    wave = ctx.regime.wave.copy()
    ctx.regime.merge(np.array([0, 0, 1, 1]), 2)
    assert ctx.regime.wave.tolist() == [min(wave[:2]), min(wave[2:])]
