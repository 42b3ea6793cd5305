"""A pilot's prospects in its province: its data access, its cost and its chance of success.

Authorities read them to choose what to propose, firms to price their bids, resource
mechanisms to finance and rank pilots, and the pilots' stage to draw a pilot's outcome
(docs/model.md S4-S8). They depend on the province's authority (data readiness, digital
capacity), the data regime in force, the regime's data-market rules and the domains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sandbox.model.domains import Domain
    from sandbox.model.interfaces import AppraisalContext
    from sandbox.model.pilots import Pilot


class Appraisal:
    """Data access, costs and success chances of pilots (module docstring).

    Args:
        context: where the authorities, the data regime and regime in force, the
            parameters and the domains are read.
    """

    def __init__(self, context: AppraisalContext) -> None:
        self.context = context
        # the data access a domain needs to be buildable (``LocalAuthority.propose``)
        self.feasible_access = (
            context.params.pilots.data_feasibility * context.domains.data_dependence
        ).tolist()

    def province_access(self, province: int) -> float:
        """Effective data access of pilots in a province (``sandbox.model.data``)."""
        c = self.context
        readiness = c.authorities[province].data_readiness
        return float(c.data_regime.access(province, readiness, c.regime.params.data_market))

    def provinces_access(self, provinces: Sequence[int]) -> np.ndarray:
        """``province_access`` of many provinces at once (the same numbers)."""
        c = self.context
        readiness = np.array([c.authorities[k].data_readiness for k in provinces], dtype=float)
        index = np.asarray(provinces, dtype=np.intp)
        return c.data_regime.accesses(index, readiness, c.regime.params.data_market)

    def data_access(self, pilot: Pilot) -> float:
        """Effective data access of a pilot."""
        return self.province_access(pilot.province)

    def domain_costs(self, access: float | np.ndarray) -> np.ndarray:
        """Cost of a pilot in each domain (the last axis) at a province's data ``access``
        (or at an array of them, a row each), billion VND."""
        domains = self.context.domains
        access = np.asarray(access, dtype=float)[..., None]
        return self._cost(domains.cost, domains.data_dependence, access)

    def domain_cost(self, province: int, domain: Domain, access: float | None = None) -> float:
        """Cost of a pilot in a domain and province, billion VND: the domain's cost, more
        where a data-dependent service lacks data (``pilots.data_cost_premium``)."""
        access = self.province_access(province) if access is None else access
        domains = self.context.domains  # in plain floats: the same number as ``domain_costs``
        return self._cost(domains.cost_list[domain], domains.dependence_list[domain], access)

    def _cost(
        self, cost: float | np.ndarray, dependence: float | np.ndarray, access: float | np.ndarray
    ) -> float | np.ndarray:
        """A domain's ``cost`` at data ``access``, with its ``dependence`` on data (floats,
        or arrays that broadcast)."""
        premium = self.context.params.pilots.data_cost_premium
        return cost * (1.0 + premium * dependence * (1.0 - access))

    def pilot_cost(self, pilot: Pilot) -> float:
        """Cost of a pilot, billion VND: its size of a whole pilot's ``domain_cost`` in its
        domain and province."""
        return pilot.size * self.domain_cost(pilot.province, pilot.domain)

    def success_probability(self, pilot: Pilot) -> float:
        """Chance a pilot succeeds: domain base, firm capability, local capacity, data."""
        p = self.context.params.pilots
        capability = pilot.firm.capability if pilot.firm is not None else p.default_capability
        return self._success(pilot.province, pilot.domain, self.data_access(pilot), capability)

    def expected_success(self, province: int, domain: int, access: float) -> float:
        """Chance a pilot in ``domain`` and ``province`` (at data ``access``) succeeds with
        a partner of default capability (``pilots.default_capability``): what a province
        or a partner expects before the partner is known."""
        p = self.context.params.pilots
        return self._success(province, domain, access, p.default_capability)

    def _success(self, province: int, domain: int, access: float, capability: float) -> float:
        c = self.context
        p = c.params.pilots
        mid = p.reference_level
        domains = c.domains
        value = (  # in plain floats: called for every pilot reviewed or financed
            domains.success_list[domain]
            + p.capability_weight * (capability - mid)
            + p.capacity_weight * (c.authorities[province].digital_capacity - mid)
            + p.data_weight * domains.dependence_list[domain] * (access - mid)
        )
        low, high = p.success_min, p.success_max
        return float(high if value > high else low if value < low else value)
