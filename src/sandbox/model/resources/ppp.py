"""Public-private partnership: private co-finance with revenue rights, on top of grants."""

from __future__ import annotations

from sandbox.model.resources.base import ResourceMechanism


class PublicPrivatePartnership(ResourceMechanism):
    """Central grants as under ``central_budget``, and the partner firm co-finances
    ``ppp_share`` of the rest when its expected return clears ``ppp_hurdle``."""

    name = "ppp"
    grant = True
    ppp = True
