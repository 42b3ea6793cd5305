"""Facilitated approval: a facilitating State reviews fast and lightly."""

from __future__ import annotations

from sandbox.model.tracks.adhoc import AdHoc


class Facilitated(AdHoc):
    """Case-by-case approval with the facilitator's terms (``policy.facilitated``)."""

    key = "facilitated"
