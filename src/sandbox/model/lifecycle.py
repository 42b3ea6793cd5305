"""The pilots stage of the month: running pilots and deployed services meet incidents;
pilots align, end, succeed or fail; services scale with the legal clarity of their domain.

Every pilot owns its random draws: one row of uniforms per month of its life (running,
then as a service), keyed by the pilot (``_life_row``), with one column per use
(``INCIDENT``, ``SEVERITY``, ...), so the same pilot meets the same numbers under every
policy in which it exists.

The stage sees the model through a ``LifecycleContext`` (``sandbox.model.interfaces``):
the pilot book, the clock, the pilots' parameters, legal clarity, the random streams, the
domains' incident risks, the citizens an incident exposes and the pilots' chances of
success; it hands the pilots' tracks the same context.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sandbox.model.pilots import Pilot, Status

if TYPE_CHECKING:
    from sandbox.model.interfaces import LifecycleContext

LIFE_BLOCK = 60  # months of draws fetched at once
# columns of a pilot's monthly row of draws
INCIDENT, SEVERITY, ALIGN, SUCCESS, SCALE, STRIKE, EXTEND = range(7)
LIFE_DRAWS = 7


def advance_pilots(ctx: LifecycleContext) -> None:
    """Advance every running pilot and every deployed service by one month.

    Running pilots, in order of approval: an incident with monthly probability
    ``1 - exp(-risk * (pilots.incident_offset - capability))`` reaching the pilot's
    coverage (monitoring halts severe incidents and cuts harm); the track's monthly step
    (local rules may align); at the end date the track may defer the end (an unaligned
    local rule is struck down or reworked), else success is drawn once and an unsuccessful
    trial may be extended by its track (the same draw decides at the extended end).

    Deployed services: incidents too, monitored under the rules in force (the ad-hoc
    track's ``monitoring``, whatever track the service came from), at the domain's risk
    lowered by its legal clarity
    (``pilots.service_risk``, ``pilots.clarity_safety``); an unscaled service scales when
    its cumulative hazard ``sum(pilots.scale_hazard * clarity)`` passes its own threshold
    (an exponential draw at success; clarity of its technology's class and domain); scaled
    services grow their coverage towards ``pilots.scaled_coverage`` x data access ^ the
    domain's data dependence of their own province's people (a share of the unit after
    the merger: a merger moves no reach; fragmented data limits how far a service scales).
    """
    book = ctx.book
    t = ctx.clock.t
    p = ctx.params.pilots
    risk, offset = ctx.domains.risk_list, p.incident_offset
    for pilot in [q for q in book.open_pilots if q.status is Status.RUNNING]:
        row, life = _life_row(ctx, pilot), pilot.life  # the month's draws: ``life[row]``
        # an incident with monthly probability 1 - exp(-hazard) (at the domain's risk)
        hazard = risk[pilot.domain] * (offset - pilot.firm.capability)
        if life.item(row, INCIDENT) < -math.expm1(-hazard):  # a draw read as a float
            _incident(ctx, pilot, life[row])
            if pilot.status is not Status.RUNNING:
                continue
        pilot.track.running(ctx, pilot, life.item(row, ALIGN))
        if t + 1 >= pilot.end:
            _conclude(ctx, pilot, life[row])
    # the services' loop reads plain floats: clarity per [class][domain], and each
    # province's data access (neither changes within the stage)
    clarity_table = ctx.government.clarity.tolist()
    dependence_of, access_of = ctx.domains.dependence_list, {}
    service_risk, clarity_safety, scale_hazard = p.service_risk, p.clarity_safety, p.scale_hazard
    for pilot in list(book.services):
        if pilot.finished_month == t:
            continue  # it ended this month: its service starts next month
        row = _life_row(ctx, pilot)
        domain = pilot.domain
        clarity = clarity_table[pilot.novel][domain]
        safety = 1.0 - clarity_safety * clarity
        # the same, at the domain's risk lowered by the service's rules
        hazard = service_risk * safety * risk[domain] * (offset - pilot.firm.capability)
        if pilot.life.item(row, INCIDENT) < -math.expm1(-hazard):
            _incident(ctx, pilot, pilot.life[row])
        if not pilot.scaled:
            pilot.scale_progress += scale_hazard * clarity
            if pilot.scale_progress >= pilot.scale_threshold:
                pilot.scaled = True
                book.count("pilots_scaled")
                ctx.technologies.put_to_use(pilot.technology, ctx.clock.t)
        else:
            # province-wide as far as the data reach: its own province's people (a share of
            # its unit after a merger) times its data access ^ the domain's data dependence
            access = access_of.get(pilot.province)
            if access is None:
                access = access_of[pilot.province] = ctx.appraisal.data_access(pilot)
            ceiling = p.scaled_coverage * pilot.share * math.pow(access, dependence_of[domain])
            if pilot.coverage < ceiling:
                pilot.coverage = min(ceiling, pilot.coverage + p.scale_rate * pilot.share)


def _life_row(ctx: LifecycleContext, pilot: Pilot) -> int:
    """The row of this month's uniforms in a pilot's block, keyed by the pilot and its
    month of life; the month is counted.

    Drawn ``LIFE_BLOCK`` months at a time from the ``life`` stream at (province, month
    proposed, block): the same pilot meets the same draws in its n-th month under every
    policy.
    """
    block, row = divmod(pilot.months_run, LIFE_BLOCK)
    if row == 0 or pilot.life is None:
        stream = ctx.streams.at("life", pilot.origin, pilot.proposed, block)
        pilot.life = stream.random((LIFE_BLOCK, LIFE_DRAWS))
    pilot.months_run += 1
    return row


def _incident(ctx: LifecycleContext, pilot: Pilot, draws: np.ndarray) -> None:
    """An incident (data breach, outage) happens to a pilot or a service this month."""
    p = ctx.params.pilots
    # a trial is watched on its track's terms; a service under the rules in force (the
    # ordinary track's monitoring), whatever track it came from
    running = pilot.status is Status.RUNNING
    monitoring = (pilot.track if running else ctx.adhoc).params.monitoring
    pilot.incidents += 1
    book = ctx.book
    book.count("incidents")
    stream = ctx.streams.at("exposure", pilot.origin, pilot.proposed, pilot.months_run)
    harmed = ctx.citizens.expose(pilot.province, pilot.coverage, stream, ctx.government.protection)
    book.count("citizens_harmed", harmed * p.harm_fraction * (1 - monitoring))
    severe = draws[SEVERITY] < p.halt_severity * monitoring
    if severe and running:
        book.finish(pilot, Status.HALTED)


def _conclude(ctx: LifecycleContext, pilot: Pilot, draws: np.ndarray) -> None:
    """The end date: the track may defer it; else the success draw decides (once)."""
    if pilot.track.defer_end(ctx, pilot, draws):
        return
    if pilot.outcome_draw < 0:
        pilot.outcome_draw = float(draws[SUCCESS])  # an extension does not draw again
    chance = ctx.appraisal.success_probability(pilot) + pilot.track.success_bonus(pilot)
    if pilot.outcome_draw < chance:
        pilot.scale_threshold = -math.log1p(-float(draws[SCALE]))
        ctx.book.finish(pilot, Status.SUCCEEDED)
    elif not pilot.track.extend(ctx, pilot, draws):
        ctx.book.finish(pilot, Status.FAILED)
