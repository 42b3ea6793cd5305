"""Interoperable data: shared standards across city, province and nation from the start."""

from __future__ import annotations

import numpy as np

from sandbox.config.params import DataParams
from sandbox.model.data.base import DataRegime


class Interoperable(DataRegime):
    """Interoperability is ``data.target`` from the month the regime starts."""

    name = "interoperable"

    def __init__(self, params: DataParams, previous: DataRegime | None = None) -> None:
        super().__init__(params, previous)
        self.interoperability = max(self.interoperability, params.target)

    def setup(self, n_provinces: int) -> None:
        """Every province is connected."""
        self.connected = np.ones(n_provinces, dtype=bool)
