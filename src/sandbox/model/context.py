"""What the model hands its mechanisms and agents: the context they act in.

``SandboxModel`` owns the wiring (Mesa's agents, the month's stages, the records, the
calendar events); mechanisms never see it. They receive a ``Context`` and use the part of
it their interface in ``sandbox.model.interfaces`` names: a track's hooks, for example,
see a ``TrackContext`` (the pilot book, the clock, legal clarity, the authorities, the
fallback ad-hoc track, the local pools), and a unit test hands them a small fake with
just that.

The context holds the parts of the model that outlive a month: the configuration and
random streams, the clock, the pilot book, the appraisal of pilots, the domains, the
ledger, the citizens, the national government (legal clarity), the provinces'
authorities, and the mechanisms in force (regime, resource mechanism, data regime).
The model replaces the mechanisms here at ``policy.start`` and the authorities at a
merger, so every holder of the context sees those in force.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.model.appraisal import Appraisal
from sandbox.model.pilot_book import PilotBook
from sandbox.model.technologies import Technologies

if TYPE_CHECKING:
    from sandbox.config.params import Params
    from sandbox.model.agents.authority import LocalAuthority
    from sandbox.model.agents.government import NationalGovernment
    from sandbox.model.citizens import Citizens
    from sandbox.model.clock import Clock
    from sandbox.model.data import DataRegime
    from sandbox.model.domains import DomainTable
    from sandbox.model.policy import Regime
    from sandbox.model.resources import ResourceMechanism
    from sandbox.model.resources.ledger import Ledger
    from sandbox.model.rng import RandomStreams
    from sandbox.model.tracks import AdHoc


class Context:
    """The context of the model's mechanisms and agents (module docstring).

    The model builds it, then sets ``government``, ``authorities`` and ``citizens`` once
    they exist and the mechanisms in force (``regime``, ``resources``, ``data_regime``).

    Args:
        params: the scenario (replaced by a branch's own at ``policy.start``).
        streams: the named random streams.
        clock: the simulated months and the current one.
        domains: per-domain parameters.
        ledger: the public money.
    """

    government: NationalGovernment  # legal clarity per domain (``Legislator``)
    citizens: Citizens
    regime: Regime
    resources: ResourceMechanism
    data_regime: DataRegime

    def __init__(
        self,
        params: Params,
        streams: RandomStreams,
        clock: Clock,
        domains: DomainTable,
        ledger: Ledger,
    ) -> None:
        self.params = params
        self.streams = streams
        self.clock = clock
        self.domains = domains
        self.ledger = ledger
        self.authorities: list[LocalAuthority] = []  # by province index, current map
        self.book = PilotBook(self)
        self.appraisal = Appraisal(self)
        self.technologies = Technologies(params.technologies)
        # each province's use of services: its adopted share at the end of last month (the
        # model records it each month, ``SandboxModel._record``)
        self.use = np.zeros(0)

    @property
    def n_provinces(self) -> int:
        """Provinces (units) of the current map."""
        return len(self.authorities)

    @property
    def adhoc(self) -> AdHoc:
        """The ad-hoc track of the regime in force (where a sandbox's leavers go)."""
        return self.regime.adhoc
