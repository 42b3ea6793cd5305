"""The unit hypercube of a sensitivity analysis: each coordinate maps onto its uncertainty's
spread, monotonically from the lower bound to the upper one; the fitted parameters come
together, as one particle of the stored posterior, drawn by weight."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from sandbox.config.meta import FITTED, describe, with_values
from sandbox.config.params import Params
from sandbox.config.uncertainties import (
    POSTERIOR,
    Spread,
    dimensions,
    particle_at,
    problem,
    spreads,
    values,
)
from sandbox.config.validate import validate
from sandbox.model.metrics import METRICS
from sandbox.model.model import SandboxModel
from tests.conftest import scenario

SPREADS = spreads()
DIMENSIONS = dimensions()
GRID = np.linspace(0.0, 1.0, 201)
STORED = Path(__file__).parents[1] / "configs" / "calibrated" / "history.csv"


def _stored() -> tuple[list[dict[str, float]], list[float]]:
    """The stored particles and their weights, read as plain CSV."""
    with STORED.open(newline="") as f:
        rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
    return [{k: v for k, v in r.items() if k != "weight"} for r in rows], [
        r["weight"] for r in rows
    ]


def test_the_dimensions_are_the_varied_uncertainties_and_one_for_the_posterior() -> None:
    fitted = {k for k, leaf in describe(Params).items() if leaf.meta.source == FITTED}
    # a flag varies over both values, a number when its bounds differ
    own = [k for k, s in SPREADS.items() if k not in fitted and (s.kind == "flag" or s.lo != s.hi)]
    assert (*own, POSTERIOR) == DIMENSIONS
    assert {"domains.healthcare.urban_need", "authorities.learning_base"}.isdisjoint(DIMENSIONS)
    assert problem()["num_vars"] == len(DIMENSIONS)
    assert set(problem()["names"]) == set(DIMENSIONS)


@pytest.mark.parametrize("key", [d for d in DIMENSIONS if d != POSTERIOR])
def test_a_coordinate_maps_0_and_1_to_the_bounds_monotonically(key: str) -> None:
    s = SPREADS[key]
    grid = [s.at(float(u)) for u in GRID]
    if s.kind == "flag":
        assert (grid[0], grid[-1]) == (False, True)
        assert all(a <= b for a, b in itertools.pairwise(grid))
        return
    if s.kind in ("number", "whole"):
        assert (grid[0], grid[-1]) == (s.lo, s.hi)
        assert all(a <= b for a, b in itertools.pairwise(grid))
        if s.kind == "whole":  # each whole number equally likely
            counts = Counter(s.at(float(u)) for u in (np.arange(6000) + 0.5) / 6000)
            assert set(counts) == set(range(s.lo, s.hi + 1))
            assert max(counts.values()) - min(counts.values()) <= 1
        return
    lists = np.array(grid)
    if s.kind == "multipliers":  # each gap to 1 scaled from lo to hi times the default's
        gaps = np.array(s.central) - 1.0
        assert np.allclose(lists[0] - 1.0, s.lo * gaps)
        assert np.allclose(lists[-1] - 1.0, s.hi * gaps)
        assert (np.diff(lists, axis=0) * np.sign(gaps) >= 0).all()
    else:  # shares: the last multiplied, the others in their proportions, summing to 1
        assert np.isclose(lists[0][-1], s.lo * s.central[-1])
        assert np.isclose(lists[-1][-1], s.hi * s.central[-1])
        assert (np.diff(lists[:, -1]) >= 0).all()
        assert np.allclose(lists.sum(axis=1), 1.0)
        assert np.allclose(lists[:, 0] / lists[:, 1], s.central[0] / s.central[1])


def test_a_flag_takes_false_then_true() -> None:
    flag = Spread("technologies.x", "flag", "flag", True)
    assert [flag.at(u) for u in (0.0, 0.49, 0.5, 1.0)] == [False, False, True, True]


def test_a_coordinate_outside_the_cube_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        SPREADS["citizens.trust_mean"].at(1.5)
    with pytest.raises(ValueError, match="coordinates"):
        values([0.5])


@pytest.mark.parametrize("u", [0.0, 0.5, 1.0, "random"])
def test_every_point_of_the_cube_is_a_valid_scenario(u: float | str) -> None:
    rng = np.random.default_rng(7)
    point = rng.random(len(DIMENSIONS)) if u == "random" else [u] * len(DIMENSIONS)
    changes = values(point)
    assert set(changes) >= {d for d in DIMENSIONS if d != POSTERIOR}
    validate(with_values(Params(), changes))


def test_the_posterior_coordinate_draws_whole_stored_particles_by_weight() -> None:
    particles, weights = _stored()
    fitted = {k for k, leaf in describe(Params).items() if leaf.meta.source == FITTED}
    assert set(particles[0]) == fitted
    whole = {k for k in fitted if describe(Params)[k].type is int}
    others = [0.5] * (len(DIMENSIONS) - 1)
    for u in np.linspace(0.0, 1.0, 41):
        drawn = {k: v for k, v in values([*others, u]).items() if k in fitted}
        # one stored row, every fitted value from it (not a mix of marginals)
        matches = [
            i
            for i, row in enumerate(particles)
            if all(drawn[k] == (round(v) if k in whole else v) for k, v in row.items())
        ]
        assert matches, u
        assert all(isinstance(drawn[k], int) for k in whole)
    # a uniform coordinate picks each particle with its weight's chance
    n = 20_000
    counts = Counter(particle_at(weights, u) for u in (np.arange(n) + 0.5) / n)
    share = np.array([counts[i] / n for i in range(len(weights))])
    assert np.allclose(share, np.array(weights) / sum(weights), atol=2 / n)


def test_the_posterior_coordinate_skips_particles_without_weight() -> None:
    assert [particle_at([0.0, 1.0, 0.0], u) for u in (0.0, 0.5, 1.0)] == [1, 1, 1]
    assert particle_at([0.25, 0.25, 0.5], 0.0) == 0
    assert particle_at([0.25, 0.25, 0.5], 1.0) == 2
    assert particle_at([0.25, 0.25, 0.5], 0.3) == 1


@pytest.mark.parametrize("u", [0.0, 1.0])
def test_the_model_runs_at_the_corners_of_the_cube(u: float) -> None:
    params = scenario("region=toy", "citizens.n=500", "horizon.end=2020-12")
    model = SandboxModel(with_values(params, values([u] * len(DIMENSIONS))))
    frame = model.run()
    assert len(frame) == 24
    assert not frame[list(METRICS)].isna().any(axis=None)


def test_a_partial_point_sets_only_its_coordinates() -> None:
    """A mapping of some coordinates gives the same values as the full point for those, and
    nothing for the others (they keep their declared defaults); other names are ignored."""
    names = dimensions()
    full = values([0.3] * len(names))
    some = names[:3]
    partial = values({**{n: 0.3 for n in some}, "dummy": 0.9})
    assert partial == {n: full[n] for n in some}
