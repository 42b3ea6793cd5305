"""Phased roll-out: provinces admitted in waves; each completed phase codifies what its
pilots showed and connects its provinces to the shared data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.config.params import PolicyParams
from sandbox.errors import ConfigError
from sandbox.model.policy.base import Regime
from sandbox.model.tracks import AdHoc, Facilitated, Sandbox

if TYPE_CHECKING:
    from sandbox.model.interfaces import AuthorityView, RegimeContext

ORDERS = ("readiness", "need", "random")
WITHIN = ("facilitated", "sandbox")


class Phased(Regime):
    """Waves of provinces move from ad-hoc approval to the ``within`` track.

    Wave ``w`` (0-based) is admitted at month ``w * phase_months``. At the end of each of
    the ``n_waves`` phases the State reviews the phase: the evidence its pilots produced
    becomes rules at once, instead of ``legislation.lag_months`` later (what the phase
    adds is what it achieved: no evidence, no rules), and the provinces of the waves that
    completed a phase connect to the national platform. ``within: sandbox`` runs a
    sandbox inside the roll-out (its calls and capacity from ``policy.sandbox``).
    """

    name = "phased"
    levers = ("phasing", "facilitated", "sandbox")

    def __init__(self, params: PolicyParams) -> None:
        super().__init__(params)
        within = params.phasing.within
        if within == "sandbox":
            self.within: AdHoc = Sandbox(params.sandbox)
        elif within == "facilitated":
            self.within = Facilitated(params.facilitated)
        else:
            raise ConfigError("policy.phasing.within", within, " | ".join(WITHIN))

    def setup(self, ctx: RegimeContext) -> None:
        """Order provinces into waves by the configured rule."""
        p = self.params.phasing
        n = ctx.n_provinces
        capacity = np.array([a.digital_capacity for a in ctx.authorities])
        if p.order == "readiness":
            order = np.argsort(-capacity, kind="stable")
        elif p.order == "need":
            order = np.argsort(capacity, kind="stable")
        elif p.order == "random":
            order = ctx.streams["phasing"].permutation(n)
        else:
            raise ConfigError("policy.phasing.order", p.order, " | ".join(ORDERS))
        self.wave = np.empty(n, dtype=np.int64)
        self.wave[order] = np.arange(n) * p.n_waves // n

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """A unit is in the earliest wave of its provinces."""
        if hasattr(self, "wave"):
            wave = np.full(n_units, np.iinfo(np.int64).max)
            np.minimum.at(wave, unit_of, self.wave)
            self.wave = wave

    def admitted(self, ctx: RegimeContext, province: int) -> bool:
        """Whether a province's wave has started."""
        return (
            ctx.clock.months_since_policy >= self.wave[province] * self.params.phasing.phase_months
        )

    def track_for(self, ctx: RegimeContext, authority: AuthorityView) -> AdHoc:
        """The ``within`` track for admitted provinces while it has room, else ad hoc."""
        if self.admitted(ctx, authority.province) and self.within.takes(ctx, authority):
            return self.within
        return self.adhoc

    def start_month(self, ctx: RegimeContext) -> None:
        """Close a phase every ``phase_months``: codify the evidence waiting for rule
        making, and connect the provinces of the waves that completed a phase to the
        shared data."""
        p = self.params.phasing
        t = ctx.clock.months_since_policy
        if 0 < t <= p.n_waves * p.phase_months and t % p.phase_months == 0:
            ctx.government.codify()
            # the provinces that completed a phase join the shared data standards
            ctx.data_regime.connect(self.wave < t // p.phase_months)
