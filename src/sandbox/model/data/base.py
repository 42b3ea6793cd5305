"""The interface every data regime implements: the national interoperability index.

A pilot's effective data access in province ``k`` is
``readiness_k + interoperability * (1 - readiness_k)``: its own urban database, filled in
by national data to the extent ministries' systems interoperate. Data-market rules
(``policy.data_market``) add ``data.market_bonus`` of the remaining gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import DataParams

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel


class DataRegime:
    """Base regime: interoperability stays where it starts, except for phase milestones.

    Args:
        params: the ``data`` section of the configuration.
        previous: the regime it replaces at ``policy.start``, whose interoperability and
            spending carry over; ``None`` at the start of the run.
    """

    name = "fragmented"

    def __init__(self, params: DataParams, previous: DataRegime | None = None) -> None:
        self.params = params
        self.interoperability = (
            params.interoperability if previous is None else previous.interoperability
        )
        self.spent = 0.0 if previous is None else previous.spent  # platform, billion VND

    def start_month(self, model: SandboxModel) -> None:
        """Monthly investment, if any."""

    def boost(self, gain: float) -> None:
        """A framework milestone adds interoperability (capped at 1)."""
        self.interoperability = min(1.0, self.interoperability + gain)

    def access(self, readiness: float, data_market: bool) -> float:
        """Effective data access of a pilot in a province with ``readiness``."""
        value = readiness + self.interoperability * (1.0 - readiness)
        if data_market:
            value += self.params.market_bonus * (1.0 - value)
        return value
