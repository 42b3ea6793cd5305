"""Citizens feed back: their use of services is a political return to their authority
(``authorities.political_return``), and the revenue of a PPP partner's users' fees
(``ResourceMechanism.revenue_rate``, tested in ``tests/mechanisms/test_resource_finance.py``).

Whether more proposals follow over years is not guaranteed replicate by replicate (earlier
proposals fill an authority's slots and budgets sooner), so the test checks the mechanism
itself: the monthly chance, against its closed form."""

from __future__ import annotations

import dataclasses
import math

import pytest

from conftest import SMALL, scenario
from sandbox.model.model import SandboxModel


def urge_after_one_month(political_return: float, use: float) -> float:
    """The proposal hazard one authority adds in one month (``LocalAuthority.propose``)
    at its province's ``use``, from the same state and the same draws."""
    model = SandboxModel(scenario(*SMALL, "horizon.end=2019-06"))
    model.run()
    ctx = model.context
    p = ctx.params.authorities
    ctx.params = dataclasses.replace(
        ctx.params, authorities=dataclasses.replace(p, political_return=political_return)
    )
    authority = next(a for a in ctx.authorities if not a.pilots)  # free to propose
    authority.urge, authority.threshold = 0.0, math.inf  # accumulate, never propose
    ctx.use[authority.province] = use
    authority.propose()
    return authority.urge


@pytest.mark.parametrize(("political_return", "use"), [(1.0, 0.5), (3.0, 0.2), (2.0, 0.0)])
def test_use_multiplies_the_monthly_proposal_chance_by_one_plus_the_return(
    political_return, use
) -> None:
    """The monthly chance ``c`` enters the hazard as ``-log(1 - c)``: recovered from the
    hazard, the chance with the return is ``1 + political_return * use`` times the chance
    without it (everything else the same: state, draws, candidate)."""
    without = -math.expm1(-urge_after_one_month(0.0, use))
    with_return = -math.expm1(-urge_after_one_month(political_return, use))
    assert without > 0
    assert with_return == pytest.approx(without * (1 + political_return * use), rel=1e-9)
