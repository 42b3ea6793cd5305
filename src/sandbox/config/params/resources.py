"""The resource mechanism's parameters (a lever section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param


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
        source=(
            "assumption: an order of magnitude, 400 billion VND (≈ 16 million USD) a year for "
            "smart-city grants; the default history pays under half of it, so a grant is seldom "
            "refused for want of central money"
        ),
        doc="central grant budget",
    )
    grant_share: float = param(
        0.5,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: the centre and the province split a pilot's cost half and half, the "
            "simplest co-financing rule"
        ),
        doc="share of a pilot's cost a central grant covers",
    )
    local_budget: float = param(
        60.0,
        unit="billion VND per year at fiscal capacity 1",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: Ho Chi Minh City (fiscal capacity 1, the largest GRDP) sets aside 60 "
            "billion VND a year and the median province (fiscal capacity 0.064) about 4: the "
            "local half of one average pilot; budgets bind in the poorer provinces, whose "
            "proposals are down-sized (tests/test_money.py); range 30-120, no source gives "
            "provinces' smart-city budgets"
        ),
        doc="local budget of a province",
    )
    ppp_share: float = param(
        0.5,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: a partner finances half of what the grant leaves (a quarter of the cost "
            "under a half grant), splitting the rest evenly with the province; PPP exists only "
            "from 2021-01 (PPP Law 64/2020)"
        ),
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
        source=(
            "assumption: revenue rights worth 12% a year of the stake, so that the expected "
            "return clears the 5% hurdle (firms.ppp_hurdle) only with low legal risk and good "
            "data access (docs/model.md §VIII)"
        ),
        doc="revenue on private investment while a service runs",
    )
    ppp_user_share: float = param(
        0.5,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: PPP Law 64/2020 allows both forms of revenue, user fees (BOT, BOO, O&M "
            "contracts) and payments by the state (BTL, BLT), a choice of contract; half and "
            "half by default"
        ),
        doc=(
            "share of a PPP partner's revenue that comes from users' fees (and so rises with "
            "use); the rest is the city's availability payment"
        ),
    )
    ppp_planned_use: float = param(
        0.15,
        unit="share",
        range="open_unit",
        role="lever",
        source=(
            "assumption: the share of a province's people using its services that a contract "
            "sets its fee schedule on; the fees earn ppp_return at this use"
        ),
        doc="use (adopted share) at which users' fees earn their share of ppp_return",
    )
    fund_interval: int = param(
        6,
        unit="months",
        range="count",
        role="lever",
        source=(
            "assumption: two rounds a year, the rhythm of the sandbox's cohort calls "
            "(policy.sandbox.call_interval, after the UK FCA)"
        ),
        doc="months between competitive-fund rounds",
    )
    performance_share: float = param(
        0.4,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: 40% of a competitive grant is paid only on success: enough to reward "
            "results, small enough for a province to pre-finance"
        ),
        doc="share of a competitive grant paid only on success",
    )
