"""The pilot book's lifecycle operations and the province x domain view, on hand-made
pilots; the expected values follow from the rules in ``sandbox.model.pilot_book`` and
``sandbox.model.status``."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeContext, FakeFirm

from sandbox.model.domains import Domain
from sandbox.model.pilot_book import PilotBook
from sandbox.model.pilots import Status
from sandbox.model.rng import RandomStreams, geometric
from sandbox.model.status import BaseMap, status_matrix
from sandbox.model.tracks import AdHoc, Sandbox


def test_a_proposal_is_counted_opened_called_and_its_review_starts() -> None:
    ctx = FakeContext(t=4)
    track = Sandbox(ctx.params.policy.sandbox)
    pilot = ctx.book.propose(2, Domain.WARNING, track, size=0.5)
    pilots = ctx.params.pilots
    assert (pilot.province, pilot.origin, pilot.proposed) == (2, 2, 4)
    assert pilot.duration == min(pilots.duration_months, track.params.max_duration)
    assert pilot.scope == min(pilots.scope * 0.5, track.params.exposure_cap)
    assert pilot.decision_month == 4 + geometric(0.5, track.params.review_months)
    assert ctx.book.open_pilots == [pilot] and ctx.book.calls == [pilot]
    assert ctx.book.counts == {"pilots_proposed": 1, "sandbox_applications": 1}
    assert ctx.book.take_calls() == [pilot] and ctx.book.calls == []


def test_a_retracked_proposal_takes_the_new_tracks_terms_and_is_bid_for_anew() -> None:
    ctx = FakeContext(t=6)
    sandbox = Sandbox(ctx.params.policy.sandbox)
    pilot = ctx.pilot(sandbox, share=0.5, size=0.8, bids=[FakeFirm()], firm=FakeFirm())
    adhoc = AdHoc(ctx.params.policy.adhoc)
    ctx.book.set_draws(pilot, 0.7)
    ctx.book.retrack(pilot, adhoc)
    pilots = ctx.params.pilots
    assert pilot.track is adhoc and pilot.duration == pilots.duration_months
    assert pilot.scope == pytest.approx(adhoc.scope(pilots, 0.8) * 0.5)
    assert pilot.firm is None and pilot.bids == [] and pilot.bid_round == 1
    assert pilot.decision_month == 6 + geometric(0.7, adhoc.params.review_months)
    assert ctx.book.calls == [pilot] and pilot.status is Status.PROPOSED


def test_a_financed_pilot_starts_for_its_duration_at_its_scope() -> None:
    ctx = FakeContext(t=3)
    pilot = ctx.pilot(AdHoc(ctx.params.policy.adhoc), status=Status.APPROVED)
    ctx.book.start(pilot)
    assert pilot.status is Status.RUNNING
    assert (pilot.start, pilot.end) == (3, 3 + pilot.duration)
    assert pilot.coverage == pilot.scope and pilot.firm.won == [pilot]
    assert ctx.book.status_matrix(1, BaseMap(np.ones(1), np.arange(1))).running == 1


def test_a_rejected_proposal_leaves_the_book_counted() -> None:
    ctx = FakeContext()
    pilot = ctx.pilot(AdHoc(ctx.params.policy.adhoc))
    ctx.book.decide(pilot, False)
    assert pilot.status is Status.REJECTED and ctx.book.open_pilots == []
    assert ctx.book.counts == {"pilots_rejected": 1}


@pytest.mark.parametrize("status", [Status.SUCCEEDED, Status.FAILED, Status.HALTED])
def test_a_finished_pilot_becomes_a_service_only_on_success(status) -> None:
    ctx = FakeContext(t=8)
    pilot = ctx.pilot(AdHoc(ctx.params.policy.adhoc), status=Status.RUNNING, coverage=0.3)
    ctx.book.finish(pilot, status)
    assert pilot.finished_month == 8 and ctx.book.open_pilots == []
    assert ctx.book.services == ([pilot] if status is Status.SUCCEEDED else [])
    assert pilot.coverage == (0.3 if status is Status.SUCCEEDED else 0.0)
    assert ctx.book.counts == {f"pilots_{status.value}": 1}
    assert ctx.authorities[0].outcomes == [(pilot, status)] and pilot.firm.learnt == [pilot]
    assert ctx.book.take_finished() == [pilot] and ctx.book.finished == []


def test_review_draws_are_keyed_by_the_proposal() -> None:
    """A proposal's i-th review draw is the i-th number of the ``review`` stream at its
    (province, month proposed), whatever other proposals drew."""
    ctx = FakeContext()
    ctx.streams = RandomStreams(5)
    book = PilotBook(ctx)
    track = AdHoc(ctx.params.policy.adhoc)
    mine, other = ctx.pilot(track, province=1), ctx.pilot(track, province=2)
    expected = RandomStreams(5).at("review", 1, 0).random(3)
    got = [book.review_draw(mine), book.review_draw(other), book.review_draw(mine)]
    got.append(book.review_draw(mine))
    assert [got[0], got[2], got[3]] == expected.tolist()
    assert mine.reviews == 3


def test_the_view_flags_pilots_and_joins_their_reach_as_a_union() -> None:
    """Two services of a domain reach people independently: 1 - (1 - 0.7)(1 - 0.6) of the
    province, never more than the whole of it."""
    ctx = FakeContext(n=2)
    track = AdHoc(ctx.params.policy.adhoc)
    d = Domain.WARNING
    ctx.pilot(track, province=0, domain=d, status=Status.APPROVED)
    ctx.pilot(track, province=1, domain=d, status=Status.RUNNING, coverage=0.7)
    ctx.pilot(track, province=1, domain=d, status=Status.SUCCEEDED, coverage=0.6, scaled=True)
    view = ctx.book.status_matrix(2, BaseMap(np.ones(2), np.arange(2)))
    assert view.live[:, d].tolist() == [True, True]
    assert view.deployed[:, d].tolist() == [False, True]
    assert view.succeeded[:, d].tolist() == [False, True]
    assert view.coverage[:, d].tolist() == [0.0, pytest.approx(1 - 0.3 * 0.4)]
    assert view.scaled[:, d].tolist() == [0.0, 0.6]
    assert view.live.sum() == 2


def test_after_a_merger_the_first_maps_view_follows_when_a_pilot_was_proposed() -> None:
    ctx = FakeContext(n=1)
    track = AdHoc(ctx.params.policy.adhoc)
    d = Domain.EDUCATION
    base = BaseMap(np.ones(3), np.arange(3))
    base.merge(np.array([0, 0, 0]), 12)  # three provinces became one unit in month 12
    old = ctx.pilot(track, domain=d, status=Status.RUNNING, proposed=5, origin=1)
    view = status_matrix([old], 1, base)
    assert view.base_deployed[:, d].tolist() == [False, True, False]  # its own province
    new = ctx.pilot(track, domain=Domain.PLANNING, status=Status.RUNNING, proposed=12)
    view = status_matrix([old, new], 1, base)
    assert view.base_deployed[:, Domain.PLANNING].tolist() == [True, True, True]  # the unit
