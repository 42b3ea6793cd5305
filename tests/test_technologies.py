"""Technologies: arrivals keyed by (domain, month), each with its own trial length, and
the months from arrival to first province-wide use, censored at the month."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sandbox.config.params.technologies import TechnologyParams
from sandbox.model.rng import RandomStreams
from sandbox.model.technologies import Technologies


def arrived(months: int = 240, **changes) -> Technologies:
    params = dataclasses.replace(TechnologyParams(), **changes)
    technologies = Technologies(params)
    streams = RandomStreams(7, 0)
    for t in range(months):
        technologies.arrive(streams, t)
    return technologies


def test_a_trial_runs_its_tracks_length_times_its_technologys_factor() -> None:
    technologies = Technologies(TechnologyParams())
    technologies._add(0, False, 5, duration_factor=1.5)
    technologies._add(0, True, 6, duration_factor=0.01)
    first, second = len(technologies) - 2, len(technologies) - 1
    assert technologies.duration(first, 24) == 36
    assert technologies.duration(second, 24) == 1  # at least a month
    assert technologies.duration(0, 24) == 24  # the start's: the track's own
    assert technologies.duration(-1, 24) == 24  # no technology


def test_trial_factors_have_mean_one_and_the_declared_spread() -> None:
    factors = np.array(arrived(months=2400, arrival_rate=6.0, duration_sigma=0.5).duration_factor)
    drawn = factors[factors != 1.0]  # the start's are exactly 1
    assert len(drawn) > 5000
    assert drawn.mean() == pytest.approx(1.0, abs=0.03)
    assert np.log(drawn).std() == pytest.approx(0.5, abs=0.03)


def test_without_spread_every_trial_runs_its_tracks_length() -> None:
    technologies = arrived(duration_sigma=0.0)
    assert set(technologies.duration_factor) == {1.0}


def test_the_trial_factor_does_not_change_which_technologies_arrive() -> None:
    """The factor is drawn after the arrival and its class: the same technologies arrive
    on the same dates whatever the spread (common random numbers)."""
    a, b = arrived(duration_sigma=0.0), arrived(duration_sigma=0.8)
    assert (a.domain, a.novel, a.arrived) == (b.domain, b.novel, b.arrived)


def test_months_to_use_is_a_restricted_mean_censored_at_the_month() -> None:
    technologies = Technologies(dataclasses.replace(TechnologyParams(), initial=1))
    for month in (10, 20, 30):
        technologies._add(0, False, month)
    ten, twenty, _thirty = range(len(technologies) - 3, len(technologies))
    assert technologies.months_to_use(since=15, t=40) == (pytest.approx((20 + 10) / 2), 2)
    technologies.put_to_use(twenty, 26)
    technologies.put_to_use(twenty, 35)  # only the first use counts
    assert technologies.months_to_use(since=15, t=40) == (pytest.approx((6 + 10) / 2), 2)
    technologies.put_to_use(ten, 12)
    assert technologies.months_to_use(since=0, t=40) == (pytest.approx((2 + 6 + 10) / 3), 3)
    assert technologies.months_to_use(since=50, t=60) == (0.0, 0)  # none arrived since


@pytest.mark.parametrize("leapfrog", [True, False])
def test_a_province_considers_the_newest_or_the_earliest_untaken_of_each_class(
    leapfrog: bool,
) -> None:
    """Of the technologies of a class it has not taken, the newest (the current
    generation) or, without leapfrogging, the earliest; -1 when none is left. Checked
    against a brute-force choice over random holdings."""
    technologies = arrived(months=600, arrival_rate=3.0, leapfrog=leapfrog)
    rng = np.random.default_rng(3)
    holdings = rng.random((200, len(technologies) + 1)) < 0.6  # a column per id, one for none
    chosen = technologies.untaken(holdings)
    for row, held in enumerate(holdings):
        domain = int(rng.integers(6))
        taken = set(np.flatnonzero(held[:-1]).tolist())
        expected = []
        for novel in (False, True):
            free = [
                (technologies.arrived[k], k)
                for k in range(len(technologies))
                if technologies.domain[k] == domain
                and technologies.novel[k] == novel
                and k not in taken
            ]
            expected.append((max(free) if leapfrog else min(free))[1] if free else -1)
        assert chosen[row, domain].tolist() == expected
