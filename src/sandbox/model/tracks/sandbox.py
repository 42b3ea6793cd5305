"""The regulatory sandbox's track: an explicit funnel from application to graduation."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sandbox.config.params import PilotParams, SandboxParams
from sandbox.model.lifecycle import EXTEND
from sandbox.model.pilots import Status
from sandbox.model.tracks.adhoc import AdHoc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sandbox.model.interfaces import AuthorityView, TrackContext
    from sandbox.model.pilots import Pilot


class Sandbox(AdHoc):
    """Controlled pilots under sandbox terms (``policy.sandbox``): the funnel

    1. *application*: a proposal on this track waits for the next cohort call (every
       ``call_interval`` months from ``policy.start``);
    2. *screening*: the partner firm must have ``min_capability`` (the province's
       ``min_capacity`` is checked before it applies) and the application passes the
       regulator's screening with chance ``approval`` (``approval_prob``, and for a novel
       technology without a ``corridor`` times its legal clarity);
    3. *admission* by score (firm capability + local capacity) within ``cohort_size`` and
       the regulator's free ``capacity`` (admitted trials waiting for finance and trials
       testing count against it); the admission takes effect after the regulator's
       review of the test plan (``review_months``, geometric). An eligible applicant left
       out waits for the next call, at most ``max_waits`` calls; then, or when screened
       out, it keeps no sandbox terms: it goes ad hoc at once, re-priced, or withdraws
       (``leave``);
    4. *testing* under sandbox terms (exposure cap, monitoring, low compliance cost and
       legal risk) for ``duration_months``, at most ``max_duration``;
    5. *exit*: graduation (a success without incidents: the service launches at its
       planned reach, ``pilots.scope`` x its size, rather than the trial's
       ``exposure_cap``, and gives ``graduation_evidence`` to its domain's rule making), an
       extension of the same trial (``extension_months``, at most ``extensions`` times,
       with chance ``extension_prob``; the outcome is not drawn again, but each extension
       adds ``extension_gain`` to its chance of success), or failure / withdrawal.

    Cumulative counts: ``sandbox_applications``, ``_admitted``, ``_testing`` (trials
    started), ``_completed`` (trials that reached their end), ``_graduated``.

    Args:
        params: the sandbox's terms and design.
    """

    key = "sandbox"
    personal = True  # an applicant not admitted stays by its own risk aversion
    params: SandboxParams

    def __init__(self, params: SandboxParams) -> None:
        super().__init__(params)
        self._applicants: list[Pilot] = []

    def duration(self, pilots: PilotParams) -> int:
        """A trial's planned ``duration_months``, capped at ``max_duration``."""
        return min(self.params.duration_months, self.params.max_duration)

    def prospect(
        self, ctx: TrackContext, authority: AuthorityView, unclear: float, novel: bool
    ) -> float:
        """An applicant expects admission with the published chance ``approval`` and
        then the sandbox's legal risk; otherwise the ad-hoc route it may still take
        (``leave``): ``a (1 - risk) + (1 - a) stays x ad hoc's prospect``."""
        admitted = self.approval(novel, unclear)
        inside = 1.0 - self.params.legal_risk * unclear
        fallback = self._stays(ctx, authority, unclear) * ctx.adhoc.prospect(
            ctx, authority, unclear, novel
        )
        return admitted * inside + (1.0 - admitted) * fallback

    def _stays(self, ctx: TrackContext, authority: AuthorityView, unclear: float) -> float:
        """The chance an applicant not admitted still proposes ad hoc: the ratio of its
        chances of proposing on the two tracks (``LocalAuthority.propose``)."""
        extra = max(0.0, ctx.adhoc.params.legal_risk - self.params.legal_risk) * unclear
        weight = ctx.params.authorities.risk_weight
        return math.exp(-weight * authority.risk_aversion * extra)

    def load(self, ctx: TrackContext) -> int:
        """Trials admitted (waiting for finance) or testing, against the capacity."""
        return sum(
            1
            for q in ctx.book.open_pilots
            if q.track is self and q.status in (Status.APPROVED, Status.RUNNING)
        )

    def takes(self, ctx: TrackContext, authority: AuthorityView) -> bool:
        """An eligible province (digital capacity at least ``min_capacity``) may apply while
        trials admitted or testing and applications waiting together stay below the
        capacity (waiting applications count against it)."""
        if authority.digital_capacity < self.params.min_capacity:
            return False
        waiting = sum(
            1 for q in ctx.book.open_pilots if q.track is self and q.status is Status.PROPOSED
        )
        return self.load(ctx) + waiting < self.params.capacity

    def applied(self, ctx: TrackContext, pilot: Pilot) -> None:
        """An application."""
        ctx.book.count("sandbox_applications")

    def consider(self, ctx: TrackContext, pilot: Pilot) -> None:
        """Applications wait for the cohort call; an admitted one, for its test plan's
        review."""
        if pilot.admitted < 0:
            self._applicants.append(pilot)
        elif pilot.decision_month <= ctx.book.t:
            ctx.book.decide(pilot, True)

    def close_review(self, ctx: TrackContext) -> None:
        """At a call: screen, admit a cohort within capacity; the rest wait or withdraw."""
        applicants, self._applicants = self._applicants, []
        s = self.params
        if not applicants or ctx.clock.months_since_policy % s.call_interval != 0:
            return
        book = ctx.book
        admitted_waiting = sum(
            1
            for q in book.open_pilots
            if q.track is self and q.admitted >= 0 and q.status is Status.PROPOSED
        )
        free = max(0, min(s.cohort_size, s.capacity - self.load(ctx) - admitted_waiting))
        eligible = [
            q
            for q in applicants
            if q.firm.capability >= s.min_capability
            and (
                q.screened
                or book.review_draw(q) < self.approval(q.novel, ctx.government.unclear_of(q))
            )
        ]
        for q in eligible:
            q.screened = True
        eligible.sort(
            key=lambda q: -(q.firm.capability + ctx.authorities[q.province].digital_capacity)
        )
        admitted = {id(q) for q in eligible[:free]}
        waiting = {id(q) for q in eligible[free:]}
        for pilot in applicants:
            if id(pilot) in admitted:
                book.count("sandbox_admitted")
                pilot.admitted = book.t
                pilot.decision_month = book.t + book.review_delay(pilot, s.review_months)
                self.consider(ctx, pilot)
            elif id(pilot) in waiting and pilot.calls_waited < s.max_waits:
                pilot.calls_waited += 1
            else:
                self.leave(ctx, pilot)

    def leave(self, ctx: TrackContext, pilot: Pilot) -> None:
        """An applicant not admitted (screened out, or out of calls to wait) keeps no
        sandbox terms. Its province takes it ad hoc at once if it would still propose it
        under the ad-hoc track's legal risk: with chance ``exp(-authorities.risk_weight x
        risk aversion x (ad-hoc risk - sandbox risk) x (1 - clarity of its domain))``,
        the ratio of its chances of proposing on the two tracks
        (``LocalAuthority.propose``). Then it is re-priced:
        firms bid anew on ad-hoc terms and the ad-hoc review starts
        (``PilotBook.retrack``). Otherwise it withdraws, and its province may propose
        again on any track."""
        unclear = ctx.government.unclear_of(pilot)
        stays = self._stays(ctx, ctx.authorities[pilot.province], unclear)
        book = ctx.book
        if book.review_draw(pilot) < stays:
            book.count("sandbox_to_adhoc")
            book.retrack(pilot, ctx.adhoc)
        else:
            book.count("sandbox_withdrawn")
            book.reject(pilot)

    def started(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A trial starts testing."""
        ctx.book.count("sandbox_testing")

    def extend(self, ctx: TrackContext, pilot: Pilot, draws: Sequence[float]) -> bool:
        """An inconclusive trial may be extended while extensions remain."""
        if pilot.extensions >= self.params.extensions:
            return False
        if draws[EXTEND] >= self.params.extension_prob:
            return False
        pilot.extensions += 1
        pilot.end += self.params.extension_months
        return True

    def success_bonus(self, pilot: Pilot) -> float:
        """Each extension gives the same trial ``extension_gain`` more chance."""
        return self.params.extension_gain * pilot.extensions

    def finished(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A trial that reached its end (not one halted) completed."""
        if pilot.status in (Status.SUCCEEDED, Status.FAILED):
            ctx.book.count("sandbox_completed")

    def on_success(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A clean success graduates: the service launches beyond the trial's exposure cap
        (to its planned reach, ``pilots.scope`` x its size) and its evidence goes to the
        domain's rule making. A success that does not graduate keeps the trial's reach."""
        if pilot.incidents == 0 or not self.params.graduation_clean_only:
            pilot.graduated = True
            # the planned reach, on the pilot's share of its unit if a merger came between
            launch = ctx.params.pilots.scope * pilot.size * pilot.share
            pilot.coverage = max(pilot.coverage, launch)
            ctx.book.count("sandbox_graduated")
            ctx.government.add_evidence(pilot, self.params.graduation_evidence)
        else:
            super().on_success(ctx, pilot)
