"""Small fakes of the context mechanisms see (``sandbox.model.interfaces``).

A ``FakeContext`` has exactly the attributes of the protocols, filled with tiny parts: a
real ``PilotBook`` whose review draws are hand-set (``HandDrawnBook``), a real ``Clock``
and ``Ledger``, the default parameters (changed with ``dataclasses.replace``), and fakes
for the authorities, the government, the firms, the citizens, the appraisal and the
random streams. Tests build a few pilots by hand and check the mechanisms' rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sandbox.config.params import Params
from sandbox.model.clock import Clock
from sandbox.model.data import make_data_regime
from sandbox.model.domains import N_DOMAINS, Domain, DomainTable
from sandbox.model.lifecycle import LIFE_DRAWS
from sandbox.model.pilot_book import PilotBook
from sandbox.model.pilots import Pilot, Status
from sandbox.model.policy import make_regime
from sandbox.model.resources import make_resources
from sandbox.model.resources.ledger import Ledger
from sandbox.model.technologies import Technologies


def with_values(obj, **changes):
    """A frozen dataclass with some fields changed; dotted names reach inside."""
    nested: dict[str, dict] = {}
    direct = {}
    for name, value in changes.items():
        head, _, rest = name.partition("__")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[name] = value
    for head, inner in nested.items():
        direct[head] = with_values(getattr(obj, head), **inner)
    return dataclasses.replace(obj, **direct)


@dataclasses.dataclass
class FakeAuthority:
    """A province's authority as mechanisms see it, remembering the outcomes it was told."""

    province: int
    digital_capacity: float = 0.5
    data_readiness: float = 0.5
    risk_aversion: float = 0.5
    centrally_run: bool = False
    outcomes: list = dataclasses.field(default_factory=list)

    def on_outcome(self, pilot: Pilot) -> None:
        self.outcomes.append((pilot, pilot.status))


class FakeGovernment:
    """Legal clarity per class of technology and domain, remembering every piece of
    evidence and codification."""

    def __init__(self, clarity: float = 0.0) -> None:
        self.clarity = np.full((2, N_DOMAINS), clarity)
        self.protection = 0.0
        self.gains: list[tuple[Domain, float]] = []  # evidence given, in order
        self.codified = 0  # calls of codify

    def clarity_of(self, pilot: Pilot) -> float:
        return float(self.clarity[int(pilot.novel), pilot.domain])

    def unclear_of(self, pilot: Pilot) -> float:
        return 1.0 - self.clarity_of(pilot)

    def add_evidence(self, pilot: Pilot, value: float) -> None:
        self.gains.append((pilot.domain, value))

    def codify(self) -> None:
        self.codified += 1


@dataclasses.dataclass
class FakeFirm:
    """A partner firm: its capability and capital, and what it won and learnt."""

    capability: float = 0.5
    capital: float = 1_000.0
    won: list = dataclasses.field(default_factory=list)
    learnt: list = dataclasses.field(default_factory=list)

    def win(self, pilot: Pilot) -> None:
        self.won.append(pilot)

    def learn(self, pilot: Pilot) -> None:
        self.learnt.append(pilot)

    def invest(self, amount: float) -> None:
        self.capital -= amount


class FakeCitizens:
    """Every incident exposes ``exposed`` people (the adopters it reaches)."""

    def __init__(self, exposed: float = 0.0) -> None:
        self.exposed = exposed
        self.incidents: list[tuple[int, float]] = []

    def expose(self, province: int, share: float, rng, protection: float = 0.0) -> float:
        self.incidents.append((province, share))
        return self.exposed


class FakeAppraisal:
    """Every pilot has the same cost, data access and chance of success."""

    def __init__(self, cost: float = 10.0, access: float = 0.5, success: float = 0.5) -> None:
        self.cost, self.access, self.success = cost, access, success
        self.feasible_access = [0.0] * N_DOMAINS

    def pilot_cost(self, pilot: Pilot) -> float:
        return self.cost * pilot.size

    def data_access(self, pilot: Pilot) -> float:
        return self.access

    def success_probability(self, pilot: Pilot) -> float:
        return self.success

    def expected_success(self, province: int, domain: int, access: float) -> float:
        return self.success


class _Fixed:
    """A generator whose ``random`` gives one row of numbers, repeated."""

    def __init__(self, row: Sequence[float]) -> None:
        self.row = np.asarray(row, dtype=float)

    def random(self, size=None):
        if isinstance(size, tuple):
            return np.broadcast_to(self.row, size).copy()
        return self.row.copy() if size is None else np.resize(self.row, size)


class FakeStreams:
    """Named streams with hand-set numbers: a pilot's monthly ``life`` row, and the rest
    from a seeded generator (``exposure``, ``phasing``, ...)."""

    def __init__(self, life: Sequence[float] | None = None) -> None:
        self.life = np.full(LIFE_DRAWS, 0.99) if life is None else np.asarray(life, float)
        self.rng = np.random.default_rng(0)

    def at(self, name: str, *key):
        return _Fixed(self.life) if name == "life" else self.rng

    def __getitem__(self, name: str):
        return self.rng


class HandDrawnBook(PilotBook):
    """A pilot book whose review draws are hand-set per pilot (``draws[id(pilot)]``, used
    in turn); a pilot without any left draws 0.5."""

    def __init__(self, context) -> None:
        super().__init__(context)
        self.draws: dict[int, list[float]] = {}

    def set_draws(self, pilot: Pilot, *draws: float) -> None:
        self.draws[id(pilot)] = list(draws)

    def review_draw(self, pilot: Pilot) -> float:
        pilot.reviews += 1
        left = self.draws.get(id(pilot), [])
        return left.pop(0) if left else 0.5


class FakeContext:
    """What a mechanism sees, in small (``sandbox.model.interfaces``).

    Args:
        n: provinces.
        params: the scenario (default parameters otherwise).
        t: the month being simulated (``policy.start`` is month 0).
        clarity: legal clarity of every domain.
    """

    def __init__(
        self, n: int = 3, params: Params | None = None, t: int = 0, clarity: float = 0.0
    ) -> None:
        self.params = Params() if params is None else params
        self.clock = Clock(pd.period_range("2026-01", periods=240, freq="M"), policy_t0=0)
        self.clock.t = t
        self.streams = FakeStreams()
        self.domains = DomainTable(self.params.domains)
        self.ledger = Ledger(n)
        self.authorities = [FakeAuthority(k) for k in range(n)]
        self.government = FakeGovernment(clarity)
        self.citizens = FakeCitizens()
        self.use = np.zeros(n)  # each province's adopted share
        self.technologies = Technologies(self.params.technologies)
        self.appraisal = FakeAppraisal()
        self.regime = make_regime(self.params.policy)
        self.resources = make_resources(self.params.resources)
        self.data_regime = make_data_regime(self.params.data)
        self.data_regime.setup(n)
        self.book = HandDrawnBook(self)

    @property
    def adhoc(self):
        return self.regime.adhoc

    @property
    def n_provinces(self) -> int:
        return len(self.authorities)

    def pilot(
        self,
        track,
        province: int = 0,
        domain: Domain = Domain.HEALTHCARE,
        status: Status = Status.PROPOSED,
        firm: FakeFirm | None = None,
        **state,
    ) -> Pilot:
        """A pilot put in the book by hand (open, or a service when it succeeded)."""
        pilot = Pilot(
            province=province,
            domain=domain,
            track=track,
            proposed=0,
            duration=track.duration(self.params.pilots),
            scope=track.scope(self.params.pilots),
            origin=province,
            status=status,
            firm=firm if firm is not None else FakeFirm(),
        )
        for name, value in state.items():
            setattr(pilot, name, value)
        (self.book.services if status is Status.SUCCEEDED else self.book.open_pilots).append(pilot)
        return pilot
