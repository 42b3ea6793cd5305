"""No legal corridor: slow, case-by-case approval and high perceived legal risk."""

from __future__ import annotations

from sandbox.policy.base import Regime


class StatusQuo(Regime):
    """The historical regime of 2019-2024 (MODEL.md Section 4)."""

    name = "status_quo"
