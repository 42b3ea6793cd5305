"""The sandbox model: the wiring of agents, mechanisms and the month's stages.

``SandboxModel`` builds the parts and owns what only it does: Mesa's agents, the month's
stages, the calendar events (the policy takes effect, provinces merge), the province x
domain view of the month and the records. The parts act on one another through the
``Context`` it hands them (``sandbox.model.context``): the pilot book
(``sandbox.model.pilot_book``) owns the pilots and their lifecycle, and each mechanism
uses the narrow interface ``sandbox.model.interfaces`` names for it.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from sandbox.config.params import Params
from sandbox.config.validate import check_relations, validate
from sandbox.model.agents.authority import LocalAuthority
from sandbox.model.agents.firm import Firm, FirmKind, bid_matrix, pay_costs
from sandbox.model.agents.government import NationalGovernment
from sandbox.model.barriers import lift_state, lifted_params
from sandbox.model.citizens import Citizens
from sandbox.model.clock import Clock, month_index
from sandbox.model.context import Context
from sandbox.model.data import make_data_regime
from sandbox.model.domains import CITIZEN_FACING, DomainTable
from sandbox.model.lifecycle import advance_pilots
from sandbox.model.merger import merge_authorities
from sandbox.model.metrics import METRICS, observe
from sandbox.model.offers import Offers
from sandbox.model.pilot_book import PilotBook
from sandbox.model.pilots import Pilot
from sandbox.model.policy import make_regime
from sandbox.model.resources import make_resources
from sandbox.model.resources.ledger import Ledger
from sandbox.model.rng import RandomStreams, poisson
from sandbox.model.stages import Stages
from sandbox.model.status import BaseMap, StatusMatrix
from sandbox.regions import Region, load_region, unit_of


def _month_index(params: Params, month: str) -> int:
    return month_index(params.horizon.start, month)


def policy_month_index(params: Params) -> int:
    """Index of ``policy.start`` among the simulated months (0 when it is not later)."""
    return max(0, _month_index(params, params.policy.start))


def merge_month_index(params: Params) -> int:
    """Index of ``region.merge_month`` (0 when not later; -1 without a merger)."""
    if not params.region.merge_table:
        return -1
    return max(0, _month_index(params, params.region.merge_month))


class SandboxModel(mesa.Model):
    """Smart-city adoption under regulatory, resource and data mechanisms.

    Each ``step`` is one month: it runs ``self.stages``, a list of bound methods
    (``print(model.stages)`` lists them with their summaries):

    1. government: budgets, legislation, regime events, data platform, reviews, grants,
       outcomes (graduation, scaling);
    2. authorities learn from peers' successes;
    3. authorities (random order) maybe propose a pilot;
    4. firms bid; authorities choose partners; firms pay costs, exit, enter;
    5. pilots: incidents, alignment, end dates, success;
    6. citizens adopt with the Bass-type hazard;
    7. metrics: record the month.

    With ``validation.name == "bass"`` only the citizens (with a reach of 1 everywhere from
    month 0: one service at full coverage) and the record run.

    The parts live in ``self.context`` (``Context``): the pilot book, the clock, the
    appraisal of pilots, the ledger, the citizens, the government, the authorities and
    the mechanisms in force.

    Args:
        params: the whole scenario, already range-checked or checked here.
        region: the province table; loaded from ``params.region.table`` when omitted.

    Raises:
        ConfigError: a parameter is out of range.
    """

    def __init__(self, params: Params, region: Region | None = None) -> None:
        validate(params)
        streams = RandomStreams(params.seed, params.replicate)
        super().__init__(rng=int(streams["schedule"].integers(2**31)))
        months = pd.period_range(params.horizon.start, params.horizon.end, freq="M")
        self.merge_t = merge_month_index(params)  # when provinces merge (-1: never)
        if region is None:
            merged_already = self.merge_t == 0
            table = params.region.merge_table if merged_already else params.region.table
            region = load_region(table)
            self.merge_t = -1 if merged_already else self.merge_t
        check_relations(params, n_provinces=region.n)  # the leaves were checked above
        self.set_region(region)
        # the provinces of the first map, their people and the unit each now belongs to,
        # and the month the current map took effect (``sandbox.model.merger``)
        self.base_map = BaseMap(region.population, np.arange(region.n))
        # the historical mechanisms until policy.start, then the policy's (enact_policy)
        self.enacted = False
        # fiscal capacity scales local budgets; merged units add up
        ledger = Ledger(region.n, region.fiscal_capacity)
        clock = Clock(months, policy_month_index(params))
        self.context = ctx = Context(params, streams, clock, DomainTable(params.domains), ledger)
        history = params.history
        ctx.regime = make_regime(history.policy)
        ctx.resources = make_resources(history.resources)
        ctx.data_regime = make_data_regime(history.data)

        self.government = ctx.government = NationalGovernment(self)
        ctx.authorities = [LocalAuthority(self, k) for k in range(region.n)]
        for kind in FirmKind:
            kind_params = getattr(params.firms, kind.value)
            for _ in range(kind_params.count):
                Firm(self, kind, kind_params, streams["firms"])
        ctx.citizens = Citizens(params.citizens, region, streams["citizens"])
        ctx.data_regime.setup(region.n)
        ctx.regime.setup(ctx)
        self.peer_success = np.zeros(region.n)
        ctx.use = np.zeros(region.n)
        self.status: StatusMatrix = self.book.status_matrix(region.n, self.base_map)
        self.rows: list[dict[str, float]] = []
        self.province_rows: list[tuple] = []  # (names, services deployed, adoption) a month
        if params.validation.name == "bass":
            self.stages = Stages((self._citizens_full_coverage, self._record))
        else:
            self.stages = Stages(
                (
                    self.government.step,
                    self._update_peers,
                    self._authorities_propose,
                    self._market,
                    self._advance_pilots,
                    self._citizens_adopt,
                    self._record,
                )
            )

    # ------------------------------------------------------------ the parts
    @property
    def params(self) -> Params:
        """The scenario (a branch's own from ``policy.start``)."""
        return self.context.params

    @property
    def book(self) -> PilotBook:
        """The pilots and their lifecycle."""
        return self.context.book

    @property
    def ledger(self) -> Ledger:
        """The public money."""
        return self.context.ledger

    @property
    def citizens(self) -> Citizens:
        """The citizens."""
        return self.context.citizens

    @property
    def authority_list(self) -> list[LocalAuthority]:
        """Every province's authority, in province order (the current map)."""
        return self.context.authorities

    @property
    def authorities(self) -> mesa.agent.AgentSet:
        """All local authorities."""
        return self.agents_by_type[LocalAuthority]

    @property
    def firm_set(self) -> mesa.agent.AgentSet:
        """Active firms."""
        firms = self.agents_by_type.get(Firm)  # an empty set is built only when none is left
        return mesa.agent.AgentSet([], random=self.random) if firms is None else firms

    # ------------------------------------------------------------ the calendar
    @property
    def t(self) -> int:
        """Index of the month being simulated (``Clock.t``)."""
        return self.context.clock.t

    @property
    def months(self) -> pd.PeriodIndex:
        """Every simulated month."""
        return self.context.clock.months

    @property
    def policy_t0(self) -> int:
        """Index of ``policy.start`` among the simulated months (0 when it is not later)."""
        return self.context.clock.policy_t0

    # -------------------------------------------------------------------- step
    def step(self) -> None:
        """Simulate one month: the month's events (the policy takes effect, provinces
        merge), then ``self.stages`` in order."""
        clock = self.context.clock
        if clock.t == clock.policy_t0 and not self.enacted:
            self.enact_policy()
        if clock.t == self.merge_t:
            table = self.params.region.merge_table
            self.merge_provinces(load_region(table), table)
        self.stages.run()
        clock.t += 1

    def set_region(self, region: Region) -> None:
        """The province table in force (and what derives from it)."""
        self.region = region
        _, self._region_code = np.unique(region.region, return_inverse=True)
        self._region_size = np.bincount(self._region_code)[self._region_code]

    def run_history(self) -> None:
        """Simulate the shared history: every month before ``policy.start``."""
        while self.t < min(self.policy_t0, len(self.months)):
            self.step()

    def enact_policy(self, params: Params | None = None) -> None:
        """From this month on, the policy's regime, resources and data regime act.

        Pilots under way keep the track they were approved on; budgets, clarity,
        interoperability and every agent carry over.

        Args:
            params: the scenario to continue with (a branch from a stored history): it
                must share everything but its levers, ``horizon.end`` and ``output`` with
                the scenario the history was made with. Default: this model's own.
        """
        if self.enacted:
            raise RuntimeError("the policy was already enacted")
        ctx = self.context
        if params is not None:
            validate(params, n_provinces=self.region.n)
            ctx.params = params
            ctx.clock.months = pd.period_range(params.horizon.start, params.horizon.end, freq="M")
        p = ctx.params = lifted_params(ctx.params)
        ctx.regime = make_regime(p.policy)
        ctx.resources = make_resources(p.resources)
        ctx.data_regime = make_data_regime(p.data, previous=ctx.data_regime)
        ctx.data_regime.setup(self.region.n)
        ctx.regime.setup(ctx)
        lift_state(ctx)
        self.enacted = True

    def merge_provinces(self, new: Region, table: str) -> None:
        """Replace the provinces by the units of ``new`` (``region.merge_table``, read from
        ``table``): every part inherits its provinces' state (``sandbox.model.merger``)."""
        ctx = self.context
        old = self.region
        units = unit_of(old, new, table)
        ctx.authorities = merge_authorities(ctx.authorities, old, new, units)
        self.book.moved()
        self.base_map.merge(units, ctx.clock.t)
        ctx.ledger.merge(units, new.n)
        ctx.citizens.merge(units, new.n)
        ctx.regime.merge(units, new.n)
        ctx.data_regime.merge(units, new.n)
        self.set_region(new)
        self.status = self.book.status_matrix(new.n, self.base_map)
        ctx.use = ctx.citizens.province_share()  # on the new map

    def run(self) -> pd.DataFrame:
        """Run the whole horizon; one row per month (``month`` then ``METRICS`` columns).

        The history first; the policy takes effect at ``policy.start`` (or already has,
        in a model branched from a stored history).
        """
        while self.t < len(self.months):
            self.step()
        frame = pd.DataFrame(self.rows, columns=list(METRICS))
        frame.insert(0, "month", self.months.strftime("%Y-%m"))
        return frame

    # ------------------------------------------------------------------ stages
    def _update_peers(self) -> None:
        """Peers: share of other provinces in the same region with a succeeded service,
        at the end of last month."""
        success = self.status.succeeded.any(axis=1).astype(float)  # end of last month
        totals = np.bincount(self._region_code, success)[self._region_code]
        self.peer_success = (totals - success) / np.maximum(self._region_size - 1, 1)

    def _authorities_propose(self) -> None:
        """Authorities, in random order, learn and maybe propose a pilot (at this month's
        legal clarity: proposing changes no law)."""
        order = list(self.authorities)
        self.authorities.random.shuffle(order)  # as ``AgentSet.shuffle_do`` orders them
        for authority in order:
            authority.learn(self.peer_success[authority.province])
        # every candidate valued at once (``sandbox.model.offers``), proposed in order
        offers = Offers(self.context, order, 1.0 - self.government.clarity)
        for row in offers.candidates:  # the others have nothing to propose
            order[row].propose(offers, row)

    def _market(self) -> None:
        """Firms bid on proposals; partners are chosen; firms pay costs, exit, enter."""
        ctx = self.context
        firms = list(self.firm_set)  # the active firms, in the set's order
        calls = ctx.book.take_calls()
        if calls:
            ids = np.array([f.unique_id for f in firms])
            draws = np.column_stack([self._bid_stream(q).random(ids.max() + 1)[ids] for q in calls])
            tracks = [q.track.params for q in calls]
            costs = np.array([ctx.appraisal.pilot_cost(q) for q in calls])
            bids = bid_matrix(
                capital=np.array([f.capital for f in firms]),
                risk_tolerance=np.array([f.risk_tolerance for f in firms]),
                compliance=np.array([t.compliance_cost for t in tracks])
                * (1.0 - ctx.regime.contract_saving)
                * costs,
                risk=np.array([t.legal_risk for t in tracks])
                * np.array([ctx.government.unclear_of(q) for q in calls]),
                draws=draws,
                bid_share=self.params.firms.bid_share,
            )
            for pilot, column in zip(calls, bids.T, strict=True):
                pilot.bids = [firms[i] for i in np.flatnonzero(column)]
                choice = self._bid_stream(pilot, choice=True).random()
                ctx.authorities[pilot.province].choose_partner(pilot, choice)
        pay_costs(firms, ctx)  # costs and exit: independent of the order
        t, streams, p = self.t, ctx.streams, self.params.firms
        u = streams.at("entry", t).random()
        new = sum(q.bid_round == 0 for q in calls)  # a proposal bid for anew is no new one
        for j in range(poisson(u, p.entry_rate * new)):
            Firm(self, FirmKind.SME, p.sme, streams.at("entry", t, j + 1))

    def _bid_stream(self, pilot: Pilot, choice: bool = False) -> np.random.Generator:
        """The draws of a proposal's bidding (``choice``: of its partner's choice), keyed by
        the proposal and how often it was bid for: a proposal moved to another track is
        bid for with fresh numbers (``rebids``)."""
        streams = self.context.streams
        if pilot.bid_round == 0:
            return streams.at("bids", pilot.origin, pilot.proposed, *((1,) if choice else ()))
        return streams.at(
            "rebids", pilot.origin, pilot.proposed, 2 * (pilot.bid_round - 1) + choice
        )

    def _advance_pilots(self) -> None:
        """Running pilots meet incidents, align, end, succeed or fail; services scale."""
        advance_pilots(self.context)
        self.status = self.book.status_matrix(self.region.n, self.base_map)

    @property
    def reach(self) -> np.ndarray:
        """Each province's coverage summed over the citizen-facing domains: every service
        citizens use is its own channel of adoption, so a citizen's hazard of adopting a
        first service is the sum of the services' hazards (competing risks, docs/model.md
        S9). Planning (the administration's GIS) is no channel."""
        return self.status.coverage[:, CITIZEN_FACING].sum(axis=1)

    def _citizens_adopt(self) -> None:
        """Citizens adopt with the Bass-type hazard under their province's services."""
        self.citizens.step(self.reach)

    def _citizens_full_coverage(self) -> None:
        """Citizens adopt with one service at full coverage everywhere (Bass validation)."""
        self.citizens.step(np.ones(self.region.n))

    def _record(self) -> None:
        """Record the month's metrics, and each province's services and adoption (its
        citizens' use, which the next month's decisions read: ``Context.use``)."""
        self.context.use = use = self.citizens.province_share()
        firms = self.firm_set
        self.rows.append(
            observe(self.context, self.status, self.region, self.base_map.population, firms)
        )
        self.province_rows.append(
            (
                self.region.names,
                self.status.deployed.sum(axis=1),
                use.copy(),  # its own array: a stored history holds no two sharing memory
            )
        )

    def provinces_frame(self) -> pd.DataFrame:
        """One row per month and province: ``month``, ``province`` (the month's map),
        ``services_deployed`` (domains with a deployed service, 0-6), ``adoption``."""
        months = self.months.strftime("%Y-%m")
        return pd.DataFrame(
            {
                "month": np.repeat(
                    months[: len(self.province_rows)], [len(r[0]) for r in self.province_rows]
                ),
                "province": [name for r in self.province_rows for name in r[0]],
                "services_deployed": np.concatenate([r[1] for r in self.province_rows]),
                "adoption": np.concatenate([r[2] for r in self.province_rows]),
            }
        )
