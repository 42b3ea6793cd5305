"""Stage 4 of the month: running pilots meet incidents, align, end, succeed or fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.model.pilots import Pilot, Status

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel

LIFE_BLOCK = 60  # months of draws fetched at once
LIFE_DRAWS = 4  # per month: incident, severity, alignment, success


def advance_pilots(model: SandboxModel) -> None:
    """Advance every running pilot by one month and grow scaled services' coverage.

    For each running pilot, in order of approval: an incident with monthly probability
    ``1 - exp(-risk * (pilots.incident_offset - capability))``; the exposed share of the
    province is the pilot's coverage; monitoring halts severe incidents and cuts harm;
    local rules align with the centre; at the end date an unaligned local rule pays rework
    once, an unsuccessful sandbox trial may be extended, and success is drawn.
    """
    for pilot in [q for q in model.open_pilots if q.status is Status.RUNNING]:
        draws = _life_draws(model, pilot)
        _incident(model, pilot, draws[0], draws[1])
        if pilot.status is not Status.RUNNING:
            continue
        pilot.track.running(model, pilot, draws[2])
        if model.t + 1 >= pilot.end:
            _conclude(model, pilot, draws[3])
    pilots = model.params.pilots
    for pilot in model.services:
        if pilot.scaled and pilot.coverage < pilots.scaled_coverage:
            pilot.coverage = min(pilots.scaled_coverage, pilot.coverage + pilots.scale_rate)


def _life_draws(model: SandboxModel, pilot: Pilot) -> np.ndarray:
    """This month's uniforms of a running pilot, keyed by the pilot and its month of life.

    Drawn ``LIFE_BLOCK`` months at a time from the ``life`` stream at (province, month
    proposed, block): the same pilot meets the same draws in its n-th running month under
    every policy.
    """
    block, row = divmod(pilot.months_run, LIFE_BLOCK)
    if row == 0 or pilot.life is None:
        stream = model.streams.at("life", pilot.province, pilot.proposed, block)
        pilot.life = stream.random((LIFE_BLOCK, LIFE_DRAWS))
    pilot.months_run += 1
    return pilot.life[row]


def _incident(model: SandboxModel, pilot: Pilot, draw: float, severity: float) -> None:
    hazard = model.domains.incident_risk[pilot.domain] * (
        model.params.pilots.incident_offset - pilot.firm.capability
    )
    if draw >= -np.expm1(-hazard):
        return
    monitoring = pilot.track.params.monitoring
    pilot.incidents += 1
    model.count("incidents")
    stream = model.streams.at("exposure", pilot.province, pilot.proposed, pilot.months_run)
    harmed = model.citizens.expose(pilot.province, pilot.coverage, stream)
    model.count("citizens_harmed", harmed * model.params.pilots.harm_fraction * (1 - monitoring))
    if severity < model.params.pilots.halt_severity * monitoring:
        model.finish(pilot, Status.HALTED)


def _conclude(model: SandboxModel, pilot: Pilot, draw: float) -> None:
    """The end date: the track may defer it; else success is drawn; the track may extend."""
    if pilot.track.defer_end(model, pilot):
        return
    if draw < model.success_probability(pilot):
        model.finish(pilot, Status.SUCCEEDED)
    elif not pilot.track.extend(model, pilot):
        model.finish(pilot, Status.FAILED)
