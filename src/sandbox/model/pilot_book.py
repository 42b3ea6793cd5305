"""The pilot book: every proposal from its making to its end, and the cumulative counters.

The book owns the pilots the model is busy with (``open_pilots``: proposed, approved or
running), the services (succeeded pilots still deployed), this month's calls for bids and
the pilots that ended since the government last evaluated them. Its operations are the
lifecycle of docs/model.md (S2, S4, S8):

``propose -> (retrack) -> decide -> start -> finish``, or ``-> reject`` (refused, unfunded,
no bidder, withdrawn).

Who calls what: authorities ``propose``; tracks review (``review_draw``, ``review_delay``,
``decide``, ``reject``, ``retrack``) and may ``finish`` (a local rule struck down); the
government ``start``s financed pilots and ``reject``s unfunded ones; the pilots' stage
(``sandbox.model.lifecycle``) ``finish``es pilots at their end. Each operation calls the
pilot's track's hook (``applied``, ``started``, ``finished``) with the book's ``context``.

The counters (``counts``, names in ``metrics.COUNTERS``) are cumulative; mechanisms add
to them with ``count``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sandbox.model.pilots import Pilot, Status
from sandbox.model.rng import geometric
from sandbox.model.status import BaseMap, Places, StatusMatrix, status_matrix

if TYPE_CHECKING:
    from sandbox.model.domains import Domain
    from sandbox.model.interfaces import BookContext
    from sandbox.model.tracks import AdHoc


class PilotBook:
    """The pilots and their lifecycle (module docstring).

    Args:
        context: what the book hands the tracks' hooks, and where it reads the month
            (``clock``), the pilots' terms (``params.pilots``), the review draws
            (``streams``) and the authorities told of an outcome.
    """

    def __init__(self, context: BookContext) -> None:
        self.context = context
        self.counts: Counter[str] = Counter()
        self.open_pilots: list[Pilot] = []  # proposed, approved or running
        self.services: list[Pilot] = []  # succeeded, still deployed
        self.finished: list[Pilot] = []  # ended since the last evaluation (the government's)
        self.calls: list[Pilot] = []  # proposals made this month, open for bids
        self._service_places: Places | None = None  # ``held``

    @property
    def t(self) -> int:
        """Index of the month being simulated."""
        return self.context.clock.t

    def count(self, name: str, amount: float = 1) -> None:
        """Add to a cumulative counter (names in ``metrics.COUNTERS``)."""
        self.counts[name] += amount

    # ---------------------------------------------------------------- proposals
    def propose(
        self,
        province: int,
        domain: Domain,
        track: AdHoc,
        size: float = 1.0,
        technology: int = -1,
        novel: bool = False,
    ) -> Pilot:
        """Create a proposal of ``size`` of a whole pilot (reach and cost) of a
        ``technology`` (``novel`` or not), planned for its track's duration x the
        technology's (``Technologies.duration``); it is open for bids this month."""
        pilots = self.context.params.pilots
        pilot = Pilot(
            province=province,
            domain=domain,
            track=track,
            proposed=self.t,
            duration=self.context.technologies.duration(technology, track.duration(pilots)),
            scope=track.scope(pilots, size),
            size=size,
            technology=technology,
            novel=novel,
            origin=province,
        )
        self.count("pilots_proposed")
        self.open_pilots.append(pilot)
        self._apply(pilot)
        return pilot

    def retrack(self, pilot: Pilot, track: AdHoc) -> None:
        """A proposal moves to ``track`` on its terms: the track's reach and length (x its
        technology's, ``Technologies.duration``), a new review, and new bids this month
        (the firms price it anew)."""
        pilots = self.context.params.pilots
        pilot.track = track
        pilot.duration = self.context.technologies.duration(
            pilot.technology, track.duration(pilots)
        )
        pilot.scope = track.scope(pilots, pilot.size) * pilot.share
        pilot.firm = None
        pilot.bids = []
        pilot.bid_round += 1
        self._apply(pilot)

    def _apply(self, pilot: Pilot) -> None:
        """A proposal applies on its track: its review starts, and it is open for bids."""
        track = pilot.track
        pilot.decision_month = self.t + self.review_delay(pilot, track.params.review_months)
        track.applied(self.context, pilot)
        self.calls.append(pilot)

    def take_calls(self) -> list[Pilot]:
        """This month's proposals open for bids (the market's), and close the calls."""
        calls, self.calls = self.calls, []
        return calls

    # ------------------------------------------------------------------ reviews
    def review_draw(self, pilot: Pilot) -> float:
        """The next uniform of a proposal's review (delays and decisions), keyed by the
        proposal: the same numbers under every policy in which the proposal exists."""
        i = pilot.reviews
        pilot.reviews += 1
        stream = self.context.streams.at("review", pilot.origin, pilot.proposed)
        return float(stream.random(i + 1)[i])

    def review_delay(self, pilot: Pilot, mean_months: float) -> int:
        """A review delay in months (geometric with the given mean), from the proposal's
        review draws."""
        return geometric(self.review_draw(pilot), mean_months)

    def decide(self, pilot: Pilot, approve: bool) -> None:
        """The regulator's decision on an application."""
        if approve:
            pilot.status = Status.APPROVED
            self.count("pilots_approved")
        else:
            self.reject(pilot)

    def reject(self, pilot: Pilot) -> None:
        """Refused, unfunded or without a bidder."""
        pilot.status = Status.REJECTED
        self.count("pilots_rejected")
        self.open_pilots.remove(pilot)

    # ---------------------------------------------------------------- running
    def start(self, pilot: Pilot) -> None:
        """A financed pilot starts running this month."""
        t = self.t
        pilot.status = Status.RUNNING
        pilot.start = t
        pilot.end = t + pilot.duration
        pilot.coverage = pilot.scope
        pilot.firm.win(pilot)
        pilot.track.started(self.context, pilot)

    def finish(self, pilot: Pilot, status: Status) -> None:
        """A running pilot ends in success, failure or a halt."""
        pilot.status = status
        pilot.finished_month = self.t
        self.count(f"pilots_{status.value}")
        pilot.track.finished(self.context, pilot)
        self.open_pilots.remove(pilot)
        self.finished.append(pilot)
        if status is Status.SUCCEEDED:
            self.services.append(pilot)
        else:
            pilot.coverage = 0.0
        pilot.firm.learn(pilot)
        self.context.authorities[pilot.province].on_outcome(pilot)

    def take_finished(self) -> list[Pilot]:
        """The pilots that ended since the last call (for the government to evaluate)."""
        finished, self.finished = self.finished, []
        return finished

    # -------------------------------------------------------------- observation
    def held(self) -> tuple[list[Pilot], Places]:
        """The open pilots, then the services, and their ``Places``. The services' are kept
        from call to call: services are only ever added, and stay where they are until a
        merger moves them (``moved``)."""
        kept = self._service_places
        if kept is None:
            kept = Places.of(self.services)
        elif len(kept) < len(self.services):
            kept = kept + Places.of(self.services[len(kept) :])
        self._service_places = kept
        return [*self.open_pilots, *self.services], Places.of(self.open_pilots) + kept

    def moved(self) -> None:
        """The pilots moved to a new map (``sandbox.model.merger``): their places change."""
        self._service_places = None

    def status_matrix(self, n_provinces: int, base: BaseMap) -> StatusMatrix:
        """Province x domain view of open pilots and deployed services
        (``sandbox.model.status``)."""
        pilots, places = self.held()
        return status_matrix(pilots, n_provinces, base, places)
