"""No legal corridor: slow, case-by-case approval and high perceived legal risk."""

from __future__ import annotations

from sandbox.model.policy.base import Regime


class StatusQuo(Regime):
    """The historical regime of 2019-2024 (docs/model.md): the ad-hoc track only."""

    name = "status_quo"
