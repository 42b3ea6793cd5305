"""The interface every data regime implements: the national interoperability index.

A pilot's effective data access in province ``k`` is
``readiness_k + interoperability * (1 - readiness_k)``: its own urban database, filled in
by national data to the extent ministries' systems interoperate. Data-market rules
(``policy.data_market``) add ``DATA_MARKET_BONUS`` of the remaining gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import DataParams

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel

DATA_MARKET_BONUS = 0.3


class DataRegime:
    """Base regime: interoperability stays where it starts, except for phase milestones.

    Args:
        params: the ``data`` section of the configuration.
    """

    name = "fragmented"

    def __init__(self, params: DataParams) -> None:
        self.params = params
        self.interoperability = params.interoperability
        self.spent = 0.0  # platform investment so far, billion VND (central money)

    def start_month(self, model: SandboxModel) -> None:
        """Monthly investment, if any."""

    def boost(self, gain: float) -> None:
        """A framework milestone adds interoperability (capped at 1)."""
        self.interoperability = min(1.0, self.interoperability + gain)

    def access(self, readiness: float, data_market: bool) -> float:
        """Effective data access of a pilot in a province with ``readiness``."""
        value = readiness + self.interoperability * (1.0 - readiness)
        if data_market:
            value += DATA_MARKET_BONUS * (1.0 - value)
        return value
