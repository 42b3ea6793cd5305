"""Interoperable data: shared standards across city, province and nation from the start."""

from __future__ import annotations

from sandbox.config.params import DataParams
from sandbox.model.data.base import DataRegime


class Interoperable(DataRegime):
    """Interoperability is ``data.target`` from month 0."""

    name = "interoperable"

    def __init__(self, params: DataParams) -> None:
        super().__init__(params)
        self.interoperability = max(params.interoperability, params.target)
