"""Public money: yearly budgets, what was spent and what lapsed.

Conservation (checked by the tests): for the centre and for each province,
``allocated == spent + remaining + lapsed`` at all times, and no pool goes negative.
"""

from __future__ import annotations

import numpy as np


class Ledger:
    """Central and local budget pools in billion VND.

    Args:
        n_provinces: number of provinces.
    """

    def __init__(self, n_provinces: int) -> None:
        self.central = 0.0
        self.local = np.zeros(n_provinces)
        self.allocated_central = 0.0
        self.allocated_local = np.zeros(n_provinces)
        self.spent_central = 0.0
        self.spent_local = np.zeros(n_provinces)
        self.lapsed_central = 0.0
        self.lapsed_local = np.zeros(n_provinces)
        self.private = 0.0  # private investment mobilised (not a public pool)

    def new_year(self, central: float, local: np.ndarray, carry_over: float = 0.0) -> None:
        """The new year's budgets arrive; unspent central money lapses, and unspent local
        money lapses but for ``carry_over`` of it, which stays in the province's pool."""
        self.lapsed_central += self.central
        kept = carry_over * self.local
        self.lapsed_local += self.local - kept
        self.central = central
        self.local = kept + local
        self.allocated_central += central
        self.allocated_local += local

    def spend_central(self, amount: float) -> None:
        """Pay from the central pool (the caller checked it suffices)."""
        assert amount <= self.central + 1e-9, "central pool overdrawn"
        amount = min(amount, self.central)
        self.central -= amount
        self.spent_central += amount

    def spend_local(self, province: int, amount: float) -> None:
        """Pay from a province's pool (the caller checked it suffices)."""
        assert amount <= self.local[province] + 1e-9, "local pool overdrawn"
        amount = min(amount, self.local[province])
        self.local[province] -= amount
        self.spent_local[province] += amount

    def reimburse(self, province: int, amount: float) -> float:
        """The centre refunds a province (performance grants); returns what was paid."""
        paid = min(amount, self.central)
        self.central -= paid
        self.spent_central += paid
        self.spent_local[province] -= paid
        self.local[province] += paid
        return paid

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """Provinces merge: each unit's pools and records are the sums of its provinces'."""
        for name in ("local", "allocated_local", "spent_local", "lapsed_local"):
            setattr(self, name, np.bincount(unit_of, getattr(self, name), minlength=n_units))

    @property
    def public_spending(self) -> float:
        """Central plus local money spent so far."""
        return self.spent_central + float(self.spent_local.sum())
