"""The sandbox model: wiring of agents, mechanisms and the month's stages."""

from __future__ import annotations

from collections import Counter

import mesa
import numpy as np
import pandas as pd

from sandbox.config.params import Params
from sandbox.config.validate import validate
from sandbox.model.agents.authority import LocalAuthority
from sandbox.model.agents.firm import Firm, FirmKind, bid_matrix
from sandbox.model.agents.government import NationalGovernment
from sandbox.model.citizens import Citizens
from sandbox.model.data import make_data_regime
from sandbox.model.domains import CITIZEN_FACING, Domain, DomainTable
from sandbox.model.lifecycle import advance_pilots
from sandbox.model.merger import merge_provinces
from sandbox.model.metrics import METRICS, observe
from sandbox.model.pilots import Pilot, Status
from sandbox.model.policy import make_regime
from sandbox.model.regions import Region, load_region
from sandbox.model.resources import make_resources
from sandbox.model.resources.ledger import Ledger
from sandbox.model.rng import RandomStreams, geometric, poisson
from sandbox.model.stages import Stages
from sandbox.model.status import BaseMap, StatusMatrix, status_matrix
from sandbox.model.tracks import AdHoc


def _month_index(params: Params, month: str) -> int:
    return (pd.Period(month, freq="M") - pd.Period(params.horizon.start, freq="M")).n


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
        self.params = params
        self.streams = streams
        self.months = pd.period_range(params.horizon.start, params.horizon.end, freq="M")
        self.t = 0  # index of the month being simulated
        self.merge_t = merge_month_index(params)  # when provinces merge (-1: never)
        if region is None:
            merged_already = self.merge_t == 0
            table = params.region.merge_table if merged_already else params.region.table
            region = load_region(table)
            self.merge_t = -1 if merged_already else self.merge_t
        validate(params, n_provinces=region.n)
        self.set_region(region)
        # the provinces of the first map, their people and the unit each now belongs to,
        # and the month the current map took effect (``sandbox.model.merger``)
        self.base_map = BaseMap(region.population, np.arange(region.n))
        self.fiscal = region.fiscal_capacity  # scales local budgets; merged units add up
        # the historical mechanisms until policy.start, then the policy's (enact_policy)
        self.policy_t0 = policy_month_index(params)
        self.enacted = False
        self.domains = DomainTable(params.domains)
        # the data access a domain needs to be buildable (``LocalAuthority.propose``)
        self.feasible_access = (
            params.pilots.data_feasibility * self.domains.data_dependence
        ).tolist()
        history = params.history
        self.regime = make_regime(history.policy)
        self.resources = make_resources(history.resources)
        self.data_regime = make_data_regime(history.data)
        self.ledger = Ledger(self.region.n)
        self.counts: Counter[str] = Counter()
        self.open_pilots: list[Pilot] = []  # proposed, approved or running
        self.services: list[Pilot] = []  # succeeded, still deployed
        self.finished: list[Pilot] = []  # ended last month, for the government to evaluate
        self.calls: list[Pilot] = []  # proposals made this month, open for bids

        self.government = NationalGovernment(self)
        self.authority_list = [LocalAuthority(self, k) for k in range(self.region.n)]
        for kind in FirmKind:
            kind_params = getattr(params.firms, kind.value)
            for _ in range(kind_params.count):
                Firm(self, kind, kind_params, streams["firms"])
        self.citizens = Citizens(params.citizens, self.region, streams["citizens"])
        self.data_regime.setup(self.region.n)
        self.regime.setup(self)
        self.peer_success = np.zeros(self.region.n)
        self.status = self.status_matrix()
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

    # ------------------------------------------------------------------ agents
    @property
    def authorities(self) -> mesa.agent.AgentSet:
        """All local authorities."""
        return self.agents_by_type[LocalAuthority]

    @property
    def firm_set(self) -> mesa.agent.AgentSet:
        """Active firms."""
        return self.agents_by_type.get(Firm, mesa.agent.AgentSet([], random=self.random))

    @property
    def month_of_year(self) -> int:
        """Calendar month (1-12) being simulated."""
        return self.months[self.t].month

    # -------------------------------------------------------------------- step
    def step(self) -> None:
        """Simulate one month: the month's events (the policy takes effect, provinces
        merge), then ``self.stages`` in order."""
        if self.t == self.policy_t0 and not self.enacted:
            self.enact_policy()
        if self.t == self.merge_t:
            table = self.params.region.merge_table
            merge_provinces(self, load_region(table), table)
        self.stages.run()
        self.t += 1

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
        if params is not None:
            validate(params, n_provinces=self.region.n)
            self.params = params
            self.months = pd.period_range(params.horizon.start, params.horizon.end, freq="M")
        p = self.params
        self.regime = make_regime(p.policy)
        self.resources = make_resources(p.resources)
        self.data_regime = make_data_regime(p.data, previous=self.data_regime)
        self.data_regime.setup(self.region.n)
        self.regime.setup(self)
        self.enacted = True

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

    @property
    def months_since_policy(self) -> int:
        """Months since ``policy.start`` (negative before it)."""
        return self.t - self.policy_t0

    @property
    def local_budget(self) -> np.ndarray:
        """Each province's yearly budget for smart-city pilots, billion VND."""
        return self.resources.params.local_budget * self.fiscal

    def _authorities_propose(self) -> None:
        """Authorities, in random order, learn and maybe propose a pilot."""
        self.authorities.shuffle_do("step")

    def _advance_pilots(self) -> None:
        """Running pilots meet incidents, align, end, succeed or fail; services scale."""
        advance_pilots(self)
        self.status = self.status_matrix()

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
        """Record the month's metrics, and each province's services and adoption."""
        self.rows.append(observe(self))
        self.province_rows.append(
            (
                self.region.names,
                self.status.deployed.sum(axis=1),
                self.citizens.province_share(),
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

    def _update_peers(self) -> None:
        """Peers: share of other provinces in the same region with a succeeded service."""
        success = self.status.succeeded.any(axis=1).astype(float)  # end of last month
        totals = np.bincount(self._region_code, success)[self._region_code]
        self.peer_success = (totals - success) / np.maximum(self._region_size - 1, 1)

    def _market(self) -> None:
        """Firms bid on proposals; partners are chosen; firms pay costs, exit, enter."""
        firms = self.firm_set
        if self.calls:
            ids = np.array(firms.get("unique_id"))
            draws = np.column_stack(
                [self._bid_stream(q).random(ids.max() + 1)[ids] for q in self.calls]
            )
            tracks = [q.track.params for q in self.calls]
            domains = [q.domain for q in self.calls]
            costs = np.array([self.pilot_cost(q) for q in self.calls])
            bids = bid_matrix(
                capital=np.array(firms.get("capital")),
                risk_tolerance=np.array(firms.get("risk_tolerance")),
                compliance=np.array([t.compliance_cost for t in tracks])
                * (1.0 - self.contract_saving)
                * costs,
                risk=np.array([t.legal_risk for t in tracks])
                * (1 - self.government.clarity[domains]),
                draws=draws,
                bid_share=self.params.firms.bid_share,
            )
            bidders = list(firms)
            for pilot, column in zip(self.calls, bids.T, strict=True):
                pilot.bids = [bidders[i] for i in np.flatnonzero(column)]
                choice = self._bid_stream(pilot, choice=True).random()
                self.authority_list[pilot.province].choose_partner(pilot, choice)
        firms.do("step")  # costs and exit: independent of the order
        u = self.streams.at("entry", self.t).random()
        new = sum(q.bid_round == 0 for q in self.calls)  # a proposal bid for anew is no new one
        for j in range(poisson(u, self.params.firms.entry_rate * new)):
            Firm(self, FirmKind.SME, self.params.firms.sme, self.streams.at("entry", self.t, j + 1))
        self.calls = []

    def _bid_stream(self, pilot: Pilot, choice: bool = False) -> np.random.Generator:
        """The draws of a proposal's bidding (``choice``: of its partner's choice), keyed by
        the proposal and how often it was bid for: a proposal moved to another track is
        bid for with fresh numbers (``rebids``)."""
        if pilot.bid_round == 0:
            return self.streams.at("bids", pilot.origin, pilot.proposed, *((1,) if choice else ()))
        return self.streams.at(
            "rebids", pilot.origin, pilot.proposed, 2 * (pilot.bid_round - 1) + choice
        )

    # -------------------------------------------------------- pilot lifecycle
    def count(self, name: str, amount: float = 1) -> None:
        """Add to a cumulative counter (names in ``metrics.COUNTERS``)."""
        self.counts[name] += amount

    def propose(self, province: int, domain: Domain, track: AdHoc, size: float = 1.0) -> Pilot:
        """Create a proposal of ``size`` of a whole pilot (reach and cost); it is open for
        bids this month."""
        pilots = self.params.pilots
        pilot = Pilot(
            province=province,
            domain=domain,
            track=track,
            proposed=self.t,
            duration=track.duration(pilots),
            scope=track.scope(pilots, size),
            size=size,
            origin=province,
        )
        self.count("pilots_proposed")
        self.open_pilots.append(pilot)
        self._apply(pilot)
        return pilot

    def retrack(self, pilot: Pilot, track: AdHoc) -> None:
        """A proposal moves to ``track`` on its terms: the track's reach and length, a
        new review, and new bids this month (the firms price it anew)."""
        pilots = self.params.pilots
        pilot.track = track
        pilot.duration = track.duration(pilots)
        pilot.scope = track.scope(pilots, pilot.size) * pilot.share
        pilot.firm = None
        pilot.bids = []
        pilot.bid_round += 1
        self._apply(pilot)

    def _apply(self, pilot: Pilot) -> None:
        """A proposal applies on its track: its review starts, and it is open for bids."""
        track = pilot.track
        pilot.decision_month = self.t + self.review_delay(pilot, track.params.review_months)
        track.applied(self, pilot)
        self.calls.append(pilot)

    def review_draw(self, pilot: Pilot) -> float:
        """The next uniform of a proposal's review (delays and decisions), keyed by the
        proposal: the same numbers under every policy in which the proposal exists."""
        i = pilot.reviews
        pilot.reviews += 1
        return float(self.streams.at("review", pilot.origin, pilot.proposed).random(i + 1)[i])

    def review_delay(self, pilot: Pilot, mean_months: float) -> int:
        """A review delay in months (geometric with the given mean), from the proposal's
        review draws."""
        return geometric(self.review_draw(pilot), mean_months)

    def decide(self, pilot: Pilot, approve: bool) -> None:
        """The regulator's decision on an application."""
        if approve:
            pilot.status = Status.APPROVED
            self.count("pilots_approved")
        else:
            self.reject(pilot)

    def reject(self, pilot: Pilot) -> None:
        """Refused, unfunded or without a bidder."""
        pilot.status = Status.REJECTED
        self.count("pilots_rejected")
        self.open_pilots.remove(pilot)

    def start(self, pilot: Pilot) -> None:
        """A financed pilot starts running this month."""
        pilot.status = Status.RUNNING
        pilot.start = self.t
        pilot.end = self.t + pilot.duration
        pilot.coverage = pilot.scope
        pilot.firm.win(pilot)
        pilot.track.started(self, pilot)

    def finish(self, pilot: Pilot, status: Status) -> None:
        """A running pilot ends in success, failure or a halt."""
        pilot.status = status
        pilot.finished_month = self.t
        self.count(f"pilots_{status.value}")
        pilot.track.finished(self, pilot)
        self.open_pilots.remove(pilot)
        self.finished.append(pilot)
        if status is Status.SUCCEEDED:
            self.services.append(pilot)
        else:
            pilot.coverage = 0.0
        pilot.firm.learn(pilot)
        self.authority_list[pilot.province].on_outcome(pilot)

    def province_access(self, province: int) -> float:
        """Effective data access of pilots in a province (``sandbox.model.data``)."""
        readiness = self.authority_list[province].data_readiness
        return float(self.data_regime.access(province, readiness, self.regime.params.data_market))

    def data_access(self, pilot: Pilot) -> float:
        """Effective data access of a pilot."""
        return self.province_access(pilot.province)

    def domain_costs(self, access: float) -> list[float]:
        """Cost of a pilot in each domain at a province's data ``access``, billion VND
        (plain floats: six numbers are faster without NumPy)."""
        premium = self.params.pilots.data_cost_premium
        return [
            cost * (1.0 + premium * dependence * (1.0 - access))
            for cost, dependence in zip(
                self.domains.cost_list, self.domains.dependence_list, strict=True
            )
        ]

    def domain_cost(self, province: int, domain: Domain, access: float | None = None) -> float:
        """Cost of a pilot in a domain and province, billion VND: the domain's cost, more
        where a data-dependent service lacks data (``pilots.data_cost_premium``)."""
        access = self.province_access(province) if access is None else access
        return float(self.domain_costs(access)[domain])

    def pilot_cost(self, pilot: Pilot) -> float:
        """Cost of a pilot, billion VND: its size of a whole pilot's ``domain_cost`` in its
        domain and province."""
        return pilot.size * self.domain_cost(pilot.province, pilot.domain)

    @property
    def contract_saving(self) -> float:
        """Share of transaction costs standard contracts remove (0 without them)."""
        p = self.regime.params
        return p.contract_saving if p.standard_contracts else 0.0

    def success_probability(self, pilot: Pilot) -> float:
        """Chance a pilot succeeds: domain base, firm capability, local capacity, data."""
        p = self.params.pilots
        authority = self.authority_list[pilot.province]
        access = self.data_access(pilot)
        capability = pilot.firm.capability if pilot.firm is not None else p.default_capability
        mid = p.reference_level
        value = (
            self.domains.success[pilot.domain]
            + p.capability_weight * (capability - mid)
            + p.capacity_weight * (authority.digital_capacity - mid)
            + p.data_weight * self.domains.data_dependence[pilot.domain] * (access - mid)
        )
        return float(np.clip(value, p.success_min, p.success_max))

    # ------------------------------------------------------------ observation
    def n_running(self) -> int:
        """Pilots running now."""
        return sum(q.status is Status.RUNNING for q in self.open_pilots)

    def status_matrix(self) -> StatusMatrix:
        """Province x domain view of open pilots and deployed services
        (``sandbox.model.status``)."""
        return status_matrix([*self.open_pilots, *self.services], self.region.n, self.base_map)
