"""Every outcome a run reports, declared once: name, meaning, unit, direction, ceiling.

The one table of outcomes. The columns of ``timeseries.parquet`` and the keys of
``summary.json`` (``sandbox.model.metrics``), their units and readable names
(``sandbox.units``), which way each improves (the rankings, the trade-off frontier), the
headline outcomes every comparison reports (``sandbox.analysis.comparison``) and the
observation tables of ``docs/model.md`` (``python -m sandbox.model.outcomes
docs/model.md``) all derive from it.

An outcome is

* ``monthly``: a column of ``timeseries.parquet`` observed every month (and its last value
  a key of ``summary.json``), or a figure of the run's ``summary.json`` only;
* ``better``: ``"more"``, ``"less"`` or ``"neither"`` (a count that describes the run, such as
  the provinces of the month's map);
* ``ceiling``: the largest value it can take: a number (1 for a share), ``"provinces"``
  (the provinces of the month's map, 63 then 34), or ``None`` when it has none (money,
  time, harm, cumulative counts);
* ``headline``: its place among the outcomes every comparison reports (1 first), 0 when it
  is none of them;
* ``censored``: for a time to an event that may not happen by the horizon (NaN then), the
  month it is counted from: ``"start"`` (the run's first month) or ``"policy"``
  (``policy.start``). Such a run is a censored observation: comparisons count it at the
  months it was followed (a restricted mean, ``sandbox.analysis.comparison``), never drop it.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sandbox.model.agents.firm import FirmKind
from sandbox.model.domains import DOMAINS, N_DOMAINS

PROVINCES = "provinces"  # a ceiling: the provinces of the month's map
DIRECTIONS = ("more", "less", "neither")
ORIGINS = ("start", "policy")  # the months a censored time to an event is counted from
COVERAGE_THRESHOLDS = (75, 90)  # % of the population reached by scaled services
DEPTH_THRESHOLDS = (60, 65)  # % of the six services deployed, on average per province


@dataclass(frozen=True)
class Outcome:
    """One outcome of a run (module docstring)."""

    name: str
    meaning: str
    unit: str
    better: str
    ceiling: float | str | None = None
    headline: int = 0  # its place among the headline outcomes (1 first); 0 for none
    monthly: bool = True
    counter: bool = False  # a cumulative count the model adds to as events happen
    only: str | None = None  # reported only in such runs (a setting, e.g. validation=bass)
    censored: str | None = None  # a time to an event, counted from "start" or "policy"

    def __post_init__(self) -> None:
        if self.better not in DIRECTIONS:
            raise ValueError(f"{self.name}: better must be one of {DIRECTIONS}")
        if self.censored not in (None, *ORIGINS):
            raise ValueError(f"{self.name}: censored must be None or one of {ORIGINS}")


def _counter(name: str, meaning: str, unit: str, better: str = "neither") -> Outcome:
    return Outcome(name, meaning, unit, better, counter=True)


# the sandbox funnel: each stage as a share of the one before (NaN when that is zero)
FUNNEL: tuple[tuple[str, str], ...] = (
    ("sandbox_admitted", "sandbox_applications"),
    ("sandbox_testing", "sandbox_admitted"),
    ("sandbox_completed", "sandbox_testing"),
    ("sandbox_graduated", "sandbox_completed"),
)
# how applications not admitted leave the sandbox: ad hoc (re-priced) or withdrawn
LEFT: tuple[tuple[str, str], ...] = (
    ("sandbox_to_adhoc", "sandbox_applications"),
    ("sandbox_withdrawn", "sandbox_applications"),
)

COUNTERS: tuple[Outcome, ...] = (
    _counter("pilots_proposed", "pilots proposed so far", "pilots, cumulative"),
    _counter("pilots_approved", "pilots approved so far", "pilots, cumulative"),
    _counter(
        "pilots_rejected",
        "proposals refused, unfunded, withdrawn from the sandbox or without a bidder so far",
        "pilots, cumulative",
    ),
    _counter("pilots_succeeded", "pilots that ended in success so far", "pilots, cumulative"),
    _counter("pilots_failed", "pilots that ended in failure so far", "pilots, cumulative", "less"),
    _counter("pilots_halted", "pilots halted after an incident so far", "pilots, cumulative"),
    Outcome(
        "pilots_scaled",
        "succeeded pilots scaled to the whole province so far",
        "services scaled province-wide, cumulative",
        "more",
        counter=True,
    ),
    _counter(
        "sandbox_applications",
        "proposals made on the sandbox track so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_admitted",
        "sandbox applications admitted at a cohort call so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_withdrawn",
        "sandbox applications not admitted that withdrew so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_to_adhoc",
        "sandbox applications not admitted that went ad hoc so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_testing",
        "admitted trials financed that started testing so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_completed",
        "trials that reached their end (not halted) so far",
        "applications, cumulative",
    ),
    _counter(
        "sandbox_graduated",
        "completed trials that graduated (success without incident) so far",
        "applications, cumulative",
    ),
    _counter(
        "rules_struck_down",
        "local experimental rules struck down by the centre so far",
        "rules, cumulative",
        "less",
    ),
    _counter(
        "proposals_unfunded",
        "approved proposals that died for want of money so far",
        "proposals, cumulative",
        "less",
    ),
    *(
        _counter(
            f"contracts_{k.value}",
            f"contracts won by {k.value} firms so far",
            "contracts, cumulative",
        )
        for k in FirmKind
    ),
    _counter(
        "incidents", "incidents (data breach, outage) so far", "incidents, cumulative", "less"
    ),
    Outcome(
        "citizens_harmed",
        "people harmed by incidents so far: exposed adopters x pilots.harm_fraction x "
        "(1 - monitoring)",
        "people, cumulative",
        "less",
        headline=6,
        counter=True,
    ),
)

MONTHLY: tuple[Outcome, ...] = (
    Outcome(
        "provinces",
        "provinces (units) of the month's map: 63 until June 2025, 34 after",
        "provinces of the month's map",
        "neither",
    ),
    Outcome(
        "population_share_with_project",
        "share of the population in provinces with a project (the 2019 provinces: continuous "
        "across the merger)",
        "share of population",
        "more",
        1.0,
    ),
    Outcome(
        "population_share_with_app",
        "share of the population in provinces with a deployed app (the 2019 provinces)",
        "share of population",
        "more",
        1.0,
    ),
    Outcome(
        "population_share_with_initiative",
        "share of the population in provinces with a succeeded initiative (the 2019 provinces)",
        "share of population",
        "more",
        1.0,
    ),
    Outcome(
        "provinces_with_project",
        "provinces with a smart-urban project (live pilots in >= pilots.project_min_domains "
        "domains)",
        "provinces",
        "more",
        PROVINCES,
    ),
    Outcome(
        "provinces_with_app",
        "provinces with at least one deployed application",
        "provinces",
        "more",
        PROVINCES,
    ),
    Outcome(
        "provinces_with_initiative",
        "provinces with at least one succeeded smart-city initiative",
        "provinces",
        "more",
        PROVINCES,
    ),
    Outcome(
        "provinces_with_gis",
        "provinces with an urban database / GIS foundation (data readiness >= data.gis_readiness)",
        "provinces",
        "more",
        PROVINCES,
    ),
    *(
        Outcome(
            f"provinces_service_{d.key}",
            f"provinces with a deployed {d.key} service",
            "provinces",
            "more",
            PROVINCES,
        )
        for d in DOMAINS
    ),
    Outcome(
        "provinces_citizen_service",
        "provinces with a deployed citizen-facing service (not planning)",
        "provinces",
        "more",
        PROVINCES,
    ),
    Outcome(
        "services_per_province",
        f"deployed services (province x domain) per province, 0-{N_DOMAINS}: the depth of services",
        f"deployed services per province, 0-{N_DOMAINS}",
        "more",
        float(N_DOMAINS),
    ),
    Outcome(
        "reach",
        "share of the population the citizen-facing services reach, averaged over those "
        "domains: how widely services are deployed",
        "share of population, mean over citizen-facing domains",
        "more",
        1.0,
        headline=1,
    ),
    Outcome(
        "population_covered",
        "share of the population within reach of at least one service",
        "share of population",
        "more",
        1.0,
    ),
    Outcome(
        "population_scaled",
        "share of the population within reach of a scaled (province-wide) service",
        "share of population",
        "more",
        1.0,
    ),
    *(
        Outcome(
            f"population_covered_{d.key}",
            f"share of the population a {d.key} service reaches",
            "share of population",
            "more",
            1.0,
        )
        for d in DOMAINS
    ),
    Outcome("pilots_running", "pilots running now", "pilots", "neither"),
    *COUNTERS,
    Outcome(
        "adoption",
        "share of the population using a smart service",
        "share of population",
        "more",
        1.0,
        headline=2,
    ),
    Outcome(
        "harm_per_served",
        "people harmed by incidents so far per 1,000 people using a smart service now: "
        "harm for what is delivered (citizens_harmed beside it is the count)",
        "people harmed per 1,000 users",
        "less",
        headline=5,
    ),
    Outcome(
        "adoption_urban",
        "share of the urban population using a smart service",
        "share of urban population",
        "more",
        1.0,
    ),
    Outcome(
        "adoption_rural",
        "share of the rural population using a smart service",
        "share of rural population",
        "more",
        1.0,
    ),
    Outcome(
        "urban_rural_gap",
        "adoption_urban minus adoption_rural",
        "urban minus rural share",
        "less",
        1.0,
    ),
    Outcome(
        "provinces_no_service",
        "provinces whose citizens have no service at all",
        "provinces",
        "less",
        PROVINCES,
    ),
    Outcome(
        "public_spending",
        "central plus local money spent so far (data platform included)",
        "billion VND, cumulative",
        "less",
        headline=7,
    ),
    Outcome(
        "central_spending",
        "central money spent so far (grants, performance reimbursements and data platform)",
        "billion VND, cumulative",
        "less",
    ),
    Outcome(
        "local_spending",
        "local money spent so far (net of reimbursements)",
        "billion VND, cumulative",
        "less",
    ),
    Outcome(
        "private_investment",
        "private co-finance mobilised so far",
        "billion VND, cumulative",
        "more",
        headline=8,
    ),
    Outcome(
        "private_public_ratio", "private_investment / public_spending", "private / public", "more"
    ),
    *(
        Outcome(f"clarity_{d.key}", f"legal clarity of {d.key}", "index, 0-1", "more", 1.0)
        for d in DOMAINS
    ),
    Outcome(
        "clarity_novel",
        "legal clarity of novel technologies (a legal corridor), mean over the domains",
        "index, 0-1",
        "more",
        1.0,
    ),
    Outcome("technologies", "technologies arrived so far, all domains", "technologies", "neither"),
    Outcome(
        "technology_uptake",
        "share of (province, technology arrived) pairs with the technology deployed as a service",
        "share of province-technology pairs",
        "more",
        1.0,
        headline=4,
    ),
    Outcome(
        "novel_uptake",
        "share of (province, novel technology arrived) pairs with the technology deployed "
        "as a service",
        "share of province-novel technology pairs",
        "more",
        1.0,
        headline=3,
    ),
    Outcome(
        "months_to_use",
        "months from a technology's arrival to its first province-wide use (a scaled "
        "service), restricted mean over the technologies arrived since policy.start, each not "
        "yet in use counted until the month (censored; 0 until one arrives)",
        "months, restricted mean",
        "less",
        headline=9,
    ),
    Outcome("interoperability", "national data interoperability index", "index, 0-1", "more", 1.0),
    *(Outcome(f"firms_{k.value}", f"active {k.value} firms", "firms", "neither") for k in FirmKind),
    Outcome(
        "market_hhi",
        "Herfindahl-Hirschman index of the contract value won by active firms",
        "HHI, 0-10,000",
        "less",
        10_000.0,
    ),
    Outcome(
        "sme_contract_share",
        "share of all contracts so far won by domestic SMEs (start-ups)",
        "share of contracts won by start-ups, cumulative",
        "more",
        1.0,
    ),
    Outcome(
        "provinces_connected_platform",
        "provinces connected to the national data-sharing platform",
        "provinces",
        "more",
        PROVINCES,
    ),
)

SUMMARY: tuple[Outcome, ...] = (
    *(
        Outcome(
            f"{a}_share",
            f"{a} / {b}: the sandbox funnel (NaN if {b} is 0)",
            f"share of {b}",
            "more",
            1.0,
            monthly=False,
        )
        for a, b in FUNNEL
    ),
    *(
        Outcome(
            f"{a}_share",
            f"{a} / {b}: how applications leave (NaN if {b} is 0)",
            f"share of {b}",
            "neither",
            1.0,
            monthly=False,
        )
        for a, b in LEFT
    ),
    *(
        Outcome(
            f"months_to_{p}pct_app",
            f"months until {p}% of the provinces have a deployed application (NaN if never)",
            f"months from the first month to {p}% of provinces with an app",
            "less",
            monthly=False,
            censored="start",
        )
        for p in (50, 90)
    ),
    *(
        Outcome(
            f"months_to_{p}pct_scaled",
            f"months from policy.start until {p}% of the population is within reach of a "
            "scaled (province-wide) service (NaN if never)",
            f"months from policy.start to {p}% of people reached by a scaled service",
            "less",
            monthly=False,
            censored="policy",
        )
        for p in COVERAGE_THRESHOLDS
    ),
    *(
        Outcome(
            f"months_to_{p}pct_depth",
            f"months from policy.start until provinces have on average {p}% of the "
            f"{N_DOMAINS} services deployed (services_per_province; NaN if never)",
            f"months from policy.start to {p / 100 * N_DOMAINS:g} of {N_DOMAINS} services "
            "per province",
            "less",
            monthly=False,
            censored="policy",
        )
        for p in DEPTH_THRESHOLDS
    ),
    Outcome(
        "bass_max_abs_error",
        "only with validation=bass: the largest monthly gap between adoption and the Bass "
        "closed form",
        "share of population",
        "less",
        1.0,
        monthly=False,
        only="validation=bass",
    ),
)

OUTCOMES: tuple[Outcome, ...] = (*MONTHLY, *SUMMARY)
BY_NAME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}
HEADLINE: tuple[str, ...] = tuple(
    o.name for o in sorted((o for o in OUTCOMES if o.headline), key=lambda o: o.headline)
)
if len(BY_NAME) != len(OUTCOMES):
    raise ValueError("two outcomes share a name")


# ---------------------------------------------------------------- docs/model.md
BEGIN = "<!-- outcomes: generated by `python -m sandbox.model.outcomes docs/model.md` -->"
END = "<!-- /outcomes -->"


def _ceiling(outcome: Outcome) -> str:
    if outcome.ceiling is None:
        return "none"
    if outcome.ceiling == PROVINCES:
        return "the month's provinces"
    return f"{outcome.ceiling:g}"


def _table(outcomes: tuple[Outcome, ...]) -> list[str]:
    rows = ["| outcome | unit | better | ceiling | meaning |", "|---|---|---|---|---|"]
    for o in outcomes:
        name = f"**`{o.name}`**" if o.headline else f"`{o.name}`"
        rows.append(f"| {name} | {o.unit} | {o.better} | {_ceiling(o)} | {o.meaning} |")
    return rows


def render() -> str:
    """The observation tables of ``docs/model.md`` (between ``BEGIN`` and ``END``)."""
    wrap = functools.partial(textwrap.fill, width=90)
    lines = [
        BEGIN,
        "",
        wrap(
            "Headline outcomes (every comparison reports them) are in bold. *better*: which "
            "way the outcome improves (*neither* for counts that describe the run); "
            "*ceiling*: the largest value it can take (*none*: money, time, harm and "
            "cumulative counts)."
        ),
        "",
        wrap(
            "Monthly (columns of `timeseries.parquet`; the last month's value is a key of "
            "`summary.json`):"
        ),
        "",
        *_table(MONTHLY),
        "",
        wrap(
            "Summary only (keys of `summary.json`, computed by `sandbox.experiments.runner`; "
            "with `month`, the last month, and `n_provinces`):"
        ),
        "",
        *_table(SUMMARY),
        "",
        END,
    ]
    return "\n".join(lines)


def rewrite(text: str) -> str:
    """``text`` (docs/model.md) with its observation tables replaced by ``render()``."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {BEGIN!r} ... {END!r} block to rewrite")
    return pattern.sub(lambda _: render(), text)


def main(argv: list[str] | None = None) -> None:
    """Rewrite the observation tables of a file (docs/model.md), or print them."""
    parser = argparse.ArgumentParser(description="The outcome tables of docs/model.md.")
    parser.add_argument("path", type=Path, nargs="?", help="the file to rewrite in place")
    args = parser.parse_args(argv)
    if args.path is None:
        print(render())
        return
    args.path.write_text(rewrite(args.path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":  # python -m sandbox.model.outcomes docs/model.md
    main(sys.argv[1:])
