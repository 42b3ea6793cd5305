"""Every model parameter, declared once: type, default, unit and meaning.

These dataclasses are the typed schema of the Hydra configuration (registered in
``sandbox.config.schema``) and the frozen parameter objects the model receives. Defaults describe
the historical period in Vietnam (Jan 2019 - Dec 2024): no legal corridor, budget-led,
fragmented data. Sources and rationale for each value are in ``docs/model.md``.

Parameters fall in two families that stay apart in result tables:

* levers (what policy chooses): ``policy``, ``resources``, ``data``;
* uncertainties (what the world does): ``citizens``, ``authorities``, ``firms``,
  ``pilots``, ``domains``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HorizonParams:
    """Simulated calendar: one step is one month, both ends inclusive."""

    start: str = "2019-01"  # first simulated month, YYYY-MM
    end: str = "2024-12"  # last simulated month, YYYY-MM


@dataclass
class RegionParams:
    """The province table (see ``docs/regions.md`` for the CSV schema)."""

    name: str = "vietnam_63"  # label written to results
    table: str = "vietnam_63.csv"  # file name in sandbox/regions/, or an absolute path


@dataclass
class CitizenParams:
    """The vectorised citizen population and its Bass-type adoption hazard."""

    n: int = 100_000  # simulated citizens; each stands for population / n people
    p_innovation: float = 0.03  # Bass innovation rate p, per year
    q_imitation: float = 0.38  # Bass imitation rate q, per year
    substeps: int = 4  # Heun sub-steps per month when integrating the hazard
    homogeneous: bool = False  # literacy = trust = 1 for everyone (validation)
    literacy_urban: float = 0.75  # mean digital literacy of urban working-age adults, [0, 1]
    literacy_rural: float = 0.55  # mean digital literacy of rural working-age adults, [0, 1]
    literacy_concentration: float = 6.0  # Beta concentration (alpha + beta) of literacy
    age_shares: list[float] = field(default_factory=lambda: [0.243, 0.680, 0.077])
    age_literacy: list[float] = field(default_factory=lambda: [0.7, 1.0, 0.45])
    trust_mean: float = 0.65  # mean trust in public digital services, [0, 1]
    trust_concentration: float = 6.0  # Beta concentration of trust
    trust_drop: float = 0.3  # share of trust an exposed non-adopter loses in an incident
    abandon_prob: float = 0.2  # chance an exposed adopter abandons after an incident


@dataclass
class AuthorityParams:
    """Local authorities (one per province): capacities, learning and proposing."""

    awareness_initial: float = 0.9  # awareness of smart-city options in Jan 2019, [0, 1]
    learning_base: float = 0.0  # monthly awareness gain without peers, [0, 1]
    learning_peer: float = 0.15  # extra monthly gain at full peer success x leadership
    propose_rate: float = 1.0  # monthly chance a fully aware, committed authority proposes
    max_active_pilots: int = 3  # pilots one province runs at once (centrally-run: twice)
    leadership_alpha: float = 1.5  # Beta(alpha, beta) of leadership commitment
    leadership_beta: float = 2.0
    risk_aversion_alpha: float = 2.0  # Beta(alpha, beta) of risk aversion (hesitant)
    risk_aversion_beta: float = 2.0
    risk_weight: float = 5.5  # how strongly risk aversion x perceived legal risk deters proposing
    capacity_intercept: float = 0.25  # digital capacity = intercept + slope * urban share
    capacity_urban_slope: float = 0.6
    capacity_city_bonus: float = 0.15  # added for centrally-run cities
    capacity_noise: float = 0.08  # sd of the province's normal deviation
    capacity_learning: float = 0.05  # capacity gain per successful pilot


@dataclass
class FirmKindParams:
    """One kind of firm: how many, and their starting capability and capital."""

    count: int = 10
    capability: float = 0.5  # mean capability in [0, 1] (Beta, concentration 10)
    capital: float = 100.0  # mean capital, billion VND (log-normal, sigma 0.5)
    risk_tolerance: float = 0.5  # [0, 1]: higher tolerates more legal risk


@dataclass
class FirmParams:
    """The technology market: incumbents, domestic SMEs and foreign vendors."""

    incumbent: FirmKindParams = field(
        default_factory=lambda: FirmKindParams(
            count=12, capability=0.7, capital=3000.0, risk_tolerance=0.3
        )
    )
    sme: FirmKindParams = field(
        default_factory=lambda: FirmKindParams(
            count=200, capability=0.45, capital=5.0, risk_tolerance=0.7
        )
    )
    foreign: FirmKindParams = field(
        default_factory=lambda: FirmKindParams(
            count=25, capability=0.75, capital=800.0, risk_tolerance=0.4
        )
    )
    margin: float = 0.15  # profit margin on contract value
    bid_share: float = 0.1  # chance a firm with no legal worry bids on a given call
    learning: float = 0.08  # experience gained per completed pilot in its domain
    entry_rate: float = 0.2  # new SMEs per month per open application
    fixed_cost: float = 0.05  # monthly cost, billion VND per unit of capability


@dataclass
class DomainParams:
    """One technology domain."""

    cost: float = 20.0  # pilot cost, billion VND
    benefit: float = 1.0  # yearly benefit per 1,000 adopters, billion VND
    success: float = 0.65  # base success probability of a pilot
    data_dependence: float = 0.5  # how much success needs interoperable data, [0, 1]
    incident_risk: float = 0.01  # monthly incident hazard of a running pilot


@dataclass
class DomainsParams:
    """The six domains of docs/model.md §2 (names fixed by ``sandbox.model.domains``)."""

    transportation: DomainParams = field(
        default_factory=lambda: DomainParams(30.0, 1.2, 0.6, 0.6, 0.012)
    )
    healthcare: DomainParams = field(
        default_factory=lambda: DomainParams(25.0, 1.5, 0.6, 0.7, 0.015)
    )
    education: DomainParams = field(
        default_factory=lambda: DomainParams(15.0, 1.0, 0.7, 0.4, 0.008)
    )
    warning: DomainParams = field(default_factory=lambda: DomainParams(10.0, 0.8, 0.75, 0.5, 0.005))
    planning: DomainParams = field(
        default_factory=lambda: DomainParams(25.0, 0.9, 0.65, 0.8, 0.006)
    )
    government_services: DomainParams = field(
        default_factory=lambda: DomainParams(12.0, 1.3, 0.7, 0.6, 0.01)
    )


@dataclass
class PilotParams:
    """Pilots: duration, reach, success and harm."""

    duration_months: int = 30  # planned length of an ad-hoc pilot
    scope: float = 0.3  # share of the province's population a pilot plans to reach
    capability_weight: float = 0.25  # success probability gain per unit firm capability
    capacity_weight: float = 0.2  # ... per unit local digital capacity
    data_weight: float = 0.3  # ... per unit effective data access (times data dependence)
    harm_fraction: float = 0.05  # share of a pilot's adopters harmed by an unmonitored incident
    halt_severity: float = 0.3  # chance an incident is severe (may halt the pilot)
    scaled_coverage: float = 0.85  # coverage a scaled service reaches
    scale_rate: float = 0.05  # monthly coverage growth of a scaled service
    project_min_domains: int = 2  # domains with a live pilot/service that make a "project"


@dataclass
class TrackParams:
    """An approval path a proposal can take (ad hoc, sandbox, local experimental rule)."""

    review_months: float = 2.0  # mean review delay (geometric), months
    approval_prob: float = 0.9  # chance an application is approved
    legal_risk: float = 0.8  # perceived legal risk when the domain has no clarity, [0, 1]
    compliance_cost: float = 0.1  # compliance cost, share of pilot cost, borne by the firm
    monitoring: float = 0.2  # monitoring intensity, [0, 1]
    exposure_cap: float = 1.0  # max share of a province's population a pilot may reach


@dataclass
class SandboxParams(TrackParams):
    """The controlled-pilot programme (regulatory sandbox) a designer sweeps.

    It is also the sandbox's approval track (the ``TrackParams`` fields, with the
    sandbox's defaults: legal cover, close monitoring, small trials).
    """

    review_months: float = 1.0
    approval_prob: float = 1.0
    legal_risk: float = 0.15
    compliance_cost: float = 0.02
    monitoring: float = 0.8
    exposure_cap: float = 0.1
    call_interval: int = 6  # months between cohort calls
    cohort_size: int = 10  # max pilots admitted per call
    capacity: int = 20  # regulator capacity: concurrent sandbox pilots
    min_capacity: float = 0.0  # eligibility: minimum local digital capacity
    min_capability: float = 0.0  # eligibility: minimum firm capability
    max_duration: int = 24  # months a trial may last
    extensions: int = 2  # extensions allowed
    extension_months: int = 12  # length of one extension
    graduation_gain: float = 0.15  # clarity added to the domain by a graduated pilot
    graduation_clean_only: bool = True  # graduate only succeeded pilots without incidents


@dataclass
class PhasingParams:
    """Phased roll-out: provinces admitted in waves."""

    n_waves: int = 3
    order: str = "readiness"  # readiness | need | random
    phase_months: int = 24  # length of one phase
    clarity_gain: float = 0.15  # clarity added to every domain by each completed phase
    interop_gain: float = 0.1  # interoperability added by each completed phase
    within: str = "facilitated"  # track admitted provinces use: facilitated | sandbox


@dataclass
class ExperimentalParams(TrackParams):
    """Local experimental rules that hold once central authorities align.

    Also the local-rule approval track (the ``TrackParams`` fields).
    """

    review_months: float = 2.0
    approval_prob: float = 0.9
    legal_risk: float = 0.3
    compliance_cost: float = 0.06
    monitoring: float = 0.4
    exposure_cap: float = 0.5
    coordination: float = 0.1  # monthly chance the centre aligns with a local rule
    rework_cost: float = 0.3  # extra cost (share of pilot cost) of a misaligned rule
    rework_months: int = 6  # delay from rework
    alignment_gain: float = 0.05  # national clarity added by an aligned successful pilot


@dataclass
class PolicyParams:
    """The regulatory regime (a lever). ``name`` picks the class in ``sandbox.model.policy``."""

    name: str = "status_quo"
    adhoc: TrackParams = field(default_factory=TrackParams)
    facilitated: TrackParams = field(
        default_factory=lambda: TrackParams(
            review_months=1.0,
            approval_prob=0.95,
            legal_risk=0.3,
            compliance_cost=0.03,
            monitoring=0.1,
            exposure_cap=1.0,
        )
    )
    sandbox: SandboxParams = field(default_factory=SandboxParams)
    phasing: PhasingParams = field(default_factory=PhasingParams)
    experimental: ExperimentalParams = field(default_factory=ExperimentalParams)
    data_market: bool = False  # data-market rules: firms get data access beyond the province's
    legislation_rate: float = 0.01  # monthly chance that a law adds clarity to a domain
    legislation_gain: float = 0.2  # clarity a law adds
    scale_clarity: float = 0.5  # clarity a domain needs before a succeeded pilot can scale


@dataclass
class ResourceParams:
    """How pilots are financed (a lever).

    ``name`` picks the class in ``sandbox.model.resources``.
    """

    name: str = "central_budget"
    central_budget: float = 400.0  # yearly central grant budget, billion VND
    grant_share: float = 0.5  # share of a pilot's cost a central grant covers
    local_budget: float = 60.0  # yearly local budget of a province at fiscal capacity 1
    ppp_share: float = 0.5  # private co-finance share under PPP
    ppp_clarity: float = 0.4  # legal clarity private investors require
    ppp_return: float = 0.12  # yearly revenue on private investment while a service runs
    fund_interval: int = 6  # months between competitive-fund rounds
    performance_share: float = 0.4  # share of a competitive grant paid only on success


@dataclass
class DataParams:
    """The data regime (a lever). ``name`` picks the class in ``sandbox.model.data``."""

    name: str = "fragmented"
    interoperability: float = 0.1  # national interoperability index at the start, [0, 1]
    target: float = 0.8  # interoperability of an interoperable regime / platform ceiling
    platform_budget: float = 0.0  # yearly national platform investment, billion VND
    platform_efficiency: float = 0.002  # interoperability gained per billion VND invested
    gis_readiness: float = 0.5  # data readiness that counts as a GIS / urban-database foundation


@dataclass
class ValidationParams:
    """Validation scenarios that switch the institutional model off."""

    name: str = "none"  # none | bass (every service at full coverage from month 0)


@dataclass
class OutputParams:
    """Where and how results are written."""

    timeseries: bool = True  # write timeseries.parquet
    print_summary: bool = True  # print the summary table at the end of a run
    mesa_log_level: str = "WARNING"  # level of Mesa's logger (its per-step INFO is noise)


@dataclass
class Params:
    """A whole scenario: everything a run depends on."""

    seed: int = 20190101  # root seed; every random stream derives from it and replicate
    replicate: int = 0  # replicate index of an experiment (a sweep dimension)
    horizon: HorizonParams = field(default_factory=HorizonParams)
    region: RegionParams = field(default_factory=RegionParams)
    citizens: CitizenParams = field(default_factory=CitizenParams)
    authorities: AuthorityParams = field(default_factory=AuthorityParams)
    firms: FirmParams = field(default_factory=FirmParams)
    domains: DomainsParams = field(default_factory=DomainsParams)
    pilots: PilotParams = field(default_factory=PilotParams)
    policy: PolicyParams = field(default_factory=PolicyParams)
    resources: ResourceParams = field(default_factory=ResourceParams)
    data: DataParams = field(default_factory=DataParams)
    validation: ValidationParams = field(default_factory=ValidationParams)
    output: OutputParams = field(default_factory=OutputParams)
