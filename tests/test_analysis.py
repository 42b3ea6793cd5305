"""sandbox.analysis on stored tables (tests/data/analysis, `make analysis-data`) and on
small hand-made frames with answers worked out by hand.

Nothing here depends on the model's values: the stored tables are fixed, and every check
is against the tables themselves or against arithmetic done in the test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from sandbox.analysis import (
    HISTORICAL_TARGETS,
    SingleReplicateWarning,
    design_levers,
    design_outcomes,
    left_behind,
    load_provinces,
    load_sweep,
    load_sweeps,
    metric_columns,
    non_dominated,
    paired_differences,
    province_matrix,
    province_spread,
    service_coverage,
    spread_across_provinces,
    summarise,
    sweep_spread,
    time_to_threshold,
    urban_rural_gap,
)
from sandbox.analysis.equity import PROVINCE_COLUMNS
from sandbox.analysis.families import with_family_mean
from sandbox.analysis.targets import targets_within
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.schema import register
from sandbox.experiments.collect import load_run
from sandbox.units import label, unit

DATA = Path(__file__).parent / "data" / "analysis"
T_975_3 = 3.182446305284263  # Student t, 97.5% quantile, 3 degrees of freedom (tables)
T_975_2 = 4.302652729911275  # the same, 2 degrees of freedom


@pytest.fixture(scope="module")
def policy():
    return load_sweep(DATA / "policy_comparison")


@pytest.fixture(scope="module")
def design():
    return load_sweep(DATA / "sandbox_design")


# loading ------------------------------------------------------------------------------


def test_a_sweep_loads_tidy_with_levers_on_the_series_and_months_as_periods(policy) -> None:
    runs, series = policy.runs, policy.timeseries
    stored = pd.read_parquet(DATA / "policy_comparison" / "timeseries.parquet")
    assert len(series) == len(stored)
    assert isinstance(series["month"].dtype, pd.PeriodDtype)
    assert str(series["month"].iloc[0]) == stored.sort_values(["run_id", "month"])["month"].iloc[0]
    assert not series.duplicated(["run_id", "month"]).any()
    for column in ("replicate", "lever_policy", "lever_data", "lever_resources"):
        joined = series.drop_duplicates("run_id").set_index("run_id")[column]
        assert joined.equals(runs.set_index("run_id").loc[joined.index, column])
    assert set(policy.metrics) == set(metric_columns(stored))
    assert policy.levers[:2] == ["lever_policy", "lever_data"]


def test_several_sweeps_carry_a_sweep_column(policy, design) -> None:
    both = load_sweeps([DATA / "policy_comparison", DATA / "sandbox_design"])
    counts = both.runs["sweep"].value_counts().to_dict()
    assert counts == {"policy_comparison": len(policy.runs), "sandbox_design": len(design.runs)}
    assert both.timeseries.groupby("sweep")["run_id"].nunique().to_dict() == counts
    assert "lever_policy_sandbox_capacity" in both.timeseries.columns  # varies across sweeps
    named = load_sweeps({"a": DATA / "policy_comparison", "b": DATA / "policy_comparison"})
    assert named.keys == ["sweep", "run_id"] and len(named.runs) == 2 * len(policy.runs)
    with pytest.raises(ValueError, match="same name"):
        load_sweeps([DATA / "policy_comparison", DATA / "policy_comparison"])


def test_a_folder_without_tables_says_how_to_collect_it(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="sandbox-collect"):
        load_sweep(tmp_path)


def test_one_run_folder_loads_with_its_configuration_summary_and_series(tmp_path, policy) -> None:
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["policy=controlled_pilot", "replicate=1"])
    job = tmp_path / "run"
    (job / ".hydra").mkdir(parents=True)
    OmegaConf.save(cfg, job / ".hydra" / "config.yaml")
    stored = pd.read_parquet(DATA / "policy_comparison" / "timeseries.parquet")
    series = stored[stored["run_id"] == stored["run_id"].iloc[0]].drop(columns="run_id")
    series.to_parquet(job / "timeseries.parquet")
    (job / "summary.json").write_text(json.dumps({"adoption": 0.25}))
    one = load_run(job)
    (row,) = one.runs.to_dict("records")
    assert (row["lever_policy"], row["replicate"], row["adoption"]) == ("controlled_pilot", 1, 0.25)
    assert row["status"] == "missing"  # no manifest: not a finished run of a sweep
    assert len(one.timeseries) == len(series)
    assert isinstance(one.timeseries["month"].dtype, pd.PeriodDtype)
    assert one.timeseries["adoption"].tolist() == series["adoption"].tolist()
    assert set(one.timeseries["run_id"]) == {row["run_id"]}


def test_where_selects_runs_in_both_tables_and_reads_numbers_from_text(policy, design) -> None:
    chosen = policy.where(policy="status_quo", replicate=[0, 1])
    assert set(chosen.runs["lever_policy"]) == {"status_quo"}
    assert set(chosen.runs["replicate"]) == {0, 1}
    assert set(chosen.timeseries["run_id"]) == set(chosen.runs["run_id"])
    as_text = design.where(policy_sandbox_capacity="10")
    as_number = design.where(policy_sandbox_capacity=10)
    assert as_text.runs["run_id"].tolist() == as_number.runs["run_id"].tolist()
    assert len(as_text.runs) == len(design.runs) // 2
    with pytest.raises(ValueError, match="levers that vary"):
        policy.where(budget="big")


# summaries ------------------------------------------------------------------------------


def hand_frame() -> pd.DataFrame:
    """Policy a: 1, 2, 3, 4; policy b: 10, 20, 60 (and one run without a value)."""
    return pd.DataFrame(
        {
            "lever_policy": ["a"] * 4 + ["b"] * 4,
            "replicate": [0, 1, 2, 3] * 2,
            "outcome": [1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 60.0, np.nan],
        }
    )


def test_summary_matches_hand_arithmetic() -> None:
    table = summarise(hand_frame(), "policy", "outcome").set_index("lever_policy")
    a, b = table.loc["a"], table.loc["b"]
    sd_a = math.sqrt(((1.5**2) * 2 + (0.5**2) * 2) / 3)  # around the mean 2.5
    assert (a["n"], a["n_missing"], a["mean"], a["median"]) == (4, 0, 2.5, 2.5)
    assert a["sd"] == pytest.approx(sd_a)
    assert a["ci_high"] - a["mean"] == pytest.approx(T_975_3 * sd_a / 2)
    assert a["mean"] - a["ci_low"] == pytest.approx(T_975_3 * sd_a / 2)
    assert a["q05"] == pytest.approx(1.15) and a["q95"] == pytest.approx(3.85)  # linear
    sd_b = math.sqrt((20**2 + 10**2 + 30**2) / 2)  # around the mean 30
    assert (b["n"], b["n_missing"], b["mean"]) == (3, 1, 30.0)
    assert b["ci_high"] - b["mean"] == pytest.approx(T_975_2 * sd_b / math.sqrt(3))
    assert (table["ci_note"] == "").all()


def test_one_replicate_gives_a_nan_interval_a_note_and_a_warning() -> None:
    frame = hand_frame()
    single = frame[frame["replicate"] == 0]
    with pytest.warns(SingleReplicateWarning, match="one run"):
        table = summarise(single, "policy", "outcome")
    assert table["ci_low"].isna().all() and table["ci_high"].isna().all()
    assert table["ci_note"].str.contains("one run").all()
    assert table["mean"].tolist() == [1.0, 10.0]


def test_a_threshold_no_run_reached_summarises_to_no_value() -> None:
    frame = hand_frame().assign(months=pd.Series([None] * 8, dtype=object))  # as collected
    table = summarise(frame, "policy", ["months", "outcome"], warn=False)
    never = table[table["metric"] == "months"]
    assert never["n"].tolist() == [0, 0] and never["n_missing"].tolist() == [4, 4]
    assert (
        never["mean"].isna().all() and (never["ci_note"] == "no CI: no value in this group").all()
    )


def test_the_same_value_in_every_run_has_no_interval_and_says_so() -> None:
    frame = hand_frame().assign(outcome=0.25)
    table = summarise(frame, "policy", "outcome")
    assert table["ci_low"].isna().all() and table["ci_high"].isna().all()
    assert (table["ci_note"] == "no CI: the same value in every run").all()
    assert table["mean"].tolist() == [0.25, 0.25]


def test_summary_over_time_and_pooled(policy) -> None:
    table = summarise(policy.timeseries, ["policy", "month"], ["adoption", "provinces_with_app"])
    months = policy.timeseries["month"].nunique()
    assert len(table) == 3 * months * 2
    assert isinstance(table["month"].dtype, pd.PeriodDtype)
    assert set(table["n"]) == {6}  # 3 replicates x 2 data regimes per policy
    last = table[(table["month"] == table["month"].max()) & (table["metric"] == "adoption")]
    expected = policy.runs.groupby("lever_policy")["adoption"].mean()
    assert last.set_index("lever_policy")["mean"].to_dict() == pytest.approx(expected.to_dict())
    pooled = summarise(policy.runs, metrics="adoption")
    assert pooled.loc[0, "n"] == len(policy.runs)
    assert pooled.loc[0, "mean"] == pytest.approx(policy.runs["adoption"].mean())


# paired differences ---------------------------------------------------------------------


def test_numeric_lever_baseline_by_text_or_number_matches_hand_pairing(design) -> None:
    runs = design.runs
    from_text = paired_differences(runs, "policy_sandbox_capacity", "10", "adoption")
    from_number = paired_differences(runs, "lever_policy_sandbox_capacity", 10, ["adoption"])
    pd.testing.assert_frame_equal(from_text, from_number)
    keys = ["lever_policy_sandbox_graduation_evidence", "replicate"]
    cap = "lever_policy_sandbox_capacity"
    pairs = runs[runs[cap] == 40].merge(runs[runs[cap] == 10], on=keys, suffixes=("", "_base"))
    (row,) = from_text.itertuples()
    assert row.option == 40 and row.n_pairs == len(pairs) == 6
    assert row.mean_diff == pytest.approx((pairs["adoption"] - pairs["adoption_base"]).mean())
    with pytest.raises(ValueError, match=r"baseline '15' not among \[10, 40\]"):
        paired_differences(runs, "policy_sandbox_capacity", "15", "adoption")


def test_breakdown_by_another_lever_is_the_comparison_within_each_value(policy) -> None:
    broken = paired_differences(policy.runs, "policy", "status_quo", ["adoption"], by="data")
    assert set(broken["lever_data"]) == set(policy.runs["lever_data"])
    for data, part in broken.groupby("lever_data"):
        alone = paired_differences(policy.where(data=data).runs, metrics=["adoption"])
        cols = ["option", "mean_diff", "ci_low", "ci_high", "n_pairs"]
        pd.testing.assert_frame_equal(part[cols].reset_index(drop=True), alone[cols])


def test_one_replicate_comparison_has_no_interval_and_says_why(policy) -> None:
    single = policy.where(replicate=0, data="fragmented").runs
    result = paired_differences(single, metrics=["adoption"])
    assert result["ci_low"].isna().all() and result["ci_high"].isna().all()
    assert result["ci_note"].str.startswith("no CI").all()
    assert result["mean_diff"].notna().all()


def test_paired_differences_over_time(policy) -> None:
    late = policy.timeseries[policy.timeseries["month"] >= policy.timeseries["month"].max() - 2]
    result = paired_differences(late, metrics=["adoption"], by="month")
    assert len(result) == 3 * 2  # three months x two options
    final = result[result["month"] == late["month"].max()].set_index("option")["mean_diff"]
    at_end = paired_differences(policy.runs, metrics=["adoption"]).set_index("option")
    assert final.to_dict() == pytest.approx(at_end["mean_diff"].to_dict())


# time to thresholds ---------------------------------------------------------------------


def hand_series() -> pd.DataFrame:
    months = ["2019-01", "2019-02", "2019-03", "2019-04"]
    return pd.DataFrame(
        {
            "run_id": ["a"] * 4 + ["b"] * 4,
            "lever_policy": ["x"] * 4 + ["y"] * 4,
            "month": months * 2,
            "outcome": [0.0, 1.0, 2.0, 3.0, 0.0, 0.0, 1.0, 1.0],
        }
    ).assign(month=lambda f: pd.PeriodIndex(f["month"], freq="M"))


def test_time_to_threshold_counts_months_from_the_start_and_nan_if_never() -> None:
    series = hand_series()
    first = time_to_threshold(series, "outcome", 2).set_index("run_id")["months"]
    assert first["a"] == 3  # reached at the end of the third month
    assert np.isnan(first["b"])  # never
    later = time_to_threshold(series, "outcome", 2, start="2019-02").set_index("run_id")
    assert later.loc["a", "months"] == 2 and later.loc["a", "lever_policy"] == "x"
    already = time_to_threshold(series, "outcome", 2, start="2019-04")
    assert already.set_index("run_id").loc["a", "months"] == 0  # reached before it starts
    per_run = series.assign(lever_policy_start=pd.Period("2019-03", freq="M"))
    from_column = time_to_threshold(per_run, "outcome", 1, start="lever_policy_start")
    assert from_column.set_index("run_id")["months"].to_dict() == {"a": 0, "b": 1}
    with pytest.raises(ValueError, match="neither a month"):
        time_to_threshold(series, "outcome", 1, start="lever_policy_start")
    falling = series.assign(outcome=-series["outcome"])
    down = time_to_threshold(falling, "outcome", -2, direction="down", name="t")
    assert down.set_index("run_id").loc["a", "t"] == 3


def test_time_to_threshold_agrees_with_the_runs_own_summary(policy) -> None:
    if "months_to_50pct_app" not in policy.runs:
        pytest.skip("the stored runs have no months_to_50pct_app")
    # the model counts against each month's map (``provinces``: the number of units
    # changes with the merger), so the threshold is a share of the provinces: one half
    series = policy.timeseries
    share = series["provinces_with_app"] / series["provinces"]
    times = time_to_threshold(series.assign(share_with_app=share), "share_with_app", 0.5)
    merged = times.merge(policy.runs[["run_id", "months_to_50pct_app"]], on="run_id")
    pd.testing.assert_series_equal(
        merged["months"], merged["months_to_50pct_app"], check_names=False
    )


# equity ---------------------------------------------------------------------------------


def test_equity_views_summarise_what_the_model_reported(policy) -> None:
    gap = urban_rural_gap(policy.timeseries)
    assert set(gap["metric"]) == {"urban_rural_gap", "adoption_urban", "adoption_rural"}
    reported = policy.timeseries.groupby(["lever_policy", "month"])["urban_rural_gap"].mean()
    mine = gap[gap["metric"] == "urban_rural_gap"].set_index(["lever_policy", "month"])["mean"]
    pd.testing.assert_series_equal(mine, reported, check_names=False)
    behind = left_behind(policy.timeseries, by=["policy", "data"])
    assert set(behind["metric"]) == {"provinces_no_service"}
    assert len(behind) == 6 * policy.timeseries["month"].nunique()
    coverage = service_coverage(policy.timeseries)
    assert coverage["metric"].str.startswith("provinces_service_").all()


def merger_table() -> pd.DataFrame:
    """Two months of three provinces, then two of two units: Ha Noi keeps its name, Hue and
    Ca Mau merge into Mekong (as the default region's 63 become 34 in July 2025)."""
    months = {
        "2025-05": {"Ha Noi": 0, "Hue": 1, "Ca Mau": 2},
        "2025-06": {"Ha Noi": 0, "Hue": 3, "Ca Mau": 6},
        "2025-07": {"Ha Noi": 4, "Mekong": 5},
        "2025-08": {"Ha Noi": 6, "Mekong": 0},
    }
    rows = [
        ("r", month, province, value, value / 10)
        for month, values in months.items()
        for province, value in values.items()
    ]
    columns = ["run_id", "month", "province", "services_deployed", "adoption"]
    assert columns == list(PROVINCE_COLUMNS)  # the documented per-province table
    return pd.DataFrame(rows, columns=columns)


def test_province_matrix_orders_the_last_map_first_and_leaves_off_map_cells_empty() -> None:
    table = merger_table()
    matrix = province_matrix(table)
    # the last month's map in its order, then those that left it, in the table's order
    assert matrix.index.tolist() == ["Ha Noi", "Mekong", "Hue", "Ca Mau"]
    assert [str(m) for m in matrix.columns] == ["2025-05", "2025-06", "2025-07", "2025-08"]
    assert matrix.loc["Ca Mau"].tolist()[:2] == [2, 6] and matrix.loc["Ca Mau"].isna().tolist() == [
        False, False, True, True]  # fmt: skip
    assert matrix.loc["Mekong"].isna().tolist() == [True, True, False, False]
    spread = province_spread(matrix)
    assert spread["n"].tolist() == [3, 3, 2, 2]  # provinces on each month's map
    assert spread["mean"].tolist() == pytest.approx([1.0, 3.0, 4.5, 3.0])
    assert spread["n_zero"].tolist() == [1, 1, 0, 1]  # an off-map province is not a zero
    assert spread["max"].tolist() == [2, 6, 5, 6]
    assert spread["median"].tolist() == [1, 3, 4.5, 3]
    with pytest.raises(ValueError, match="2 runs"):
        province_matrix(pd.concat([table, table.assign(run_id="s")]))
    with pytest.raises(ValueError, match="'t' is not in"):
        province_matrix(table, run_id="t")


def test_spread_across_provinces_per_run_and_month_by_hand() -> None:
    table = pd.concat([merger_table(), merger_table().assign(run_id="s", adoption=0.5)])
    spread = spread_across_provinces(table, "adoption").set_index(["run_id", "month"])
    assert spread.loc[("r", "2025-06"), "province_adoption_q90"] == pytest.approx(
        0.3 + 0.8 * (0.6 - 0.3))  # linear between the 2nd and 3rd of 0, 0.3, 0.6  # fmt: skip
    assert (spread.loc["s", "province_adoption_min"] == 0.5).all()
    assert spread["provinces"].tolist() == [3, 3, 2, 2] * 2


@pytest.fixture(scope="module")
def provinces(policy):
    return load_provinces(DATA / "policy_comparison", policy.runs)


def test_the_collected_provinces_add_up_to_what_the_model_reported(policy, provinces) -> None:
    # the model's national metrics are independent of the per-province table: the mean of
    # the provinces' services is services_per_province, their count the month's map, and
    # those with a service are provinces_with_app
    spread = spread_across_provinces(provinces)
    merged = spread.merge(policy.timeseries, on=["run_id", "month"], suffixes=("", "_model"))
    assert len(merged) == len(policy.timeseries) == len(spread)
    assert merged["province_services_deployed_mean"].to_numpy() == pytest.approx(
        merged["services_per_province"].to_numpy(), abs=1e-12)  # fmt: skip
    assert (merged["provinces"] == merged["provinces_model"]).all()
    with_app = merged["provinces"] - merged["province_services_deployed_n_zero"]
    assert (with_app == merged["provinces_with_app"]).all()
    assert set(merged["provinces"]) == {63, 34}  # the default region's merger
    # the levers are joined on as on the time series
    for column in ("replicate", "lever_policy", "lever_data"):
        assert column in provinces.columns and column in spread.columns


def test_load_provinces_selects_runs_and_says_when_a_sweep_has_none(policy, tmp_path) -> None:
    one = policy.where(policy="facilitation", data="national_platform", replicate=2).runs
    table = load_provinces(DATA / "policy_comparison", one)
    assert set(table["run_id"]) == set(one["run_id"])
    assert set(table["lever_policy"]) == {"facilitation"}
    assert isinstance(table["month"].dtype, pd.PeriodDtype)
    by_id = load_provinces(DATA / "policy_comparison", one["run_id"].iloc[0])
    assert by_id[["month", "province", "services_deployed"]].equals(
        table[["month", "province", "services_deployed"]])  # fmt: skip
    matrix = province_matrix(table)
    months = policy.timeseries[policy.timeseries["run_id"] == one["run_id"].iloc[0]]
    assert matrix.notna().sum().tolist() == months["provinces"].tolist()
    for name in ("runs.parquet", "timeseries.parquet"):  # a sweep collected before
        (tmp_path / name).write_bytes((DATA / "policy_comparison" / name).read_bytes())
    with pytest.raises(FileNotFoundError, match="collect it again: sandbox-collect"):
        load_provinces(tmp_path)
    assert load_provinces(tmp_path, missing_ok=True) is None


def test_sweep_spread_joins_the_levers_on_the_spread(policy) -> None:
    spread = sweep_spread(DATA / "policy_comparison", policy.runs)
    assert len(spread) == len(policy.timeseries)
    assert {"province_services_deployed_q10", "province_adoption_q90", "lever_policy"} <= set(
        spread.columns)  # fmt: skip
    assert sweep_spread(DATA / "missing", policy.runs) is None


# designs and the frontier -----------------------------------------------------------------


def test_non_dominated_by_hand() -> None:
    points = pd.DataFrame(
        {"speed": [1.0, 2.0, 2.0, 3.0, np.nan], "harm": [1.0, 1.0, 3.0, 2.0, 0.0]}
    )
    front = non_dominated(points, {"speed": "max", "harm": "min"})
    # (2,1) dominates (1,1) and (2,3); (3,2) is faster but more harmful; the last has no speed
    assert front.tolist() == [False, True, False, True, True]
    with pytest.raises(ValueError, match="'min' or 'max'"):
        non_dominated(points, {"speed": "fast"})


def test_designs_are_the_varying_levers_that_no_other_fixes(policy, design) -> None:
    assert design_levers(policy.runs) == ["lever_policy", "lever_data"]
    levers = design_levers(design.runs)
    assert levers == ["lever_policy_sandbox_capacity", "lever_policy_sandbox_graduation_evidence"]
    table = design_outcomes(design.runs, ["adoption", "citizens_harmed"])
    assert len(table) == 4 and set(table["n"]) == {3}
    by_hand = design.runs.groupby(levers)["adoption"].mean()
    assert table.set_index(levers)["adoption"].to_dict() == pytest.approx(by_hand.to_dict())
    assert (table["adoption_ci_low"] <= table["adoption"]).all()


# targets, families, units -----------------------------------------------------------------


def test_targets_within_the_plotted_months() -> None:
    first, last = pd.Period("2019-01", "M"), pd.Period("2022-12", "M")
    inside = targets_within(HISTORICAL_TARGETS, "provinces_with_project", first, last)
    assert inside["value"].tolist() == [41]
    assert targets_within(None, "provinces_with_project", first, last).empty
    mine = pd.DataFrame({"metric": ["adoption"], "month": ["2020-06"], "value": [0.1]})
    assert targets_within(mine, "adoption", first, last)["value"].tolist() == [0.1]


def test_family_mean_is_the_mean_of_the_family(policy) -> None:
    runs = with_family_mean(policy.runs, "clarity_")
    columns = [c for c in policy.runs.columns if c.startswith("clarity_")]
    assert runs["clarity_domains_mean"].tolist() == pytest.approx(
        policy.runs[columns].mean(axis=1).tolist()
    )
    with pytest.raises(ValueError, match="no metric column"):
        with_family_mean(policy.runs, "nothing_")


def test_every_stored_metric_has_a_unit(policy, design) -> None:
    metrics = set(policy.metrics) | set(metric_columns(design.runs))
    assert not [m for m in metrics if not unit(m)]
    assert label("adoption") == "adoption (share of population)"
    assert label("lever_policy_sandbox_capacity") == "policy_sandbox_capacity (concurrent pilots)"


def test_one_run_under_two_labels_gets_its_series_under_each() -> None:
    """An ablation of a mechanism a regime lacks reaches the same configuration (same
    run_id) as the reference: the collected series appears once per job; each label keeps
    one copy of it."""
    from sandbox.analysis.tables import tidy

    runs = pd.DataFrame(
        {
            "run_id": ["a", "a", "b"],
            "status": "done",
            "replicate": [0, 0, 0],
            "lever_policy": ["status_quo", "status_quo", "facilitation"],
            "lever_ablation": ["none", "data_market", "none"],
        }
    )
    months = ["2030-11", "2030-12"]
    series = pd.DataFrame(
        {
            "run_id": ["a"] * 4 + ["b"] * 2,  # run a collected twice (two jobs)
            "month": months * 3,
            "adoption": [0.1, 0.2, 0.1, 0.2, 0.3, 0.4],
        }
    )
    out = tidy(runs, series).timeseries
    assert len(out) == 6  # 3 labels x 2 months, no label doubled
    for option in ("none", "data_market"):
        mine = out[(out.run_id == "a") & (out.lever_ablation == option)]
        assert mine["adoption"].tolist() == [0.1, 0.2]


def test_provinces_keep_the_model_order_within_a_month(policy) -> None:
    raw = pd.read_parquet(DATA / "policy_comparison" / "provinces.parquet")
    rid = policy.runs["run_id"].iloc[0]
    mine = raw[raw["run_id"] == rid]
    table = load_provinces(DATA / "policy_comparison", rid)
    for month in (mine["month"].iloc[0], mine["month"].iloc[-1]):
        expected = mine.loc[mine["month"] == month, "province"].tolist()
        got = table.loc[table["month"] == pd.Period(month, "M"), "province"].tolist()
        assert got == expected and expected != sorted(expected)


def test_sweep_spread_takes_the_runs_of_several_sweeps(policy, design) -> None:
    runs = load_sweeps({"policy": DATA / "policy_comparison", "design": DATA / "sandbox_design"})
    mine = runs.runs[runs.runs["sweep"] == "policy"]
    spread = sweep_spread(DATA / "policy_comparison", mine)
    assert set(spread["run_id"]) == set(mine["run_id"])


def test_design_outcomes_of_designs_not_fully_crossed(design) -> None:
    levers = design_levers(design.runs)
    first = design.runs[levers].drop_duplicates().iloc[0]
    runs = design.runs[~(design.runs[levers] == first).all(axis=1)]  # one design never ran
    out = design_outcomes(runs, ["months_to_60pct_depth", "citizens_harmed"], warn=False)
    assert len(out) == len(runs[levers].drop_duplicates())


def test_a_collection_whose_runs_have_no_province_table_writes_none(tmp_path) -> None:
    """Runs made before the model wrote provinces.parquet: the collection writes no table
    (not an empty one of the wrong types), and the analysis says the sweep has none."""
    from sandbox.experiments.collect import _write_provinces

    job = tmp_path / "job"
    job.mkdir()
    _write_provinces(tmp_path / "provinces.parquet", [("r1", job, None)])
    assert not (tmp_path / "provinces.parquet").exists()
    assert load_provinces(tmp_path, ["r1"], missing_ok=True) is None
