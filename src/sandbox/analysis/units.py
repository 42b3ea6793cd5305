"""Units of the metrics (and of the levers the experiments sweep), for axis labels.

``sandbox.model.metrics`` names and describes each metric; the unit is read from the
metric's name by the rules below (its family), so a metric the model adds in a known
family needs no entry here. A metric of no known family gets its description from
``sandbox.model.metrics`` or, failing that, no unit.
"""

from __future__ import annotations

from sandbox.model.metrics import FUNNEL, METRICS, SUMMARY_EXTRA

# exact names first, then prefixes and suffixes, first match wins
EXACT = {
    "adoption": "share of population",
    "adoption_urban": "share of urban population",
    "adoption_rural": "share of rural population",
    "urban_rural_gap": "urban minus rural share",
    "citizens_harmed": "people, cumulative",
    "incidents": "incidents, cumulative",
    "pilots_running": "pilots",
    "private_public_ratio": "private / public",
    "market_hhi": "HHI, 0-10,000",
    "interoperability": "index, 0-1",
    "provinces": "provinces of the month's map",
    "services_per_province": "deployed services per province, 0-6",
    "sme_contract_share": "share of contracts, cumulative",
    "proposals_unfunded": "proposals, cumulative",
    "rules_struck_down": "rules, cumulative",
    **{f"{stage}_share": f"share of {previous}" for stage, previous in FUNNEL},
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


def unit(metric: str) -> str:
    """The unit of ``metric`` (``""`` when unknown)."""
    if metric in EXACT:
        return EXACT[metric]
    if metric in LEVERS:
        return LEVERS[metric]
    for prefix, text in PREFIXES.items():
        if metric.startswith(prefix):
            return text
    for suffix, text in SUFFIXES.items():
        if metric.endswith(suffix):
            return text
    return ""


def label(metric: str, what: str | None = None) -> str:
    """An axis label: ``what`` (default the name, without ``lever_``) and its unit."""
    text = what or metric.removeprefix("lever_")
    found = unit(metric)
    return f"{text} ({found})" if found else text


def describe(metric: str) -> str:
    """The model's description of ``metric`` (``""`` when it has none)."""
    return METRICS.get(metric) or SUMMARY_EXTRA.get(metric) or ""
