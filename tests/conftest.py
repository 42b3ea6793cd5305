"""Shared helpers: compose scenarios with Hydra's compose API, as a user would."""

from __future__ import annotations

import copy
import functools
import os

import pytest
from hydra import compose, initialize_config_dir
from hypothesis import settings

from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.schema import register, to_params

# the toy region, few citizens, and the policy from the first month (no history)
SMALL = ("region=toy", "citizens.n=2000", "policy.start=2019-01")

# CI explores the same examples every time; locally hypothesis searches afresh.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@functools.lru_cache(maxsize=256)
def _composed(overrides: tuple[str, ...]) -> Params:
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return to_params(compose(config_name="config", overrides=list(overrides)))


def scenario(*overrides: str) -> Params:
    """A fresh ``Params`` composed from ``configs/`` with command-line style overrides."""
    return copy.deepcopy(_composed(tuple(overrides)))


@pytest.fixture
def small() -> Params:
    """The default scenario on the toy region with 2,000 citizens."""
    return scenario(*SMALL)
