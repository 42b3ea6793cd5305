"""The data regime's parameters (a lever section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param


@dataclass(frozen=True)
class DataParams:
    """The data regime (a lever). ``name`` picks the class in ``sandbox.model.data``."""

    name: str = param(
        "fragmented",
        unit="–",
        range="text",
        role="lever",
        source='decision: historical, "no shared databases among ministries"',
        doc="data regime (a class of sandbox.model.data)",
    )
    interoperability: float = param(
        0.1,
        unit="index",
        range="unit",
        role="lever",
        source=(
            "assumption: ministries' databases are hardly shared (\"no shared databases among "
            'ministries", Vietnam-Asia Smart City Conference 2024), so at the start national '
            "data fill a tenth of a province's data gap"
        ),
        doc="national interoperability index at the start",
    )
    target: float = param(
        0.8,
        unit="index",
        range="unit",
        role="lever",
        source=(
            "assumption: even a finished platform or a fully interoperable regime fills four "
            "fifths of a province's data gap, not all of it (legacy systems, restricted data)"
        ),
        doc="interoperability an interoperable regime builds to / platform ceiling",
    )
    platform_budget: float = param(
        0.0,
        unit="billion VND per year",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: none in the historical regimes; `national_platform` invests 200 billion "
            "VND a year, half the central grant budget (resources.central_budget 400)"
        ),
        doc="national platform investment",
    )
    platform_efficiency: float = param(
        0.002,
        unit="per billion VND",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: at 200 billion VND a year each month's investment closes about 3% of the "
            "remaining gap to data.target, so half of it closes in about 20 months"
        ),
        doc="interoperability gained per billion VND invested",
    )
    connect_rate: float = param(
        0.05,
        unit="per month",
        range="unit",
        role="lever",
        source=(
            "assumption: a 5% monthly chance connects half of the provinces in about 14 months "
            "and 70% in two years, the time provinces need to link their systems to a new "
            "platform"
        ),
        doc="chance an unconnected province connects to a national platform each month",
    )
    market_bonus: float = param(
        0.3,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: data-market rules let firms license data that close 0.3 of a province's "
            "remaining access gap, well short of a platform at its target (0.8 of the gap)"
        ),
        doc="share of the remaining data-access gap data-market rules (policy.data_market) close",
    )
    gis_readiness: float = param(
        0.5,
        unit="index",
        range="unit",
        role="setting",
        source='decision: the threshold for an "urban database / GIS foundation"',
        doc="data readiness that counts as a GIS / urban-database foundation (observed)",
    )
