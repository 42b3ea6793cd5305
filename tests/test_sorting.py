"""``stable_order`` is ``np.argsort(kind="stable")`` exactly: the same permutation for any
float64 array, ties, near-ties, zeros, infinities, negatives and NaN included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sandbox.model.sorting import stable_order


def check(values: np.ndarray) -> None:
    expected = np.argsort(values, kind="stable")
    assert np.array_equal(stable_order(values), expected)


@settings(max_examples=300, deadline=None)
@given(arrays(np.float64, st.integers(0, 300), elements=st.floats(allow_nan=True)))
def test_any_floats(values: np.ndarray) -> None:
    check(values)


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, st.integers(2, 300), elements=st.sampled_from([0.0, 0.5, 1.0, np.inf])),
)
def test_many_ties(values: np.ndarray) -> None:
    check(values)


def test_near_ties_that_share_all_but_the_index_bits() -> None:
    """Values whose bit patterns differ only in the low bits the index replaces."""
    rng = np.random.default_rng(11)
    for n in (3, 1000, 100_000):
        base = rng.random(n // 3 + 1)
        bits = base.view(np.uint64)
        step = rng.integers(0, 4, size=(3, len(base)), dtype=np.uint64)
        values = np.concatenate([(bits + s).view(np.float64) for s in step])[:n]
        rng.shuffle(values)
        check(values)


def test_uniform_draws_as_the_citizens_sort_them() -> None:
    rng = np.random.default_rng(5)
    check(rng.random(1_000_000))
    check(np.round(rng.random(100_000), 3))  # many exact ties
