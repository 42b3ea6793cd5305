"""Paired comparison on synthetic tables with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sandbox.analysis.comparison import (
    FLAGSHIP,
    as_option,
    breakdown_tables,
    breakdowns,
    comparison_table,
    pair_notes,
    paired_comparison,
)
from sandbox.experiments.compare import main, write_breakdown, write_comparison


def synthetic(rng: np.random.Generator, n_rep: int, effect: float, world_sd: float) -> pd.DataFrame:
    """Two policies x two resource options; replicate r shares a random world."""
    rows = []
    for resources, offset in (("central_budget", 0.0), ("mixed", 5.0)):
        world = rng.normal(0, world_sd, n_rep)
        for policy, shift in (("status_quo", 0.0), ("sandbox", effect)):
            noise = rng.normal(0, 1.0, n_rep)
            for r in range(n_rep):
                rows.append(
                    {
                        "status": "done",
                        "replicate": r,
                        "lever_policy": policy,
                        "lever_resources": resources,
                        "adoption": offset + world[r] + shift + noise[r],
                    }
                )
    return pd.DataFrame(rows)


def test_estimate_and_variance_reduction_match_the_construction() -> None:
    runs = synthetic(np.random.default_rng(0), 2000, effect=0.5, world_sd=3.0)
    (row,) = paired_comparison(runs, "status_quo", metrics=("adoption",)).itertuples()
    assert row.n_pairs == 4000
    assert row.ci_low < 0.5 < row.ci_high
    assert abs(row.mean_diff - 0.5) < 0.06
    # independent: var = 2 (3^2 + 1); paired: var = 2 * 1  -> reduction 10
    assert 8.5 < row.variance_reduction < 11.5
    assert row.se_independent > 2.5 * row.se_paired


def test_confidence_interval_covers_the_truth_about_95_percent() -> None:
    rng = np.random.default_rng(1)
    hits = 0
    trials = 300
    for _ in range(trials):
        runs = synthetic(rng, 8, effect=-1.0, world_sd=2.0)
        (row,) = paired_comparison(runs, "status_quo", metrics=("adoption",)).itertuples()
        hits += row.ci_low <= -1.0 <= row.ci_high
    assert 0.91 <= hits / trials <= 0.985


def test_table_has_policies_as_rows() -> None:
    runs = synthetic(np.random.default_rng(2), 10, effect=0.2, world_sd=1.0)
    result = paired_comparison(runs, "status_quo", metrics=("adoption",))
    table = comparison_table(result, "status_quo")
    assert list(table.index) == ["status_quo (level)", "sandbox"]
    assert list(table.columns) == ["adoption"]
    assert "[" in table.loc["sandbox", "adoption"]
    level = runs.loc[runs["lever_policy"] == "status_quo", "adoption"].mean()
    assert table.loc["status_quo (level)", "adoption"] == f"{level:,.3f}"


def test_any_lever_compares_and_an_unknown_one_names_the_levers() -> None:
    runs = synthetic(np.random.default_rng(3), 50, effect=0.2, world_sd=1.0)
    result = paired_comparison(runs, "central_budget", "resources", ("adoption",))
    (row,) = result.itertuples()
    assert row.option == "mixed" and row.ci_low < 5.0 < row.ci_high  # built with offset 5
    assert comparison_table(result, "central_budget", "lever_resources").index.name == "resources"
    with pytest.raises(ValueError, match=r"lever_budget.*\['policy', 'resources'\]"):
        paired_comparison(runs, "central_budget", "lever_budget", ("adoption",))


def test_written_comparison_states_units_and_flags_a_shared_ceiling(tmp_path) -> None:
    runs = synthetic(np.random.default_rng(4), 6, effect=0.2, world_sd=1.0)
    for metric in FLAGSHIP:
        runs[metric] = runs["adoption"]
    sandbox = runs["lever_policy"] == "sandbox"
    runs["technology_uptake"] = np.where(sandbox, 1.0, (np.arange(len(runs)) % 3 + 3.0) / 6)
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_comparison(tmp_path, "status_quo", "policy")  # lever without its prefix
    assert "each other policy option" in text and "billion VND" in text
    notes = [line for line in text.splitlines() if line.startswith("note:")]
    assert notes == [notes[0]] and "technology_uptake = 1" in notes[0]
    assert (tmp_path / "comparison_vs_status_quo.parquet").is_file()


def numeric(rng: np.random.Generator, n_rep: int) -> pd.DataFrame:
    """A sandbox-design-like table: capacity 10 or 40 (integers), crossed with a boolean."""
    rows = []
    for clean in (False, True):
        world = rng.normal(0, 2.0, n_rep)
        for capacity, shift in ((10, 0.0), (40, 1.5)):
            for r in range(n_rep):
                rows.append(
                    {
                        "status": "done",
                        "replicate": r,
                        "lever_policy_sandbox_capacity": capacity,
                        "lever_policy_sandbox_graduation_clean_only": clean,
                        "adoption": world[r] + shift + 0.5 * clean + rng.normal(0, 0.1),
                    }
                )
    return pd.DataFrame(rows)


def test_a_numeric_lever_takes_its_baseline_as_a_number_or_as_text() -> None:
    runs = numeric(np.random.default_rng(5), 20)
    lever = "policy_sandbox_capacity"
    by_number = paired_comparison(runs, 10, lever, ("adoption",))
    for text in ("10", " 10", "10.0"):
        pd.testing.assert_frame_equal(
            paired_comparison(runs, text, lever, ("adoption",)), by_number
        )
    (row,) = by_number.itertuples()
    assert row.option == 40 and row.n_pairs == 40 and abs(row.mean_diff - 1.5) < 0.1
    with pytest.raises(ValueError, match=r"baseline '15' not among \[10, 40\]"):
        paired_comparison(runs, "15", lever, ("adoption",))
    flag = paired_comparison(runs, "false", "policy_sandbox_graduation_clean_only", ("adoption",))
    assert flag["option"].tolist() == [True]
    assert as_option(runs["lever_policy_sandbox_capacity"], "40") == 40
    assert as_option(pd.Series(["status_quo", "phased"]), "phased") == "phased"


def test_breakdown_by_another_lever_compares_within_each_of_its_values() -> None:
    runs = numeric(np.random.default_rng(6), 12)
    lever, by = "policy_sandbox_capacity", "lever_policy_sandbox_graduation_clean_only"
    result = paired_comparison(
        runs, 10, lever, ("adoption",), by=("policy_sandbox_graduation_clean_only",)
    )
    assert result.columns[0] == by and len(result) == 2
    for clean, part in result.groupby(by):
        alone = paired_comparison(runs[runs[by] == clean], 10, lever, ("adoption",))
        assert part["mean_diff"].tolist() == pytest.approx(alone["mean_diff"].tolist())
        assert part["ci_high"].tolist() == pytest.approx(alone["ci_high"].tolist())
    table = comparison_table(result, 10, lever)
    assert table.index.names == ["policy_sandbox_graduation_clean_only", "policy_sandbox_capacity"]
    assert (False, "10 (level)") in table.index and (True, 40) in table.index


def test_one_pair_gives_no_interval_never_a_zero_width_one(tmp_path) -> None:
    runs = synthetic(np.random.default_rng(7), 1, effect=0.2, world_sd=1.0)
    result = paired_comparison(runs, "status_quo", metrics=("adoption",))
    (row,) = result.itertuples()
    assert row.n_pairs == 2  # one replicate x two resource options
    assert np.isnan(row.ci_low) and np.isnan(row.ci_high) and np.isnan(row.variance_reduction)
    assert row.ci_note.startswith("no CI: one pair per combination")
    assert comparison_table(result).loc["sandbox", "adoption"].endswith("[no CI]")
    for metric in FLAGSHIP:
        runs[metric] = runs["adoption"]
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_comparison(tmp_path, "status_quo")
    assert "1 replicate x 2 combinations" in text
    assert "note: no CI: one pair per combination" in text


def test_the_command_line_compares_a_numeric_lever(tmp_path, capsys) -> None:
    runs = numeric(np.random.default_rng(8), 5)
    for metric in FLAGSHIP:
        runs[metric] = runs["adoption"]
    runs.to_parquet(tmp_path / "runs.parquet")
    main([str(tmp_path), "--lever", "policy_sandbox_capacity", "--baseline", "10"])
    out = capsys.readouterr().out
    assert "10 (level)" in out and "each other policy_sandbox_capacity option" in out
    assert (tmp_path / "comparison_vs_10.txt").is_file()
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path), "--lever", "policy_sandbox_capacity", "--baseline", "15"])
    assert stop.value.code == 2
    assert "not among [10, 40]" in capsys.readouterr().err


def test_a_lever_that_follows_an_option_does_not_break_the_pairs() -> None:
    """An ablation that switches off a channel only one regime has (data-market rules):
    the switch varies within that regime's runs only, and every run still pairs with the
    status quo's run of the same ablation and replicate."""
    (row,) = paired_comparison(_ablation_runs(), "status_quo", metrics=("adoption",)).itertuples()
    assert row.n_pairs == 8
    assert row.mean_diff == pytest.approx(1.5)  # 2 with the channel, 1 without it


def test_identical_differences_get_a_note_never_a_zero_width_interval(tmp_path) -> None:
    runs = synthetic(np.random.default_rng(9), 5, effect=0.2, world_sd=1.0)
    sandbox = runs["lever_policy"] == "sandbox"
    world = runs["replicate"] * 0.137 + (runs["lever_resources"] == "mixed") * 0.71
    # every pair differs by 0.007 (up to float rounding, as world + 0.007 - world does)
    runs["reach"] = world + np.where(sandbox, 0.007, 0.0)
    runs["citizens_harmed"] = world  # no difference in any pair
    # 0.007 within central_budget, 0.011 within mixed: no spread within a combination
    step = np.where(runs["lever_resources"] == "mixed", 0.011, 0.007)
    runs["public_spending"] = world + np.where(sandbox, step, 0.0)
    metrics = ("adoption", "reach", "citizens_harmed", "public_spending")
    compared = paired_comparison(runs, "status_quo", metrics=metrics)
    result = compared.set_index("metric")
    assert result.loc["adoption", "ci_note"] == ""  # noisy: an interval
    assert result.loc["reach", "mean_diff"] == pytest.approx(0.007)
    notes = result["ci_note"].to_dict()
    assert notes["reach"].startswith("no CI: identical in every pair")
    assert notes["citizens_harmed"] == "no CI: no difference in any pair"
    assert notes["public_spending"].startswith("no CI: identical in every pair within each")
    assert result.loc[list(metrics[1:]), ["ci_low", "ci_high"]].isna().all().all()
    table = comparison_table(compared, "status_quo")
    assert table.loc["sandbox", "reach"] == "0.007 [identical in every pair]"
    assert table.loc["sandbox", "citizens_harmed"] == "0.000 [no difference in any pair]"
    assert table.loc["sandbox", "public_spending"].endswith("[identical within each combination]")
    for metric in FLAGSHIP:
        if metric not in runs:
            runs[metric] = runs["adoption"]
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_comparison(tmp_path, "status_quo")
    assert "[0.007, 0.007]" not in text and "0.007 [identical in every pair]" in text
    assert "note: no CI: no difference in any pair: citizens_harmed (sandbox)" in text
    assert "(no spread to estimate an interval from): reach (sandbox)" in text


def test_breakdown_by_the_other_levers_matches_pairing_by_hand(tmp_path) -> None:
    runs = synthetic(np.random.default_rng(10), 4, effect=0.2, world_sd=1.0)
    # the effect has opposite signs under the two resource options (noise sd 1, 4 pairs)
    sandbox = runs["lever_policy"] == "sandbox"
    mixed = runs["lever_resources"] == "mixed"
    runs.loc[sandbox & ~mixed, "adoption"] += 3.0
    runs.loc[sandbox & mixed, "adoption"] -= 3.0
    for metric in FLAGSHIP:
        if metric != "adoption":
            runs[metric] = runs["adoption"] * 2
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_breakdown(tmp_path, "status_quo", "policy")
    by_hand = {}
    for resources, group in runs.groupby("lever_resources"):
        arms = group.pivot(index="replicate", columns="lever_policy", values="adoption")
        by_hand[resources] = (arms["sandbox"] - arms["status_quo"]).mean()
    assert by_hand["central_budget"] > 0 > by_hand["mixed"]
    result = pd.read_parquet(tmp_path / "comparison_vs_status_quo_by_resources.parquet")
    adoption = result[result["metric"] == "adoption"].set_index("lever_resources")
    assert adoption["mean_diff"].to_dict() == pytest.approx(by_hand)
    lines = text.splitlines()
    assert lines[0].startswith("By resources (2 combinations): the lowest to the highest")
    low, high = sorted(by_hand.values())
    row = next(line for line in lines if line.startswith("sandbox"))
    assert f"{low:.3f} to {high:.3f}" in row
    (sign,) = [line for line in lines if line.startswith("note: the sign depends on resources")]
    assert "sandbox on adoption" in sign
    full = (tmp_path / "comparison_vs_status_quo_by_resources.txt").read_text()
    assert "adoption (share of population):" in full and "status_quo (level)" in full
    table = breakdown_tables(result, "status_quo")["adoption"]
    assert table.columns.tolist() == ["central_budget", "mixed"]
    assert table.index.tolist() == ["status_quo (level)", "sandbox"]
    assert table.loc["sandbox", "mixed"].startswith(f"{by_hand['mixed']:.3f} [")


def test_breakdowns_are_joint_up_to_eight_combinations_else_one_lever_at_a_time() -> None:
    rows = [
        {"status": "done", "replicate": 0, "lever_policy": p, "lever_a": a, "lever_b": b,
         "lever_c": c, "lever_a_name": f"name {a}"}
        for p in ("status_quo", "x") for a in range(2) for b in range(2) for c in range(3)
    ]  # fmt: skip
    runs = pd.DataFrame(rows)
    # a x b x c = 12 combinations: each alone; lever_a_name follows lever_a and adds none
    assert breakdowns(runs, "policy") == [["lever_a"], ["lever_b"], ["lever_c"]]
    two = runs[runs["lever_c"] == 0]  # a x b = 4: together
    assert breakdowns(two, "policy") == [["lever_a", "lever_b"]]
    assert breakdowns(two[(two["lever_a"] == 0) & (two["lever_b"] == 0)], "policy") == []


def _ablation_runs() -> pd.DataFrame:
    """Two regimes x two ablations x 4 replicates; the data-market switch is on only for
    facilitation with every mechanism on (it follows policy and ablation together)."""
    rows = []
    for ablation in ("none", "data_market"):
        for r in range(4):
            for policy in ("status_quo", "facilitation"):
                market = policy == "facilitation" and ablation == "none"
                rows.append(
                    {
                        "status": "done",
                        "replicate": r,
                        "lever_policy": policy,
                        "lever_ablation": ablation,
                        "lever_policy_data_market": market,
                        "adoption": 10.0 * r
                        + (2.0 if policy == "facilitation" else 0.0)
                        - (1.0 if policy == "facilitation" and ablation == "data_market" else 0),
                    }
                )
    return pd.DataFrame(rows)


def test_comparing_ablations_keeps_the_regime_an_ablation_touches() -> None:
    runs = _ablation_runs()
    result = paired_comparison(runs, "none", "ablation", ("adoption",))
    (row,) = result.itertuples()
    assert row.n_pairs == 8  # every regime and replicate, facilitation included
    assert row.mean_diff == pytest.approx(-0.5)  # -1 for facilitation, 0 for status quo


def test_runs_missing_from_one_arm_never_pair_across_other_levers() -> None:
    """Failed runs leave holes; a run is still paired only with the baseline's run of the
    same resources and replicate."""
    rows = []
    for r in range(4):
        for resources, level in (("central", 0.0), ("mixed", 50.0)):
            for policy, effect in (("status_quo", 0.0), ("sandbox", 1.0)):
                done = not (policy == "status_quo" and resources == "mixed")
                done = done and not (
                    policy == "sandbox" and resources == ("central", "mixed")[r % 2]
                )
                rows.append(
                    {
                        "status": "done" if done else "error",
                        "replicate": r,
                        "lever_policy": policy,
                        "lever_resources": resources,
                        "adoption": level + r + effect,
                    }
                )
    result = paired_comparison(pd.DataFrame(rows), "status_quo", metrics=("adoption",))
    (row,) = result.itertuples()
    assert row.mean_diff == pytest.approx(1.0)
    assert row.n_pairs == 2  # sandbox's central runs of odd replicates


def test_pairs_without_a_value_are_left_out() -> None:
    runs = synthetic(np.random.default_rng(9), 6, effect=1.0, world_sd=1.0)
    runs["months"] = runs["adoption"]
    runs.loc[runs["replicate"] < 2, "months"] = np.nan  # never reached in two replicates
    (row,) = paired_comparison(runs, "status_quo", metrics=("months",)).itertuples()
    assert row.n_pairs == 8  # 4 replicates x 2 resources
    runs["months"] = np.nan
    (row,) = paired_comparison(runs, "status_quo", metrics=("months",)).itertuples()
    assert row.n_pairs == 0 and "no pair" in row.ci_note


def test_decimal_and_negative_baselines_each_keep_their_own_files(tmp_path) -> None:
    """Three decimal baselines and a negative one, each with a breakdown: every table is
    written under its own name and none overwrites another."""
    rng = np.random.default_rng(3)
    rows = []
    for r in range(6):
        world = rng.normal()
        for share in (-1.0, 0.02, 0.05, 0.4):
            for clean in (False, True):
                rows.append(
                    {
                        "status": "done",
                        "replicate": r,
                        "lever_policy_share": share,
                        "lever_policy_clean": clean,
                        **{m: world + share + rng.normal(0, 0.1) for m in FLAGSHIP},
                    }
                )
    pd.DataFrame(rows).to_parquet(tmp_path / "runs.parquet")
    baselines = ("0.05", "0.4", "0.02", "-1.0")
    for baseline in baselines:
        write_comparison(tmp_path, baseline, "policy_share")
        write_breakdown(tmp_path, baseline, "policy_share")
    for baseline in baselines:
        main_table = pd.read_parquet(tmp_path / f"comparison_vs_{baseline}.parquet")
        assert float(baseline) not in set(main_table["option"])  # compared against it
        assert len(main_table) == 3 * len(FLAGSHIP)  # the three other options, no breakdown
        by = pd.read_parquet(tmp_path / f"comparison_vs_{baseline}_by_policy_clean.parquet")
        assert set(by["lever_policy_clean"]) == {False, True}
        assert (tmp_path / f"comparison_vs_{baseline}.txt").is_file()
    assert len(list(tmp_path.glob("comparison_vs_*.parquet"))) == 2 * len(baselines)


def test_a_threshold_never_reached_counts_at_the_horizon_and_is_never_dropped() -> None:
    """Three regimes, 10 replicates, followed 60 months from policy.start. The status quo
    gets there in month 30; ``fast_few`` in month 20 in 3 replicates and never in 7;
    ``steady`` in month 25 in all. Dropping the 7 would rank ``fast_few`` first (-10 against
    -5); counted at the 60 months followed (a restricted mean: 0.3 x 20 + 0.7 x 60 = 48) it
    is 18 months slower than the status quo, and last."""
    metric = "months_to_65pct_depth"
    times = {"status_quo": [30.0] * 10, "fast_few": [20.0] * 3 + [np.nan] * 7}
    times["steady"] = [25.0] * 10
    rows = [
        {
            "status": "done",
            "replicate": r,
            "lever_policy": policy,
            "setting_horizon_start": "2019-01",
            "lever_policy_start": "2026-01",
            "setting_horizon_end": "2030-12",
            metric: values[r],
        }
        for policy, values in times.items()
        for r in range(10)
    ]
    runs = pd.DataFrame(rows)
    result = paired_comparison(runs, "status_quo", metrics=(metric,)).set_index("option")
    assert result.loc["fast_few", "mean_diff"] == pytest.approx(0.3 * 20 + 0.7 * 60 - 30)
    assert result.loc["fast_few", "n_censored"] == 7
    assert result.loc["fast_few", "n_pairs"] == 10  # none dropped
    assert result.loc["steady", "mean_diff"] == pytest.approx(-5.0)
    assert result.loc["steady", "n_censored"] == 0
    # the ranking dropping would give is the reverse: fast_few ahead of steady
    dropped = runs.dropna(subset=[metric]).groupby("lever_policy")[metric].mean()
    assert dropped["fast_few"] < dropped["steady"]
    assert result.loc["fast_few", "mean_diff"] > result.loc["steady", "mean_diff"]
    notes = pair_notes(result.reset_index(), "status_quo", runs)
    assert any(metric in n and "fast_few 7 of 10" in n and "restricted" in n for n in notes)


def test_a_time_without_its_months_followed_is_still_left_out_with_a_note() -> None:
    """Without the horizon's months (a table from elsewhere) nothing is made up: the pairs
    without a value are left out, and the notes say how many were used."""
    runs = pd.DataFrame(
        {
            "status": "done",
            "replicate": [0, 1, 0, 1],
            "lever_policy": ["status_quo", "status_quo", "phased", "phased"],
            "months_to_65pct_depth": [30.0, 30.0, 20.0, np.nan],
        }
    )
    result = paired_comparison(runs, "status_quo", metrics=("months_to_65pct_depth",))
    assert result["n_pairs"].tolist() == [1] and result["n_censored"].tolist() == [0]
    notes = pair_notes(result, "status_quo", runs)
    assert any("phased 1 of 2" in n for n in notes)


@pytest.mark.parametrize(
    ("stored", "lever", "baseline"),
    [
        ("policy_comparison", "policy", "status_quo"),
        ("sandbox_design", "policy_sandbox_capacity", "10"),
    ],
)
def test_console_tables_and_notes_fit_100_columns(stored, lever, baseline, tmp_path) -> None:
    """The flagship's nine headline outcomes made tables up to 420 characters wide; every
    line now fits 100 columns, tables wrapped into blocks of columns, and nothing is lost:
    each option and outcome still appears."""
    import shutil
    from pathlib import Path

    folder = tmp_path / stored
    shutil.copytree(Path(__file__).parent / "data" / "analysis" / stored, folder)
    text = write_comparison(folder, baseline, lever)
    text += "\n" + write_breakdown(folder, baseline, lever)
    assert max(len(line) for line in text.splitlines()) <= 100
    runs = pd.read_parquet(folder / "runs.parquet")
    for name in [*runs[f"lever_{lever}"].unique(), *(m for m in FLAGSHIP if m in runs)]:
        assert str(name) in text
