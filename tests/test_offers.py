"""The month's offers (``sandbox.model.offers``) choose, for every authority and month,
exactly what a candidate-by-candidate loop over its own pilots chooses.

The oracle below is the direct reading of the rule in ``docs/model.md`` (Local
authority): scan the authority's pilots, list its candidates domain by domain, value each
on each track, rank them, and size them in order until one can be funded. ``Offers``
computes the same numbers for all authorities at once from the pilot book; every call in a
run is checked against the oracle, bit for bit, under regimes with one track and with two
(the sandbox beside the ad-hoc route), with and without PPP co-finance.
"""

from __future__ import annotations

import math

import pytest

from conftest import SMALL, scenario
from sandbox.model.domains import DOMAINS
from sandbox.model.model import SandboxModel
from sandbox.model.offers import Offers
from sandbox.model.pilots import BUSY, Status


def oracle(authority, draws, unclear):
    """The candidate ``authority`` proposes (domain, size, track, technology) or None,
    candidate by candidate (``draws``: its random factors this month)."""
    c = authority.context
    busy, taken, held = 0, set(), [0] * len(DOMAINS)
    for q in authority.pilots:
        if q.status in BUSY:
            busy += 1
        elif q.status is not Status.SUCCEEDED:
            continue
        taken.add(q.technology)
        held[q.domain] += 1
    if busy >= authority.max_active:
        return None
    access = c.appraisal.province_access(authority.province)
    costs = [c.appraisal.domain_cost(authority.province, d, access) for d in DOMAINS]
    p, t = c.params, c.technologies
    newest = -1 if p.technologies.leapfrog else 0
    candidates = []
    for d in DOMAINS:
        if access < c.appraisal.feasible_access[d]:
            continue
        firsts = []
        for novel in (False, True):
            ids = [k for k in t.by_class[d][novel] if k not in taken]
            firsts.append(ids[newest] if ids else -1)
        if max(firsts) >= 0:
            candidates.append((d, firsts))
    if not candidates:
        return None
    offered = c.regime.track_for(c, authority)
    tracks = (offered,) if offered is c.adhoc else (offered, c.adhoc)
    sizers = [
        c.resources.sizer(c, authority.province, track.duration(p.pilots), p.pilots.min_size)
        for track in tracks
    ]
    ranked = []
    spread = p.authorities.value_spread
    for i, track in enumerate(tracks):
        for d, firsts in candidates:
            for novel, k in enumerate(firsts):
                if k < 0:
                    continue
                value = (
                    authority.need[d]
                    * c.domains.expected_benefit[d]
                    / costs[d]
                    * math.pow(1.0 - p.technologies.overlap, held[d])
                    * (1.0 - spread + 2.0 * spread * draws[d])
                    * (p.technologies.novel_benefit if novel else 1.0)
                    * track.prospect(c, authority, unclear[novel][d], bool(novel))
                )
                ranked.append((value, i, d, k))
    ranked.sort(key=lambda entry: entry[0], reverse=True)  # stable: the first met first
    for _, i, d, k in ranked:
        private = 0.0
        if c.resources.ppp_exists(c):
            risk = tracks[i].params.legal_risk * unclear[0][d]
            private = c.resources.private_share(c, authority.province, access, d, risk)
        size = sizers[i](costs[d], private)
        if size > 0.0:
            return d, size, tracks[i], k
    return None


@pytest.mark.parametrize(
    "overrides",
    [
        (),
        ("policy=controlled_pilot", "resources=ppp", "data=interoperable"),
        ("policy=phased_sandbox", "resources=mixed", "technologies.leapfrog=false"),
    ],
    ids=["status_quo", "sandbox_ppp", "phased_sandbox_earliest"],
)
def test_offers_choose_what_the_candidate_loop_chooses(monkeypatch, overrides) -> None:
    best = Offers.best
    checked = {"calls": 0, "chosen": 0, "two_tracks": 0}

    def compared(self, row, authority):
        expected = oracle(authority, self.draws[row].tolist(), self.unclear)
        chosen = best(self, row, authority)
        assert chosen == expected, (authority.province, chosen, expected)
        checked["calls"] += 1
        checked["chosen"] += chosen is not None
        offered = authority.context.regime.track_for(authority.context, authority)
        checked["two_tracks"] += offered is not authority.context.adhoc
        return chosen

    monkeypatch.setattr(Offers, "best", compared)
    SandboxModel(scenario(*SMALL, "horizon.end=2023-12", *overrides)).run()
    assert checked["chosen"] > 20  # the check saw real choices, not only empty months
    if overrides:
        assert checked["two_tracks"] > 0  # and, under a programme, two tracks compared


def test_a_month_with_no_authority_free_to_propose_offers_nothing() -> None:
    """No authority free (here: none acting) leaves every row without a choice, and the
    arrays empty rather than failing."""
    model = SandboxModel(scenario(*SMALL, "horizon.end=2019-03"))
    model.run()
    ctx = model.context
    offers = Offers(ctx, [], 1.0 - ctx.government.clarity)
    assert offers.free == [] and offers.mask.shape == (0, 12)
    for authority in ctx.authorities[:3]:
        authority.max_active = 0  # every pilot slot taken
    busy = Offers(ctx, ctx.authorities[:3], 1.0 - ctx.government.clarity)
    assert busy.free == [] and busy.best(0, ctx.authorities[0]) is None
