"""Central budget: grants from the State budget, local budgets pay the rest."""

from __future__ import annotations

from sandbox.model.resources.base import ResourceMechanism


class CentralBudget(ResourceMechanism):
    """Grants only; no form of private co-finance (the historical mechanism)."""

    name = "central_budget"
    grant = True
    ppp = False
