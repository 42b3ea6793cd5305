"""A national data platform built up over time by investment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model.data.base import DataRegime

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel


class NationalPlatform(DataRegime):
    """Each month the State invests ``platform_budget / 12``; interoperability rises by
    ``platform_efficiency`` per billion VND times the remaining gap to ``target``."""

    name = "national_platform"

    def start_month(self, model: SandboxModel) -> None:
        """Invest and build interoperability."""
        p = self.params
        invest = p.platform_budget / 12.0
        self.spent += invest
        gap = max(0.0, p.target - self.interoperability)
        self.interoperability += min(gap, p.platform_efficiency * invest * gap)
