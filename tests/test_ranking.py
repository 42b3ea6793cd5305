"""Ranks of regimes per outcome and how they move across ablations, on tables whose ranks
are known by construction, and on the stored ablation sweep."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandbox.analysis.comparison import FLAGSHIP
from sandbox.analysis.ranking import SENSE, rank_moves, ranks
from sandbox.experiments.ranking import write_ranking

STORED = Path(__file__).parent / "data" / "analysis" / "ablation"


def _runs(values: dict[tuple[str, str], dict[str, list[float]]]) -> pd.DataFrame:
    """A runs table: one row per replicate of each (ablation, policy)."""
    rows = []
    for (ablation, policy), metrics in values.items():
        for r in range(len(next(iter(metrics.values())))):
            rows.append(
                {
                    "status": "done",
                    "lever_ablation": ablation,
                    "lever_policy": policy,
                    "replicate": r,
                    **{m: v[r] for m, v in metrics.items()},
                }
            )
    rows.append({**rows[0], "status": "failed", "adoption": 99.0})  # never counted
    return pd.DataFrame(rows)


def test_ranks_follow_each_outcomes_sense_and_ties_share_the_better_rank() -> None:
    runs = _runs(
        {
            ("none", "a"): {"adoption": [0.25, 0.75], "citizens_harmed": [10, 30],
                            "months_to_60pct_depth": [12, 14]},
            ("none", "b"): {"adoption": [0.125, 0.125], "citizens_harmed": [5, 5],
                            "months_to_60pct_depth": [np.nan, np.nan]},
            ("none", "c"): {"adoption": [0.5, 0.5], "citizens_harmed": [20, 20],
                            "months_to_60pct_depth": [20, 20]},
        }
    )  # fmt: skip
    table = ranks(runs, metrics=("adoption", "citizens_harmed", "months_to_60pct_depth"))
    got = table.set_index(["metric", "lever_policy"])["rank"]
    # adoption means 0.5, 0.125, 0.5 (exact in binary): a and c tie for first, b is third
    assert [got["adoption", p] for p in "abc"] == [1, 3, 1]
    # harm means 20, 5, 20: less is better
    assert [got["citizens_harmed", p] for p in "abc"] == [2, 1, 2]
    # months 13, never, 20: never reached ranks last
    assert [got["months_to_60pct_depth", p] for p in "abc"] == [1, 3, 2]
    assert (table["runs"] == 2).all()  # the failed run is not counted


def test_rank_moves_counts_the_ablations_that_change_a_rank() -> None:
    runs = _runs(
        {
            ("none", "a"): {"adoption": [0.3]}, ("none", "b"): {"adoption": [0.2]},
            ("x", "a"): {"adoption": [0.1]}, ("x", "b"): {"adoption": [0.2]},
            ("y", "a"): {"adoption": [0.5]}, ("y", "b"): {"adoption": [0.4]},
        }
    )  # fmt: skip
    wide = rank_moves(ranks(runs, metrics=("adoption",)), reference="none")
    assert list(wide.columns) == ["none", "x", "y", "moved"]
    assert wide.loc[("adoption", "a")].tolist() == [1, 2, 1, 1]
    assert wide.loc[("adoption", "b")].tolist() == [2, 1, 2, 1]
    with pytest.raises(ValueError, match="'z' is not among the options"):
        rank_moves(ranks(runs, metrics=("adoption",)), reference="z")


def test_every_headline_outcome_has_a_sense() -> None:
    assert set(FLAGSHIP) <= set(SENSE)
    with pytest.raises(ValueError, match="no sense"):
        ranks(_runs({("none", "a"): {"pilots_running": [1.0]}}), metrics=("pilots_running",))


def test_the_stored_ablation_sweep_gets_its_ranking_files(tmp_path: Path) -> None:
    sweep = tmp_path / "ablation"
    shutil.copytree(STORED, sweep)
    text = write_ranking(sweep, "ablation", "none")
    table = pd.read_parquet(sweep / "ranking_by_ablation.parquet")
    runs = pd.read_parquet(sweep / "runs.parquet")
    done = runs[runs["status"] == "done"]
    n_options = done.groupby("lever_ablation")["lever_policy"].nunique()
    # each ablation ranks each of its policies once per outcome, from 1 up
    assert len(table) == n_options.sum() * len(FLAGSHIP)
    for (_, _), group in table.groupby(["lever_ablation", "metric"]):
        assert group["rank"].min() == 1 and group["rank"].max() <= len(group)
    assert (sweep / "ranking_by_ablation.txt").read_text().strip() == text
    for policy in done["lever_policy"].unique():
        assert policy in text


def test_a_regime_that_seldom_reaches_a_threshold_ranks_by_its_restricted_mean() -> None:
    """``a`` reaches the depth threshold in month 20 in 1 of 4 replicates and never in the
    60 months followed in 3; ``b`` in month 40 in all. The mean of the runs that got there
    would rank ``a`` first; counted at 60 months when never reached (mean 50), ``a`` is
    second."""
    metric = "months_to_65pct_depth"
    runs = _runs(
        {
            ("none", "a"): {metric: [20.0, np.nan, np.nan, np.nan]},
            ("none", "b"): {metric: [40.0] * 4},
        }
    ).assign(
        setting_horizon_start="2019-01", lever_policy_start="2026-01", setting_horizon_end="2030-12"
    )
    table = ranks(runs, metrics=(metric,)).set_index("lever_policy")
    assert table.loc["a", "mean"] == pytest.approx((20 + 3 * 60) / 4)
    assert table.loc["b", "rank"] == 1 and table.loc["a", "rank"] == 2
