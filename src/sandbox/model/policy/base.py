"""The interface every regulatory regime implements.

A regime composes approval tracks (``sandbox.model.tracks``) and decides which one a new
proposal takes (``track_for``) and what happens at the start of each month beyond the
common legislation process (``start_month``). Tracks own their review, terms and exits,
so regimes combine them freely: a phased roll-out can run a sandbox inside its waves.
A regime sees the model through a ``RegimeContext`` (``sandbox.model.interfaces``): the
clock, the authorities, legal clarity, the data regime and the streams, and what its
tracks see.

Adding a regime is one class file in this package (a subclass with a unique ``name``;
subclasses register themselves) plus one YAML in ``configs/policy/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sandbox.config.params import PolicyParams
from sandbox.model.tracks import AdHoc

if TYPE_CHECKING:
    from sandbox.model.interfaces import AuthorityView, RegimeContext

REGIMES: dict[str, type[Regime]] = {}


class Regime:
    """Base regime: every proposal goes through ad-hoc approval (no legal corridor).

    Args:
        params: the ``policy`` section of the configuration.
    """

    name: ClassVar[str] = ""
    # the keys under ``policy.`` the regime reads besides the ad-hoc track every regime
    # has: a section (``sandbox``) or a leaf; the dashboard's controls of the regime
    levers: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            if REGIMES.get(cls.name, cls) is not cls:
                raise TypeError(f"two regimes are named {cls.name!r}")
            REGIMES[cls.name] = cls

    def __init__(self, params: PolicyParams) -> None:
        self.params = params
        self.adhoc = AdHoc(params.adhoc)

    def setup(self, ctx: RegimeContext) -> None:
        """Prepare regime state once the provinces exist."""

    @property
    def contract_saving(self) -> float:
        """Share of transaction costs standard contracts remove (0 without them)."""
        p = self.params
        return p.contract_saving if p.standard_contracts else 0.0

    def track_for(self, ctx: RegimeContext, authority: AuthorityView) -> AdHoc:
        """The approval track a proposal from ``authority`` takes this month."""
        return self.adhoc

    def start_month(self, ctx: RegimeContext) -> None:
        """Regime-specific events at the start of a month (phases, ...)."""

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """Provinces merge into units (``sandbox.model.merger``): map per-province state."""
