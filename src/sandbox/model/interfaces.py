"""The narrow interfaces: what each kind of mechanism may see of the model.

No mechanism receives ``SandboxModel``. The model hands its parts one ``Context``
(``sandbox.model.context``), and each kind of mechanism is written against the protocol
below that names what it uses; a unit test hands it a small fake with just those
attributes (``tests/mechanisms/``). Adding to a protocol is a decision about coupling:
prefer giving a mechanism a narrower thing (a value, a method) over a wider one.

* the pilot book: ``BookContext``, a ``TrackContext`` (which it hands the tracks' hooks)
  with the streams (review draws) and the authorities told of an outcome;
* the appraisal of pilots: ``AppraisalContext`` (parameters, domains, authorities, the
  data regime and the regime's data-market rules);
* a track (``tracks/``): ``TrackContext`` (book, clock, parameters, legal clarity, ledger
  for local pools, authorities, the ad-hoc track in force);
* a regime (``policy/``): ``RegimeContext``, its tracks' context with the streams, the
  data regime and the number of provinces;
* a resource mechanism (``resources/``): ``ResourceContext`` (book for counters, clock,
  parameters, legal clarity, ledger, appraisal, the regime's standard contracts);
* a data regime (``data/``): ``DataContext`` (the clock);
* the pilots' stage (``lifecycle.py``): ``LifecycleContext``, a ``TrackContext`` with the
  streams, domains, citizens and appraisal;
* a firm: ``FirmContext`` (parameters, book for counters, the regime's standard
  contracts, the resource mechanism's PPP return);
* the observation (``metrics.observe``): ``ObservedContext``;
* an authority and the government see the whole ``Context``: they conduct. An authority
  hands it to the regime (``track_for``) and the resource mechanism (``sizer``); the
  government runs the month's first stage through every mechanism.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    from sandbox.config.params import Params
    from sandbox.model.appraisal import Appraisal
    from sandbox.model.citizens import Citizens
    from sandbox.model.clock import Clock
    from sandbox.model.data import DataRegime
    from sandbox.model.domains import DomainTable
    from sandbox.model.pilot_book import PilotBook
    from sandbox.model.pilots import Pilot
    from sandbox.model.policy import Regime
    from sandbox.model.resources import ResourceMechanism
    from sandbox.model.resources.ledger import Ledger
    from sandbox.model.rng import RandomStreams
    from sandbox.model.technologies import Technologies
    from sandbox.model.tracks import AdHoc


class Legislator(Protocol):
    """Legal clarity per domain (the national government)."""

    clarity: np.ndarray  # per class of technology (established, novel) and domain, [0, 1]
    protection: float  # personal-data protection in law, [0, 1]

    def clarity_of(self, pilot: Pilot) -> float:
        """The legal clarity a pilot's technology has in its domain."""

    def unclear_of(self, pilot: Pilot) -> float:
        """1 - ``clarity_of``: the share of legal risk the rules leave it."""

    def add_evidence(self, pilot: Pilot, value: float) -> None:
        """A successful pilot's evidence goes to its domain's rule making, for its class
        of technology."""

    def codify(self) -> None:
        """The evidence waiting for rule making becomes rules now."""


class AuthorityView(Protocol):
    """What mechanisms read of a province's authority."""

    province: int
    centrally_run: bool
    digital_capacity: float
    data_readiness: float
    risk_aversion: float


class OutcomeListener(AuthorityView, Protocol):
    """An authority as the pilot book sees it: told of its pilots' outcomes."""

    def on_outcome(self, pilot: Pilot) -> None:
        """A pilot of its province ended."""


class AppraisalContext(Protocol):
    """What the appraisal of pilots reads."""

    params: Params  # pilots.*
    domains: DomainTable
    authorities: Sequence[AuthorityView]  # data readiness, digital capacity
    data_regime: DataRegime  # access
    regime: Regime  # data-market rules (``params.data_market``)


class TrackContext(Protocol):
    """What an approval track's hooks see."""

    book: PilotBook  # the pilots, their lifecycle and the counters
    clock: Clock  # the month, and months since policy.start (sandbox calls)
    params: Params  # pilots.scope (graduation), authorities.risk_weight (leaving)
    government: Legislator  # clarity read (leaving); evidence given (successes)
    ledger: Ledger  # local pools (a local rule's rework)
    authorities: Sequence[AuthorityView]  # capacity (admission), risk aversion (leaving)

    @property
    def adhoc(self) -> AdHoc:
        """The ad-hoc track of the regime in force."""


class BookContext(TrackContext, Protocol):
    """What the pilot book reads: the clock, ``params.pilots``, the streams (review
    draws) and the authorities (told of an outcome); it hands the tracks' hooks itself
    as their ``TrackContext``."""

    streams: RandomStreams  # ``review``
    authorities: Sequence[OutcomeListener]
    technologies: Technologies  # a technology's trial length


class RegimeContext(TrackContext, Protocol):
    """What a regime sees: its tracks' context, and what phases and waves need."""

    streams: RandomStreams  # ``phasing`` (a random order of waves)
    data_regime: DataRegime  # milestones: interoperability, connections

    @property
    def n_provinces(self) -> int:
        """Provinces (units) of the current map."""


class DataContext(Protocol):
    """What a data regime's monthly step sees."""

    clock: Clock
    params: Params  # infrastructure.* (the cost and time of a build)


class ResourceContext(Protocol):
    """What a resource mechanism sees when it sizes, finances and rewards pilots."""

    book: PilotBook  # counters (``proposals_unfunded``)
    clock: Clock  # the month (PPP in law), months since policy.start (fund rounds)
    params: Params  # firms.ppp_hurdle
    government: Legislator  # clarity (a PPP partner's legal risk)
    ledger: Ledger  # pools, headrooms, commitments, fiscal capacity
    appraisal: Appraisal  # a pilot's cost, data access and chance of success
    regime: Regime  # standard contracts (``contract_saving``)
    use: np.ndarray  # each province's use of services (a PPP partner's users' fees)


class LifecycleContext(TrackContext, Protocol):
    """What the pilots' stage sees (and hands the tracks)."""

    streams: RandomStreams  # ``life``, ``exposure``
    domains: DomainTable  # incident risk
    citizens: Citizens  # who an incident exposes
    appraisal: Appraisal  # chance of success at the end date
    technologies: Technologies  # first province-wide use of a technology


class FirmContext(Protocol):
    """What a firm sees."""

    params: Params  # firms.*
    book: PilotBook  # counters (``contracts_<kind>``)
    regime: Regime  # standard contracts (``contract_saving``)
    resources: ResourceMechanism  # a PPP stake's revenue (``revenue_rate``)
    use: np.ndarray  # each province's use of services (users' fees)


class ObservedContext(Protocol):
    """What the monthly observation reads beside what the model keeps itself."""

    params: Params
    book: PilotBook  # counters, pilots running
    citizens: Citizens
    ledger: Ledger
    data_regime: DataRegime
    government: Legislator
    authorities: Sequence[AuthorityView]
    technologies: Technologies  # arrived, which are novel, first province-wide use
    clock: Clock  # the month and policy.start (arrival to use)
