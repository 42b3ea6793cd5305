"""Resource mechanisms (the ``resources`` config group), chosen by name."""

from __future__ import annotations

from sandbox.config.params import ResourceParams
from sandbox.errors import ConfigError
from sandbox.model.resources.base import ResourceMechanism
from sandbox.model.resources.central_budget import CentralBudget
from sandbox.model.resources.competitive_fund import CompetitiveFund
from sandbox.model.resources.mixed import Mixed
from sandbox.model.resources.ppp import PublicPrivatePartnership

MECHANISMS: dict[str, type[ResourceMechanism]] = {
    cls.name: cls for cls in (CentralBudget, PublicPrivatePartnership, Mixed, CompetitiveFund)
}


def make_resources(params: ResourceParams) -> ResourceMechanism:
    """The mechanism class named by ``resources.name``."""
    if params.name not in MECHANISMS:
        raise ConfigError("resources.name", params.name, " | ".join(MECHANISMS))
    return MECHANISMS[params.name](params)
