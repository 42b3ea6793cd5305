"""Mixed: central grants and PPP co-finance together."""

from __future__ import annotations

from sandbox.model.resources.base import ResourceMechanism


class Mixed(ResourceMechanism):
    """Grants where the central pool allows, PPP where clarity allows, local pays the rest."""

    name = "mixed"
    grant = True
    ppp = True
