"""Paired comparison on synthetic tables with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sandbox.experiments.compare import (
    FLAGSHIP,
    comparison_table,
    paired_comparison,
    write_comparison,
)


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
    runs["provinces_with_app"] = np.where(sandbox, 63, np.arange(len(runs)) % 3 + 60)
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_comparison(tmp_path, "status_quo", "policy")  # lever without its prefix
    assert "each other policy option" in text and "billion VND" in text
    notes = [line for line in text.splitlines() if line.startswith("note:")]
    assert notes == [notes[0]] and "provinces_with_app = 63" in notes[0]
    assert (tmp_path / "comparison_vs_status_quo.parquet").is_file()
