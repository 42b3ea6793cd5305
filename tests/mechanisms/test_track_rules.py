"""Approval tracks on a few hand-made pilots: the ad-hoc review, the sandbox's funnel
(screening, admission within capacity, waiting and leaving, extensions, graduation) and
the local rule's exit. The expected values follow from the rules in the tracks'
docstrings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fakes import FakeContext, FakeFirm, with_values

from sandbox.config.params import Params
from sandbox.model.lifecycle import EXTEND, LIFE_DRAWS, STRIKE
from sandbox.model.pilots import Status
from sandbox.model.rng import geometric
from sandbox.model.tracks import AdHoc, LocalRule, Sandbox


def review(ctx: FakeContext) -> None:
    """The month's reviews, as the government runs them: each waiting application's
    track considers it, then each track closes its review."""
    waiting = [q for q in ctx.book.open_pilots if q.status is Status.PROPOSED]
    for pilot in waiting:
        pilot.track.consider(ctx, pilot)
    for track in dict.fromkeys(q.track for q in waiting):
        track.close_review(ctx)


# ------------------------------------------------------------------ ad hoc
def test_an_ad_hoc_application_is_decided_once_its_review_is_over() -> None:
    ctx = FakeContext()
    track = AdHoc(with_values(ctx.params.policy.adhoc, approval_prob=0.9))
    early = ctx.pilot(track, province=0, decision_month=1)
    approved = ctx.pilot(track, province=1, decision_month=0)
    refused = ctx.pilot(track, province=2, decision_month=0)
    ctx.book.set_draws(approved, 0.89)
    ctx.book.set_draws(refused, 0.9)  # approved with chance 0.9: a draw of 0.9 is not
    review(ctx)
    assert early.status is Status.PROPOSED and early.reviews == 0  # not decided, no draw
    assert approved.status is Status.APPROVED
    assert refused.status is Status.REJECTED and refused not in ctx.book.open_pilots
    assert ctx.book.counts == {"pilots_approved": 1, "pilots_rejected": 1}


def test_an_ad_hoc_success_adds_its_evidence_to_the_domain() -> None:
    ctx = FakeContext()
    track = AdHoc(ctx.params.policy.adhoc)
    pilot = ctx.pilot(track, status=Status.SUCCEEDED)
    track.on_success(ctx, pilot)
    assert ctx.government.gains == [(pilot.domain, ctx.params.policy.adhoc.evidence_value)]


# ----------------------------------------------------------------- sandbox
def sandbox_context(**terms) -> tuple[FakeContext, Sandbox]:
    """Three provinces and a sandbox whose terms are the defaults changed by ``terms``."""
    terms = {"capacity": 2, "cohort_size": 10, "approval_prob": 0.5, "max_waits": 1} | terms
    params = Params()
    params = with_values(params, policy__sandbox=with_values(params.policy.sandbox, **terms))
    ctx = FakeContext(n=3, params=params)
    return ctx, Sandbox(params.policy.sandbox)


def applicants(ctx: FakeContext, track: Sandbox, capabilities, capacities) -> list:
    """One application per province, its firm's capability and its authority's capacity."""
    out = []
    for k, (capability, capacity) in enumerate(zip(capabilities, capacities, strict=True)):
        ctx.authorities[k].digital_capacity = capacity
        out.append(ctx.pilot(track, province=k, firm=FakeFirm(capability=capability)))
    return out


def leave_chance(ctx: FakeContext, track: Sandbox, pilot) -> float:
    """The chance an applicant not admitted goes ad hoc (``Sandbox.leave``)."""
    extra = max(0.0, ctx.adhoc.params.legal_risk - track.params.legal_risk)
    unclear = 1.0 - ctx.government.clarity_of(pilot)
    aversion = ctx.authorities[pilot.province].risk_aversion
    return math.exp(-ctx.params.authorities.risk_weight * aversion * extra * unclear)


def test_a_call_admits_the_best_scored_within_capacity_and_the_rest_wait() -> None:
    ctx, track = sandbox_context()
    # scores (capability + capacity): 0.9, 1.3, 1.1
    pilots = applicants(ctx, track, (0.4, 0.6, 0.5), (0.5, 0.7, 0.6))
    for pilot in pilots:
        ctx.book.set_draws(pilot, 0.1, 0.2)  # screening passed (< 0.5); test-plan review
    review(ctx)
    admitted = [q for q in pilots if q.admitted >= 0]
    assert admitted == [pilots[1], pilots[2]]  # capacity 2 of 3 eligible: the best two
    assert ctx.book.counts["sandbox_admitted"] == 2
    review_months = track.params.review_months
    assert all(q.decision_month == geometric(0.2, review_months) for q in admitted)
    assert pilots[0].status is Status.PROPOSED and pilots[0].calls_waited == 1
    assert all(q.screened for q in pilots)


def test_admission_counts_the_trials_admitted_and_testing_against_capacity() -> None:
    ctx, track = sandbox_context(capacity=3)
    ctx.pilot(track, province=0, status=Status.RUNNING)
    ctx.pilot(track, province=1, status=Status.APPROVED)
    pilots = applicants(ctx, track, (0.9, 0.8), (0.5, 0.5))
    ctx.book.set_draws(pilots[0], 0.1, 0.2)
    ctx.book.set_draws(pilots[1], 0.1, 0.2)
    review(ctx)
    assert [q.admitted >= 0 for q in pilots] == [True, False]  # one free place
    assert pilots[1].calls_waited == 1


def test_nothing_is_admitted_between_calls() -> None:
    ctx, track = sandbox_context(call_interval=6)
    ctx.clock.t = 3
    (pilot,) = applicants(ctx, track, (0.9,), (0.9,))
    review(ctx)
    assert pilot.admitted < 0 and pilot.reviews == 0 and pilot.calls_waited == 0
    assert pilot.status is Status.PROPOSED
    ctx.clock.t = 6
    ctx.book.set_draws(pilot, 0.1, 0.2)
    review(ctx)
    assert pilot.admitted == 6


@pytest.mark.parametrize("goes_ad_hoc", [True, False])
def test_a_screened_out_applicant_goes_ad_hoc_with_the_stated_chance(goes_ad_hoc) -> None:
    ctx, track = sandbox_context()
    ctx.government.clarity[:] = 0.3
    (pilot,) = applicants(ctx, track, (0.9,), (0.9,))
    chance = leave_chance(ctx, track, pilot)
    assert 0.05 < chance < 0.95  # the defaults make the test meaningful
    leave = chance - 1e-9 if goes_ad_hoc else chance + 1e-9
    ctx.book.set_draws(pilot, 0.5, leave, 0.3)  # screened out (0.5 is not < 0.5); leaving
    review(ctx)
    counts = ctx.book.counts
    if goes_ad_hoc:
        adhoc = ctx.adhoc
        assert pilot.track is adhoc and pilot.status is Status.PROPOSED
        assert counts["sandbox_to_adhoc"] == 1 and counts["sandbox_withdrawn"] == 0
        assert pilot.bid_round == 1 and pilot in ctx.book.calls and pilot.firm is None
        assert pilot.decision_month == geometric(0.3, adhoc.params.review_months)
        assert pilot.scope == adhoc.scope(ctx.params.pilots, pilot.size)
    else:
        assert pilot.status is Status.REJECTED and pilot not in ctx.book.open_pilots
        assert counts["sandbox_withdrawn"] == 1 and counts["pilots_rejected"] == 1


def test_a_firm_below_the_minimum_capability_is_not_eligible() -> None:
    ctx, track = sandbox_context(min_capability=0.5)
    weak, strong = applicants(ctx, track, (0.4, 0.6), (0.9, 0.1))
    ctx.book.set_draws(weak, 1.0)  # leaves at once: withdraws
    ctx.book.set_draws(strong, 0.1, 0.2)
    review(ctx)
    assert strong.admitted == 0 and weak.status is Status.REJECTED
    assert weak.reviews == 1  # no screening draw: only the one deciding how it leaves


def test_an_applicant_out_of_calls_to_wait_leaves() -> None:
    ctx, track = sandbox_context(capacity=1, max_waits=1)
    first, second = applicants(ctx, track, (0.9, 0.5), (0.5, 0.5))
    ctx.book.set_draws(first, 0.1, 0.2)
    ctx.book.set_draws(second, 0.1, 1.0)  # screened in; at its second call, withdraws
    review(ctx)
    assert second.calls_waited == 1 and second.status is Status.PROPOSED
    ctx.clock.t = track.params.call_interval  # the next call: still no room
    review(ctx)
    assert second.status is Status.REJECTED
    assert ctx.book.counts["sandbox_withdrawn"] == 1


def test_the_sandbox_takes_eligible_provinces_while_it_has_room() -> None:
    ctx, track = sandbox_context(capacity=2, min_capacity=0.4)
    ctx.authorities[0].digital_capacity = 0.3
    assert not track.takes(ctx, ctx.authorities[0])  # not eligible
    assert track.takes(ctx, ctx.authorities[1])
    ctx.pilot(track, province=1, status=Status.RUNNING)
    assert track.takes(ctx, ctx.authorities[1])
    ctx.pilot(track, province=2)  # an application waiting counts too
    assert not track.takes(ctx, ctx.authorities[1])


def test_an_inconclusive_trial_is_extended_while_extensions_remain() -> None:
    ctx, track = sandbox_context(extensions=1, extension_prob=0.5, extension_months=12)
    pilot = ctx.pilot(track, status=Status.RUNNING, end=24)
    draws = np.full(LIFE_DRAWS, 0.9)
    draws[EXTEND] = 0.5
    assert not track.extend(ctx, pilot, draws)  # a chance of 0.5: a draw of 0.5 is not
    draws[EXTEND] = 0.49
    assert track.extend(ctx, pilot, draws) and pilot.end == 36 and pilot.extensions == 1
    assert not track.extend(ctx, pilot, draws)  # no extension left
    assert track.success_bonus(pilot) == track.params.extension_gain


def test_a_clean_success_graduates_beyond_the_exposure_cap() -> None:
    ctx, track = sandbox_context()
    clean = ctx.pilot(track, status=Status.SUCCEEDED, coverage=0.1, size=0.5, share=0.8)
    hurt = ctx.pilot(track, province=1, status=Status.SUCCEEDED, coverage=0.1, incidents=1)
    track.on_success(ctx, clean)
    track.on_success(ctx, hurt)
    assert clean.graduated and not hurt.graduated
    assert clean.coverage == pytest.approx(ctx.params.pilots.scope * 0.5 * 0.8)
    assert hurt.coverage == 0.1
    s = track.params
    assert ctx.government.gains == [
        (clean.domain, s.graduation_evidence),
        (hurt.domain, s.evidence_value),
    ]
    assert ctx.book.counts["sandbox_graduated"] == 1


# -------------------------------------------------------------- local rule
def local_rule(**terms) -> tuple[FakeContext, LocalRule]:
    ctx = FakeContext()
    return ctx, LocalRule(with_values(ctx.params.policy.experimental, **terms))


def test_a_local_rule_aligns_with_the_stated_chance() -> None:
    ctx, track = local_rule(coordination=0.2)
    pilot = ctx.pilot(track, status=Status.RUNNING)
    track.running(ctx, pilot, 0.2)
    assert not pilot.aligned
    track.running(ctx, pilot, 0.19)
    assert pilot.aligned
    track.running(ctx, pilot, 0.99)
    assert pilot.aligned  # once aligned, for good


def test_an_unaligned_rule_is_struck_down_or_reworked_once() -> None:
    ctx, track = local_rule(strike_down=0.3, rework_cost=0.1, rework_months=6)
    ctx.ledger.new_year(0.0, np.array([100.0, 100.0, 100.0]))
    struck = ctx.pilot(track, status=Status.RUNNING, end=10)
    reworked = ctx.pilot(track, province=1, status=Status.RUNNING, end=10, contract=50.0)
    draws = np.full(LIFE_DRAWS, 0.9)
    draws[STRIKE] = 0.29
    assert track.defer_end(ctx, struck, draws)
    assert struck.status is Status.HALTED and ctx.book.counts["rules_struck_down"] == 1
    draws[STRIKE] = 0.3
    assert track.defer_end(ctx, reworked, draws)
    assert reworked.status is Status.RUNNING and reworked.end == 16
    assert reworked.local_funding == pytest.approx(5.0)  # rework_cost x the contract
    assert ctx.ledger.local[1] == pytest.approx(95.0)
    assert not track.defer_end(ctx, reworked, draws)  # reworked once: the outcome decides


def test_an_aligned_rule_ends_on_its_outcome_and_its_success_weighs_more() -> None:
    ctx, track = local_rule(strike_down=1.0)
    pilot = ctx.pilot(track, status=Status.RUNNING, aligned=True)
    assert not track.defer_end(ctx, pilot, np.zeros(LIFE_DRAWS))
    track.on_success(ctx, pilot)
    assert ctx.government.gains == [(pilot.domain, track.params.aligned_evidence)]
