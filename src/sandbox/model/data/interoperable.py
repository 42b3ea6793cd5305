"""Interoperable data: shared standards across city, province and nation, built over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.config.params import DataParams
from sandbox.model.data.base import DataRegime

if TYPE_CHECKING:
    from sandbox.model.interfaces import DataContext


class Interoperable(DataRegime):
    """Shared standards across city, province and nation, built: every province is
    connected, and interoperability rises evenly from where it stands when the regime
    starts to ``data.target`` over ``infrastructure.build_months``, costing
    ``infrastructure.build_cost`` (central spending) spread evenly over those months."""

    name = "interoperable"

    def __init__(self, params: DataParams, previous: DataRegime | None = None) -> None:
        super().__init__(params, previous)
        self.build_step = -1.0  # the monthly step of the build (set in its first month)

    def setup(self, n_provinces: int) -> None:
        """Every province is connected."""
        self.connected = np.ones(n_provinces, dtype=bool)

    def start_month(self, ctx: DataContext, draws: np.ndarray) -> None:
        """A month of the build, until interoperability reaches ``data.target``."""
        target, build = self.params.target, ctx.params.infrastructure
        if self.build_step < 0:
            self.build_step = max(0.0, target - self.interoperability) / build.build_months
        if self.interoperability >= target:
            return
        self.interoperability = min(target, self.interoperability + self.build_step)
        self.spent += build.build_cost / build.build_months
