"""The resource mechanism's parameters (a lever section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import ASSUMED, param


@dataclass(frozen=True)
class ResourceParams:
    """How pilots are financed (a lever).

    ``name`` picks the class in ``sandbox.model.resources``.
    """

    name: str = param(
        "central_budget",
        unit="–",
        range="text",
        role="lever",
        source="decision: historical, budget-led, no mechanism for private capital",
        doc="resource mechanism (a class of sandbox.model.resources)",
    )
    ppp_from: str = param(
        "2021-01",
        unit="month (YYYY-MM)",
        range="month",
        role="setting",
        source="PPP Law 64/2020/QH14, in force from 2021-01",
        doc="first month private co-finance under PPP exists in law",
    )
    central_budget: float = param(
        400.0,
        unit="billion VND per year",
        range="nonnegative",
        role="lever",
        source=ASSUMED,
        doc="central grant budget",
    )
    grant_share: float = param(
        0.5,
        unit="share",
        range="unit",
        role="lever",
        source=ASSUMED,
        doc="share of a pilot's cost a central grant covers",
    )
    local_budget: float = param(
        60.0,
        unit="billion VND per year at fiscal capacity 1",
        range="nonnegative",
        role="lever",
        source=ASSUMED,
        doc="local budget of a province",
    )
    ppp_share: float = param(
        0.5,
        unit="share",
        range="unit",
        role="lever",
        source=f"{ASSUMED} (PPP Law 64/2020 in force 2021)",
        doc="private co-finance share under PPP",
    )
    carry_over: float = param(
        0.0,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "State Budget Law 83/2015/QH13: unspent allocations lapse at year end unless "
            "carried over by decision; the default lets all lapse"
        ),
        doc="share of a province's unspent budget carried into the next year",
    )
    ppp_return: float = param(
        0.12,
        unit="per year",
        range="nonnegative",
        role="lever",
        source=ASSUMED,
        doc="revenue on private investment while a service runs",
    )
    fund_interval: int = param(
        6,
        unit="months",
        range="count",
        role="lever",
        source=ASSUMED,
        doc="months between competitive-fund rounds",
    )
    performance_share: float = param(
        0.4,
        unit="share",
        range="unit",
        role="lever",
        source=ASSUMED,
        doc="share of a competitive grant paid only on success",
    )
