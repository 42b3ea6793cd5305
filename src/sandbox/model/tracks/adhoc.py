"""Ad-hoc approval: case by case, without a legal corridor; the base every track extends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PilotParams, TrackParams

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sandbox.model.interfaces import AuthorityView, TrackContext
    from sandbox.model.pilots import Pilot


class AdHoc:
    """Each application is decided on its own when its review delay has passed.

    The hooks below are the whole behaviour of a track; a subclass overrides those that
    differ. Terms (review delay, approval chance, legal risk, compliance cost, monitoring,
    exposure cap) are the ``TrackParams`` given at construction. The hooks see the model
    through a ``TrackContext`` (``sandbox.model.interfaces``): the pilot book, the clock,
    legal clarity, the authorities, the ad-hoc track in force and the local pools.

    Args:
        params: the track's terms.
    """

    key = "adhoc"
    # whether ``prospect`` depends on the applicant (else it is valued once a month for all)
    personal = False

    def __init__(self, params: TrackParams) -> None:
        self.params = params

    # ------------------------------------------------------------------ terms
    def duration(self, pilots: PilotParams) -> int:
        """Planned months of running: the track's own ``duration_months`` (0 on the ad-hoc
        track: the history's fitted ``pilots.duration_months``)."""
        return self.params.duration_months or pilots.duration_months

    def scope(self, pilots: PilotParams, size: float = 1.0) -> float:
        """Share of the province a pilot of ``size`` of a whole one reaches on this track:
        its planned reach, within the track's exposure cap."""
        return min(pilots.scope * size, self.params.exposure_cap)

    def approval(self, novel: bool, unclear: float) -> float:
        """The chance an application is approved: ``approval_prob``, times the technology's
        clarity (1 - ``unclear``) for a novel one on a track without a ``corridor``."""
        p = self.params
        return p.approval_prob * (1.0 - unclear) if novel and not p.corridor else p.approval_prob

    def prospect(
        self, ctx: TrackContext, authority: AuthorityView, unclear: float, novel: bool
    ) -> float:
        """What an applicant expects of this track, per unit of a proposal's value, for a
        technology (``novel`` or not) whose rules leave ``unclear`` (1 - clarity) of the
        legal risk: the chance of approval x (1 - the legal risk it bears there).
        Applicants compare tracks by it (``LocalAuthority.propose``)."""
        return self.approval(novel, unclear) * (1.0 - self.params.legal_risk * unclear)

    def takes(self, ctx: TrackContext, authority: AuthorityView) -> bool:
        """Whether the track takes an application from ``authority`` this month."""
        return True

    # ----------------------------------------------------------------- review
    def consider(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A waiting application, once per month: decide it when its review is over (with
        the chance ``approval``)."""
        book = ctx.book
        if pilot.decision_month <= book.t:
            unclear = ctx.government.unclear_of(pilot)
            approve = book.review_draw(pilot) < self.approval(pilot.novel, unclear)
            book.decide(pilot, approve)

    def close_review(self, ctx: TrackContext) -> None:
        """After every waiting application was considered this month (cohort decisions)."""

    def applied(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A proposal was made on this track (records, for tracks that keep them)."""

    # ------------------------------------------------------------------- exits
    def started(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A pilot on this track was financed and started running."""

    def running(self, ctx: TrackContext, pilot: Pilot, draw: float) -> None:
        """A running pilot's month on this track (``draw`` is uniform, its own)."""

    def defer_end(self, ctx: TrackContext, pilot: Pilot, draws: Sequence[float]) -> bool:
        """At the end date, before the outcome: ``True`` postpones the end (the pilot's
        month of draws is ``draws``, columns as in ``sandbox.model.lifecycle``)."""
        return False

    def success_bonus(self, pilot: Pilot) -> float:
        """What the track adds to a pilot's chance of success at its end."""
        return 0.0

    def extend(self, ctx: TrackContext, pilot: Pilot, draws: Sequence[float]) -> bool:
        """After an unsuccessful end: ``True`` extends the trial instead of failing it."""
        return False

    def finished(self, ctx: TrackContext, pilot: Pilot) -> None:
        """A pilot on this track ended (succeeded, failed or halted)."""

    def on_success(self, ctx: TrackContext, pilot: Pilot) -> None:
        """Evaluated the month after a success: its evidence (``evidence_value``) goes to
        its domain's rule making (``sandbox.model.legislation``)."""
        ctx.government.add_evidence(pilot, self.params.evidence_value)
