"""Metric names (defined once, docs/model.md §6) and the monthly observation.

The names here are the columns of ``timeseries.parquet``, the keys of ``summary.json``
and the labels of plots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.model.agents.firm import FirmKind
from sandbox.model.domains import DOMAINS, Domain

if TYPE_CHECKING:
    from sandbox.model.model import SandboxModel

COVERAGE_THRESHOLDS = (25, 50)  # % of the population, for the time-to-coverage outcomes
CITIZEN_FACING = np.array([d is not Domain.PLANNING for d in DOMAINS])

COUNTERS: dict[str, str] = {
    "pilots_proposed": "pilots proposed so far",
    "pilots_approved": "pilots approved so far",
    "pilots_rejected": "proposals refused, unfunded or without a bidder so far",
    "pilots_succeeded": "pilots that ended in success so far",
    "pilots_failed": "pilots that ended in failure so far",
    "pilots_halted": "pilots halted after an incident so far",
    "pilots_graduated": "sandbox pilots whose evidence created legal clarity so far",
    "pilots_scaled": "succeeded pilots scaled to the whole province so far",
    "incidents": "incidents (data breach, outage) so far",
    "citizens_harmed": "people harmed by incidents so far",
}

METRICS: dict[str, str] = {
    "provinces": "provinces (units) of the month's map: 63 until June 2025, 34 after",
    "population_share_with_project": "share of the population in provinces with a project",
    "population_share_with_app": "share of the population in provinces with a deployed app",
    "population_share_with_initiative": (
        "share of the population in provinces with a succeeded initiative"
    ),
    "provinces_with_project": "provinces with a smart-urban project (>= project_min_domains live)",
    "provinces_with_app": "provinces with at least one deployed application",
    "provinces_with_initiative": "provinces with at least one succeeded smart-city initiative",
    "provinces_with_gis": "provinces with an urban database / GIS foundation",
    **{f"provinces_service_{d.key}": f"provinces with a deployed {d.key} service" for d in DOMAINS},
    "provinces_citizen_service": "provinces with a deployed citizen-facing service (not planning)",
    "services_per_province": "deployed services (province x domain) per province, 0-6",
    "population_covered": "share of the population within reach of at least one service",
    **{
        f"population_covered_{d.key}": f"share of the population a {d.key} service reaches"
        for d in DOMAINS
    },
    "pilots_running": "pilots running now",
    **COUNTERS,
    "adoption": "share of the population using a smart service",
    "adoption_urban": "share of the urban population using a smart service",
    "adoption_rural": "share of the rural population using a smart service",
    "urban_rural_gap": "adoption_urban minus adoption_rural",
    "provinces_no_service": "provinces whose citizens have no service at all",
    "public_spending": "central plus local money spent so far, billion VND",
    "central_spending": "central money spent so far (grants and data platform), billion VND",
    "local_spending": "local money spent so far, billion VND",
    "private_investment": "private co-finance mobilised so far, billion VND",
    "private_public_ratio": "private_investment / public_spending",
    **{f"clarity_{d.key}": f"legal clarity of {d.key}, [0, 1]" for d in DOMAINS},
    "interoperability": "national data interoperability index, [0, 1]",
    **{f"firms_{k.value}": f"active {k.value} firms" for k in FirmKind},
    "market_hhi": "Herfindahl-Hirschman index of contract value won by active firms, 0-10,000",
}

SUMMARY_EXTRA: dict[str, str] = {
    "months_to_50pct_app": "months until half of the provinces have a deployed application",
    "months_to_90pct_app": "months until 90% of the provinces have a deployed application",
    **{
        f"months_to_{p}pct_covered": (
            f"months from policy.start until {p}% of the population is within reach of a "
            "service (NaN if never)"
        )
        for p in COVERAGE_THRESHOLDS
    },
}


def observe(model: SandboxModel) -> dict[str, float]:
    """All metrics of the model's current state, keyed by ``METRICS`` names."""
    status = model.status
    c = model.citizens
    adopters = c.seg_adopters() * c.seg_weight
    population = np.bincount(np.arange(c.n_segments) % 2, c.seg_weight * np.diff(c.seg_start))
    adopted = np.bincount(np.arange(c.n_segments) % 2, adopters)
    urban, rural = adopted / np.maximum(population, 1e-300)
    ledger = model.ledger
    public = ledger.public_spending + model.data_regime.spent
    active = list(model.firm_set)
    won = np.array([f.won_value for f in active])
    share = won / won.sum() if won.sum() > 0 else won
    population_k = model.region.population
    total = population_k.sum()
    project = status.live.sum(axis=1) >= model.params.pilots.project_min_domains
    gis = model.data_regime.params.gis_readiness
    row = {
        "provinces": model.region.n,
        "population_share_with_project": float(population_k[project].sum() / total),
        "population_share_with_app": float(population_k[status.deployed.any(axis=1)].sum() / total),
        "population_share_with_initiative": float(
            population_k[status.succeeded.any(axis=1)].sum() / total
        ),
        "provinces_with_project": int(project.sum()),
        "provinces_with_app": int(status.deployed.any(axis=1).sum()),
        "provinces_with_initiative": int(status.succeeded.any(axis=1).sum()),
        "provinces_with_gis": sum(a.data_readiness >= gis for a in model.authority_list),
        **{f"provinces_service_{d.key}": int(status.deployed[:, d].sum()) for d in DOMAINS},
        "provinces_citizen_service": int(status.deployed[:, CITIZEN_FACING].any(axis=1).sum()),
        "services_per_province": float(status.deployed.sum() / model.region.n),
        "population_covered": float(population_k @ model.covered / total),
        **{
            f"population_covered_{d.key}": float(population_k @ status.coverage[:, d] / total)
            for d in DOMAINS
        },
        "pilots_running": model.n_running(),
        **{name: int(model.counts[name]) for name in COUNTERS if name != "citizens_harmed"},
        "citizens_harmed": float(model.counts["citizens_harmed"]),
        "adoption": float(adopted.sum() / c.population),
        "adoption_urban": float(urban),
        "adoption_rural": float(rural),
        "urban_rural_gap": float(urban - rural),
        "provinces_no_service": int((status.coverage.max(axis=1) == 0).sum()),
        "public_spending": public,
        "central_spending": ledger.spent_central + model.data_regime.spent,
        "local_spending": float(ledger.spent_local.sum()),
        "private_investment": ledger.private,
        "private_public_ratio": ledger.private / public if public > 0 else 0.0,
        **{f"clarity_{d.key}": float(model.government.clarity[d]) for d in DOMAINS},
        "interoperability": float(model.data_regime.interoperability),
        **{f"firms_{k.value}": sum(f.kind is k for f in active) for k in FirmKind},
        "market_hhi": float(10_000 * (share**2).sum()),
    }
    return row


def months_to_share(series: pd.Series, n_provinces: pd.Series | int, share: float) -> float:
    """Months from the start until ``series`` first reaches ``share`` of the provinces
    (of each month's map when ``n_provinces`` is a series).

    Returns NaN when it never does within the horizon.
    """
    n = n_provinces.to_numpy() if isinstance(n_provinces, pd.Series) else n_provinces
    reached = np.flatnonzero(series.to_numpy() >= share * n)
    return float(reached[0] + 1) if len(reached) else float("nan")
