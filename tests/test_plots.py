"""sandbox.plots on stored tables (tests/data/analysis): the figures have the panels,
lines, points and labels (with units) they should; every one renders with Agg."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from sandbox import plots
from sandbox.analysis import (
    HISTORICAL_TARGETS,
    load_provinces,
    load_sweep,
    paired_differences,
    province_matrix,
)
from sandbox.plots.ablation import ABLATION_METRICS

matplotlib.use("Agg")

DATA = Path(__file__).parent / "data" / "analysis"


@pytest.fixture(scope="module")
def policy():
    return load_sweep(DATA / "policy_comparison")


def rendered(fig: Figure) -> Figure:
    """The figure, after drawing it to PNG (layout and text are resolved then)."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    return fig


def means(ax) -> list:
    """The lines of means in a panel (error bars' caps are lines without a line style)."""
    return [line for line in ax.get_lines() if line.get_linestyle() != "None"]


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of axis labels, titles and the suptitle whose drawn boxes overlap."""
    canvas = FigureCanvasAgg(fig)  # laid out and drawn as savefig draws it
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for ax in fig.axes for t in (ax.xaxis.label, ax.yaxis.label, ax.title)]
    texts = [t for t in [*texts, fig._suptitle] if t is not None and t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_outcome_over_time_has_a_line_and_band_per_policy_targets_and_the_start(policy) -> None:
    metrics = ["provinces_with_project", "reach", "adoption"]
    fig = rendered(plots.outcome_over_time(policy.timeseries, metrics, policy_start="2021-01"))
    assert len(fig.axes) == 3
    policies = sorted(policy.runs["lever_policy"].unique())
    for ax, metric in zip(fig.axes, metrics, strict=True):
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        assert len(lines) == len(policies)
        # a band per policy, and one grey band while the policies share their history
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == len(policies) + 1
        means = policy.timeseries.groupby(["month", "lever_policy"])[metric].mean().unstack()
        # the first month the policies' means differ beyond rounding (means of the same
        # values taken in another order may differ in the last digit)
        spread = (means.max(axis=1) - means.min(axis=1)).to_numpy()
        parting = means.index[(spread > 1e-9 * means.abs().max(axis=1).to_numpy()).argmax()]
        before = mdates.date2num((parting - 1).to_timestamp())
        assert bands[0].get_paths()[0].vertices[:, 0].max() <= before + 31  # the shared one
        for band in bands[1:]:  # (no path where every run has the same value: no CI)
            assert all(path.vertices[:, 0].min() >= before for path in band.get_paths())
        assert ax.get_ylabel().startswith(metric) and ax.get_ylabel().endswith(")")  # a unit
        assert ax.get_xlabel() == "month"
    # the historical targets of the plotted metrics within 2019-2030, one marker each
    targets = HISTORICAL_TARGETS[HISTORICAL_TARGETS["metric"].isin(metrics)]
    markers = [len(c.get_offsets()) for ax in fig.axes for c in ax.collections
               if not isinstance(c, PolyCollection)]  # fmt: skip
    assert sum(markers) == len(targets) == 2
    labels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]  # long ones wrap
    assert labels[0] == "provinces_with_project (provinces)"
    assert labels[2] == "adoption (share of population)"
    texts = legend_texts(fig)
    assert policies == texts[: len(policies)]
    assert "historical target" in texts and "policy start (2021-01)" in texts
    assert any("95% CI of the mean, 6 runs" in t for t in texts)
    assert "grey: while every line is the same" in texts


def test_one_run_per_line_draws_no_band_and_says_so(policy) -> None:
    single = policy.where(replicate=0, data="fragmented").timeseries
    fig = rendered(plots.outcome_over_time(single, "adoption", targets=None))
    (ax,) = fig.axes
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    assert any("no band where a line has one run" in t for t in legend_texts(fig))


def test_two_runs_per_line_draw_no_band_and_say_why(policy) -> None:
    # a t interval of two runs is 12.7 standard errors wide either side: no band
    two = policy.where(replicate=[0, 1], data="fragmented").timeseries
    fig = rendered(plots.outcome_over_time(two, "adoption", targets=None))
    (ax,) = fig.axes
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    texts = legend_texts(fig)
    assert any("no band where a line has 2 runs per group" in t for t in texts)
    assert not any(t.startswith("shaded:") for t in texts)
    three = policy.where(data="fragmented").timeseries  # three replicates: bands
    fig = rendered(plots.outcome_over_time(three, "adoption", targets=None))
    assert sum(isinstance(c, PolyCollection) for c in fig.axes[0].collections) == 3 + 1
    assert any("95% CI of the mean, 3 runs" in t for t in legend_texts(fig))


def test_a_regime_keeps_its_colour_in_the_figures_of_one_lever(policy) -> None:
    from sandbox.plots.style import POLICY_COLOURS

    fig = rendered(plots.outcome_over_time(policy.timeseries, "adoption", targets=None))
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]
    policies = sorted(policy.runs["lever_policy"].unique())
    assert [line.get_color() for line in lines] == [POLICY_COLOURS[p] for p in policies]


def test_targets_outside_the_horizon_are_not_drawn(policy) -> None:
    early = policy.timeseries[policy.timeseries["month"] <= pd.Period("2021-06", "M")]
    fig = plots.outcome_over_time(early, "provinces_with_project", band=None)
    assert not fig.axes[0].collections  # 41 in 2021-12 and 48 in 2023-12 lie beyond
    assert "historical target" not in legend_texts(fig)


def test_policy_comparison_has_a_panel_per_outcome_and_a_bar_per_option(policy) -> None:
    metrics = ["adoption", "citizens_harmed", "public_spending"]
    fig = rendered(plots.policy_comparison(policy.runs, metrics=metrics))
    assert [ax.get_title() for ax in fig.axes] == ["adoption", "people harmed", "public spending"]
    options = sorted(set(policy.runs["lever_policy"]) - {"status_quo"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == options  # first column
    for ax in fig.axes:
        assert len(ax.get_yticks()) == len(options)
        (bars,) = ax.containers  # one errorbar container: a point and a CI per option
        assert len(bars.lines[0].get_xdata()) == len(options)
    assert fig.axes[1].get_xlabel() == "difference (people, cumulative)"
    assert fig.axes[2].get_xlabel() == "difference (billion VND, cumulative)"
    expected = paired_differences(policy.runs, metrics="adoption")["mean_diff"].tolist()
    assert fig.axes[0].containers[0].lines[0].get_xdata().tolist() == pytest.approx(expected)
    assert "minus status_quo" in fig._suptitle.get_text()


def test_policy_comparison_of_every_flagship_metric_reads_cleanly(policy) -> None:
    fig = rendered(plots.policy_comparison(policy.runs))
    assert not overlaps(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert "private investment" in titles and not [t for t in titles if "_" in t]
    # private investment is 0 in every run (a central budget): said once, across the panel
    panel = fig.axes[titles.index("private investment")]
    assert [t.get_text() for t in panel.texts] == ["no difference in any pair"]
    # novel uptake: facilitation has no corridor, so it equals the status quo's (0) in every
    # pair, said on that panel for that option only
    novel = fig.axes[titles.index("novel uptake")]
    # months to use: the panel says "no difference in any pair" exactly for the options
    # whose every pair is the same in the stored runs (checked on the runs themselves)
    use = fig.axes[titles.index("months to use")]
    arms = policy.runs.pivot_table(
        index=["replicate", "lever_data"], columns="lever_policy", values="months_to_use"
    )
    same = (arms.sub(arms["status_quo"], axis=0) == 0).all().drop("status_quo")
    notes = [t.get_text() for t in use.texts]
    if same.all():
        assert notes == ["no difference in any pair"]
    else:
        assert "no difference in any pair" not in notes or same.any()
        assert len(use.containers) >= 1  # bars are drawn for the options that differ
    others = [t.get_text() for ax in fig.axes if ax not in (panel, novel, use) for t in ax.texts]
    assert "no difference in any pair" not in others
    assert "no bar: the same difference in every pair" in fig._suptitle.get_text().replace(
        "\n", " ")  # fmt: skip


def test_over_time_by_policy_and_data_keeps_the_regime_colours(policy) -> None:
    from sandbox.plots.style import POLICY_COLOURS

    fig = rendered(plots.outcome_over_time(policy.timeseries, ["adoption", "public_spending"],
                                           by=["policy", "data"], targets=None))  # fmt: skip
    assert not overlaps(fig)
    handles = fig.legends[0].legend_handles
    names = legend_texts(fig)[: len(handles)]
    for handle, text in zip(handles, names, strict=True):
        regime, data = text.split(", ")
        assert handle.get_color() == POLICY_COLOURS[regime]
        assert handle.get_linestyle() == ("-" if data == "fragmented" else "--")


def test_policy_comparison_breakdown_and_missing_intervals(policy) -> None:
    fig = rendered(plots.policy_comparison(policy.runs, metrics=["adoption"], by="data"))
    assert legend_texts(fig) == sorted(policy.runs["lever_data"].unique())
    assert len(fig.axes[0].containers) == 2
    single = policy.where(replicate=0, data="fragmented").runs
    fig = rendered(plots.policy_comparison(single, metrics=["adoption"]))
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert notes == ["no CI", "no CI"]


def test_policy_comparison_of_a_numeric_lever() -> None:
    design = load_sweep(DATA / "sandbox_design")
    fig = rendered(plots.policy_comparison(design.runs, "policy_sandbox_capacity", "10"))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["40"]
    assert fig.axes[0].get_ylabel() == "policy_sandbox_\ncapacity"  # broken after a _
    assert not overlaps(fig)  # a long lever name in a short panel
    inside = fig.get_window_extent()
    assert inside.x0 <= fig._suptitle.get_window_extent().x0  # the title within the figure


def test_tradeoff_frontier_has_a_point_per_design_and_rings_the_non_dominated() -> None:
    design = load_sweep(DATA / "sandbox_design")
    runs = design.runs
    fig = rendered(plots.tradeoff_frontier(runs))
    assert len(fig.axes) == 2
    levers = ["lever_policy_sandbox_capacity", "lever_policy_sandbox_graduation_evidence"]
    speed = runs.groupby(levers)["months_to_60pct_depth"].mean()  # the design's means
    for ax, other in zip(fig.axes, ("citizens_harmed", "public_spending"), strict=True):
        points = [line for line in ax.get_lines() if line.get_markersize() == 8]
        rings = [line for line in ax.get_lines() if line.get_markersize() == 15]
        assert len(points) == 4  # 2 capacities x 2 graduation gains
        assert sorted(p.get_xdata()[0] for p in points) == pytest.approx(sorted(speed))
        others = runs.groupby(levers)[other].mean()
        assert sorted(p.get_ydata()[0] for p in points) == pytest.approx(sorted(others))
        assert 1 <= len(rings) <= 4
        assert len(ax.containers) == 4  # a CI bar on both axes per design (3 runs each)
        for bars in ax.containers:
            assert bars.has_xerr and bars.has_yerr
        xlabel = ax.get_xlabel().replace("\n", " ")
        assert xlabel.startswith("months to 60% depth (months from policy.start to 3.6 of 6")
        assert xlabel.endswith("fewer is faster")
        assert ax.get_ylabel().endswith("lower is better")
    assert fig.axes[0].get_ylabel().startswith("people harmed (people, cumulative)")
    texts = legend_texts(fig)
    assert "policy_sandbox_capacity = 10" in texts and "non-dominated (ringed)" in texts
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "each the mean of 3 runs, with 95% CI bars" in title
    one = plots.tradeoff_frontier(runs, cost=None)
    assert len(one.axes) == 1
    two = rendered(plots.tradeoff_frontier(design.where(replicate=[0, 1]).runs))
    assert not two.axes[0].containers  # two runs a design: no bars, and the title says why
    assert "no CI bars (2 runs per group" in two._suptitle.get_text().replace("\n", " ")


def test_tradeoff_frontier_leaves_out_a_design_that_never_reached_the_speed() -> None:
    runs = load_sweep(DATA / "sandbox_design").runs.copy()
    # every run reaches the speed, but for the ones this test takes away
    reached = runs["months_to_60pct_depth"]
    runs["months_to_60pct_depth"] = reached.fillna(reached.max())
    capacity = runs["lever_policy_sandbox_capacity"] == 40
    gain = runs["lever_policy_sandbox_graduation_evidence"] == 2
    runs.loc[capacity & gain, "months_to_60pct_depth"] = np.nan  # never reached
    runs.loc[capacity & ~gain & (runs["replicate"] == 0), "months_to_60pct_depth"] = np.nan
    fig = rendered(plots.tradeoff_frontier(runs))
    points = [line for line in fig.axes[0].get_lines() if line.get_markersize() == 8]
    assert len(points) == 3
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "1 design(s): mean of the runs that reached it" in title
    assert "1 design(s) never reached it (not drawn, the slowest)" in title


def test_province_heatmap_draws_the_matrix_with_its_names_and_a_labelled_colour_bar() -> None:
    months = pd.period_range("2019-01", "2020-12", freq="M")
    provinces = ["Ha Noi", "Hue", "Ca Mau"]
    counts = np.minimum(6, np.arange(len(months))[None, :] // np.array([[4], [6], [12]]))
    matrix = pd.DataFrame(counts, index=provinces, columns=months)
    fig = rendered(plots.province_heatmap(matrix))
    heat, bar = fig.axes
    (image,) = [i for i in heat.get_images() if isinstance(i, AxesImage)]
    assert image.get_array().shape == (3, 24)
    assert [t.get_text() for t in heat.get_yticklabels()] == provinces
    assert [t.get_text() for t in heat.get_xticklabels()] == ["2019", "2020"]
    assert (heat.get_xlabel(), heat.get_ylabel()) == ("month", "province")
    assert bar.get_ylabel() == "deployed services (of 6 domains)"
    assert not fig.legends and not heat.patches  # every cell on the map: nothing to explain


def test_province_heatmap_of_a_stored_run_marks_the_provinces_off_the_map(policy) -> None:
    run = policy.where(policy="status_quo", data="fragmented", replicate=0)
    table = load_provinces(DATA / "policy_comparison", run.runs)
    matrix = province_matrix(table)
    fig = rendered(plots.province_heatmap(matrix, policy_start="2026-01"))
    heat = fig.axes[0]
    (image,) = heat.get_images()
    series = run.timeseries.sort_values("month")
    assert image.get_array().shape == (len(matrix), len(series))
    # masked where a province is not on the month's map: the map has `provinces` of them
    on_map = (~np.ma.getmaskarray(image.get_array())).sum(axis=0)
    assert on_map.tolist() == series["provinces"].tolist()
    (ground,) = heat.patches  # the hatched ground the masked cells show
    assert ground.get_hatch() and ground.get_zorder() < image.get_zorder()
    texts = legend_texts(fig)
    assert "not on the map this month (2025 merger)" in texts
    assert "the map changes (2025-07)" in texts and "policy start (2026-01)" in texts
    merger = list(series["month"]).index(pd.Period("2025-07", "M")) - 0.5
    lines = [line.get_xdata()[0] for line in heat.get_lines()]
    assert merger in lines and len(lines) == 2  # the map's change and the policy start
    assert [t.get_text() for t in heat.get_yticklabels()] == matrix.index.tolist()


def test_phasing_figure_has_a_row_per_outcome_and_a_column_per_phase_length() -> None:
    runs = load_sweep(DATA / "phasing").runs
    fig = rendered(plots.phasing(runs))
    assert not overlaps(fig)
    phase_lengths = runs["lever_policy_phasing_phase_months"].nunique()
    metrics = [m for m in plots.experiments.PHASING_METRICS if m in runs]
    assert len(fig.axes) == len(metrics) * phase_lengths
    assert fig.axes[0].get_ylabel().replace("\n", " ") == "adoption (share of population)"
    depth = fig.axes[2].get_ylabel().replace("\n", " ")
    assert depth == (
        "months to 60% depth (months from policy.start to 3.6 of 6 services per province)"
    )
    assert fig.axes[-1].get_xlabel() == "policy_phasing_n_waves (waves)"
    assert fig.axes[0].get_title() == "policy_phasing_phase_months = 12"
    orders = runs["lever_policy_phasing_order"].nunique()
    waves = runs["lever_policy_phasing_n_waves"].nunique()
    final = runs.groupby("lever_policy_phasing_phase_months")
    point = ["lever_policy_phasing_phase_months", "lever_policy_phasing_order",
             "lever_policy_phasing_n_waves"]  # fmt: skip
    for i, ax in enumerate(fig.axes):
        assert len(means(ax)) == orders  # a line of means per order rule
        assert all(len(line.get_xdata()) == waves for line in means(ax))
        metric = metrics[i // phase_lengths]
        # a panel whose runs all end with one value has no bars, and says so
        same = (final[metric].nunique() == 1).iloc[i % phase_lengths]
        # bars on the lines with a point of 3 runs or more that differ (a months-to
        # threshold is missing in a run that never reached it)
        runs_of = runs.groupby(point)[metric].agg(["count", "nunique"])
        phase = sorted(runs["lever_policy_phasing_phase_months"].unique())[i % phase_lengths]
        panel = runs_of.loc[phase]
        barred = panel[(panel["count"] >= 3) & (panel["nunique"] > 1)]
        lines = barred.index.get_level_values(0).nunique()
        assert len(ax.containers) == (0 if same else lines)  # its CI bars
        texts = [t.get_text() for t in ax.texts]
        assert texts == (["the same value in every run"] if same else [])
    assert legend_texts(fig) == sorted(runs["lever_policy_phasing_order"].unique())


def test_alignment_figure_plots_against_coordination_on_a_log_axis() -> None:
    runs = load_sweep(DATA / "experimental_alignment").runs
    fig = rendered(plots.alignment(runs))
    assert len(fig.axes) == 3
    assert all(ax.get_xscale() == "log" for ax in fig.axes)
    assert not overlaps(fig)
    labels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]
    assert labels[1] == "clarity domains mean (index, 0-1)"
    assert labels[2] == "public spending (billion VND, cumulative)"
    assert "monthly chance of alignment" in fig.axes[-1].get_xlabel()
    points = means(fig.axes[0])[0].get_xdata()
    assert len(points) == runs["lever_policy_experimental_coordination"].nunique()


def test_experiment_points_of_one_run_have_no_error_bar() -> None:
    runs = load_sweep(DATA / "experimental_alignment").where(replicate=0).runs
    fig = rendered(plots.alignment(runs, metrics=("adoption",)))
    (ax,) = fig.axes
    assert not ax.containers and len(means(ax)) == 2  # two rework costs, no bars
    assert "none where a point has fewer than 3 runs" in fig._suptitle.get_text()


def test_ablation_figure_has_a_panel_per_outcome_and_a_series_per_regime_by_ablation() -> None:
    runs = load_sweep(DATA / "ablation").runs
    fig = rendered(plots.ablation(runs))
    assert not overlaps(fig)
    metrics = [m for m in ABLATION_METRICS if m in runs]
    titles = {"reach": "reach", "novel_uptake": "novel uptake",
              "technology_uptake": "technology uptake", "harm_per_served": "harm per served",
              "public_spending": "public spending",
              "months_to_60pct_depth": "months to 60% depth"}  # fmt: skip
    assert [ax.get_title().replace("\n", " ") for ax in fig.axes] == [titles[m] for m in metrics]
    assert len(metrics) >= 4
    ablations = sorted(runs["lever_ablation"].unique())
    order = ["none", *(a for a in ablations if a != "none")]  # the reference first
    options = sorted(set(runs["lever_policy"]) - {"status_quo"})
    result = paired_differences(runs, metrics=metrics, by="ablation")
    for ax, metric in zip(fig.axes, metrics, strict=True):
        assert [t.get_text() for t in ax.get_xticklabels()] == order
        assert len(ax.containers) == len(options)  # one series of points and CIs per regime
        rows = result[result["metric"] == metric].set_index(["option", "lever_ablation"])
        for bars, option in zip(ax.containers, options, strict=True):
            expected = rows.loc[[(option, a) for a in order], "mean_diff"].tolist()
            assert bars.lines[0].get_ydata().tolist() == pytest.approx(expected)
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        levels = [line.get_ydata()[0] for line in dashed]  # each regime's difference in none
        assert levels == pytest.approx(rows.loc[[(o, "none") for o in options], "mean_diff"])
    labels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]
    assert labels[metrics.index("harm_per_served")] == "difference (people harmed per 1,000 users)"
    assert labels[metrics.index("public_spending")] == "difference (billion VND, cumulative)"
    bottom = fig.axes[-3:] if len(metrics) % 3 == 0 else fig.axes[-(len(metrics) % 3) :]
    assert all(ax.get_xlabel() == "ablation: mechanism switched off" for ax in bottom)
    assert legend_texts(fig) == [*options, "its difference in none (every mechanism on)"]
    assert fig.legends[0].get_title().get_text() == "policy"
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "minus status_quo" in title and "(ablation)" in title and "3 pairs" in title


def test_ablation_figure_without_the_reference_and_of_one_replicate() -> None:
    results = load_sweep(DATA / "ablation")
    others = sorted(set(results.runs["lever_ablation"]) - {"none"})
    fig = rendered(plots.ablation(results.where(ablation=others).runs, "citizens_harmed"))
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == others
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert legend_texts(fig) == sorted(set(results.runs["lever_policy"]) - {"status_quo"})
    single = results.where(replicate=0).runs
    fig = rendered(plots.ablation(single, ["citizens_harmed", "not_a_metric"]))
    (ax,) = fig.axes  # a metric the table lacks is left out
    options = results.runs["lever_policy"].nunique() - 1
    assert len(ax.containers) == options  # a series per regime, every point without a bar
    assert all(not any(len(s) for s in bars.lines[2][0].get_segments()) for bars in ax.containers)
    assert "open markers: no CI" in fig._suptitle.get_text().replace("\n", " ")
    opened = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert sum(len(line.get_xdata()) for line in opened) == options * (len(others) + 1)
    with pytest.raises(ValueError, match="none of the metrics"):
        plots.ablation(single, "not_a_metric")


def test_the_palette_is_okabe_ito() -> None:
    from sandbox.plots.style import OKABE_ITO, styles

    looks = styles(range(10))
    assert [looks[i]["color"] for i in range(8)] == list(OKABE_ITO.values())
    assert looks[8]["linestyle"] != looks[0]["linestyle"]  # past eight, the style changes


def test_a_regime_keeps_its_colour_in_every_figure_and_never_the_targets() -> None:
    from sandbox.plots.style import TARGET_COLOUR, styles

    every = ["status_quo", "controlled_pilot", "phased", "phased_sandbox", "experimental",
             "facilitation"]  # fmt: skip
    some = ["facilitation", "status_quo"]
    assert styles(some)["facilitation"] == styles(every)["facilitation"]
    assert styles(some)["status_quo"] == styles(every)["status_quo"]
    colours = [look["color"] for look in styles(every).values()]
    assert len(set(colours)) == len(every) and TARGET_COLOUR not in colours
