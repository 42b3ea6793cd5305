"""Counterfactual lifts of the barriers the evidence names (``policy.barriers``), from
``policy.start``: how much each holds back under a regime, and so how much any policy
could gain (``experiment=barriers``).

Each lift acts once, when the policy is enacted, on the mechanism that carries the barrier:

* ``legal``: an act of clarity 1 for every domain, established and novel technologies
  (``Legislation.enact``): no legal risk, and a novel technology needs no corridor;
* ``data``: interoperability 1 and every province connected to the shared data, at no cost;
* ``money``: budgets that never bind: the year's pools and every later year's budget set
  to ``UNLIMITED`` (spending still counts only what is spent);
* ``private_capital``: no return hurdle (``firms.ppp_hurdle`` 0): a partner co-finances
  whenever PPP exists and the expected return is positive;
* ``hesitancy``: every authority fully aware, without risk aversion.
"""

from __future__ import annotations

from dataclasses import replace

from sandbox.config.params import Params
from sandbox.model.domains import N_DOMAINS

UNLIMITED = 1e9  # billion VND a year: no pilot programme comes near it


def lifted_params(params: Params) -> Params:
    """The scenario the policy runs with: the money and private-capital barriers lifted
    where ``policy.barriers`` says so (their parameters; the rest is unchanged)."""
    lift = params.policy.barriers
    resources, firms = params.resources, params.firms
    if lift.money:
        resources = replace(resources, central_budget=UNLIMITED, local_budget=UNLIMITED)
    if lift.private_capital:
        firms = replace(firms, ppp_hurdle=0.0)
    return replace(params, resources=resources, firms=firms)


def lift_state(ctx) -> None:
    """Lift the barriers of ``ctx.params.policy.barriers`` that live in the model's state
    (clarity, data, this year's budgets, the authorities), at ``policy.start``."""
    lift = ctx.params.policy.barriers
    if lift.legal:
        ctx.government.legislation.enact(tuple(range(N_DOMAINS)), 1.0, novel=True)
    if lift.data:
        ctx.data_regime.interoperability = 1.0
        ctx.data_regime.connected[:] = True
    if lift.money:
        ctx.ledger.top_up(UNLIMITED, UNLIMITED * ctx.ledger.fiscal)
    if lift.hesitancy:
        for authority in ctx.authorities:
            authority.awareness = 1.0
            authority.risk_aversion = 0.0
