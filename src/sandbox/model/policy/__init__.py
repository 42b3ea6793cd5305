"""Regulatory regimes (the ``policy`` config group), chosen by name."""

from __future__ import annotations

from sandbox.config.params import PolicyParams
from sandbox.errors import ConfigError
from sandbox.model.policy.base import Regime
from sandbox.model.policy.controlled_pilot import ControlledPilot
from sandbox.model.policy.experimental import Experimental
from sandbox.model.policy.facilitation import Facilitation
from sandbox.model.policy.phased import Phased
from sandbox.model.policy.status_quo import StatusQuo

REGIMES: dict[str, type[Regime]] = {
    cls.name: cls for cls in (StatusQuo, ControlledPilot, Phased, Experimental, Facilitation)
}


def make_regime(params: PolicyParams) -> Regime:
    """The regime class named by ``policy.name``."""
    if params.name not in REGIMES:
        raise ConfigError("policy.name", params.name, " | ".join(REGIMES))
    return REGIMES[params.name](params)
