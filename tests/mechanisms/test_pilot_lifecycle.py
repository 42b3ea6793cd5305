"""The pilots' stage (``sandbox.model.lifecycle``) on hand-made pilots with hand-set
monthly draws: incidents and halts, the conclusion at the end date, extensions and the
scaling of services. The expected values follow from the rules in its docstring."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fakes import FakeContext, FakeFirm, with_values

from sandbox.config.params import Params
from sandbox.model.domains import Domain
from sandbox.model.lifecycle import (
    EXTEND,
    INCIDENT,
    LIFE_DRAWS,
    SCALE,
    SEVERITY,
    SUCCESS,
    advance_pilots,
)
from sandbox.model.pilots import Status
from sandbox.model.tracks import AdHoc, Sandbox

DOMAIN = Domain.HEALTHCARE
CAPABILITY = 0.5


def draws(**columns: float) -> np.ndarray:
    """A month's row of draws: 0.99 (nothing happens) but for the named columns."""
    row = np.full(LIFE_DRAWS, 0.99)
    names = {"incident": INCIDENT, "severity": SEVERITY, "success": SUCCESS}
    names |= {"scale": SCALE, "extend": EXTEND}
    for name, value in columns.items():
        row[names[name]] = value
    return row


def running(ctx: FakeContext, track=None, end: int = 10, **state):
    track = AdHoc(ctx.params.policy.adhoc) if track is None else track
    firm = FakeFirm(capability=CAPABILITY)
    return ctx.pilot(
        track, domain=DOMAIN, status=Status.RUNNING, firm=firm, end=end, coverage=0.3, **state
    )


def incident_chance(ctx: FakeContext, scale: float = 1.0) -> float:
    """``1 - exp(-scale x risk x (incident_offset - capability))``."""
    p = ctx.params.pilots
    hazard = scale * ctx.domains.risk_list[DOMAIN] * (p.incident_offset - CAPABILITY)
    return -math.expm1(-hazard)


@pytest.mark.parametrize("happens", [True, False])
def test_an_incident_happens_with_the_stated_chance_and_harms(happens) -> None:
    ctx = FakeContext()
    ctx.citizens.exposed = 1_000.0
    pilot = running(ctx)
    chance = incident_chance(ctx)
    ctx.streams.life = draws(incident=chance * (0.999 if happens else 1.001))
    advance_pilots(ctx)
    counts = ctx.book.counts
    assert pilot.incidents == counts["incidents"] == int(happens)
    monitoring = pilot.track.params.monitoring
    harmed = 1_000.0 * ctx.params.pilots.harm_fraction * (1 - monitoring) if happens else 0
    assert counts["citizens_harmed"] == pytest.approx(harmed)
    assert ctx.citizens.incidents == ([(0, 0.3)] if happens else [])
    assert pilot.status is Status.RUNNING  # not severe (0.99)


def test_a_severe_incident_halts_a_running_pilot() -> None:
    ctx = FakeContext()
    pilot = running(ctx)
    severe = ctx.params.pilots.halt_severity * pilot.track.params.monitoring
    ctx.streams.life = draws(incident=0.0, severity=severe * 0.999)
    advance_pilots(ctx)
    assert pilot.status is Status.HALTED and pilot.coverage == 0.0
    assert pilot not in ctx.book.open_pilots and pilot not in ctx.book.services
    assert ctx.book.counts["pilots_halted"] == 1
    assert ctx.authorities[0].outcomes == [(pilot, Status.HALTED)]
    assert pilot.firm.learnt == [pilot]


def test_a_pilot_runs_on_until_its_end_date() -> None:
    ctx = FakeContext(t=5)
    pilot = running(ctx, end=7)
    ctx.streams.life = draws(success=0.0)
    advance_pilots(ctx)  # month 5: its end is month 7
    assert pilot.status is Status.RUNNING and pilot.outcome_draw < 0


@pytest.mark.parametrize("succeeds", [True, False])
def test_at_its_end_a_pilot_succeeds_with_its_chance_once(succeeds) -> None:
    ctx = FakeContext(t=9)
    ctx.appraisal.success = 0.6
    pilot = running(ctx, end=10)
    ctx.streams.life = draws(success=0.59 if succeeds else 0.6, scale=0.25)
    advance_pilots(ctx)
    if succeeds:
        assert pilot.status is Status.SUCCEEDED and pilot in ctx.book.services
        assert pilot.scale_threshold == pytest.approx(-math.log(1 - 0.25))
        assert pilot.coverage == 0.3  # a service keeps its reach
    else:
        assert pilot.status is Status.FAILED and pilot.coverage == 0.0
        assert pilot not in ctx.book.services
    assert pilot.finished_month == 9 and pilot not in ctx.book.open_pilots
    assert ctx.book.finished == [pilot]  # for the government to evaluate
    assert ctx.book.counts[f"pilots_{pilot.status.value}"] == 1


def test_an_extended_trial_keeps_its_success_draw_and_gains_its_bonus() -> None:
    params = Params()
    sandbox = with_values(params.policy.sandbox, extension_prob=0.5, extension_gain=0.2)
    ctx = FakeContext(t=9, params=with_values(params, policy__sandbox=sandbox))
    ctx.appraisal.success = 0.5
    track = Sandbox(sandbox)
    pilot = running(ctx, track=track, end=10)
    ctx.streams.life = draws(success=0.6, extend=0.4)  # fails (0.6 >= 0.5); extended
    advance_pilots(ctx)
    assert pilot.status is Status.RUNNING and pilot.extensions == 1
    assert pilot.end == 10 + sandbox.extension_months and pilot.outcome_draw == 0.6
    ctx.clock.t = pilot.end - 1
    ctx.streams.life = draws(success=0.99)  # not drawn again: 0.6 < 0.5 + 0.2
    pilot.life = None  # fetch the new draws
    advance_pilots(ctx)
    assert pilot.status is Status.SUCCEEDED


def test_a_service_scales_once_its_cumulative_hazard_passes_its_threshold() -> None:
    ctx = FakeContext(t=3, clarity=0.5)
    p = ctx.params.pilots
    step = p.scale_hazard * 0.5
    service = ctx.pilot(
        AdHoc(ctx.params.policy.adhoc),
        status=Status.SUCCEEDED,
        firm=FakeFirm(capability=CAPABILITY),
        finished_month=1,
        coverage=0.3,
        scale_threshold=2.5 * step,
    )
    fresh = ctx.pilot(service.track, province=1, status=Status.SUCCEEDED, finished_month=3)
    for _ in range(2):
        advance_pilots(ctx)
    assert not service.scaled and service.scale_progress == pytest.approx(2 * step)
    assert fresh.scale_progress == 0.0  # it ended this month: a service from the next
    advance_pilots(ctx)
    assert service.scaled and ctx.book.counts["pilots_scaled"] == 1
    assert service.coverage == 0.3
    advance_pilots(ctx)
    assert service.coverage == pytest.approx(min(p.scaled_coverage, 0.3 + p.scale_rate))


def test_a_service_meets_incidents_at_the_service_risk_lowered_by_clarity() -> None:
    ctx = FakeContext(t=3, clarity=0.4)
    p = ctx.params.pilots
    service = ctx.pilot(
        AdHoc(ctx.params.policy.adhoc),
        domain=DOMAIN,
        status=Status.SUCCEEDED,
        firm=FakeFirm(capability=CAPABILITY),
        finished_month=1,
        coverage=0.3,
    )
    chance = incident_chance(ctx, p.service_risk * (1 - p.clarity_safety * 0.4))
    ctx.streams.life = draws(incident=chance * 1.001, severity=0.0)
    advance_pilots(ctx)
    assert service.incidents == 0
    ctx.streams.life = draws(incident=chance * 0.999, severity=0.0)
    service.life = None  # fetch the new draws
    advance_pilots(ctx)
    assert service.incidents == 1
    assert service.status is Status.SUCCEEDED  # a service is not halted
