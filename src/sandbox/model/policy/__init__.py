"""Regulatory regimes (the ``policy`` config group), chosen by name.

Every module of this package is imported, so a regime class registers itself (in
``REGIMES``) by being defined in a file here.
"""

from __future__ import annotations

import importlib
import pkgutil

from sandbox.config.params import PolicyParams
from sandbox.errors import ConfigError
from sandbox.model.policy.base import REGIMES, Regime

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def make_regime(params: PolicyParams) -> Regime:
    """The regime class named by ``policy.name``."""
    if params.name not in REGIMES:
        raise ConfigError("policy.name", params.name, " | ".join(REGIMES))
    return REGIMES[params.name](params)


__all__ = ["REGIMES", "Regime", "make_regime"]
