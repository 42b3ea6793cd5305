"""The regulatory regime's parameters and its approval tracks (a lever section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import CALIBRATED, param, redeclare
from sandbox.config.params.barriers import BarrierParams


@dataclass(frozen=True)
class TrackParams:
    """An approval path a proposal can take (ad hoc, sandbox, local experimental rule).

    The class defaults are the ad-hoc track's.
    """

    review_months: float = param(
        2.0,
        unit="months",
        range="nonnegative",
        role="lever",
        source=CALIBRATED,
        doc="mean review delay (geometric)",
    )
    approval_prob: float = param(
        0.9,
        unit="probability",
        range="unit",
        role="lever",
        source=CALIBRATED,
        doc="chance an application is approved",
    )
    legal_risk: float = param(
        0.8,
        unit="share",
        range="unit",
        role="lever",
        source=(
            'assumption: high, as there is "no legal corridor" (Vietnam-Asia Smart City '
            "Conference 2024): 0.8 at zero clarity, against 0.3 on the facilitated and "
            "local-rule tracks and 0.15 in the sandbox"
        ),
        doc="perceived legal risk when the domain has no clarity",
    )
    compliance_cost: float = param(
        0.4,
        unit="share of pilot cost",
        range="unit",
        role="lever",
        source=(
            "assumption: without a legal corridor a firm pays for legal review, permits "
            "from several ministries and liability reserves up front, which shuts most "
            "start-ups out (Vietnam-Asia Smart City Conference 2024: no mechanism for "
            "private participation)"
        ),
        doc="compliance cost, borne by the firm",
    )
    monitoring: float = param(
        0.2,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: case-by-case approval leaves oversight light (0.2, against 0.8 in the "
            "sandbox), so ad hoc cuts a fifth of harm and seldom catches a severe incident"
        ),
        doc="monitoring intensity",
    )
    exposure_cap: float = param(
        1.0,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: no cap without a legal corridor: an ad-hoc pilot reaches its planned "
            "scope (pilots.scope 0.3)"
        ),
        doc="largest share of a province's population a pilot may reach",
    )
    evidence_value: float = param(
        0.1,
        unit="evidence",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: rules follow evidence (Decision 950/QD-TTg asks ministries to draw "
            "rules from pilots); an ad-hoc success is unstructured evidence, a tenth of a "
            "sandbox graduation (1.0), which is designed to inform rules"
        ),
        doc="evidence a successful pilot on this track gives its domain's rule making",
    )
    corridor: bool = param(
        False,
        unit="flag",
        range="flag",
        role="lever",
        source=(
            "data/evidence/technologies.csv: drones and autonomous vehicles were piloted only "
            "inside HCMC's sandbox (Resolution 98/2023/QH15, Resolution 20/2024/NQ-HDND); a "
            "level-4 autonomous car is not road-legal outside one; case-by-case approval "
            "gives no corridor"
        ),
        doc=(
            "the track gives novel technologies legal cover; without it a novel technology is "
            "approved with chance approval_prob x its legal clarity"
        ),
    )
    duration_months: int = param(
        0,
        unit="months",
        range="nonnegative",
        role="lever",
        source=(
            "decision: 0 on the ad-hoc track, whose length is the history's fitted "
            "pilots.duration_months; every other track states its own"
        ),
        doc="planned length of a pilot on this track (0: pilots.duration_months)",
    )


SANDBOX_TERMS = (
    "assumption: legal cover, close monitoring, small trials: a month's review of the test "
    "plan, legal risk 0.15, compliance cost 2% of the pilot, monitoring 0.8 and an exposure "
    "cap of a tenth of the province"
)
SANDBOX_SCREENING = (
    "hand calibration: with it 34.6% of controlled_pilot's applications are admitted "
    "(sandbox-validate --only funnel --size default, 50 replicates; the cohort size and "
    "capacity turn away some who pass), against 50 of "
    "146 in the UK FCA sandbox's first two cohorts (Regulatory sandbox lessons learned "
    "report, October 2017); no Vietnamese sandbox has published its rate. With "
    "min_capability and min_capacity at 0 this chance is the whole eligibility screening"
)


@dataclass(frozen=True)
class SandboxParams(TrackParams):
    """The controlled-pilot programme (regulatory sandbox) a designer sweeps.

    It is also the sandbox's approval track (the ``TrackParams`` fields, with the
    sandbox's defaults: legal cover, close monitoring, small trials).
    """

    review_months: float = redeclare(TrackParams, "review_months", 1.0, source=SANDBOX_TERMS)
    approval_prob: float = redeclare(TrackParams, "approval_prob", 0.38, source=SANDBOX_SCREENING)
    legal_risk: float = redeclare(TrackParams, "legal_risk", 0.15, source=SANDBOX_TERMS)
    compliance_cost: float = redeclare(TrackParams, "compliance_cost", 0.02, source=SANDBOX_TERMS)
    monitoring: float = redeclare(TrackParams, "monitoring", 0.8, source=SANDBOX_TERMS)
    exposure_cap: float = redeclare(TrackParams, "exposure_cap", 0.1, source=SANDBOX_TERMS)
    evidence_value: float = redeclare(
        TrackParams,
        "evidence_value",
        0.1,
        source="assumption: a trial that succeeds with incidents informs rules as an ad-hoc one",
    )
    duration_months: int = redeclare(
        TrackParams,
        "duration_months",
        24,
        source="Decree 94/2025 (fintech sandbox): trials of up to 2 years; at most max_duration",
    )
    corridor: bool = redeclare(
        TrackParams,
        "corridor",
        True,
        source=(
            "Law 93/2025/QH15 and Decree 269/2025/ND-CP: controlled testing exempts a trial "
            "from rules that do not yet fit its technology, within its scope and time"
        ),
    )
    call_interval: int = param(
        6,
        unit="months",
        range="count",
        role="lever",
        source="UK FCA sandbox: cohorts twice a year (2016)",
        doc="months between cohort calls",
    )
    cohort_size: int = param(
        10,
        unit="pilots",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: ten trials per call, under half the UK FCA's first cohorts (50 accepted "
            "over two calls, lessons learned report 2017), a cautious size for a first programme"
        ),
        doc="most pilots admitted per call",
    )
    capacity: int = param(
        20,
        unit="pilots",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: the regulator oversees two full cohorts at once, half of the 40 trials "
            "that cohorts of 10 every 6 months on 24-month trials would keep running; "
            "experiment=sandbox_design sweeps 10 and 40"
        ),
        doc="regulator capacity: concurrent sandbox pilots",
    )
    min_capacity: float = param(
        0.0,
        unit="share",
        range="unit",
        role="lever",
        source="decision: open eligibility",
        doc="eligibility: minimum local digital capacity",
    )
    min_capability: float = param(
        0.0,
        unit="share",
        range="unit",
        role="lever",
        source="decision: open eligibility",
        doc="eligibility: minimum firm capability",
    )
    max_duration: int = param(
        24,
        unit="months",
        range="count",
        role="lever",
        source="Decree 94/2025 (fintech sandbox): up to 2 years",
        doc="months a trial may last",
    )
    extensions: int = param(
        2,
        unit="extensions",
        range="nonnegative",
        role="lever",
        source="Decree 94/2025: two 1-year extensions (Hanoi's Capital Law allows 3 + 3 years)",
        doc="extensions allowed",
    )
    extension_months: int = param(
        12,
        unit="months",
        range="count",
        role="lever",
        source="Decree 94/2025: two 1-year extensions (Hanoi's Capital Law allows 3 + 3 years)",
        doc="length of one extension",
    )
    max_waits: int = param(
        1,
        unit="calls",
        range="nonnegative",
        role="lever",
        source="assumption: an eligible applicant left out of a cohort tries the next call once",
        doc="calls an eligible applicant waits through before it leaves (ad hoc or withdrawn)",
    )
    extension_prob: float = param(
        0.5,
        unit="probability",
        range="unit",
        role="lever",
        source="assumption: half of inconclusive trials ask for and get more time",
        doc="chance an unsuccessful trial with extensions left is extended",
    )
    extension_gain: float = param(
        0.1,
        unit="probability",
        range="unit",
        role="lever",
        source=(
            "assumption: more time lets a trial fix what kept it from succeeding: 0.1 more "
            "chance per extension, against the same draw (no second lottery)"
        ),
        doc="success probability an extension adds to the same trial (no new draw)",
    )
    graduation_evidence: float = param(
        1.0,
        unit="evidence",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: a clean, monitored trial is the evidence a sandbox exists to produce "
            "(Decree 269/2025 and Law 93/2025 tie controlled testing to rule making): the unit "
            "of evidence, ten ad-hoc successes; experiment=sandbox_design sweeps 0.5 and 2"
        ),
        doc="evidence a graduated trial gives its domain's rule making",
    )
    graduation_clean_only: bool = param(
        True,
        unit="flag",
        range="flag",
        role="lever",
        source="decision: graduate only trials without incidents",
        doc="graduate only succeeded pilots without incidents",
    )


@dataclass(frozen=True)
class PhasingParams:
    """Phased roll-out: provinces admitted in waves."""

    n_waves: int = param(
        3,
        unit="waves",
        range="count",
        role="lever",
        source=(
            "assumption: three waves (leaders, followers, the rest), all admitted by 2030-01 with "
            "24-month phases from 2026-01; experiment=phasing sweeps 2, 3 and 5"
        ),
        doc="waves of provinces",
    )
    order: str = param(
        "readiness",
        unit="–",
        range=("readiness", "need", "random"),
        role="lever",
        source=(
            "assumption: the most digitally capable provinces first, where a pilot is likeliest "
            "to succeed and set an example; experiment=phasing compares need-first and random "
            "orders"
        ),
        doc="order in which provinces are admitted",
    )
    phase_months: int = param(
        24,
        unit="months",
        range="count",
        role="lever",
        source=(
            "assumption: two years per phase, so that all three waves are admitted within the "
            "2026-2030 horizon; experiment=phasing sweeps 12, 24 and 36"
        ),
        doc="length of one phase",
    )
    within: str = param(
        "facilitated",
        unit="–",
        range=("facilitated", "sandbox"),
        role="lever",
        source=(
            "assumption: a phased roll-out eases approval for admitted provinces (the facilitated "
            "track); policy=phased_sandbox admits them to the sandbox instead"
        ),
        doc="track admitted provinces use",
    )


@dataclass(frozen=True)
class ExperimentalParams(TrackParams):
    """Local experimental rules that hold once central authorities align.

    Also the local-rule approval track (the ``TrackParams`` fields).
    """

    review_months: float = redeclare(
        TrackParams,
        "review_months",
        2.0,
        source=(
            "assumption: as ad hoc (2 months): a province reviews pilots under its own rule like "
            "any other"
        ),
    )
    approval_prob: float = redeclare(
        TrackParams,
        "approval_prob",
        0.9,
        source=(
            "assumption: as ad hoc (0.9): a province approves pilots under its own rule as "
            "often as case by case"
        ),
    )
    legal_risk: float = redeclare(
        TrackParams,
        "legal_risk",
        0.3,
        source=(
            "assumption: a local rule covers as well as facilitation (0.3), better than ad hoc "
            "(0.8) but worse than the sandbox (0.15), since the centre may still strike it down"
        ),
    )
    compliance_cost: float = redeclare(
        TrackParams,
        "compliance_cost",
        0.06,
        source=(
            "assumption: twice the facilitated 3%, as a firm complies with a new local rule as "
            "well as national law, yet far below the ad-hoc 40%"
        ),
    )
    monitoring: float = redeclare(
        TrackParams,
        "monitoring",
        0.4,
        source=(
            "assumption: a province watches pilots under its own rule more closely than ad hoc "
            "(0.2) but less than a national sandbox regulator (0.8)"
        ),
    )
    exposure_cap: float = redeclare(
        TrackParams,
        "exposure_cap",
        0.5,
        source=(
            "assumption: a local rule limits a pilot to half of the province, looser than the "
            "sandbox's 0.1; with pilots.scope 0.3 it does not bind by default"
        ),
    )
    evidence_value: float = redeclare(
        TrackParams,
        "evidence_value",
        0.1,
        source="assumption: an unaligned local rule's success informs rules as an ad-hoc one",
    )
    corridor: bool = redeclare(
        TrackParams,
        "corridor",
        True,
        source=(
            "Resolution 98/2023/QH15 (HCMC) and the Capital Law 39/2024/QH15 (Hanoi): a "
            "city's own rule may allow the controlled testing of new technology"
        ),
    )
    duration_months: int = redeclare(
        TrackParams,
        "duration_months",
        36,
        source=(
            "Capital Law 39/2024/QH15 (Hanoi): controlled testing under a city's own rule for "
            "up to 3 years"
        ),
    )
    coordination: float = param(
        0.03,
        unit="per month",
        range="unit",
        role="lever",
        source=(
            "assumption: ministries align slowly; about 30% of rules are still unaligned "
            "after three years"
        ),
        doc="chance the centre aligns with a local rule",
    )
    rework_cost: float = param(
        0.3,
        unit="share of pilot cost",
        range="unit",
        role="lever",
        source=(
            "assumption: redrafting and re-approving a misaligned rule costs the province 30% of "
            "the pilot's cost; experiment=experimental_alignment sweeps 0.1, 0.3 and 0.6"
        ),
        doc="extra cost of a misaligned rule",
    )
    rework_months: int = param(
        6,
        unit="months",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: rework adds half a year (a new round of drafting and consultation) to "
            "the pilot, once"
        ),
        doc="delay from rework",
    )
    aligned_evidence: float = param(
        0.6,
        unit="evidence",
        range="nonnegative",
        role="lever",
        source=(
            "assumption: a success under a rule the centre endorsed is worth six unaligned "
            "successes (evidence_value 0.1) but less than a sandbox graduation (1.0), being "
            "less closely monitored"
        ),
        doc="evidence an aligned successful pilot gives national rule making",
    )
    strike_down: float = param(
        0.5,
        unit="probability",
        range="unit",
        role="lever",
        source=(
            "assumption: a local rule that conflicts with national law is void (Law on "
            "Promulgation of Legal Documents); half of those left unaligned are struck down"
        ),
        doc="chance the centre strikes down a local rule still unaligned at the pilot's end",
    )


@dataclass(frozen=True)
class PolicyParams:
    """The regulatory regime (a lever). ``name`` picks the class in ``sandbox.model.policy``."""

    name: str = param(
        "status_quo",
        unit="–",
        range="text",
        role="lever",
        source="decision: the historical regime, no legal corridor",
        doc="regime class (a class of sandbox.model.policy)",
    )
    start: str = param(
        "2026-01",
        unit="month (YYYY-MM)",
        range="month",
        role="lever",
        source="Law on Digital Technology Industry (2025): controlled testing from 2026-01",
        doc="first month of the policy; the history's mechanisms act before it",
    )
    adhoc: TrackParams = param(factory=TrackParams, role="lever", doc="ad-hoc approval track")
    facilitated: TrackParams = param(
        factory=lambda: TrackParams(
            review_months=1.0,
            approval_prob=0.95,
            legal_risk=0.3,
            compliance_cost=0.03,
            monitoring=0.2,
            exposure_cap=1.0,
            evidence_value=0.2,
            duration_months=24,
        ),
        role="lever",
        source=(
            "assumption: light approval (a month's review, 95% approved) with little legal "
            "risk (0.3) or compliance cost (3%) where the State guides pilots; monitoring as ad "
            "hoc (0.2: no source says a facilitating State watches more or less); no exposure "
            "cap; twice an ad-hoc success's evidence (0.2), as the State collects what it "
            "guides; 24 months, the term of Decree 94/2025's trials"
        ),
        doc="facilitated approval track",
    )
    sandbox: SandboxParams = param(
        factory=SandboxParams, role="lever", doc="regulatory sandbox programme and track"
    )
    phasing: PhasingParams = param(factory=PhasingParams, role="lever", doc="phased roll-out")
    experimental: ExperimentalParams = param(
        factory=ExperimentalParams, role="lever", doc="local experimental rules and track"
    )
    barriers: BarrierParams = param(
        factory=BarrierParams,
        role="lever",
        doc="counterfactual: barriers lifted from policy.start (experiment=barriers)",
    )
    data_market: bool = param(
        False,
        unit="flag",
        range="flag",
        role="lever",
        source="decision: off historically; on in `facilitation`",
        doc="data-market rules: firms get data access beyond the province's",
    )
    standard_contracts: bool = param(
        False,
        unit="flag",
        range="flag",
        role="lever",
        source="decision: off historically; on in `facilitation`",
        doc="standard contracts and templates for pilots and PPP (a facilitating State)",
    )
    contract_saving: float = param(
        0.4,
        unit="share",
        range="unit",
        role="lever",
        source=(
            "assumption: templates remove much of the legal work of each contract: 0.4 takes "
            "the facilitated compliance cost from 3% to 1.8% and the PPP hurdle from 5% to 3%"
        ),
        doc="share of compliance cost and of PPP investors' hurdle standard contracts remove",
    )
