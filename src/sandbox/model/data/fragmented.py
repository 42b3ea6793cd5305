"""Fragmented data: ministries' databases are not shared."""

from __future__ import annotations

from sandbox.model.data.base import DataRegime


class Fragmented(DataRegime):
    """Interoperability stays at ``data.interoperability`` (the historical regime)."""

    name = "fragmented"
