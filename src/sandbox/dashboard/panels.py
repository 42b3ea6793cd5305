"""The scenario page's panels: each draws the model at one month with ``sandbox.plots``,
the figures of the reports, so that nothing is drawn twice."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence

import solara

from sandbox.analysis.tables import as_month
from sandbox.dashboard.paired import ARM, STATUS_QUO, PairedRun
from sandbox.model.outcomes import BY_NAME, HEADLINE
from sandbox.plots.comparison import policy_comparison
from sandbox.plots.funnel import sandbox_funnel
from sandbox.plots.money import money_per_year
from sandbox.plots.province_map import province_map
from sandbox.plots.timeseries import outcome_over_time
from sandbox.regions import Region, load_region

# the headline outcomes observed every month (a time to an event is a summary only)
OUTCOMES: tuple[str, ...] = tuple(
    o for o in HEADLINE if BY_NAME[o].monthly and BY_NAME[o].censored is None
)
SHOWN = 4  # the outcomes shown at first: the first headline ones (more can be chosen)
MAP_OUTCOMES = ("adoption", "services_deployed")  # columns of provinces_frame
MAP_LABELS = {
    "adoption": "adoption (share of the province's people)",
    "services_deployed": "domains with a deployed service (of 6)",
}
MAP_LIMITS = {"adoption": (0.0, 0.5), "services_deployed": (0.0, 6.0)}


DPI = 72  # the panels' resolution: drawing them costs more than the month's simulation


def _groups(model: PairedRun) -> list[str]:
    return [model.label, STATUS_QUO]


def over_time_figure(model: PairedRun, month: str, outcomes: Sequence[str] = OUTCOMES[:SHOWN]):
    """``outcomes`` over every simulated month, both arms, with the 5-95% range of the runs
    as a band (the CI of a mean over 4 runs would hide how runs differ)."""
    series = model.timeseries()
    series["month"] = as_month(series["month"])
    fig = outcome_over_time(series, list(outcomes), by="scenario", band="range",
                            policy_start=model.start_month, ncols=4)  # fmt: skip
    for ax in fig.axes[: len(outcomes)]:
        ax.axvline(_timestamp(month), color="0.2", lw=0.8, ls=":")
    return fig


def difference_figure(model: PairedRun, month: str, outcomes: Sequence[str] = OUTCOMES[:SHOWN]):
    """The scenario minus the status quo at ``month``, paired on the world, with its CI."""
    fig = policy_comparison(model.runs_at(month), lever="scenario", baseline=STATUS_QUO,
                            metrics=list(outcomes), ncols=2)  # fmt: skip
    title = fig.get_suptitle().replace("at the end of the horizon", f"at {month}")
    fig.suptitle(title.replace("scenario: each option minus", "the scenario minus"),
                 fontsize=fig._suptitle.get_fontsize())  # fmt: skip
    return fig


def map_region(model: PairedRun, month: str) -> Region:
    """The map in force at ``month``: the 63 provinces, or the 34 units after the merger."""
    p = model.params.region
    merged = p.merge_month and month >= p.merge_month
    return load_region(p.merge_table if merged else p.table)


def map_title(model: PairedRun, month: str, region: Region) -> str:
    return f"{model.label}, {month}: {region.n} provincial units"


def map_figure(model: PairedRun, month: str, outcome: str):
    """The scenario's provinces (units after the merger) at ``month``, mean over worlds."""
    values = model.provinces_at(month).set_index("province")[outcome]
    return province_map(values, map_region(model, month), MAP_LABELS[outcome],
                        title=f"{model.label}, {month}", limits=MAP_LIMITS[outcome])  # fmt: skip


def funnel_figure(model: PairedRun, month: str):
    """The sandbox funnel of both arms at ``month``."""
    return sandbox_funnel(model.runs_at(month), ARM, _groups(model),
                          title=f"The sandbox funnel, so far at {month}")  # fmt: skip


def money_figure(model: PairedRun, month: str):
    """Public money by level and private money, per year to ``month``, both arms."""
    series = model.timeseries()
    return money_per_year(series[series["month"] <= month], ARM, _groups(model))


def _timestamp(month: str):
    import pandas as pd

    return pd.Period(month, freq="M").to_timestamp()


def png(fig) -> bytes:
    """A figure as PNG bytes, at the panels' resolution."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


@solara.component
def Drawn(draw: Callable[[], object], key: tuple, name: str) -> None:
    """The figure ``draw`` makes, drawn again only when ``key`` changes (the model, the
    months it has run, the month shown, the outcomes), not at every render of the page; in
    a box the browser tests find by ``name``."""
    image = solara.use_memo(lambda: png(draw()), list(key))
    with solara.Div(classes=[f"panel-{name}"]):
        solara.Image(image)


def _key(model: PairedRun, month: str, *more) -> tuple:
    return (model, model.month_index, month, *more)


@solara.component
def OverTime(model: PairedRun, month: str, outcomes: Sequence[str]) -> None:
    draw = functools.partial(over_time_figure, model, month, outcomes)
    Drawn(draw, _key(model, month, tuple(outcomes)), "over-time")


@solara.component
def Difference(model: PairedRun, month: str, outcomes: Sequence[str]) -> None:
    draw = functools.partial(difference_figure, model, month, outcomes)
    Drawn(draw, _key(model, month, tuple(outcomes)), "difference")


@solara.component
def Map(model: PairedRun, month: str, outcome: str) -> None:
    region = map_region(model, month)
    solara.Text(map_title(model, month, region), classes=["map-title"])
    draw = functools.partial(map_figure, model, month, outcome)
    Drawn(draw, _key(model, month, outcome), "map")


@solara.component
def Funnel(model: PairedRun, month: str) -> None:
    Drawn(functools.partial(funnel_figure, model, month), _key(model, month), "funnel")


@solara.component
def Money(model: PairedRun, month: str) -> None:
    Drawn(functools.partial(money_figure, model, month), _key(model, month), "money")
