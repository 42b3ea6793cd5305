"""Robustness: best shares and regrets against hand-computed answers, PRIM on a design
whose answer is known, the EMA Workbench export read back by EMA, and a whole small run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from conftest import scenario
from sandbox.analysis.discovery import discover, import_ema, inputs, of_interest
from sandbox.analysis.regret import minimax_rank, robustness
from sandbox.config.uncertainties import dimensions
from sandbox.errors import ConfigError
from sandbox.experiments.ema_export import EXPORT, to_ema, write_ema
from sandbox.experiments.robustness import BOXES, TABLE, analyse, check, sample
from sandbox.experiments.robustness_report import summary_lines
from sandbox.model.outcomes import HEADLINE

A, B, C = "status_quo", "controlled_pilot", "facilitation"

# 3 futures x 3 policies, two replicates each: (reach, public_spending) per replicate.
# reach (more is better), means: f0 .5 .6 .4 | f1 .7 .7 .5 (A and B tie) | f2 .3 .2 .6
# spending (less is better), means: f0 10 20 15 | f1 30 10 10 (B and C tie) | f2 5 8 6
HAND = {
    (0, A): [(0.4, 12), (0.6, 8)],
    (0, B): [(0.6, 20), (0.6, 20)],
    (0, C): [(0.3, 15), (0.5, 15)],
    (1, A): [(0.7, 30), (0.7, 30)],
    (1, B): [(0.6, 9), (0.8, 11)],
    (1, C): [(0.5, 10), (0.5, 10)],
    (2, A): [(0.3, 5), (0.3, 5)],
    (2, B): [(0.2, 8), (0.2, 8)],
    (2, C): [(0.6, 6), (0.6, 6)],
}


def _hand_runs() -> pd.DataFrame:
    rows = [
        {"point": p, "replicate": r, "policy": pol, "status": "ok",
         "reach": reach, "public_spending": spending}
        for (p, pol), reps in HAND.items()
        for r, (reach, spending) in enumerate(reps)
    ]  # fmt: skip
    # a failed run is not counted, whatever it holds
    rows.append({"point": 2, "replicate": 2, "policy": B, "status": "failed",
                 "reach": 99.0, "public_spending": -99.0})  # fmt: skip
    # a future with no value for one policy is left out, for every policy
    rows += [{"point": 3, "replicate": 0, "policy": pol, "status": "ok",
              "reach": np.nan if pol == C else 0.9, "public_spending": np.nan if pol == C else 1.0}
             for pol in (A, B, C)]  # fmt: skip
    return pd.DataFrame(rows)


def _row(table: pd.DataFrame, outcome: str, policy: str) -> pd.Series:
    return table[(table["outcome"] == outcome) & (table["policy"] == policy)].iloc[0]


def test_best_share_and_regret_match_the_hand_computed_answer() -> None:
    table = robustness(_hand_runs(), ["reach", "public_spending"])
    assert list(table["policy"].unique()) == [A, B, C]  # the design's order
    expected = {  # (best share, regret mean, p90, max, minimax rank)
        ("reach", A): (1 / 6, 0.4 / 3, 0.26, 0.3, 2),
        ("reach", B): (1.5 / 3, 0.4 / 3, 0.32, 0.4, 3),
        ("reach", C): (1 / 3, 0.4 / 3, 0.2, 0.2, 1),
        ("public_spending", A): (2 / 3, 20 / 3, 16.0, 20, 3),
        ("public_spending", B): (0.5 / 3, 13 / 3, 8.6, 10, 2),
        ("public_spending", C): (0.5 / 3, 6 / 3, 4.2, 5, 1),
    }
    for (outcome, policy), (share, mean, p90, worst, rank) in expected.items():
        row = _row(table, outcome, policy)
        assert row["futures"] == 3 and row["ties"] == 1
        assert row["best_share"] == pytest.approx(share)
        assert row["regret_mean"] == pytest.approx(mean)
        assert row["regret_p90"] == pytest.approx(p90)
        assert row["regret_max"] == pytest.approx(worst)
        assert row["minimax_rank"] == rank, (outcome, policy)
    assert table.groupby("outcome")["best_share"].sum().to_numpy() == pytest.approx([1, 1])


def test_the_summary_names_the_best_most_often_the_minimax_choice_and_ties() -> None:
    runs = _hand_runs().assign(private_investment=0.0)  # an outcome no policy moves
    lines = summary_lines(robustness(runs, ["reach", "public_spending", "private_investment"]))
    assert lines[0] == (
        f"- **reach** (more is better): {B} is best most often, in 50% of 3 futures "
        f"(1 with a tie, split); the minimax-regret choice is **{C}** (largest regret 0.2)."
    )
    assert lines[1].startswith(f"- **public_spending** (less is better): {A} is best most often")
    assert "every policy ties in every one of the 4 futures" in lines[2]
    assert "no minimax-regret choice" in lines[2]


def test_minimax_ties_are_broken_by_mean_regret_then_best_share_then_order() -> None:
    summary = pd.DataFrame(
        {"regret_max": [1.0, 1.0, 1.0, 1.0, 0.5], "regret_mean": [0.3, 0.2, 0.3, 0.3, 0.4],
         "best_share": [0.1, 0.1, 0.1, 0.3, 0.0]},
        index=["p", "q", "r", "s", "t"],
    )  # fmt: skip
    ranks = minimax_rank(summary, ["r", "p", "q", "s", "t"])
    assert ranks.to_dict() == {"t": 1, "q": 2, "s": 3, "r": 4, "p": 5}


def _synthetic(n: int = 240, seed: int = 3) -> pd.DataFrame:
    """A design's runs in which facilitation beats the status quo on reach exactly when
    the uncertainty ``a`` is above 0.7 (four others irrelevant)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5))
    rows = []
    for p in range(n):
        values = {f"uncertainty_{k}": x[p, i] for i, k in enumerate("abcde")}
        for r in range(2):
            base = 0.5 + 0.1 * x[p, 1] + 0.01 * rng.standard_normal()
            gain = 0.05 if x[p, 0] > 0.7 else -0.05
            for policy, reach in ((A, base), (C, base + gain)):
                rows.append({"point": p, "replicate": r, "policy": policy, "status": "ok",
                             "reach": reach, **values})  # fmt: skip
    return pd.DataFrame(rows)


def _check_box(boxes) -> None:
    first = boxes[0]
    assert list(first.limits["uncertainty"]) == ["a"]
    assert first.limits["lo"].iloc[0] == pytest.approx(0.7, abs=0.03)
    assert first.density > 0.95 and first.coverage > 0.9


def test_prim_finds_the_region_where_the_regime_wins() -> None:
    runs = _synthetic()
    y = of_interest(runs, C, A, "reach", 0.0)
    assert y.sum() == pytest.approx(0.3 * len(y), abs=25)
    _check_box(discover(inputs(runs).loc[y.index], y, 0.5))


def test_prim_keeps_two_relevant_restrictions_and_drops_the_chance_ones() -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((300, 40)), columns=[f"c{i}" for i in range(40)])
    boxes = discover(x, (x["c0"] > 0.5) & (x["c1"] < 0.6), 0.5)
    limits = boxes[0].limits.set_index("uncertainty")
    assert sorted(limits.index) == ["c0", "c1"]
    assert limits.loc["c0", "lo"] == pytest.approx(0.5, abs=0.05)
    assert limits.loc["c1", "hi"] == pytest.approx(0.6, abs=0.05)


@pytest.mark.parametrize("seed", range(3))
def test_prim_finds_no_box_in_futures_of_interest_drawn_at_random(seed) -> None:
    # peeling 40 irrelevant uncertainties restricts some by chance; none is significant
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((200, 40)), columns=[f"c{i}" for i in range(40)])
    assert discover(x, rng.random(200) < 0.4, 0.5) == []


def test_prim_finds_no_box_when_no_future_or_every_future_is_of_interest() -> None:
    runs = _synthetic()
    x = inputs(runs)
    assert discover(x, np.zeros(len(x), dtype=bool), 0.5) == []
    assert discover(x, np.ones(len(x), dtype=bool), 0.5) == []


def test_the_export_is_read_back_by_ema_workbench_and_prim_runs_on_it(tmp_path) -> None:
    runs = _synthetic()
    path = write_ema(tmp_path, runs)
    assert path == tmp_path / EXPORT
    experiments, outcomes = import_ema().load_results(str(path))
    expected, means = to_ema(runs)
    assert len(experiments) == 240 * 2 and set("abcde") <= set(experiments.columns)
    assert experiments["policy"].astype(str).tolist() == expected["policy"].astype(str).tolist()
    assert (experiments["scenario"] == expected["scenario"]).all()
    np.testing.assert_allclose(outcomes["reach"], means["reach"])
    np.testing.assert_allclose(experiments[list("abcde")], expected[list("abcde")])
    # PRIM from EMA's own tables: one policy's futures, its gain over the status quo
    mine = (experiments["policy"] == C).to_numpy()
    gain = outcomes["reach"][mine] - outcomes["reach"][(experiments["policy"] == A).to_numpy()]
    x = experiments.loc[mine, list("abcde")]
    _check_box(discover(x, gain > 0, 0.5))


def test_the_sample_is_a_seeded_latin_hypercube() -> None:
    points = sample(10, 7)
    assert list(points.columns) == list(dimensions())
    for column in points:  # one point in each tenth of every coordinate
        assert sorted((points[column] * 10).astype(int)) == list(range(10))
    pd.testing.assert_frame_equal(points, sample(10, 7))
    assert not points.equals(sample(10, 8))


SMALL = ("experiment=robustness", "region=toy", "citizens.n=1000", "horizon.end=2027-06",
         "design.samples=6", "design.workers=2")  # fmt: skip


def test_prim_settings_that_name_no_policy_or_outcome_are_refused() -> None:
    design = scenario(*SMALL).design
    names = list(design.policies)
    with pytest.raises(ConfigError, match=r"design\.prim_policy"):
        check(dataclasses.replace(design, prim_policy=names[0]), names)
    with pytest.raises(ConfigError, match=r"design\.prim_outcome"):
        check(dataclasses.replace(design, prim_outcome="provinces"), names)


@pytest.mark.slow  # about 25 s on two idle cores
def test_a_small_robustness_run_writes_complete_tables_export_and_report(tmp_path) -> None:
    store = f"design.store={tmp_path}"
    params = scenario(*SMALL, store)
    policies = {
        name: scenario(*SMALL, store, f"policy={name}", "uncertainty=point")
        for name in params.design.policies
    }
    said: list[str] = []
    report = analyse(params, policies, command="test", log=said.append, progress=False)
    folder = report.parent
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == 6 * 2 * len(policies) and (runs["status"] == "ok").all()
    assert not runs.duplicated(["point", "replicate", "policy"]).any()
    table = pd.read_parquet(folder / TABLE)
    assert set(table["outcome"]) == set(HEADLINE) and len(table) == len(HEADLINE) * len(policies)
    assert (table["futures"] == 6).all()
    assert table.groupby("outcome")["best_share"].sum().to_numpy() == pytest.approx(1.0)
    assert (folder / BOXES).is_file() and (folder / EXPORT).is_file()
    experiments, _ = import_ema().load_results(str(folder / EXPORT))
    assert len(experiments) == 6 * len(policies)
    text = report.read_text(encoding="utf-8")
    assert text.index("## Summary") < text.index("## Best share") < text.index("## Regret")
    assert text.index("## Minimax-regret ranking") < text.index("## Scenario discovery")
    for outcome in HEADLINE:
        assert f"**{outcome}**" in text
    assert (folder / "best_shares.png").is_file() and (folder / "regret.png").is_file()
    # the same command resumes the same folder and runs nothing again
    said.clear()
    assert analyse(params, policies, log=said.append, progress=False) == report
    assert any(line.startswith("robustness: resuming") for line in said)
    assert any(", 0 run now" in line for line in said)
