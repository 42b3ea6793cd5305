"""The 2025 merger of provinces: units of a merged table inherit their provinces' state.

On 1 July 2025 Vietnam's 63 provinces became 34 units (Resolution 202/2025/QH15). At the
start of ``region.merge_month`` the model's province table becomes ``region.merge_table``
(a merged table, ``docs/regions.md``), and each unit inherits the state of the provinces
merged into it:

* its pilots and services keep the people they reached: their coverage becomes a share of
  the unit (times their province's population share of it), and the population-weighted
  shares (``population_share_with_*``) count them for their own province only, so those
  shares do not jump at the merger;
* its authority is the seat province's agent; its rates (digital capacity, data
  readiness, awareness, leadership, risk aversion) are the population-weighted means of
  its provinces'; it holds all their pilots and services;
* its money is the sum of theirs (pools, allocations, spending, lapses), and so is its
  fiscal capacity, so next year's budgets add up too;
* its citizens are theirs, each with the adoption state and remaining threshold it had
  (``Citizens.merge``);
* a regime with per-province state maps it (``Regime.merge``).

``SandboxModel.merge_provinces`` applies the merger to the model's parts; here is the part
that is the merger's own: how authorities and their pilots become the units'
(``merge_authorities``). Which unit each province joins is read from the tables
(``sandbox.regions.unit_of``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.regions import Region

if TYPE_CHECKING:
    from sandbox.model.agents.authority import LocalAuthority


def merge_authorities(
    authorities: list[LocalAuthority], old: Region, new: Region, units: np.ndarray
) -> list[LocalAuthority]:
    """The authorities of the units of ``new``: each unit's seat absorbs the authorities of
    its provinces (the others leave the model), and every pilot keeps the people it
    reached, as a share of its unit (module docstring).

    Args:
        authorities: the authorities of ``old``'s provinces, in their order.
        old: the province table in force.
        new: the merged table.
        units: for each province of ``old``, its unit in ``new`` (``unit_of``).
    """
    index = {name: k for k, name in enumerate(old.names)}
    merged = []
    for u in range(new.n):
        members = np.flatnonzero(units == u)
        weights = old.population[members] / old.population[members].sum()
        seat = authorities[index[new.seats[u]]]
        seat.absorb([authorities[k] for k in members], weights, u, new)
        for k in members:
            if authorities[k] is not seat:
                authorities[k].remove()
        merged.append(seat)
    share = old.population / np.bincount(units, old.population)[units]
    for pilot in (q for a in merged for q in a.pilots):
        # a pilot keeps the people it reached: its share of the unit is its province's
        pilot.coverage *= share[pilot.province]
        pilot.scope *= share[pilot.province]
        pilot.share *= share[pilot.province]
        pilot.province = int(units[pilot.province])
    return merged
