"""The interface every data regime implements: the national interoperability index.

A pilot's effective data access in province ``k`` is
``readiness_k + interoperability * (1 - readiness_k)``: its own urban database, filled in
by national data to the extent ministries' systems interoperate. Data-market rules
(``policy.data_market``) add ``data.market_bonus`` of the remaining gap.

Interoperability is built, at a cost recorded in ``spent`` (central spending): in the
history through the national databases connected to the data-sharing platform
(``connect_databases``), after ``policy.start`` by the regime in force (``Interoperable``,
``NationalPlatform``). A data regime keeps its own state (interoperability, spending,
connections, databases); the model
calls ``setup`` when it takes effect, ``start_month`` each month (with a ``DataContext``,
``sandbox.model.interfaces``, and the month's draws), ``merge`` at a merger, and reads
``access``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.config.params import DataParams, InfrastructureParams

if TYPE_CHECKING:
    from sandbox.model.interfaces import DataContext


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
        self.connected = None if previous is None else previous.connected.copy()
        # national databases connected to the data-sharing platform (``connect_databases``)
        self.databases = 0 if previous is None else previous.databases

    def start_month(self, ctx: DataContext, draws: np.ndarray) -> None:
        """Monthly investment and connections, if any (``draws``: one uniform per
        province, from the ``platform`` stream, drawn under every regime)."""

    def connect_databases(self, connected: int, total: int, params: InfrastructureParams) -> None:
        """``connected`` of the ``total`` national databases are now connected through the
        platform (the history's dated drive, ``sandbox.model.data.connections``): each new
        one costs ``infrastructure.database_cost`` (central spending) and brings
        interoperability its share of the way from ``data.interoperability`` to
        ``infrastructure.databases_interoperability`` (never lowering it)."""
        new = connected - self.databases
        if new <= 0:
            return
        self.databases = connected
        self.spent += new * params.database_cost
        start = self.params.interoperability
        reached = start + (params.databases_interoperability - start) * (connected / total)
        self.interoperability = max(self.interoperability, reached)

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """Provinces merge: a unit is connected when any of its provinces was."""
        self.connected = np.bincount(unit_of, self.connected, minlength=n_units) > 0

    def connect(self, provinces: np.ndarray) -> None:
        """Connect ``provinces`` (a mask or indices) to the national platform (a framework
        milestone, ``Phased.start_month``)."""
        self.connected[provinces] = True

    def setup(self, n_provinces: int) -> None:
        """Which provinces are connected to the national platform at the start."""
        if getattr(self, "connected", None) is None or len(self.connected) != n_provinces:
            self.connected = np.zeros(n_provinces, dtype=bool)

    def access(self, province: int, readiness: float, data_market: bool) -> float:
        """Effective data access in a province with ``readiness``: national data at the
        current interoperability where the province is connected to the platform, at the
        starting level (``data.interoperability``) where it is not."""
        shared = self.interoperability if self.connected[province] else self.params.interoperability
        return self._access(readiness, shared, data_market)

    def accesses(
        self, provinces: np.ndarray, readiness: np.ndarray, data_market: bool
    ) -> np.ndarray:
        """``access`` of many provinces at once (the same numbers)."""
        connected = self.connected[provinces]
        shared = np.where(connected, self.interoperability, self.params.interoperability)
        return self._access(readiness, shared, data_market)

    def _access(
        self, readiness: float | np.ndarray, shared: float | np.ndarray, data_market: bool
    ) -> float | np.ndarray:
        """National data at ``shared`` interoperability beside a province's own
        ``readiness`` (floats or arrays of them), and the data market's bonus."""
        value = readiness + shared * (1.0 - readiness)
        if data_market:
            value = value + self.params.market_bonus * (1.0 - value)
        return value
