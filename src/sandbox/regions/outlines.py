"""The outlines of the 63 provinces (before the July 2025 merger), for maps.

``vietnam_63_outlines.json`` holds each province's outer rings (longitude, latitude),
keyed by its ``name`` in ``vietnam_63.csv``. It is derived from geoBoundaries' Viet Nam
ADM1 boundaries (public domain; SOURCES.md says how): a unit of the 34 from July 2025 is
drawn as the provinces merged into it (``Region.members`` of ``vietnam_34.csv``).
"""

from __future__ import annotations

import functools
import json

import numpy as np

from sandbox.regions import TABLE_DIR, Region

OUTLINES = "vietnam_63_outlines.json"


@functools.cache
def outlines() -> dict[str, tuple[np.ndarray, ...]]:
    """Each base province's rings by name: arrays of (longitude, latitude) rows."""
    data = json.loads((TABLE_DIR / OUTLINES).read_text(encoding="utf-8"))
    return {
        name: tuple(np.asarray(ring, dtype=float) for ring in rings)
        for name, rings in data["provinces"].items()
    }


def drawn_as(region: Region) -> dict[str, str] | None:
    """For each base province with an outline, the unit of ``region`` it is drawn as:
    itself on the base map, the unit it merged into on a merged map. ``None`` when the
    region's provinces have no outlines (``toy.csv``, a user's table)."""
    shapes = outlines()
    if region.members is None:
        mapping = {name: name for name in region.names}
    else:
        mapping = {m: unit for unit, ms in zip(region.names, region.members, strict=True)
                   for m in ms}  # fmt: skip
    return mapping if set(mapping) == set(shapes) else None
