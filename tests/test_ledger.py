"""Instalments: a financed pilot's public shares are paid month by month while it runs,
from pools that lapse at year end, and a commitment is taken on only if it fits."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import scenario
from sandbox.model.domains import Domain
from sandbox.model.model import SandboxModel
from sandbox.model.pilots import Pilot, Status
from sandbox.model.resources.ledger import Ledger, fits


def _running(months: int, province: int = 0) -> Pilot:
    pilot = Pilot(province, Domain.WARNING, None, proposed=0, duration=months, scope=0.1)
    pilot.status = Status.RUNNING
    return pilot


def _conserved(ledger: Ledger) -> None:
    assert np.allclose(
        ledger.allocated_local, ledger.spent_local + ledger.local + ledger.lapsed_local
    )
    assert np.isclose(
        ledger.allocated_central, ledger.spent_central + ledger.central + ledger.lapsed_central
    )


def test_a_share_is_paid_in_equal_instalments_while_the_pilot_runs() -> None:
    ledger = Ledger(1)
    ledger.new_year(100.0, np.array([50.0]))
    ledger.pay_instalments(1)
    pilot = _running(10)
    ledger.commit(pilot, local=20.0, central=10.0, months=10)  # the first instalment now
    assert pilot.local_funding == pytest.approx(2.0)
    assert pilot.central_funding == pytest.approx(1.0)
    for month in range(2, 13):
        ledger.pay_instalments(month)
        _conserved(ledger)
    assert pilot.local_funding == pytest.approx(20.0)  # ten instalments, no more
    assert pilot.central_funding == pytest.approx(10.0)
    assert ledger.public_spending == pytest.approx(30.0)
    assert ledger.contracts == []


def test_a_halted_pilot_owes_nothing_more() -> None:
    ledger = Ledger(1)
    ledger.new_year(0.0, np.array([50.0]))
    ledger.pay_instalments(1)
    pilot = _running(10)
    ledger.commit(pilot, local=20.0, central=0.0, months=10)
    ledger.pay_instalments(2)
    pilot.status = Status.HALTED
    ledger.pay_instalments(3)
    assert pilot.local_funding == pytest.approx(4.0)
    assert ledger.contracts == []


def test_what_a_pool_cannot_pay_stays_owed_until_money_arrives() -> None:
    ledger = Ledger(1)
    ledger.new_year(0.0, np.array([3.0]))
    ledger.pay_instalments(11)
    pilot = _running(4)
    ledger.commit(pilot, local=8.0, central=0.0, months=4)  # 2 a month, 3 in the pool
    ledger.pay_instalments(12)
    assert ledger.local[0] == pytest.approx(0.0)
    assert pilot.owed_local == pytest.approx(1.0)
    ledger.new_year(0.0, np.array([10.0]))
    ledger.pay_instalments(1)  # the arrears and January's instalment
    assert pilot.owed_local == pytest.approx(0.0)
    assert pilot.local_funding == pytest.approx(6.0)
    _conserved(ledger)


def test_a_commitment_must_fit_this_year_and_the_coming_budgets() -> None:
    ledger = Ledger(1)
    ledger.new_year(0.0, np.array([12.0]))
    ledger.pay_instalments(7)  # July: six instalments fall this year, then twelve a year
    # 1 a month: 6 this year fits the pool of 12, 12 next year fits a budget of 12
    assert ledger.local_fits(0, 36.0, 36, budget=12.0, carry_over=0.0)
    # 2 a month: 24 next year exceed it, unless what this year's pool keeps carries over
    assert not ledger.local_fits(0, 72.0, 36, budget=12.0, carry_over=0.0)
    assert not ledger.local_fits(0, 72.0, 36, budget=12.0, carry_over=1.0)  # 12 - 12 = 0 kept
    # 1.75 a month for 24 months: 21 next year exceed a budget of 20, but not 20 plus the
    # 1.5 this year's pool keeps, if it carries over
    assert not ledger.local_fits(0, 42.0, 24, budget=20.0, carry_over=0.0)
    assert ledger.local_fits(0, 42.0, 24, budget=20.0, carry_over=1.0)
    ledger.commit(_running(36), local=36.0, central=0.0, months=36)
    # what is owed counts: another 1 a month now needs 24 next year
    assert not ledger.local_fits(0, 36.0, 36, budget=12.0, carry_over=0.0)
    assert ledger.local_fits(0, 36.0, 36, budget=24.0, carry_over=0.0)


def test_headroom_admits_exactly_what_the_three_yearly_conditions_admit() -> None:
    # the rule written out: instalments this year, next year and the year after must fit
    # the pool, next year's budget plus what the pool keeps, and the budget
    rng = np.random.default_rng(7)
    ledger = Ledger(1)
    disagreements = checked = 0
    for _ in range(20_000):
        owed = tuple(rng.uniform(0.0, 40.0, 3))
        pool, budget = rng.uniform(0.0, 60.0), rng.uniform(0.0, 40.0)
        amount, months = rng.uniform(0.01, 200.0), int(rng.integers(1, 61))
        ledger.month_of_year, kept = int(rng.integers(1, 13)), float(rng.choice([0, 0.3, 1]))
        this_year = min(months, 13 - ledger.month_of_year)
        next_year = min(12, months - this_year)
        after = min(12, months - this_year - next_year)
        instalment = amount / months
        left = pool - owed[0] - instalment * this_year
        direct = (
            left >= 0
            and owed[1] + instalment * next_year <= budget + kept * left
            and owed[2] + instalment * after <= budget
        )
        room = ledger._headroom(owed, pool, months, budget, kept)
        if abs(amount - room) > 1e-6 * amount:  # away from the boundary
            checked += 1
            disagreements += fits(amount, room) != direct
    assert checked > 19_000 and disagreements == 0


def test_what_the_contracts_owe_is_counted_as_their_instalments_say_every_month() -> None:
    """``Ledger.commitments`` (counted while the month's instalments are paid, and added to
    as contracts are made) against its definition, recomputed from the contracts in force:
    arrears plus the instalments that fall this year, next year and the year after."""
    model = SandboxModel(scenario("citizens.n=3000", "seed=4"))
    checked = 0
    while model.t < len(model.months):
        model.step()
        ledger = model.ledger
        rest = 12 - ledger.month_of_year
        local = np.zeros((len(ledger.local), 3))
        central = np.zeros(3)
        for q in ledger.contracts:
            n = q.instalments_left
            this_year = min(n, rest)
            years = np.array(
                [this_year, min(12, n - this_year), min(12, max(0, n - this_year - 12))]
            )
            local[q.province] += [q.owed_local, 0.0, 0.0] + q.instalment_local * years
            central += [q.owed_central, 0.0, 0.0] + q.instalment_central * years
        owed = ledger.commitments()
        assert np.allclose(owed.local, local, rtol=1e-12, atol=1e-12), f"month {model.t}"
        assert np.allclose(owed.central, central, rtol=1e-12, atol=1e-12), f"month {model.t}"
        checked += len(ledger.contracts) > 0
    assert checked > 12
