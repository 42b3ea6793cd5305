"""A national data platform built up over time by investment."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.model.data.base import DataRegime

if TYPE_CHECKING:
    from sandbox.model.interfaces import DataContext


class NationalPlatform(DataRegime):
    """Each month the State invests ``platform_budget / 12``; interoperability rises by
    ``platform_efficiency`` per billion VND times the remaining gap to ``target``; each
    unconnected province connects with chance ``connect_rate``."""

    name = "national_platform"

    def start_month(self, ctx: DataContext, draws: np.ndarray) -> None:
        """Invest, build interoperability and connect provinces (``data.connect_rate``)."""
        p = self.params
        self.connected |= draws < p.connect_rate
        invest = p.platform_budget / 12.0
        self.spent += invest
        gap = max(0.0, p.target - self.interoperability)
        self.interoperability += min(gap, p.platform_efficiency * invest * gap)
