"""The model's calendar: the simulated months, the one being simulated, and policy.start."""

from __future__ import annotations

import pandas as pd

from sandbox.config.validate import month_number


def month_index(start: str, month: str) -> int:
    """How many months ``month`` (YYYY-MM) comes after ``start``: its index among the
    simulated months when ``start`` is ``horizon.start`` (negative before it)."""
    return month_number(month) - month_number(start, "horizon.start")


class Clock:
    """Which month is being simulated (``t``, an index into ``months``).

    ``SandboxModel.step`` advances it after the month's stages; mechanisms only read it.

    Args:
        months: every simulated month, ``horizon.start`` to ``horizon.end``.
        policy_t0: the index of ``policy.start`` (0 when it is not later).
    """

    def __init__(self, months: pd.PeriodIndex, policy_t0: int) -> None:
        self.months = months
        self.t = 0  # index of the month being simulated
        self.policy_t0 = policy_t0

    @property
    def months(self) -> pd.PeriodIndex:
        """Every simulated month."""
        return self._months

    @months.setter
    def months(self, months: pd.PeriodIndex) -> None:
        # read every month by every authority: kept as plain labels and the first month's
        # calendar month, not looked up in the index each time
        self._months = months
        self._labels = months.strftime("%Y-%m").tolist()
        self._first_month = months[0].month if len(months) else 1

    @property
    def month(self) -> pd.Period:
        """The month being simulated."""
        return self._months[self.t]

    @property
    def label(self) -> str:
        """The month being simulated, as YYYY-MM."""
        return self._labels[self.t]

    @property
    def month_of_year(self) -> int:
        """Calendar month (1-12) being simulated."""
        return (self._first_month - 1 + self.t) % 12 + 1

    @property
    def months_since_policy(self) -> int:
        """Months since ``policy.start`` (negative before it)."""
        return self.t - self.policy_t0
