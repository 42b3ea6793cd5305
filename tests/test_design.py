"""The design engine: every (point, replicate, policy) once, durable chunks, exact resume."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import scenario
from sandbox.config.uncertainties import dimensions, values
from sandbox.errors import ConfigError
from sandbox.experiments.design import CHUNKS, RUNS, run_design, value_column

POLICIES = ("status_quo", "facilitation")
BASE = ("region=toy", "citizens.n=1000", "horizon.end=2026-09")


def _policies() -> dict:
    return {name: scenario(f"policy={name}", *BASE) for name in POLICIES}


def _points(n: int, seed: int = 1) -> pd.DataFrame:
    names = [*dimensions(), "dummy"]
    return pd.DataFrame(np.random.default_rng(seed).random((n, len(names))), columns=names)


def _run(folder, points, **kw) -> pd.DataFrame:
    kw = {"workers": 1, "chunk": 2, "progress": False, "log": lambda s: None, **kw}
    return run_design(folder, "test", _policies(), points, 2, **kw)


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple:
    folder = tmp_path_factory.mktemp("design")
    points = _points(3)
    return folder, points, _run(folder, points)


def test_every_point_replicate_and_policy_runs_once_with_its_values(first) -> None:
    _, points, frame = first
    assert len(frame) == 3 * 2 * len(POLICIES)
    assert not frame.duplicated(["point", "replicate", "policy"]).any()
    assert (frame["status"] == "ok").all()
    for p in range(3):
        expected = values([points.iloc[p][d] for d in dimensions()])
        rows = frame[frame["point"] == p]
        for key in ("citizens.trust_mean", "authorities.risk_weight"):
            assert (rows[value_column(key)] == expected[key]).all()
        assert (rows["u_dummy"] == points.iloc[p]["dummy"]).all()


def test_parallel_workers_and_chunks_change_nothing(first, tmp_path) -> None:
    _, points, frame = first
    again = _run(tmp_path, points, workers=2, chunk=1)
    pd.testing.assert_frame_equal(
        frame.drop(columns="wall_seconds"), again.drop(columns="wall_seconds")
    )


def test_resume_runs_again_only_a_damaged_or_missing_chunk(first, tmp_path) -> None:
    _, points, frame = first
    _run(tmp_path, points)
    chunks = sorted((tmp_path / CHUNKS).glob("*.parquet"))
    kept = chunks[1].stat().st_mtime_ns
    chunks[0].write_bytes(chunks[0].read_bytes()[:-10])  # damaged
    chunks[2].unlink()  # missing
    (tmp_path / RUNS).unlink()
    again = _run(tmp_path, points)
    assert chunks[1].stat().st_mtime_ns == kept  # a finished chunk is not run again
    pd.testing.assert_frame_equal(
        frame.drop(columns="wall_seconds"), again.drop(columns="wall_seconds")
    )


def test_a_folder_of_another_design_is_refused(first, tmp_path) -> None:
    _, points, _ = first
    _run(tmp_path, points)
    with pytest.raises(ConfigError, match="points_sha256"):
        _run(tmp_path, _points(3, seed=2))


def test_distinct_streams_make_chance_independent_between_points(tmp_path) -> None:
    twice = pd.concat([_points(1)] * 2, ignore_index=True)  # one point, twice
    shared = _run(tmp_path / "shared", twice)
    distinct = _run(tmp_path / "distinct", twice, distinct=True)
    assert sorted(distinct["replicate"].unique()) == [0, 1, 2, 3]  # point * 2 + r

    def outcome(frame: pd.DataFrame, point: int) -> np.ndarray:
        return frame.loc[frame["point"] == point, "adoption"].to_numpy()

    # the same values with the same streams are the same runs; with streams of their own
    # they differ by chance alone
    assert np.array_equal(outcome(shared, 0), outcome(shared, 1))
    assert not np.array_equal(outcome(distinct, 0), outcome(distinct, 1))
    assert np.array_equal(outcome(distinct, 0), outcome(shared, 0))  # point 0: replicates 0, 1
