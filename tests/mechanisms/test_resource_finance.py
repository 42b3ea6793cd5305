"""Resource mechanisms finance approved pilots and size proposals; checked on a real
ledger with hand-set pools and a fake appraisal (every pilot costs 10 billion VND),
against the rules in ``sandbox.model.resources``."""

from __future__ import annotations

import mesa
import numpy as np
import pytest
from fakes import FakeContext, FakeFirm, with_values

from sandbox.config.params import Params
from sandbox.model.agents.government import NationalGovernment
from sandbox.model.pilots import Status
from sandbox.model.resources import make_resources

COST = 10.0  # the fake appraisal's cost of a whole pilot
MONTHS = 10


def resource_context(name: str, central: float, local: float, n: int = 2, **terms) -> FakeContext:
    """Pools of ``central`` and ``local`` (each province) for the year, and the mechanism
    ``name`` with its default terms changed by ``terms``."""
    params = Params()
    params = with_values(params, resources=with_values(params.resources, name=name, **terms))
    ctx = FakeContext(n=n, params=params)
    ctx.resources = make_resources(params.resources)
    ctx.ledger.new_year(central, np.full(n, local))
    ctx.ledger.pay_instalments(ctx.clock.month_of_year)
    return ctx


def approved(ctx: FakeContext, province: int = 0, **state):
    return ctx.pilot(ctx.adhoc, province=province, status=Status.APPROVED, duration=MONTHS, **state)


def financing(ctx: FakeContext) -> None:
    """The government's financing of the month's approved pilots."""
    model = mesa.Model(rng=0)
    model.context = ctx
    NationalGovernment(model)._finance()


def test_a_grant_pays_its_share_and_the_province_the_rest_in_instalments() -> None:
    ctx = resource_context("central_budget", central=100.0, local=100.0, grant_share=0.5)
    pilot = approved(ctx)
    assert ctx.resources.finance(ctx, pilot) is True
    assert pilot.contract == COST and pilot.private_funding == 0.0
    assert pilot.instalment_central * MONTHS == pytest.approx(0.5 * COST)
    assert pilot.instalment_local * MONTHS == pytest.approx(0.5 * COST)
    # the first instalment falls due and is paid at once
    assert pilot.central_funding == pytest.approx(0.5 * COST / MONTHS)
    assert pilot.local_funding == pytest.approx(0.5 * COST / MONTHS)


def test_without_central_money_the_province_pays_it_all() -> None:
    ctx = resource_context("central_budget", central=0.0, local=100.0)
    pilot = approved(ctx)
    assert ctx.resources.finance(ctx, pilot) is True
    assert pilot.instalment_central == 0.0
    assert pilot.instalment_local * MONTHS == pytest.approx(COST)


def test_an_approved_pilot_with_no_money_is_rejected_and_counted_unfunded() -> None:
    ctx = resource_context("central_budget", central=0.0, local=0.0)
    pilot = approved(ctx)
    financing(ctx)
    assert pilot.status is Status.REJECTED and pilot not in ctx.book.open_pilots
    assert ctx.book.counts["proposals_unfunded"] == 1
    assert ctx.book.counts["pilots_rejected"] == 1
    assert pilot.contract == 0.0 and ctx.ledger.contracts == []


def test_the_money_goes_first_to_the_pilots_most_likely_to_succeed() -> None:
    # one province's pool: room for this year's instalments of one pilot, not two
    ctx = resource_context("central_budget", central=0.0, local=15.0, n=1)
    unlikely = approved(ctx, firm=FakeFirm())
    likely = approved(ctx, firm=FakeFirm())
    ctx.appraisal.success_probability = lambda q: 0.9 if q is likely else 0.3
    financing(ctx)
    assert likely.status is Status.RUNNING and likely.firm.won == [likely]
    assert unlikely.status is Status.REJECTED
    assert likely.end == ctx.clock.t + MONTHS


PPP_TERMS = {"ppp_share": 0.5, "ppp_return": 0.2, "ppp_user_share": 0.5, "ppp_planned_use": 0.2}


@pytest.mark.parametrize("clears", [True, False])
def test_a_ppp_partner_co_finances_when_its_expected_return_clears_the_hurdle(clears) -> None:
    ctx = resource_context("ppp", central=100.0, local=100.0, **PPP_TERMS)
    ctx.government.clarity[:] = 0.5
    ctx.use[0] = 0.3  # users' fees at 1.5 times the planned use
    pilot = approved(ctx, firm=FakeFirm(capital=1_000.0))
    risk = pilot.track.params.legal_risk * 0.5
    rate = 0.2 * (0.5 + 0.5 * 1.5)  # availability half, fees half at 1.5 x planned
    expected = rate * ctx.appraisal.success * (1 - risk) * ctx.appraisal.access
    saving = ctx.regime.contract_saving
    hurdle = expected / (1 - saving) * (0.999 if clears else 1.001)
    ctx.params = with_values(ctx.params, firms=with_values(ctx.params.firms, ppp_hurdle=hurdle))
    assert ctx.resources.finance(ctx, pilot) is True
    grant = ctx.params.resources.grant_share * COST
    private = 0.5 * (COST - grant) if clears else 0.0
    assert pilot.private_funding == pytest.approx(private)
    assert ctx.ledger.private == pytest.approx(private)
    assert pilot.firm.capital == pytest.approx(1_000.0 - private)
    assert pilot.instalment_local * MONTHS == pytest.approx(COST - grant - private)


@pytest.mark.parametrize(("use", "rate"), [(0.0, 0.1), (0.2, 0.2), (0.4, 0.3)])
def test_a_ppp_stakes_revenue_is_the_availability_payment_plus_fees_that_follow_use(
    use, rate
) -> None:
    ctx = resource_context("ppp", central=0.0, local=0.0, **PPP_TERMS)
    assert ctx.resources.revenue_rate(use) == pytest.approx(rate)


def test_a_province_expects_co_finance_only_where_a_partner_would_invest() -> None:
    ctx = resource_context("ppp", central=0.0, local=0.0, **PPP_TERMS)
    ctx.use[0] = 0.2  # the planned use: the rate is ppp_return
    success, access = ctx.appraisal.success, ctx.appraisal.access
    hurdle = 0.2 * success * (1 - 0.5) * access / (1 - ctx.regime.contract_saving)
    ctx.params = with_values(ctx.params, firms=with_values(ctx.params.firms, ppp_hurdle=hurdle))
    # at a legal risk of 0.4 the expected return clears the hurdle, at 0.6 it does not
    shares = [ctx.resources.private_share(ctx, 0, access, d, r) for d, r in ((0, 0.4), (1, 0.6))]
    assert shares == [0.5, 0.0]
    central = resource_context("central_budget", central=0.0, local=0.0, **PPP_TERMS)
    assert central.resources.private_share(central, 0, access, 0, 0.0) == 0.0


@pytest.mark.parametrize(
    ("private", "central", "expected"),
    [
        (0.0, 0.0, 0.25),  # 2.5 of a 10 pilot, alone
        (0.5, 0.0, 0.5),  # a partner pays half: its 2.5 is half of a half pilot
        (0.5, 100.0, 1.0),  # grant half, partner half of the rest: 2.5 of a whole pilot
    ],
)
def test_counting_on_a_partner_funds_larger_pilots(private, central, expected) -> None:
    ctx = resource_context("ppp", central=0.0, local=0.0, grant_share=0.5)
    ctx.ledger.local_headroom = lambda *_: 2.5
    ctx.ledger.central_headroom = lambda *_: central
    size = ctx.resources.sizer(ctx, 0, MONTHS, 0.25)(COST, private)
    assert size == pytest.approx(expected)


def test_no_ppp_before_it_exists_in_law() -> None:
    ctx = resource_context("ppp", central=100.0, local=100.0, ppp_from="2030-01")
    ctx.params = with_values(ctx.params, firms=with_values(ctx.params.firms, ppp_hurdle=0.0))
    pilot = approved(ctx)
    assert not ctx.resources.invests(ctx, pilot)
    ctx.clock.t = 48  # 2030-01
    assert ctx.resources.invests(ctx, pilot)


def test_a_competitive_fund_finances_in_rounds_and_pays_the_performance_share_on_success():
    ctx = resource_context(
        "competitive_fund",
        central=100.0,
        local=100.0,
        fund_interval=6,
        grant_share=0.5,
        performance_share=0.4,
    )
    pilot = approved(ctx)
    ctx.clock.t = 3
    assert ctx.resources.finance(ctx, pilot) is None  # between rounds: it waits
    assert pilot.contract == 0.0 and ctx.ledger.contracts == []
    ctx.clock.t = 6
    assert ctx.resources.finance(ctx, pilot) is True
    grant = 0.5 * COST
    assert pilot.withheld_grant == pytest.approx(0.4 * grant)
    assert pilot.instalment_central * MONTHS == pytest.approx(0.6 * grant)
    assert pilot.instalment_local * MONTHS == pytest.approx(COST - 0.6 * grant)
    local, central = pilot.local_funding, pilot.central_funding
    ctx.resources.on_success(ctx, pilot)
    assert pilot.withheld_grant == 0.0
    assert pilot.local_funding == pytest.approx(local - 0.4 * grant)
    assert pilot.central_funding == pytest.approx(central + 0.4 * grant)


@pytest.mark.parametrize(
    ("local", "central", "expected"),
    [
        (100.0, 100.0, 1.0),  # room for the whole pilot
        (2.5, 100.0, 0.5),  # its own half of half a pilot (the grant pays the other half)
        (5.0, 0.0, 0.5),  # no grant: half a pilot on its own
        (4.0, 2.0, 0.4),  # a grant for 0.4 of a pilot, its own half of that: 0.4 either way
        (1.0, 0.0, 0.0),  # a tenth of a pilot is below the minimum size (0.25)
    ],
)
def test_a_proposal_is_sized_to_what_the_province_can_fund(local, central, expected) -> None:
    ctx = resource_context("central_budget", central=0.0, local=0.0, grant_share=0.5)
    ctx.ledger.local_headroom = lambda *_: local
    ctx.ledger.central_headroom = lambda *_: central
    size = ctx.resources.sizer(ctx, 0, MONTHS, 0.25)(COST)
    assert size == pytest.approx(expected)


def test_a_provinces_budget_scales_with_its_fiscal_capacity() -> None:
    ctx = resource_context("central_budget", central=0.0, local=0.0, local_budget=60.0)
    assert ctx.resources.local_budget(np.array([1.0, 2.5])).tolist() == [60.0, 150.0]
