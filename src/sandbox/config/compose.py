"""A scenario composed from ``configs/`` as ``sandbox-run`` composes it, through Hydra's
compose API: the one function the checks (``sandbox.validation``) and the tests use."""

from __future__ import annotations

import functools

from hydra import compose as hydra_compose
from hydra import initialize_config_dir

from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.schema import register, to_params


@functools.lru_cache(maxsize=256)
def compose(*overrides: str) -> Params:
    """The scenario ``sandbox-run <overrides>`` would run (group options and ``key=value``).

    Params are frozen, so the cached object can be shared; change it with
    ``dataclasses.replace`` or ``sandbox.config.meta.with_values``.
    """
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return to_params(hydra_compose(config_name="config", overrides=list(overrides)))
