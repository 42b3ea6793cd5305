"""The interface every regulatory regime implements.

A regime decides which approval *track* a new proposal takes (``track_for``) and what
happens at the start of each month beyond the common legislation process
(``start_month``). The mechanics of each track (ad-hoc review, sandbox cohorts, local
rules awaiting alignment) live in ``sandbox.model.agents.government`` and are shared, so regimes
combine: a phased roll-out can run a sandbox inside its admitted waves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.config.params import PolicyParams, TrackParams
from sandbox.model.pilots import Track

if TYPE_CHECKING:
    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.model import SandboxModel


class Regime:
    """Base regime: every proposal goes through ad-hoc approval (no legal corridor).

    Args:
        params: the ``policy`` section of the configuration.
    """

    name = "status_quo"

    def __init__(self, params: PolicyParams) -> None:
        self.params = params
        self._tracks = {
            Track.ADHOC: params.adhoc,
            Track.SANDBOX: params.sandbox,
            Track.LOCAL_RULE: params.experimental,
            Track.FACILITATED: params.facilitated,
        }

    def setup(self, model: SandboxModel) -> None:
        """Prepare regime state once the provinces exist."""

    def track_for(self, model: SandboxModel, authority: LocalAuthority) -> Track:
        """The approval track a proposal from ``authority`` takes this month."""
        return Track.ADHOC

    def start_month(self, model: SandboxModel) -> None:
        """Regime-specific events at the start of a month (phases, ...)."""

    def track_params(self, track: Track) -> TrackParams:
        """Parameters of a track."""
        return self._tracks[track]
