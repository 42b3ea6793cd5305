"""Units and readable names of the outcomes (and of the levers the experiments sweep).

Every outcome's unit, meaning and direction are declared once, in the table of
``sandbox.model.outcomes``; this module reads them for the comparison tables
(``sandbox.analysis.comparison``), the ranking (``sandbox.analysis.ranking``), a single
run's summary and every figure's labels. It adds what the table does not hold: the units
of the levers, of the per-province table (``provinces.parquet``) and of its spread across
provinces, readable names, and rules for a ``months_to_<p>pct_<what>`` threshold the
table does not list. It sits outside ``sandbox.analysis`` and ``sandbox.experiments`` so
that both import it.
"""

from __future__ import annotations

import re

from sandbox.model.domains import DOMAINS
from sandbox.model.outcomes import BY_NAME

# columns outside the outcome table: the per-province table (provinces.parquet) and
# columns the analysis derives (the mean legal clarity over domains, the alignment
# figure's outcome)
EXACT = {"services_deployed": f"of {len(DOMAINS)} domains", "clarity_domains_mean": "index, 0-1"}
# months_to_<p>pct_<what>: months until a threshold (sandbox.experiments.runner's summary)
MONTHS_TO = re.compile(r"months_to_(\d+)pct_(\w+)")
MONTHS_TO_UNITS = {
    "app": "months from the first month to {p}% of provinces with an app",
    "scaled": "months from policy.start to {p}% of people reached by a scaled service",
    "depth": "months from policy.start to {share:g} of " + f"{len(DOMAINS)} services per province",
}
# statistics across provinces (sandbox.analysis.equity.spread_across_provinces):
# ``<value>_<statistic>`` has the unit of ``<value>``; ``<value>_n_zero`` counts provinces
SPREAD = {
    "mean": "mean",
    "min": "lowest",
    "q10": "10th percentile",
    "median": "median",
    "q90": "90th percentile",
    "max": "highest",
}
SPREAD_ZERO = "n_zero"
PROVINCE_VALUES = ("services_deployed", "adoption")

# readable names for titles and tables (the column name, spaces for underscores, otherwise)
NAMES = {
    "services_per_province": "services per province",
    "pilots_scaled": "pilots scaled province-wide",
    "citizens_harmed": "people harmed",
    "sme_contract_share": "start-ups' share of contracts",
    "urban_rural_gap": "urban-rural adoption gap",
    "provinces_no_service": "provinces without any service",
    "population_covered": "population within reach of a service",
    "provinces_with_app": "provinces with an app",
    "services_deployed": "deployed services",
}
MONTHS_TO_NAMES = {
    "app": "months to {p}% of provinces with an app",
    "scaled": "months to {p}% reach of scaled services",
    "depth": "months to {p}% depth",
}

# the levers the experiments sweep (units from the comments of sandbox.config.params)
LEVERS = {
    "lever_policy_sandbox_capacity": "concurrent pilots",
    "lever_policy_sandbox_call_interval": "months",
    "lever_policy_sandbox_max_duration": "months",
    "lever_policy_sandbox_exposure_cap": "share of a province's population",
    "lever_policy_sandbox_monitoring": "intensity, 0-1",
    "lever_policy_sandbox_graduation_evidence": "evidence per graduated pilot",
    # the clarity a graduation added before rules followed evidence with a lag (sweeps
    # made then, e.g. the stored tables of tests/data/analysis)
    "lever_policy_sandbox_graduation_gain": "clarity per graduated pilot",
    "lever_policy_phasing_n_waves": "waves",
    "lever_policy_phasing_phase_months": "months",
    "lever_policy_experimental_coordination": "monthly chance of alignment",
    "lever_policy_experimental_rework_cost": "share of pilot cost",
}


def _spread(metric: str) -> tuple[str, str] | None:
    """(value, statistic) of a spread-across-provinces column, else None."""
    for value in PROVINCE_VALUES:
        statistic = metric.removeprefix(f"province_{value}_")
        if statistic != metric and (statistic in SPREAD or statistic == SPREAD_ZERO):
            return value, statistic
    return None


def unit(metric: str) -> str:
    """The unit of ``metric`` (``""`` when unknown): the outcome table's, else by rule."""
    if metric in BY_NAME:
        return BY_NAME[metric].unit
    if metric in EXACT:
        return EXACT[metric]
    if metric in LEVERS:
        return LEVERS[metric]
    spread = _spread(metric)
    if spread:
        value, statistic = spread
        if statistic == SPREAD_ZERO:
            return "provinces"
        return unit(value) if value in BY_NAME else EXACT[value]
    found = MONTHS_TO.fullmatch(metric)
    if found and found.group(2) in MONTHS_TO_UNITS:
        p = int(found.group(1))
        share = p / 100 * len(DOMAINS)
        return MONTHS_TO_UNITS[found.group(2)].format(p=p, share=share)
    return ""


def better(metric: str) -> str | None:
    """Which way ``metric`` improves: ``"max"``, ``"min"``, or ``None`` for an outcome that
    is neither better high nor low (the table's ``better``). A spread across provinces
    improves as its value does; any other ``months_to_...`` threshold is better sooner."""
    outcome = BY_NAME.get(metric)
    if outcome is None:
        spread = _spread(metric)
        if spread and spread[1] != SPREAD_ZERO:
            return "max"
        if metric.startswith("months_to_"):
            return "min"
        return None
    return {"more": "max", "less": "min"}.get(outcome.better)


def name(metric: str) -> str:
    """A readable name of ``metric`` for a title or a table: ``months to 60% depth``."""
    if metric in NAMES:
        return NAMES[metric]
    spread = _spread(metric)
    if spread:
        value, statistic = spread
        if statistic == SPREAD_ZERO:
            return f"provinces with no {name(value)}"
        return f"{name(value)}, {SPREAD[statistic]} province"
    found = MONTHS_TO.fullmatch(metric)
    if found and found.group(2) in MONTHS_TO_NAMES:
        return MONTHS_TO_NAMES[found.group(2)].format(p=int(found.group(1)))
    return metric.removeprefix("lever_").replace("_", " ")


def title(metric: str) -> str:
    """A panel title: the readable name and, when known, the unit in parentheses."""
    found = unit(metric)
    return f"{name(metric)} ({found})" if found else name(metric)


def label(metric: str, what: str | None = None) -> str:
    """An axis label: ``what`` (default the name, without ``lever_``) and its unit."""
    text = what or metric.removeprefix("lever_")
    found = unit(metric)
    return f"{text} ({found})" if found else text


def describe(metric: str) -> str:
    """The outcome table's meaning of ``metric`` (``""`` when it is not an outcome)."""
    outcome = BY_NAME.get(metric)
    return outcome.meaning if outcome else ""
