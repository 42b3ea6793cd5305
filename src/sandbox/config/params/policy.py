"""The regulatory regime's parameters and its approval tracks (a lever section)."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import CALIBRATED, param, redeclare


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
    evidence_gain: float = param(
        0.02,
        unit="clarity",
        range="unit",
        role="lever",
        source=(
            "assumption: rules follow evidence (Decision 950/QD-TTg asks ministries to draw "
            "rules from pilots); an ad-hoc success is unstructured evidence, a small step"
        ),
        doc="legal clarity a successful pilot on this track adds to its domain's rules",
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
    evidence_gain: float = redeclare(
        TrackParams,
        "evidence_gain",
        0.02,
        source="assumption: a trial that succeeds with incidents informs rules as an ad-hoc one",
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
    graduation_gain: float = param(
        0.15,
        unit="clarity",
        range="unit",
        role="lever",
        source=(
            "assumption: a clean, monitored trial is strong evidence, worth 7.5 ad-hoc successes "
            "(evidence_gain 0.02), so about seven graduations settle a domain's rules; "
            "experiment=sandbox_design sweeps 0.05 and 0.25"
        ),
        doc="clarity added to the domain by a graduated pilot",
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
    clarity_gain: float = param(
        0.15,
        unit="clarity",
        range="unit",
        role="lever",
        source=(
            "assumption: a completed phase's framework adds to every domain as much clarity as "
            "one sandbox graduation adds to its own (0.15)"
        ),
        doc="clarity added to every domain by each completed phase",
    )
    interop_gain: float = param(
        0.1,
        unit="index",
        range="unit",
        role="lever",
        source=(
            "assumption: each completed phase's shared standards add 0.1, so the two phases that "
            "end by 2030 take interoperability from 0.1 to 0.3, well short of a platform's target "
            "(0.8)"
        ),
        doc="interoperability added by each completed phase",
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
    evidence_gain: float = redeclare(
        TrackParams,
        "evidence_gain",
        0.02,
        source="assumption: an unaligned local rule's success informs rules as an ad-hoc one",
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
    alignment_gain: float = param(
        0.05,
        unit="clarity",
        range="unit",
        role="lever",
        source=(
            "assumption: a success under a rule the centre endorsed is worth 2.5 unaligned "
            "successes (evidence_gain 0.02) but a third of a sandbox graduation (0.15), being "
            "less closely monitored"
        ),
        doc="national clarity added by an aligned successful pilot",
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
            monitoring=0.1,
            exposure_cap=1.0,
        ),
        role="lever",
        source=(
            "assumption: light approval (a month's review, 95% approved) with little legal "
            "risk (0.3) or compliance cost (3%) where the State guides pilots, but lighter "
            "monitoring than ad hoc (0.1 against 0.2) and no exposure cap"
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
    legislation_rate: float = param(
        0.01,
        unit="per month per domain",
        range="unit",
        role="lever",
        source=(
            'assumption: "legislation arrives rarely": a 1% monthly chance gives each domain '
            "a law about every eight years, under one a year across the six domains"
        ),
        doc="chance that a law adds clarity to a domain",
    )
    legislation_gain: float = param(
        0.2,
        unit="clarity",
        range="unit",
        role="lever",
        source=(
            "assumption: a law settles a good part of a domain's rules: 0.2, ten ad-hoc "
            "successes' evidence (evidence_gain 0.02) and a little more than a sandbox "
            "graduation (0.15)"
        ),
        doc="clarity a law adds",
    )
