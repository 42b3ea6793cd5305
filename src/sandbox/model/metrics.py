"""Metric names (defined once, docs/model.md#observation) and the monthly observation.

The names here are the columns of ``timeseries.parquet``, the keys of ``summary.json``
and the labels of plots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.model.agents.firm import FirmKind
from sandbox.model.domains import CITIZEN_FACING, DOMAINS
from sandbox.model.portable import dot

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sandbox.model.agents.firm import Firm
    from sandbox.model.interfaces import ObservedContext
    from sandbox.model.regions import Region
    from sandbox.model.status import StatusMatrix

COVERAGE_THRESHOLDS = (75, 90)  # % of the population reached by scaled services
DEPTH_THRESHOLDS = (80, 90)  # % of the six services deployed, on average per province

COUNTERS: dict[str, str] = {
    "pilots_proposed": "pilots proposed so far",
    "pilots_approved": "pilots approved so far",
    "pilots_rejected": "proposals refused, unfunded or without a bidder so far",
    "pilots_succeeded": "pilots that ended in success so far",
    "pilots_failed": "pilots that ended in failure so far",
    "pilots_halted": "pilots halted after an incident so far",
    "pilots_scaled": "succeeded pilots scaled to the whole province so far",
    "sandbox_applications": "proposals made on the sandbox track so far",
    "sandbox_admitted": "sandbox applications admitted at a cohort call so far",
    "sandbox_withdrawn": "sandbox applications not admitted that withdrew so far",
    "sandbox_to_adhoc": "sandbox applications not admitted that went ad hoc so far",
    "sandbox_testing": "admitted trials financed that started testing so far",
    "sandbox_completed": "trials that reached their end (not halted) so far",
    "sandbox_graduated": "completed trials that graduated (success without incident) so far",
    "rules_struck_down": "local experimental rules struck down by the centre so far",
    "proposals_unfunded": "approved proposals that died for want of money so far",
    **{f"contracts_{k.value}": f"contracts won by {k.value} firms so far" for k in FirmKind},
    "incidents": "incidents (data breach, outage) so far",
    "citizens_harmed": "people harmed by incidents so far",
}

METRICS: dict[str, str] = {
    "provinces": "provinces (units) of the month's map: 63 until June 2025, 34 after",
    "population_share_with_project": (
        "share of the population in provinces with a project (the 2019 provinces: continuous "
        "across the merger)"
    ),
    "population_share_with_app": (
        "share of the population in provinces with a deployed app (the 2019 provinces)"
    ),
    "population_share_with_initiative": (
        "share of the population in provinces with a succeeded initiative (the 2019 provinces)"
    ),
    "provinces_with_project": "provinces with a smart-urban project (>= project_min_domains live)",
    "provinces_with_app": "provinces with at least one deployed application",
    "provinces_with_initiative": "provinces with at least one succeeded smart-city initiative",
    "provinces_with_gis": "provinces with an urban database / GIS foundation",
    **{f"provinces_service_{d.key}": f"provinces with a deployed {d.key} service" for d in DOMAINS},
    "provinces_citizen_service": "provinces with a deployed citizen-facing service (not planning)",
    "services_per_province": "deployed services (province x domain) per province, 0-6",
    "population_covered": "share of the population within reach of at least one service",
    "population_scaled": "share of the population within reach of a scaled (province-wide) service",
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
    "sme_contract_share": "share of all contracts so far won by domestic SMEs (start-ups)",
    "provinces_connected_platform": "provinces connected to the national data-sharing platform",
}

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

SUMMARY_EXTRA: dict[str, str] = {
    **{f"{a}_share": f"{a} / {b}: the sandbox funnel (NaN if {b} is 0)" for a, b in FUNNEL},
    **{f"{a}_share": f"{a} / {b}: how applications leave (NaN if {b} is 0)" for a, b in LEFT},
    "months_to_50pct_app": "months until half of the provinces have a deployed application",
    "months_to_90pct_app": "months until 90% of the provinces have a deployed application",
    **{
        f"months_to_{p}pct_scaled": (
            f"months from policy.start until {p}% of the population is within reach of a "
            "scaled (province-wide) service (NaN if never)"
        )
        for p in COVERAGE_THRESHOLDS
    },
    **{
        f"months_to_{p}pct_depth": (
            f"months from policy.start until provinces have on average {p}% of the six "
            "services deployed (services_per_province; NaN if never)"
        )
        for p in DEPTH_THRESHOLDS
    },
}


def observe(
    ctx: ObservedContext,
    status: StatusMatrix,
    region: Region,
    base_population: np.ndarray,
    firms: Iterable[Firm],
) -> dict[str, float]:
    """All metrics of the model's current state, keyed by ``METRICS`` names.

    The observer reads the whole state, through the context (``ObservedContext``,
    ``sandbox.model.interfaces``: counters, citizens, ledger, data regime, clarity,
    authorities) and what the model itself keeps: the month's ``status`` matrix, the
    current map (``region``), the people of the first map's provinces
    (``base_population``, ``StatusMatrix.base_*``) and the active ``firms``.
    """
    c = ctx.citizens
    adopters = c.seg_adopters() * c.seg_weight
    population = np.bincount(np.arange(c.n_segments) % 2, c.seg_weight * np.diff(c.seg_start))
    adopted = np.bincount(np.arange(c.n_segments) % 2, adopters)
    urban, rural = adopted / np.maximum(population, 1e-300)
    ledger = ctx.ledger
    data_regime = ctx.data_regime
    public = ledger.public_spending + data_regime.spent
    active = list(firms)
    won = np.array([f.won_value for f in active])
    share = won / won.sum() if won.sum() > 0 else won
    population_k = region.population
    total = population_k.sum()
    minimum = ctx.params.pilots.project_min_domains
    project = status.live.sum(axis=1) >= minimum
    # population-weighted shares on the first map's provinces (``StatusMatrix.base_*``)
    people = base_population
    everyone = people.sum()
    gis = data_regime.params.gis_readiness
    counts = ctx.book.counts
    kind_of = [f.kind for f in active]  # counted by identity: hashing an Enum is slow
    kinds = {k: kind_of.count(k) for k in FirmKind}
    row = {
        "provinces": region.n,
        "population_share_with_project": float(
            people[status.base_live.sum(axis=1) >= minimum].sum() / everyone
        ),
        "population_share_with_app": float(
            people[status.base_deployed.any(axis=1)].sum() / everyone
        ),
        "population_share_with_initiative": float(
            people[status.base_succeeded.any(axis=1)].sum() / everyone
        ),
        "provinces_with_project": int(project.sum()),
        "provinces_with_app": int(status.deployed.any(axis=1).sum()),
        "provinces_with_initiative": int(status.succeeded.any(axis=1).sum()),
        "provinces_with_gis": sum(a.data_readiness >= gis for a in ctx.authorities),
        **{
            f"provinces_service_{d.key}": n
            for d, n in zip(DOMAINS, status.deployed.sum(axis=0).tolist(), strict=True)
        },
        "provinces_citizen_service": int(status.deployed[:, CITIZEN_FACING].any(axis=1).sum()),
        "services_per_province": float(status.deployed.sum() / region.n),
        "population_covered": float(
            dot(population_k, 1.0 - np.prod(1.0 - status.coverage, axis=1)) / total
        ),
        "population_scaled": float(
            dot(population_k, 1.0 - np.prod(1.0 - status.scaled, axis=1)) / total
        ),
        **{
            f"population_covered_{d.key}": float(dot(population_k, status.coverage[:, d]) / total)
            for d in DOMAINS
        },
        "pilots_running": ctx.book.n_running(),
        **{name: int(counts[name]) for name in COUNTERS if name != "citizens_harmed"},
        "citizens_harmed": float(counts["citizens_harmed"]),
        "adoption": float(adopted.sum() / c.population),
        "adoption_urban": float(urban),
        "adoption_rural": float(rural),
        "urban_rural_gap": float(urban - rural),
        "provinces_no_service": int((status.coverage.max(axis=1) == 0).sum()),
        "public_spending": public,
        "central_spending": ledger.spent_central + data_regime.spent,
        "local_spending": float(ledger.spent_local.sum()),
        "private_investment": ledger.private,
        "private_public_ratio": ledger.private / public if public > 0 else 0.0,
        **{
            f"clarity_{d.key}": c
            for d, c in zip(DOMAINS, ctx.government.clarity.tolist(), strict=True)
        },
        "interoperability": float(data_regime.interoperability),
        **{f"firms_{k.value}": kinds[k] for k in FirmKind},
        "market_hhi": float(10_000 * (share * share).sum()),
        "sme_contract_share": counts["contracts_sme"]
        / max(1, sum(counts[f"contracts_{k.value}"] for k in FirmKind)),
        "provinces_connected_platform": int(data_regime.connected.sum()),
    }
    return row


def funnel_shares(final: dict) -> dict[str, float]:
    """The sandbox funnel's stage-to-stage shares, and the shares of applications that
    left it, from the last month's counts."""
    return {
        f"{a}_share": final[a] / final[b] if final[b] > 0 else float("nan")
        for a, b in (*FUNNEL, *LEFT)
    }


def months_to_share(series: pd.Series, n_provinces: pd.Series | int, share: float) -> float:
    """Months from the start until ``series`` first reaches ``share`` of the provinces
    (of each month's map when ``n_provinces`` is a series).

    Returns NaN when it never does within the horizon.
    """
    n = n_provinces.to_numpy() if isinstance(n_provinces, pd.Series) else n_provinces
    reached = np.flatnonzero(series.to_numpy() >= share * n)
    return float(reached[0] + 1) if len(reached) else float("nan")
