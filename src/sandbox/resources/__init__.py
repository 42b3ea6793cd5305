"""Resource mechanisms (the ``resources`` config group), chosen by name."""

from __future__ import annotations

from sandbox.errors import ConfigError
from sandbox.params import ResourceParams
from sandbox.resources.base import ResourceMechanism
from sandbox.resources.central_budget import CentralBudget
from sandbox.resources.competitive_fund import CompetitiveFund
from sandbox.resources.mixed import Mixed
from sandbox.resources.ppp import PublicPrivatePartnership

MECHANISMS: dict[str, type[ResourceMechanism]] = {
    cls.name: cls for cls in (CentralBudget, PublicPrivatePartnership, Mixed, CompetitiveFund)
}


def make_resources(params: ResourceParams) -> ResourceMechanism:
    """The mechanism class named by ``resources.name``."""
    if params.name not in MECHANISMS:
        raise ConfigError("resources.name", params.name, " | ".join(MECHANISMS))
    return MECHANISMS[params.name](params)
