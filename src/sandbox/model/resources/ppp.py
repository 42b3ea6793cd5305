"""Public-private partnership: private co-finance with revenue rights, no central grants."""

from __future__ import annotations

from sandbox.model.resources.base import ResourceMechanism


class PublicPrivatePartnership(ResourceMechanism):
    """The partner firm co-finances ``ppp_share`` where clarity reaches ``ppp_clarity``."""

    name = "ppp"
    grant = False
    ppp = True
