"""Global sensitivity: indices on tables whose outcomes are known functions of the
coordinates (oracles in closed form), the reduced analysis end to end, and bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandbox.analysis.sensitivity import (
    DUMMY,
    LEVEL,
    morris,
    noise_share,
    selected,
    sobol,
    targets,
)

REPO = Path(__file__).resolve().parents[1]
POLICIES = ("status_quo", "facilitation")
OUTCOME = "adoption"


def _runs(points: pd.DataFrame, level, effect, sigma: float, replicates: int = 2, seed=0):
    """A design's runs table: ``level(points)`` under the baseline plus noise of sd
    ``sigma`` per (point, replicate), and ``effect(points)`` more under facilitation
    (with noise of its own)."""
    rng = np.random.default_rng(seed)
    rows = []
    base, extra = level(points), effect(points)
    for p in range(len(points)):
        coords = {f"u_{k}": float(v) for k, v in points.iloc[p].items()}
        for r in range(replicates):
            y = base[p] + rng.normal(0.0, sigma)
            e = extra[p] + rng.normal(0.0, sigma)
            head = {"point": p, "replicate": p * replicates + r, "status": "ok"}
            rows.append({**head, "policy": POLICIES[0], OUTCOME: y, **coords})
            rows.append({**head, "policy": POLICIES[1], OUTCOME: y + e, **coords})
    return pd.DataFrame(rows)


def _problem(names):
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


NAMES = ["a", "b", "c", "d", DUMMY]


def _level(x: pd.DataFrame) -> np.ndarray:
    return (3 * x["a"] + x["b"] ** 2).to_numpy()


def _effect(x: pd.DataFrame) -> np.ndarray:
    return (2 * x["c"]).to_numpy()


@pytest.fixture(scope="module")
def screened() -> pd.DataFrame:
    from SALib.sample import morris as sample

    points = pd.DataFrame(sample.sample(_problem(NAMES), 30, seed=3), columns=NAMES)
    return morris(_runs(points, _level, _effect, sigma=0.05), [OUTCOME], seed=1)


def test_morris_finds_the_factors_an_outcome_depends_on_and_no_other(screened) -> None:
    level = screened[screened["target"] == LEVEL].set_index("factor")
    assert set(level.index[level["influential"]]) == {"a", "b"}
    assert level.loc["a", "mu_star"] == pytest.approx(3.0, rel=0.05)  # dy/da = 3 everywhere
    effect = screened[screened["target"] == "facilitation"].set_index("factor")
    assert set(effect.index[effect["influential"]]) == {"c"}
    assert not screened.loc[screened["factor"] == DUMMY, "influential"].any()
    # the floor is the dummy's mu*, which the noise makes more than zero
    assert (screened["floor"] > 0).all()
    assert level.loc["d", "mu_star"] < level.loc["a", "mu_star"] - level.loc["a", "mu_star_conf"]


def test_the_factors_morris_ranks_first_go_on_to_sobol(screened) -> None:
    assert set(selected(screened, 3)) == {"a", "b", "c"}
    assert selected(screened, 1) == ["a"]


def test_noise_share_is_the_known_share_of_variance() -> None:
    rng = np.random.default_rng(5)
    points = pd.DataFrame(rng.random((2000, 4)), columns=["a", "b", "c", DUMMY])
    sigma = 0.3
    runs = _runs(points, _level, _effect, sigma=sigma, seed=6)
    share = noise_share(targets(runs, [OUTCOME]))
    # var(3a) = 9/12, var(b^2) = 1/5 - 1/9 for a, b uniform on [0, 1]
    assert share[(LEVEL, OUTCOME)] == pytest.approx(sigma**2 / (0.75 + 4 / 45 + sigma**2), abs=0.02)
    # a paired effect keeps its own noise only (the baseline's, shared, cancels):
    # sigma^2 against var(2c) = 4/12
    assert share[("facilitation", OUTCOME)] == pytest.approx(
        sigma**2 / (1 / 3 + sigma**2), abs=0.02
    )


def test_noise_share_is_one_when_the_points_do_not_matter_and_zero_without_noise() -> None:
    rng = np.random.default_rng(7)
    points = pd.DataFrame(rng.random((300, 2)), columns=["a", DUMMY])
    flat = _runs(points, lambda x: np.zeros(len(x)), lambda x: np.zeros(len(x)), sigma=1.0)
    assert noise_share(targets(flat, [OUTCOME]))[(LEVEL, OUTCOME)] > 0.85
    exact = _runs(points, _level_a, _level_a, sigma=0.0)
    assert noise_share(targets(exact, [OUTCOME]))[(LEVEL, OUTCOME)] == 0.0


def _level_a(x: pd.DataFrame) -> np.ndarray:
    return x["a"].to_numpy()


def test_sobol_of_an_additive_function_gives_each_half() -> None:
    from SALib.sample import sobol as sample

    names = ["a", "b", DUMMY]
    points = pd.DataFrame(
        sample.sample(_problem(names), 1024, calc_second_order=False, seed=2), columns=names
    )
    additive = _runs(
        points, lambda x: (x["a"] + x["b"]).to_numpy(), lambda x: 2 * x["b"].to_numpy(), 0.01
    )
    indices = sobol(additive, [OUTCOME], seed=1)
    level = indices[indices["target"] == LEVEL].set_index("factor")
    for factor in ("a", "b"):  # V = 1/6, V_a = V_b = 1/12: S1 = ST = 1/2
        assert level.loc[factor, "S1"] == pytest.approx(0.5, abs=0.06)
        assert level.loc[factor, "ST"] == pytest.approx(0.5, abs=0.06)
        assert level.loc[factor, "influential"]
    assert level.loc[DUMMY, "ST"] == pytest.approx(0.0, abs=0.02)
    assert not level.loc[DUMMY, "influential"]
    effect = indices[indices["target"] == "facilitation"].set_index("factor")
    assert effect.loc["b", "ST"] == pytest.approx(1.0, abs=0.06)  # 2b: all of it
    assert list(effect.index[effect["influential"]]) == ["b"]


def test_a_failed_run_leaves_its_trajectory_out_not_the_analysis(screened) -> None:
    from SALib.sample import morris as sample

    points = pd.DataFrame(sample.sample(_problem(NAMES), 30, seed=3), columns=NAMES)
    runs = _runs(points, _level, _effect, sigma=0.05)
    runs.loc[runs["point"] == 7, "status"] = "failed"
    runs.loc[runs["point"] == 7, OUTCOME] = np.nan
    indices = morris(runs, [OUTCOME], seed=1)
    assert (indices["groups"] == 29).all()
    level = indices[indices["target"] == LEVEL].set_index("factor")
    assert set(level.index[level["influential"]]) == {"a", "b"}


REDUCED = (
    "region=toy",
    "citizens.n=1000",
    "policy.start=2020-01",
    "horizon.end=2020-06",
    "design.samples=2",
    "design.sobol_samples=2",
    "design.sobol_factors=2",
    "design.policies=[status_quo,facilitation]",
)  # fmt: skip (a short history: the test checks the design's machinery, not its findings)


def _sandbox_run(
    tmp_path: Path, *overrides: str, launch: str = "launch"
) -> subprocess.CompletedProcess:
    """``sandbox-run -m experiment=sensitivity`` with designs under ``tmp_path/store`` and
    Hydra's files in ``tmp_path/<launch>`` (a launch's own folder, as the timestamped
    default gives each)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [
        str(Path(sys.executable).parent / "sandbox-run"),
        "-m",
        "experiment=sensitivity",
        *overrides,
        f"design.store={tmp_path / 'store'}",
        f"hydra.sweep.dir={tmp_path / launch}",
    ]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_the_reduced_analysis_writes_its_report_with_the_floor(tmp_path) -> None:
    done = _sandbox_run(tmp_path, *REDUCED, "design.workers=2")
    assert done.returncode == 0, done.stderr[-2000:]
    (folder,) = (tmp_path / "store").glob("sensitivity-*")
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "The floor" in report and "`dummy`" in report
    assert "Effect of facilitation against status_quo" in report
    assert "Replicate noise" in report
    assert len(list(folder.glob("*.png"))) >= 3
    runs = pd.read_parquet(folder / "runs.parquet")
    assert set(runs["stage"]) == {"morris", "sobol"} and "u_dummy" in runs
    assert runs.groupby(["stage", "point"])["replicate"].nunique().eq(2).all()
    assert not runs.duplicated(["stage", "replicate", "policy"]).any()  # streams per point
    # the same command, launched again, resumes the design: every chunk is kept
    again = _sandbox_run(tmp_path, *REDUCED, "design.workers=2", launch="again")
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"resuming {folder / 'morris'}" in again.stdout
    assert f"resuming {folder / 'sobol'}" in again.stdout
    assert "0 run now" in again.stdout


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("design.replicates=1", "design.replicates"),
        ("design.sobol_samples=3", "design.sobol_samples"),
    ],
)
def test_bad_design_settings_get_one_paragraph(tmp_path, override, key) -> None:
    done = _sandbox_run(tmp_path, *REDUCED, override)
    assert done.returncode == 2
    assert key in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "store").exists()
