"""Units and readable names of the metrics (and of the levers the experiments sweep).

The one place a result's unit is written: the comparison tables (``sandbox.experiments
.compare``), the ranking (``sandbox.analysis.ranking``), a single run's summary and every
figure's labels read it from here. It sits outside ``sandbox.analysis`` and
``sandbox.experiments`` so that both import it (``sandbox.analysis`` imports
``sandbox.experiments.compare``, so a unit kept in the analysis package could not be read
by the comparison without an import cycle).

``sandbox.model.metrics`` names and describes each metric; the unit is read from the
metric's name by the rules below (its family), so a metric the model adds in a known
family needs no entry here. A metric of no known family has no unit (``""``); its label
is then its readable name alone.
"""

from __future__ import annotations

import re

from sandbox.model.domains import DOMAINS
from sandbox.model.metrics import FUNNEL, LEFT, METRICS, SUMMARY_EXTRA

# exact names first, then the months_to_ family, then prefixes and suffixes; first match wins
EXACT = {
    "adoption": "share of population",
    "adoption_urban": "share of urban population",
    "adoption_rural": "share of rural population",
    "urban_rural_gap": "urban minus rural share",
    "citizens_harmed": "people, cumulative",
    "incidents": "incidents, cumulative",
    "pilots_running": "pilots",
    "pilots_scaled": "services scaled province-wide, cumulative",
    "private_public_ratio": "private / public",
    "market_hhi": "HHI, 0-10,000",
    "interoperability": "index, 0-1",
    "provinces": "provinces of the month's map",
    "services_per_province": f"deployed services per province, 0-{len(DOMAINS)}",
    "sme_contract_share": "share of contracts won by start-ups, cumulative",
    "proposals_unfunded": "proposals, cumulative",
    "rules_struck_down": "rules, cumulative",
    # the per-province table (provinces.parquet) and its spread across provinces
    "services_deployed": f"of {len(DOMAINS)} domains",
    **{f"{stage}_share": f"share of {previous}" for stage, previous in (*FUNNEL, *LEFT)},
}
# months_to_<p>pct_<what>: months until a threshold (sandbox.experiments.runner's summary)
MONTHS_TO = re.compile(r"months_to_(\d+)pct_(\w+)")
MONTHS_TO_UNITS = {
    "app": "months from the first month to {p}% of provinces with an app",
    "scaled": "months from policy.start to {p}% of people reached by a scaled service",
    "depth": "months from policy.start to {share:g} of " + f"{len(DOMAINS)} services per province",
}
PREFIXES = {
    "provinces_": "provinces",
    "pilots_": "pilots, cumulative",
    "clarity_": "index, 0-1",
    "firms_": "firms",
    "months_to_": "months",
    "population_": "share of population",
    "contracts_": "contracts, cumulative",
    "sandbox_": "applications, cumulative",
}
SUFFIXES = {
    "_spending": "billion VND, cumulative",
    "_investment": "billion VND, cumulative",
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
    """The unit of ``metric`` (``""`` when unknown)."""
    if metric in EXACT:
        return EXACT[metric]
    if metric in LEVERS:
        return LEVERS[metric]
    spread = _spread(metric)
    if spread:
        value, statistic = spread
        if statistic == SPREAD_ZERO:
            return "provinces"
        return EXACT.get(value, "share of the province's population")
    found = MONTHS_TO.fullmatch(metric)
    if found and found.group(2) in MONTHS_TO_UNITS:
        p = int(found.group(1))
        share = p / 100 * len(DOMAINS)
        return MONTHS_TO_UNITS[found.group(2)].format(p=p, share=share)
    for prefix, text in PREFIXES.items():
        if metric.startswith(prefix):
            return text
    for suffix, text in SUFFIXES.items():
        if metric.endswith(suffix):
            return text
    return ""


def better(metric: str) -> str:
    """Which way ``metric`` improves: ``"min"`` for times (``months_to_...``), harm and cost,
    ``"max"`` otherwise (the ranking and the trade-off frontier read it)."""
    lower = ("months_to_", "citizens_harmed", "incidents", "pilots_halted", "pilots_failed")
    if metric.startswith(lower) or metric.endswith(("_spending", "_gap")):
        return "min"
    return "max"


def name(metric: str) -> str:
    """A readable name of ``metric`` for a title or a table: ``months to 80% depth``."""
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
    """The model's description of ``metric`` (``""`` when it has none)."""
    return METRICS.get(metric) or SUMMARY_EXTRA.get(metric) or ""
