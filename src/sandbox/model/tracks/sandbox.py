"""The regulatory sandbox's track: cohort calls within the regulator's capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PilotParams, SandboxParams
from sandbox.model.pilots import Status
from sandbox.model.tracks.adhoc import AdHoc

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel
    from sandbox.model.pilots import Pilot


class Sandbox(AdHoc):
    """Controlled pilots under sandbox terms (``policy.sandbox``).

    Applications wait for a cohort call (every ``call_interval`` months); a call admits
    eligible applicants by score within ``cohort_size`` and the free ``capacity``; the
    others go to ``fallback`` (ad-hoc review, with its delay). Trials last at most
    ``max_duration`` months; an unsuccessful one may be extended ``extensions`` times; a
    success without incidents graduates and adds ``graduation_gain`` legal clarity.

    Args:
        params: the sandbox's terms and design.
        fallback: the track of applicants a call does not admit.
    """

    key = "sandbox"
    params: SandboxParams

    def __init__(self, params: SandboxParams, fallback: AdHoc) -> None:
        super().__init__(params)
        self.fallback = fallback
        self._applicants: list[Pilot] = []

    def duration(self, pilots: PilotParams) -> int:
        """Trials are capped at ``max_duration`` months."""
        return min(pilots.duration_months, self.params.max_duration)

    def load(self, model: SandboxModel) -> int:
        """Sandbox pilots approved or running (against the regulator's capacity)."""
        return sum(
            1
            for q in model.open_pilots
            if q.track is self and q.status in (Status.APPROVED, Status.RUNNING)
        )

    def has_room(self, model: SandboxModel) -> bool:
        """Applications are taken while approved and running trials are below capacity."""
        return self.load(model) < self.params.capacity

    def consider(self, model: SandboxModel, pilot: Pilot) -> None:
        """Applications wait for the cohort call."""
        self._applicants.append(pilot)

    def close_review(self, model: SandboxModel) -> None:
        """At a call month, admit a cohort; the rest go to the fallback track."""
        applicants, self._applicants = self._applicants, []
        s = self.params
        if not applicants or model.months_since_policy % s.call_interval != 0:
            return
        free = max(0, min(s.cohort_size, s.capacity - self.load(model)))
        eligible = [q for q in applicants if q.firm.capability >= s.min_capability]
        eligible.sort(
            key=lambda q: -(q.firm.capability + model.authority_list[q.province].digital_capacity)
        )
        admitted = {id(q) for q in eligible[:free]}
        for pilot in applicants:
            if id(pilot) in admitted:
                model.decide(pilot, True)
            else:
                model.reroute(pilot, self.fallback)

    def extend(self, model: SandboxModel, pilot: Pilot) -> bool:
        """An unsuccessful trial is extended while extensions remain."""
        if pilot.extensions >= self.params.extensions:
            return False
        pilot.extensions += 1
        pilot.end += self.params.extension_months
        return True

    def on_success(self, model: SandboxModel, pilot: Pilot) -> None:
        """A clean success graduates: its evidence adds clarity to the domain's rules."""
        if pilot.incidents == 0 or not self.params.graduation_clean_only:
            pilot.graduated = True
            model.count("pilots_graduated")
            model.government.add_clarity(pilot.domain, self.params.graduation_gain)
