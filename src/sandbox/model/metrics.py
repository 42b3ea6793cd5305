"""The monthly observation: every outcome of ``sandbox.model.outcomes`` from the model's state.

``METRICS`` (the columns of ``timeseries.parquet``), ``COUNTERS`` and ``SUMMARY_EXTRA``
(the summary-only keys of ``summary.json``) name them, derived from that one table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.model import outcomes
from sandbox.model.agents.firm import FirmKind
from sandbox.model.domains import CITIZEN_FACING, DOMAINS, N_DOMAINS
from sandbox.model.outcomes import COVERAGE_THRESHOLDS, DEPTH_THRESHOLDS, FUNNEL, LEFT  # noqa: F401  (re-exported)
from sandbox.model.portable import dot

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sandbox.model.agents.firm import Firm
    from sandbox.model.interfaces import ObservedContext
    from sandbox.model.status import StatusMatrix
    from sandbox.regions import Region

# names and meanings, from the one table of outcomes (``sandbox.model.outcomes``)
COUNTERS: dict[str, str] = {o.name: o.meaning for o in outcomes.COUNTERS}
METRICS: dict[str, str] = {o.name: o.meaning for o in outcomes.MONTHLY}
SUMMARY_EXTRA: dict[str, str] = {o.name: o.meaning for o in outcomes.SUMMARY if o.only is None}

# the names of the per-domain and per-kind metrics, spelled once
KINDS = tuple(FirmKind)
SERVICE_NAMES = [f"provinces_service_{d.key}" for d in DOMAINS]
COVERED_NAMES = [f"population_covered_{d.key}" for d in DOMAINS]
CLARITY_NAMES = [f"clarity_{d.key}" for d in DOMAINS]
FIRM_NAMES = [f"firms_{k.value}" for k in KINDS]
CONTRACT_NAMES = [f"contracts_{k.value}" for k in KINDS]


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
    adopted = np.bincount(c.seg_area, adopters)
    urban, rural = (adopted / np.maximum(c.area_population, 1e-300)).tolist()
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
    # each domain's people reached: ``dot(population_k, coverage[:, d])``, every domain in
    # one pass (a contiguous row per domain, summed as ``dot`` sums)
    covered = (np.ascontiguousarray(status.coverage.T) * population_k).sum(axis=1) / total
    kind_of = [f.kind for f in active]  # counted by identity: hashing an Enum is slow
    kinds = [kind_of.count(k) for k in KINDS]
    technologies = ctx.technologies
    in_use = {(q.province, q.technology) for q in ctx.book.services}
    novel_in_use = sum(technologies.novel[k] for _, k in in_use)
    novel = technologies.count(novel=True)
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
        "provinces_with_gis": len([a for a in ctx.authorities if a.data_readiness >= gis]),
        **{
            name: n
            for name, n in zip(SERVICE_NAMES, status.deployed.sum(axis=0).tolist(), strict=True)
        },
        "provinces_citizen_service": int(status.deployed[:, CITIZEN_FACING].any(axis=1).sum()),
        "services_per_province": float(status.deployed.sum() / region.n),
        "reach": float(dot(population_k, status.coverage[:, CITIZEN_FACING].mean(axis=1)) / total),
        "population_covered": float(
            dot(population_k, 1.0 - np.prod(1.0 - status.coverage, axis=1)) / total
        ),
        "population_scaled": float(
            dot(population_k, 1.0 - np.prod(1.0 - status.scaled, axis=1)) / total
        ),
        **dict(zip(COVERED_NAMES, covered.tolist(), strict=True)),
        "pilots_running": status.running,
        **{name: int(counts[name]) for name in COUNTERS if name != "citizens_harmed"},
        "citizens_harmed": float(counts["citizens_harmed"]),
        "harm_per_served": float(1000.0 * counts["citizens_harmed"] / max(1.0, adopted.sum())),
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
            name: c
            for name, c in zip(CLARITY_NAMES, ctx.government.clarity[0].tolist(), strict=True)
        },
        "clarity_novel": float(ctx.government.clarity[1].sum() / N_DOMAINS),
        "technologies": len(technologies),
        "technology_uptake": len(in_use) / (region.n * len(technologies)),
        "novel_uptake": novel_in_use / (region.n * novel) if novel else 0.0,
        "months_to_use": technologies.months_to_use(ctx.clock.policy_t0, ctx.clock.t)[0],
        "interoperability": float(data_regime.interoperability),
        **dict(zip(FIRM_NAMES, kinds, strict=True)),
        "market_hhi": float(10_000 * (share * share).sum()),
        "sme_contract_share": counts["contracts_sme"]
        / max(1, sum(counts[name] for name in CONTRACT_NAMES)),
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
