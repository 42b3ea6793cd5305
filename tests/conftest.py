"""Shared helpers: scenarios composed with Hydra's compose API, as a user would."""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import settings

from sandbox.config.compose import compose
from sandbox.config.params import Params

# the toy region, few citizens, and the policy from the first month (no history)
SMALL = ("region=toy", "citizens.n=2000", "policy.start=2019-01")

# CI explores the same examples every time; locally hypothesis searches afresh.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def scenario(*overrides: str) -> Params:
    """A fresh ``Params`` composed from ``configs/`` with command-line style overrides
    (``sandbox.config.compose``, copied: a test may change its copy)."""
    return copy.deepcopy(compose(*overrides))


@pytest.fixture
def small() -> Params:
    """The default scenario on the toy region with 2,000 citizens."""
    return scenario(*SMALL)
