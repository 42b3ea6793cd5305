"""The dashboard without a browser: its controls against the declarations, its paired runs
against straight runs, its figures' invariants, and its pages rendered by Solara."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sandbox.analysis.paired import paired_differences
from sandbox.config.meta import describe
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.uncertainties import spreads
from sandbox.dashboard import controls, paired
from sandbox.dashboard.paired import ARM, STATUS_QUO, PairedRun, arms
from sandbox.dashboard.typed import parse
from sandbox.errors import ConfigError
from sandbox.experiments.runner import run
from sandbox.model.policy import REGIMES
from sandbox.plots.money import FLOWS, per_year
from sandbox.plots.province_map import province_map
from sandbox.regions import load_region
from sandbox.regions.outlines import drawn_as

SMALL = {"horizon.end": "2026-12", "replicates": 2}  # a year of policy, two worlds
CITIZENS = 2000


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "histories"


# ------------------------------------------------------------------ the controls
def test_mechanisms_are_the_config_files() -> None:
    for control in controls.mechanisms():
        files = sorted(p.stem for p in (CONFIG_DIR / control.key).glob("*.yaml"))
        assert sorted(control.values) == files
        assert control.value in files


def test_regime_levers_are_the_leaves_its_class_reads() -> None:
    leaves = describe(Params)
    for option in controls.mechanisms()[0].values:
        text = yaml.safe_load((CONFIG_DIR / "policy" / f"{option}.yaml").read_text())
        reads = REGIMES[text["name"]].levers
        under = {
            key
            for key in leaves
            if any(key == f"policy.{k}" or key.startswith(f"policy.{k}.") for k in reads)
        }
        shown = {c.key for c in controls.regime_levers(option)}
        assert shown <= under
        # every leaf left out is one no control can set (a list or a free text)
        for key in under - shown:
            assert leaves[key].meta.range in ("nonnegative_list", "shares", "text", "names")
        # the starting values are the option's own (phased_sandbox: within the sandbox)
        for key, value in (text.get("phasing") or {}).items():
            [control] = [c for c in controls.regime_levers(option) if c.key.endswith(key)]
            assert control.value == value


def test_uncertainty_sliders_span_their_sourced_range() -> None:
    sourced = {k: s for k, s in spreads().items() if s.rule == "sourced"}
    shown = controls.main_uncertainties()
    assert shown, "no uncertainty with a sourced range"
    for c in shown:
        assert (c.low, c.high) == (sourced[c.key].lo, sourced[c.key].hi)
        assert c.low <= c.value <= c.high
        steps = (c.high - c.low) / c.step
        assert controls.STEPS / 5 <= steps <= controls.STEPS * 5 or c.kind == "int"


def test_lever_spans_hold_their_default() -> None:
    for option in controls.mechanisms()[0].values:
        for c in controls.regime_levers(option):
            if c.kind in ("int", "float"):
                assert c.low <= c.value <= c.high, c.key


# ------------------------------------------------------------------ the arms
def test_arms_split_levers_from_the_world() -> None:
    choices = {
        **controls.initial_choices(),
        "policy": "facilitation",
        "citizens.trust_mean": 0.45,
        "policy.facilitated.approval_prob": 0.5,
        "policy.sandbox.capacity": 3,  # not a lever facilitation reads
    }
    scenario, status_quo = arms(choices, CITIZENS)
    default = controls.default_scenario()
    assert scenario.citizens.trust_mean == status_quo.citizens.trust_mean == 0.45
    assert scenario.policy.facilitated.approval_prob == 0.5
    assert scenario.policy.sandbox.capacity == default.policy.sandbox.capacity
    assert status_quo.policy == default.policy
    assert (status_quo.resources, status_quo.data) == (default.resources, default.data)


def test_bad_choices_get_the_command_lines_message() -> None:
    with pytest.raises(ConfigError, match=r"'policy': 'nope'"):
        arms({**controls.initial_choices(), "policy": "nope"})
    with pytest.raises(ConfigError) as typed:
        parse("citizens.trust_mean=1.5")
    cli = subprocess.run(
        [sys.executable, "-c", "from sandbox.cli import main; main()", "citizens.trust_mean=1.5"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode != 0
    assert str(typed.value) in " ".join(cli.stderr.split())


def test_typed_values_are_checked_as_overrides() -> None:
    assert parse("citizens.trust_mean=0.5 policy.sandbox.capacity=40") == {
        "citizens.trust_mean": 0.5,
        "policy.sandbox.capacity": 40,
    }
    for bad in ("citizens.nope=1", "policy=controlled_pilot", "citizens.trust_mean=abc", "x"):
        with pytest.raises(ConfigError):
            parse(bad)


# ------------------------------------------------------------------ the paired runs
def test_paired_runs_equal_straight_runs(store: Path) -> None:
    """Each arm, branched from the stored history and stepped month by month, equals the
    same scenario run straight through, bit for bit."""
    choices = {**SMALL, "policy": "controlled_pilot", "policy.sandbox.capacity": 5}
    model = PairedRun(store=store, citizens=CITIZENS, **choices)
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert steps == 12 and model.month == "2026-12"
    scenario, status_quo = arms({**controls.initial_choices(), **choices}, CITIZENS)
    series = model.timeseries()
    for r in range(2):
        for label, params in ((model.label, scenario), (STATUS_QUO, status_quo)):
            straight = run(dataclasses.replace(params, replicate=r)).timeseries
            mine = series[(series[ARM] == label) & (series["replicate"] == r)]
            pd.testing.assert_frame_equal(
                mine.drop(columns=[ARM, "replicate"]).reset_index(drop=True), straight
            )


def test_arms_share_each_worlds_history(store: Path) -> None:
    model = PairedRun(store=store, citizens=CITIZENS, **SMALL, policy="experimental")
    model.run_to_end()
    series = model.timeseries()
    before = series[series["month"] < model.start_month]
    a = before[before[ARM] == model.label].drop(columns=ARM).reset_index(drop=True)
    b = before[before[ARM] == STATUS_QUO].drop(columns=ARM).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2 * 84  # two worlds, Jan 2019 to Dec 2025
    # the worlds differ from each other
    first = a[a["replicate"] == 0].drop(columns="replicate").reset_index(drop=True)
    second = a[a["replicate"] == 1].drop(columns="replicate").reset_index(drop=True)
    assert not first.equals(second)


def test_the_status_quo_against_itself_differs_in_nothing(store: Path) -> None:
    model = PairedRun(store=store, citizens=CITIZENS, **SMALL)
    model.run_to_end()
    runs = model.runs_at(model.month)
    result = paired_differences(runs, "scenario", STATUS_QUO, ["adoption", "reach"])
    assert (result["mean_diff"] == 0).all() and (result["n_pairs"] == 2).all()


# ------------------------------------------------------------------ the figures
def test_map_draws_63_provinces_then_34_units() -> None:
    for table, n in (("vietnam_63.csv", 63), ("vietnam_34.csv", 34)):
        region = load_region(table)
        values = pd.Series(np.linspace(0, 1, region.n), index=list(region.names))
        fig = province_map(values, region, "adoption")
        units = fig.axes[0].collections[0].units
        assert len(set(units)) == n
        assert f"{n} provincial units" in fig.axes[0].get_title()
        # each drawn province takes its unit's value
        colours = fig.axes[0].collections[0].get_facecolors()
        by_unit: dict[str, set] = {}
        for unit, colour in zip(units, colours, strict=True):
            by_unit.setdefault(unit, set()).add(tuple(np.round(colour, 6)))
        assert all(len(c) == 1 for c in by_unit.values())
    assert drawn_as(load_region("toy.csv")) is None


def test_money_per_year_adds_up_to_the_totals() -> None:
    rng = np.random.default_rng(1)
    months = pd.period_range("2024-01", "2026-06", freq="M").strftime("%Y-%m")
    rows = []
    for arm in ("a", "b"):
        for r in range(3):
            flows = rng.uniform(0, 10, size=(len(months), len(FLOWS)))
            totals = flows.cumsum(axis=0)
            frame = pd.DataFrame(totals, columns=list(FLOWS))
            rows.append(frame.assign(month=months, replicate=r, arm=arm))
    series = pd.concat(rows, ignore_index=True)
    table = per_year(series, ["arm"])
    assert sorted(table["year"].unique()) == [2024, 2025, 2026]
    for arm, part in table.groupby("arm"):
        last = series[series["arm"] == arm].groupby("replicate").last()[list(FLOWS)].mean()
        for flow in FLOWS:
            assert math.isclose(part[flow].sum(), last[flow], rel_tol=1e-12)


# ------------------------------------------------------------------ the pages
def with_class(rc, kind, name: str, **attributes) -> list:
    """The widgets of ``kind`` (and ``attributes``) whose classes include ``name`` (a find
    stops at its outermost matches: narrow it by ``attributes``, e.g. a tag)."""
    found = rc.find(kind, **attributes).widgets
    return [w for w in found if name in (w.class_ or "").split()]


def in_layout(page):
    """A page inside the app's layout, whose sidebar holds the page's controls."""
    import solara

    @solara.component
    def Laid():
        with solara.AppLayout():
            page()

    return Laid()


@pytest.fixture
def small_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The scenario page rendered in a fresh working directory, at 2,000 citizens and 2
    worlds: Solara's render context."""
    import solara

    from sandbox.dashboard.scenario_page import ScenarioPage

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paired, "CITIZENS", CITIZENS)
    monkeypatch.setattr(controls, "DEFAULT_REPLICATES", 2)
    controls.run_controls.cache_clear()
    try:
        _box, rc = solara.render(in_layout(ScenarioPage), handle_error=False)
        yield rc
    finally:
        controls.run_controls.cache_clear()


def test_scenario_page_runs_and_shows_34_units(small_page, tmp_path: Path) -> None:
    import ipyvuetify as v

    rc = small_page
    [run_button] = rc.find(v.Btn, children=["Run to 2030-12"]).widgets
    [title] = with_class(rc, v.Html, "map-title", tag="span")
    assert "2025-12" in str(title.children)
    run_button.click()  # the run is made in the click's handler
    [title] = with_class(rc, v.Html, "map-title", tag="span")
    assert "2030-12: 34 provincial units" in str(title.children)
    assert (tmp_path / paired.STORE).is_dir()  # the histories were stored


def test_sweep_page_draws_the_reference_sweep(tmp_path: Path, monkeypatch) -> None:
    import shutil

    import ipyvuetify as v
    import ipywidgets
    import solara

    from sandbox.dashboard.sweep_page import SweepPage

    reference = Path(__file__).parents[1] / "results" / "reference" / "policy_comparison"
    shutil.copytree(reference, tmp_path / "results" / "sweeps" / "reference")
    monkeypatch.chdir(tmp_path)
    _box, rc = solara.render(in_layout(SweepPage), handle_error=False)
    assert len(with_class(rc, v.Card, "sweep-figure")) >= 2
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) >= 2 and all(bytes(i.value)[:4] == b"\x89PNG" for i in images)


def test_sweep_page_says_why_a_folder_is_not_a_sweep(tmp_path: Path, monkeypatch) -> None:
    import ipyvuetify as v
    import solara

    from sandbox.dashboard.sweep_page import SweepPage

    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    _box, rc = solara.render(in_layout(SweepPage), handle_error=False)
    [field] = with_class(rc, v.TextField, "sweep-folder")
    field.v_model = str(tmp_path / "empty")
    field.fire_event("focusout", {})  # continuous_update=False: the value lands on focusout
    [alert] = rc.find(v.Alert).widgets
    assert "nothing to report" in str(alert.children)


def test_step_and_reset_behave_as_in_solaraviz(small_page) -> None:
    import ipyvuetify as v

    from sandbox.dashboard import scenario_page

    rc = small_page

    def title() -> str:
        [found] = with_class(rc, v.Html, "map-title", tag="span")
        return str(found.children)

    assert "2025-12" in title()  # at the branch point
    step = rc.find(v.Btn, children=["Step"]).widget
    step.click()
    # a step is RENDER months, as SolaraViz's render interval
    months = pd.period_range("2025-12", periods=scenario_page.RENDER + 1, freq="M")
    assert f"{months[-1]}" in title()
    step.click()
    assert f"{months[-1] + scenario_page.RENDER}" in title()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "2025-12" in title()


def test_uncertainty_filters_keep_whole_pairs() -> None:
    from sandbox.dashboard.sweep_page import filtered, sampled, with_uncertainties
    from sandbox.experiments import sweep_record

    folder = Path(__file__).parents[1] / "results" / "reference" / "policy_comparison"
    _, sweep = sweep_record.read_sweep(folder)
    runs = with_uncertainties(folder, sweep.runs)
    columns = sampled(runs)
    assert columns, "the reference sweep draws its fitted parameters from the posterior"
    policies = runs["lever_policy"].nunique()
    for column in columns:
        low = runs[column].min()
        kept = filtered(runs, {}, {column: (low, low)})
        assert 0 < len(kept) < len(runs)
        assert (kept[column] == low).all()
        # each world kept is kept under every policy: its pairs stay whole
        assert (kept.groupby("replicate")["lever_policy"].nunique() == policies).all()


def test_a_worlds_status_quo_is_simulated_once(store: Path) -> None:
    """A second scenario of the same worlds is compared with the status quo runs the first
    finished, kept, not run again; they are those runs, and a stepping scenario shows them
    only as far as it has got."""
    first = PairedRun(store=store, citizens=CITIZENS, **SMALL, policy="controlled_pilot")
    first.run_to_end()
    second = PairedRun(store=store, citizens=CITIZENS, **SMALL, policy="facilitation")
    assert all(isinstance(b, paired.Finished) for _, b in second.pairs)
    second.step()
    series = second.timeseries()
    assert series["month"].max() == second.month == "2026-01"
    second.run_to_end()
    a, b = first.timeseries(), second.timeseries()
    pd.testing.assert_frame_equal(
        a[a[ARM] == STATUS_QUO].reset_index(drop=True),
        b[b[ARM] == STATUS_QUO].reset_index(drop=True),
    )
    _, status_quo = arms({**controls.initial_choices(), **SMALL}, CITIZENS)
    straight = run(dataclasses.replace(status_quo, replicate=1)).timeseries
    mine = b[(b[ARM] == STATUS_QUO) & (b["replicate"] == 1)]
    pd.testing.assert_frame_equal(
        mine.drop(columns=[ARM, "replicate"]).reset_index(drop=True), straight
    )
