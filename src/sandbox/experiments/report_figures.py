"""The figures of a sweep's report: which ones its tables support, and how each is drawn.

Outcomes and equity over time, the paired differences of each comparison, the designs'
trade-off frontier, the ablation, phasing or alignment figure when the sweep varies those
levers,
and, from the per-province table (``provinces.parquet``), the heat map of one run and the
spread of deployed services across provinces. Every figure is drawn by ``sandbox.plots``
from the collected tables; nothing is recomputed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sandbox.analysis import SweepTables, design_levers, summarise
from sandbox.analysis.comparison import FLAGSHIP, interval_text
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.markdown import markdown_table
from sandbox.experiments.report_comparisons import Comparison, first_option, name
from sandbox.units import name as name_of

OVER_TIME = (
    "adoption",
    "population_covered",
    "provinces_with_app",
    "citizens_harmed",
    "public_spending",
)
EQUITY = ("urban_rural_gap", "provinces_no_service")
# speed (months from the policy start to 60% of the services deployed), harm, cost
FRONTIER = ("months_to_60pct_depth", "citizens_harmed", "public_spending")
# the spread of deployed services across provinces: the lagging, middle and leading ones
SPREAD = tuple(f"province_services_deployed_{s}" for s in ("q10", "median", "q90"))
DPI = 110
MAX_LINES = 8  # lines of an over-time figure: every design when there are this few


@dataclass(frozen=True)
class Drawing:
    """A figure of the report: its file, title, caption, how to draw it, and any markdown
    that follows it (a table)."""

    name: str
    title: str
    caption: str
    draw: Callable[[], Figure]
    after: tuple[str, ...] = field(default=())


def designs(runs: pd.DataFrame, levers: Sequence[str]) -> int:
    """How many combinations of ``levers`` the runs hold (1 when no lever varies)."""
    return len(runs[list(levers)].drop_duplicates()) if levers else 1


def lines_by(runs: pd.DataFrame, lever: str) -> list[str]:
    """The levers whose combinations get a line: every design lever when there are at
    most ``MAX_LINES`` designs, else ``lever`` alone."""
    levers = design_levers(runs)
    if levers and designs(runs, levers) <= MAX_LINES:
        return [name(c) for c in levers]
    return [name(lever)]


def example_run(runs: pd.DataFrame, comparisons: Sequence[Comparison]) -> pd.Series:
    """The run the heat map shows: the first comparison's baseline, every other design
    lever at its first option, the lowest replicate (for the flagship: the status quo
    under a central budget and fragmented data, replicate 0, the default scenario)."""
    chosen = runs
    fixed = {c.lever: c.baseline for c in comparisons[:1]}
    for lever in design_levers(runs):
        value = fixed.get(lever, first_option(chosen[lever]))
        chosen = chosen[chosen[lever] == value]
    return chosen.sort_values(["replicate", "run_id"]).iloc[0]


def run_title(run: pd.Series, levers: Sequence[str]) -> str:
    """``policy=status_quo, data=fragmented, replicate 0``: a run named by its levers."""
    named = [f"{name(c)}={run[c]}" for c in levers]
    return ", ".join([*named, f"replicate {run['replicate']}"])


def spread_table(spread: pd.DataFrame, by: Sequence[str]) -> list[str]:
    """Markdown: the spread across provinces in the last month, per group of ``by``: the
    10th-percentile, median and 90th-percentile province's deployed services and
    adoption, mean over the group's runs [95% CI]."""
    last = spread[spread["month"] == spread["month"].max()]
    metrics = [
        f"province_{value}_{statistic}"
        for value in ("services_deployed", "adoption")
        for statistic in ("q10", "median", "q90")
    ]
    metrics = [m for m in metrics if m in last.columns]
    table = summarise(last, list(by), metrics, warn=False)
    table["cell"] = [
        interval_text(r.mean, r.ci_low, r.ci_high, r.ci_note) for r in table.itertuples()
    ]
    keys = list(table.columns[: list(table.columns).index("metric")])
    wide = table.pivot_table(index=keys, columns="metric", values="cell", aggfunc="first")
    wide = wide[metrics].rename(columns=lambda m: name_of(m))
    runs = table.groupby(keys)["n"].max()
    wide.insert(0, "runs", runs)
    wide.index.names = [name(k) for k in keys]
    return [
        "",
        f"Spread across provinces in {last['month'].max()}: deployed services (of 6 "
        "domains) and adoption (share of the province's population) of the "
        "10th-percentile, median and 90th-percentile province of the map; mean over runs "
        "[95% CI].",
        "",
        markdown_table(wide),
    ]


def province_drawings(
    folder: Path, runs: pd.DataFrame, comparisons: Sequence[Comparison], by: list[str], start
) -> list[Drawing]:
    """The heat map of one run and the spread across provinces, from ``provinces.parquet``."""
    from sandbox import plots  # matplotlib's figures only where they are drawn
    from sandbox.analysis import load_provinces, province_matrix, sweep_spread_over_time

    run = example_run(runs, comparisons)
    title = run_title(run, design_levers(runs))

    def heatmap() -> Figure:
        table = load_provinces(folder, [run["run_id"]])
        return plots.province_heatmap(
            province_matrix(table), title=f"Deployed services by province: {title}",
            policy_start=start,
        )  # fmt: skip

    out = [
        Drawing(
            "province_heatmap.png",
            "Deployed services by province, one run",
            f"The run {title}: the services each province has deployed, month by month "
            "(colour: 0 to 6 domains). Rows: the provinces of the last month's map, then "
            "those that left it; hatched grey cells are provinces not on that month's map "
            "(the merger of July 2025: the 63 provinces before it, the 34 units after; a "
            "unit that kept an old province's name continues its row).",
            heatmap,
        )
    ]
    spread = sweep_spread_over_time(folder, runs, by)  # a few months at a time
    if spread is None:
        return out
    shown = [m for m in SPREAD if m in spread.summary.metrics]
    out.append(
        Drawing(
            "spread_across_provinces.png",
            "Spread across provinces",
            f"Deployed services of the 10th-percentile, median and 90th-percentile province "
            f"of each month's map: mean over runs, one line per {', '.join(by)} (no band: a "
            "quantile of whole services jumps from month to month; the table below gives "
            "the last month with its 95% CI).",
            lambda: plots.summary_over_time(
                spread.summary, shown, band=None, targets=None, policy_start=start
            ),
            tuple(spread_table(spread.last, by)),
        )
    )
    return out


def drawings(
    sweep: SweepTables, comparisons: Sequence[Comparison], start: str | None
) -> list[Drawing]:
    """The ``Drawing`` of every figure the sweep's tables support (the per-province ones
    when its folder has a ``provinces.parquet``). The figures over time are drawn from
    summaries of the time series read a few months at a time (``sweep.over_time``), made
    once when the first of them is drawn."""
    from sandbox import plots  # matplotlib's figures only where they are drawn

    runs, folder = sweep.runs, sweep.folder
    lever = comparisons[0].lever if comparisons else "lever_policy"
    by = lines_by(runs, lever)
    levers = design_levers(runs)
    out = []
    columns = sweep.columns
    over_time = [m for m in OVER_TIME if m in columns]
    equity = [m for m in EQUITY if m in columns]
    summary = functools.cache(lambda: sweep.over_time(by, [*over_time, *equity]))
    if over_time:
        out.append(
            Drawing(
                "outcomes_over_time.png",
                "Outcomes over time",
                f"Mean over runs by month, one line per {', '.join(by)}, 95% CI band; diamonds "
                "are historical targets, the dashed line the policy start.",
                lambda: plots.summary_over_time(summary(), over_time, policy_start=start),
            )
        )
    if equity:
        out.append(
            Drawing(
                "equity_over_time.png",
                "Equity over time",
                "The urban-rural adoption gap and the provinces whose citizens have no service.",
                lambda: plots.summary_over_time(
                    summary(), equity, targets=None, policy_start=start
                ),
            )
        )
    if (folder / "provinces.parquet").is_file():
        out += province_drawings(folder, runs, comparisons, by, start)
    metrics = [m for m in FLAGSHIP if m in runs.columns]
    for c in comparisons:
        out.append(
            Drawing(
                f"comparison_{name(c.lever)}.png",
                f"{name(c.lever)} against {c.baseline}",
                f"Each option minus {c.baseline} at the end of the horizon, paired on the "
                "replicate and the other levers, 95% CI.",
                lambda c=c: plots.policy_comparison(runs, c.lever, c.baseline, metrics),
            )
        )
    frontier = set(FRONTIER) <= set(runs.columns) and runs[FRONTIER[0]].notna().any()
    if designs(runs, levers) >= 2 and frontier:  # a speed no run reached: nothing to draw
        out.append(
            Drawing(
                "tradeoff_frontier.png",
                "Trade-off frontier",
                "Each design's speed (months from the policy start until provinces have on "
                "average 60% of the six services deployed: fewer is faster) against the "
                "people harmed and the public cost, mean over its replicates with 95% CI "
                "bars; ringed designs are non-dominated.",
                lambda: plots.tradeoff_frontier(runs, *FRONTIER),
            )
        )
    if "lever_ablation" in levers and comparisons and comparisons[0].lever == "lever_policy":
        baseline = comparisons[0].baseline
        out.append(
            Drawing(
                "ablation.png",
                "Ablation",
                f"Each regime minus {baseline} with one mechanism switched off at a time "
                "(every mechanism on first, shaded; dashed: its difference then), paired on "
                "the replicate, 95% CI.",
                lambda: plots.ablation(runs, baseline=baseline),
            )
        )
    if "lever_policy_phasing_n_waves" in levers:
        out.append(
            Drawing(
                "phasing.png",
                "Phasing",
                "Outcomes against the number of waves, one line per "
                "order rule, one column per phase length.",
                lambda: plots.phasing(runs),
            )
        )
    if "lever_policy_experimental_coordination" in levers:
        out.append(
            Drawing(
                "alignment.png",
                "Local-central alignment",
                "Outcomes against the monthly chance of alignment, one line per rework cost.",
                lambda: plots.alignment(runs),
            )
        )
    return out


def save_figure(fig: Figure, path: Path) -> None:
    """Write a figure as PNG, atomically."""
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=DPI))
