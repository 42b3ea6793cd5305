"""Public money: yearly budgets, the instalments financed pilots owe, what was spent and
what lapsed.

A financed pilot's public shares are not paid at once: they fall due in equal monthly
instalments over its planned duration while it runs (``commit``, ``pay_instalments``), as
public investment is disbursed by progress. Each month's pools pay the instalments due
before anything else; what they cannot pay stays owed (arrears) and is paid when money
arrives. A new commitment is taken on only if it fits (``local_headroom``,
``central_headroom``): this year's pool covers this year's instalments of every contract;
next year's budget, plus the share of this year's remainder a province may carry over,
covers next year's; and the budget alone covers the year after (later years owe no more,
as contracts only run out).

Conservation (checked by the tests): for the centre and for each province,
``allocated == spent + remaining + lapsed`` at all times, and no pool goes negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sandbox.model.pilots import Pilot, Status

MONTHS = 12
MONEY_TOLERANCE = 1e-9  # billion VND: below this an amount owed is settled


@dataclass
class Commitments:
    """Instalments owed by the contracts in force, as seen in one month (billion VND).

    Each entry is [this year with arrears, next year, the year after]."""

    local: list[list[float]]  # per province
    central: list[float]

    def add(self, pilot: Pilot, rest_of_year: int) -> None:
        """Count a contract: its arrears and its instalments still to fall due, of which
        ``rest_of_year`` can fall this year."""
        a, b, c = _years(pilot.instalments_left, rest_of_year)
        row, central = self.local[pilot.province], self.central
        row[0] += pilot.owed_local + pilot.instalment_local * a
        row[1] += pilot.instalment_local * b
        row[2] += pilot.instalment_local * c
        central[0] += pilot.owed_central + pilot.instalment_central * a
        central[1] += pilot.instalment_central * b
        central[2] += pilot.instalment_central * c


ROUNDING = 1e-9  # a pilot sized to a headroom (``ResourceMechanism.sizer``) fits it


def fits(amount: float, headroom: float) -> bool:
    """Whether a commitment of ``amount`` fits within ``headroom`` (nothing always fits),
    up to rounding: ``ROUNDING`` of the headroom's size."""
    return amount <= 0 or amount <= headroom + ROUNDING * abs(headroom)


def _years(months: int, first: int) -> tuple[int, int, int]:
    """Of ``months`` monthly instalments, ``first`` of them this year, how many fall this
    year, next year and the year after."""
    # ``min`` written as comparisons: the same values, called for every contract monthly
    this_year = months if months < first else first
    left = months - this_year
    next_year = left if left < MONTHS else MONTHS
    left -= next_year
    return this_year, next_year, (left if left < MONTHS else MONTHS)


class Ledger:
    """Central and local budget pools in billion VND, and the contracts paid from them.

    Args:
        n_provinces: number of provinces.
        fiscal: each province's fiscal capacity, which scales its yearly budget
            (``ResourceMechanism.local_budget``); 1 everywhere by default.
    """

    def __init__(self, n_provinces: int, fiscal: np.ndarray | None = None) -> None:
        self.fiscal = np.ones(n_provinces) if fiscal is None else fiscal
        self.central = 0.0
        self.local = np.zeros(n_provinces)
        self.allocated_central = 0.0
        self.allocated_local = np.zeros(n_provinces)
        self.spent_central = 0.0
        self.spent_local = np.zeros(n_provinces)
        self.lapsed_central = 0.0
        self.lapsed_local = np.zeros(n_provinces)
        self.private = 0.0  # private investment mobilised (not a public pool)
        self.contracts: list[Pilot] = []  # pilots with instalments to fall due or owed
        self.month_of_year = 1  # the calendar month of the last ``pay_instalments``
        self._commitments: Commitments | None = None  # None: to be counted again
        # central_headroom by (months, budget): every authority asks each month, and it
        # changes only when the central pool or what is owed changes
        self._central_rooms: dict[tuple[int, float], float] = {}

    def new_year(self, central: float, local: np.ndarray, carry_over: float = 0.0) -> None:
        """The new year's budgets arrive; unspent central money lapses, and unspent local
        money lapses but for ``carry_over`` of it, which stays in the province's pool."""
        self.lapsed_central += self.central
        kept = carry_over * self.local
        self.lapsed_local += self.local - kept
        self.central = central
        self._central_rooms.clear()
        self.local = kept + local
        self.allocated_central += central
        self.allocated_local += local

    def top_up(self, central: float, local: np.ndarray) -> None:
        """Raise this year's pools to at least ``central`` and ``local`` (allocated now, so
        money stays conserved)."""
        central_added = max(0.0, central - self.central)
        local_added = np.maximum(0.0, local - self.local)
        self.central += central_added
        self.local = self.local + local_added
        self.allocated_central += central_added
        self.allocated_local = self.allocated_local + local_added
        self._central_rooms.clear()

    def spend_local(self, province: int, amount: float) -> None:
        """Pay from a province's pool (the caller checked it suffices)."""
        assert amount <= self.local[province] + 1e-9, "local pool overdrawn"
        amount = min(amount, self.local[province])
        self.local[province] -= amount
        self.spent_local[province] += amount

    def reimburse(self, province: int, amount: float) -> float:
        """The centre refunds a province (performance grants) from the part of its pool no
        instalment needs this year; returns what was paid."""
        free = self.central - self.commitments().central[0]
        paid = min(amount, max(0.0, free))
        self.central -= paid
        self.spent_central += paid
        self.spent_local[province] -= paid
        self.local[province] += paid
        self._central_rooms.clear()
        return paid

    # ---------------------------------------------------------------- instalments
    def commit(self, pilot: Pilot, local: float, central: float, months: int) -> None:
        """A financed pilot: its local and central shares fall due in ``months`` equal
        monthly instalments, the first of them now."""
        months = max(1, months)
        pilot.instalment_local = local / months
        pilot.instalment_central = central / months
        pilot.instalments_left = months
        self.contracts.append(pilot)
        self._fall_due(pilot)
        self._pay(pilot)
        if self._commitments is not None:  # counted in contract order, as a recount would
            self._commitments.add(pilot, self._rest_of_year)
        self._central_rooms.clear()

    def pay_instalments(self, month_of_year: int) -> None:
        """The instalments of the month (``month_of_year``, 1-12): each running pilot owes
        one more (a pilot that stopped running owes no more), and every amount owed is paid
        as far as the pools go, in the order the contracts were made."""
        self.month_of_year = month_of_year
        # the provinces' pools as plain floats while every contract is paid (the same
        # arithmetic, without a NumPy scalar per payment), written back after
        local, spent_local = self.local.tolist(), self.spent_local.tolist()
        # the contracts still in force, and what they owe (``commitments``), counted as
        # they are paid
        in_force: list[Pilot] = []
        owed = Commitments([[0.0, 0.0, 0.0] for _ in local], [0.0, 0.0, 0.0])
        rest_of_year = self._rest_of_year
        # ``_fall_due`` and ``_pay`` written out: this loop runs for every contract monthly
        central_pool = self.central
        for pilot in self.contracts:
            if pilot.instalments_left > 0:
                if pilot.status is Status.RUNNING:
                    pilot.owed_local += pilot.instalment_local
                    pilot.owed_central += pilot.instalment_central
                    pilot.instalments_left -= 1
                else:
                    pilot.instalments_left = 0  # halted before its end: the rest is off
            central = pilot.owed_central if pilot.owed_central < central_pool else central_pool
            if central > 0:  # at most what the pool holds
                central_pool -= central
                self.spent_central += central
                pilot.owed_central -= central
                pilot.central_funding += central
            province = pilot.province
            paid = pilot.owed_local if pilot.owed_local < local[province] else local[province]
            if paid > 0:
                local[province] -= paid
                spent_local[province] += paid
                pilot.owed_local -= paid
                pilot.local_funding += paid
            if (
                pilot.instalments_left > 0
                or pilot.owed_local > MONEY_TOLERANCE
                or pilot.owed_central > MONEY_TOLERANCE
            ):
                in_force.append(pilot)
                owed.add(pilot, rest_of_year)
        self.central = central_pool
        self.local[:] = local
        self.spent_local[:] = spent_local
        self.contracts = in_force
        self._commitments = owed
        self._central_rooms.clear()

    @staticmethod
    def _fall_due(pilot: Pilot) -> None:
        pilot.owed_local += pilot.instalment_local
        pilot.owed_central += pilot.instalment_central
        pilot.instalments_left -= 1

    def _pay(self, pilot: Pilot) -> None:
        """Pay what ``pilot`` owes as far as the pools go: the central pool, then its
        province's (``pay_instalments`` writes the same steps out for every contract)."""
        local, spent_local = self.local, self.spent_local
        central = min(pilot.owed_central, self.central)
        if central > 0:  # at most what the pool holds
            self.central -= central
            self.spent_central += central
            pilot.owed_central -= central
            pilot.central_funding += central
        province = pilot.province
        paid = min(pilot.owed_local, local[province])
        if paid > 0:
            local[province] -= paid
            spent_local[province] += paid
            pilot.owed_local -= paid
            pilot.local_funding += paid

    def commitments(self) -> Commitments:
        """What the contracts in force owe this year (arrears included), next year and the
        year after, seen after this month's instalments were paid."""
        if self._commitments is None:
            self._commitments = Commitments(
                [[0.0, 0.0, 0.0] for _ in range(len(self.local))], [0.0, 0.0, 0.0]
            )
            rest_of_year = self._rest_of_year
            for pilot in self.contracts:
                self._commitments.add(pilot, rest_of_year)
        return self._commitments

    @property
    def _rest_of_year(self) -> int:
        """Instalments that can still fall due this year after this month's."""
        return MONTHS - self.month_of_year

    def _headroom(
        self, owed: tuple[float, float, float], pool: float, months: int, budget: float, kept: float
    ) -> float:
        """The largest amount paid over ``months`` from this month that fits beside
        ``owed``: its instalment ``i`` must leave this year's pool non-negative
        (``i a <= pool - owed[0]``), fit next year's budget plus ``kept`` of what the pool
        keeps (``i (b + kept a) <= budget + kept (pool - owed[0]) - owed[1]``) and the
        year after's budget (``i c <= budget - owed[2]``), with ``a``, ``b``, ``c`` its
        instalments in each year. Negative when nothing fits."""
        months = months if months > 1 else 1
        a, b, c = _years(months, MONTHS + 1 - self.month_of_year)
        free = pool - owed[0]
        # each year's limit on the instalment, room / weight (a >= 1: the first falls now);
        # a year that owes nothing new (weight 0) limits only when its room is negative
        instalment = (free + MONEY_TOLERANCE) / a
        for weight, room in (
            (b + kept * a, budget + kept * free - owed[1] + MONEY_TOLERANCE),
            (c, budget - owed[2] + MONEY_TOLERANCE),
        ):
            if weight > 0:
                limit = room / weight
                if limit < instalment:
                    instalment = limit
            elif room < 0:
                return -math.inf
        return instalment * months

    def local_headroom(self, province: int, months: int, budget: float, carry_over: float) -> float:
        """The largest amount a province can take on, paid over ``months`` from this
        month: on top of what it owes, this year's pool covers this year's instalments,
        next year's ``budget`` (plus ``carry_over`` of what this year's pool keeps) next
        year's, and ``budget`` the year after's."""
        owed = self.commitments().local[province]
        return self._headroom(owed, self.local.item(province), months, float(budget), carry_over)

    def central_headroom(self, months: int, budget: float) -> float:
        """``local_headroom`` for the central pool and the central ``budget`` (central
        money never carries over)."""
        room = self._central_rooms.get((months, budget))
        if room is None:
            room = self._headroom(self.commitments().central, self.central, months, budget, 0.0)
            self._central_rooms[months, budget] = room
        return room

    def local_fits(
        self, province: int, amount: float, months: int, budget: float, carry_over: float
    ) -> bool:
        """Whether a province can take on ``amount`` paid over ``months`` from this month
        (``local_headroom``)."""
        return fits(amount, self.local_headroom(province, months, budget, carry_over))

    def free_local(self, province: int) -> float:
        """What a province's pool holds beyond this year's instalments."""
        return float(self.local[province] - self.commitments().local[province][0])

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """Provinces merge: each unit's pools, records and fiscal capacity are the sums of
        its provinces' (its contracts are its provinces', each pilot now in the unit)."""
        for name in ("local", "allocated_local", "spent_local", "lapsed_local", "fiscal"):
            setattr(self, name, np.bincount(unit_of, getattr(self, name), minlength=n_units))
        self._commitments = None

    @property
    def public_spending(self) -> float:
        """Central plus local money spent so far."""
        return self.spent_central + float(self.spent_local.sum())
