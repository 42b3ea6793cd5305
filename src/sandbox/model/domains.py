"""The six technology domains (docs/model.md), in a fixed order used by every array."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sandbox.config.params import DomainsParams


class Domain(IntEnum):
    """Technology domains; the value is the column index in per-domain arrays."""

    TRANSPORTATION = 0
    HEALTHCARE = 1
    EDUCATION = 2
    WARNING = 3
    PLANNING = 4
    GOVERNMENT_SERVICES = 5

    @property
    def key(self) -> str:
        """snake_case name, as in configs and result columns."""
        return self.name.lower()


DOMAINS: tuple[Domain, ...] = tuple(Domain)
N_DOMAINS = len(DOMAINS)
# the domains whose services citizens use themselves (urban planning / GIS serves the
# administration): a column mask of per-domain arrays
CITIZEN_FACING = np.array([d is not Domain.PLANNING for d in DOMAINS])


class DomainTable:
    """Per-domain parameters as arrays indexed by ``Domain``.

    Args:
        params: the ``domains`` section of the configuration.
    """

    def __init__(self, params: DomainsParams) -> None:
        rows = [getattr(params, d.key) for d in DOMAINS]
        self.cost = np.array([r.cost for r in rows])
        self.benefit = np.array([r.benefit for r in rows])
        self.success = np.array([r.success for r in rows])
        self.data_dependence = np.array([r.data_dependence for r in rows])
        self.incident_risk = np.array([r.incident_risk for r in rows])
        self.cost_list = self.cost.tolist()
        self.success_list = self.success.tolist()
        self.dependence_list = self.data_dependence.tolist()
        self.risk_list = self.incident_risk.tolist()
        # what an authority expects per person reached: yearly benefit x success chance
        self.expected_benefit = (self.benefit * self.success).tolist()
        self.urban_need = [r.urban_need for r in rows]

    def need(self, urban_share: float) -> list[float]:
        """Share of a province's people each domain serves: ``1 - urban_need x (1 -
        urban share)`` (a domain with no service yet reaches none of them)."""
        return [1.0 - u * (1.0 - urban_share) for u in self.urban_need]
