"""The data regime's parameters (a lever section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import ASSUMED, param


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
        source=ASSUMED,
        doc="national interoperability index at the start",
    )
    target: float = param(
        0.8,
        unit="index",
        range="unit",
        role="lever",
        source=ASSUMED,
        doc="interoperability of an interoperable regime / platform ceiling",
    )
    platform_budget: float = param(
        0.0,
        unit="billion VND per year",
        range="nonnegative",
        role="lever",
        source=f"{ASSUMED} (200 in `national_platform`)",
        doc="national platform investment",
    )
    platform_efficiency: float = param(
        0.002,
        unit="per billion VND",
        range="nonnegative",
        role="lever",
        source=ASSUMED,
        doc="interoperability gained per billion VND invested",
    )
    connect_rate: float = param(
        0.05,
        unit="per month",
        range="unit",
        role="lever",
        source="assumption: about two years for half of the provinces to connect",
        doc="chance an unconnected province connects to a national platform each month",
    )
    market_bonus: float = param(
        0.3,
        unit="share",
        range="unit",
        role="lever",
        source=ASSUMED,
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
