"""A scenario is a shared history, then its policy: the history does not depend on the
levers, is stored once and branched from, and a branch equals a straight run."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import sandbox.model.model as model_module
from conftest import scenario
from sandbox.errors import ConfigError
from sandbox.experiments.checkpoint import CheckpointStore, history_key, load_history
from sandbox.experiments.runner import run
from sandbox.model.model import SandboxModel, merge_month_index, policy_month_index
from sandbox.model.rng import SEQUENTIAL
from test_random_streams import RecordingStreams

# a short history on the toy map: 2019-01 to 2020-12, then two years of policy
SHORT = ("region=toy", "citizens.n=2000", "policy.start=2021-01", "horizon.end=2022-12")
LEVERS = (
    ("policy=status_quo",),
    ("policy=controlled_pilot", "resources=mixed", "data=interoperable"),
    ("policy=facilitation", "resources=ppp", "data=national_platform"),
)


def _history(monkeypatch: pytest.MonkeyPatch, *overrides: str):
    made: list[RecordingStreams] = []

    def streams(seed: int, replicate: int = 0) -> RecordingStreams:
        made.append(RecordingStreams(seed, replicate))
        return made[-1]

    monkeypatch.setattr(model_module, "RandomStreams", streams)
    model = SandboxModel(scenario(*SHORT, "seed=3", *overrides))
    model.run_history()
    draws = {k: list(v) for k, v in made[0].sequential_log.items()}
    keyed = {k: list(v) for k, v in made[0].keyed_log.items()}
    return model, draws, keyed, pd.DataFrame(model.rows)


def test_the_history_is_the_same_draw_for_draw_whatever_the_levers(monkeypatch) -> None:
    first = _history(monkeypatch, *LEVERS[0])
    assert first[0].t == 24 and not first[0].enacted
    for levers in LEVERS[1:]:
        other = _history(monkeypatch, *levers)
        for name in SEQUENTIAL:
            assert other[1].get(name) == first[1].get(name), name
        assert other[2] == first[2]  # every keyed draw: same keys, same numbers
        pd.testing.assert_frame_equal(other[3], first[3])


def test_the_levers_act_from_policy_start() -> None:
    frames = [SandboxModel(scenario(*SHORT, "seed=3", *levers)).run() for levers in LEVERS]
    t0 = 24
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame.iloc[:t0], frames[0].iloc[:t0])
        assert not frame.iloc[t0:].equals(frames[0].iloc[t0:])


@pytest.mark.parametrize("levers", LEVERS[1:])
def test_a_branched_run_equals_a_straight_run_bit_for_bit(tmp_path, levers) -> None:
    store = CheckpointStore(tmp_path)
    params = scenario(*SHORT, "seed=4", *levers)
    first = scenario(*SHORT, "seed=4", *LEVERS[0])  # another policy stores the history
    store.model(first)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    assert history_key(first) == history_key(params)
    branched = run(params, store)
    straight = run(params)
    pd.testing.assert_frame_equal(branched.timeseries, straight.timeseries, check_exact=True)
    assert json.dumps(branched.summary) == json.dumps(straight.summary)  # NaN-aware
    assert len(list(tmp_path.glob("*.npz"))) == 1  # loaded, not computed again


def test_the_history_key_ignores_levers_and_output_but_not_the_world() -> None:
    base = scenario(*SHORT)
    assert history_key(base) == history_key(scenario(*SHORT, *LEVERS[2], "horizon.end=2030-12"))
    assert history_key(base) == history_key(scenario(*SHORT, "output.timeseries=false"))
    for other in ("seed=9", "replicate=1", "policy.start=2021-06", "authorities.risk_weight=3"):
        assert history_key(base) != history_key(scenario(*SHORT, other)), other


def test_a_named_checkpoint_is_branched_from_and_checked(tmp_path) -> None:
    store = CheckpointStore(tmp_path / ".checkpoints")
    store.model(scenario(*SHORT, "seed=5"))
    key = next(store.root.glob("*.npz")).stem
    named = scenario(*SHORT, "seed=5", "policy=controlled_pilot", f"history.checkpoint={key}")
    result = run(named, folder=tmp_path)  # a key is looked up in the folder's store
    straight = run(scenario(*SHORT, "seed=5", "policy=controlled_pilot"))
    pd.testing.assert_frame_equal(result.timeseries, straight.timeseries, check_exact=True)
    with pytest.raises(ConfigError, match=r"authorities\.risk_weight"):
        run(scenario(*SHORT, "seed=5", "authorities.risk_weight=3", f"history.checkpoint={key}"),
            store)  # fmt: skip
    other = "0123abcd" * 8  # a key the store does not hold
    with pytest.raises(ConfigError, match=r"history\.checkpoint"):
        run(scenario(*SHORT, f"history.checkpoint={other}"), store)


def test_ppp_exists_only_from_2021() -> None:
    params = scenario(
        "region=toy",
        "citizens.n=2000",
        "policy.start=2019-01",
        "horizon.end=2022-12",
        "resources=ppp",
        "firms.ppp_hurdle=0",
    )
    frame = SandboxModel(params).run().set_index("month")
    assert (frame.loc[:"2020-12", "private_investment"] == 0).all()
    assert frame.loc["2022-12", "private_investment"] > 0


def test_history_months_are_computed_once_per_replicate(tmp_path) -> None:
    store = CheckpointStore(tmp_path)
    for levers in LEVERS:
        for replicate in (0, 1):
            run(scenario(*SHORT, f"replicate={replicate}", *levers), store)
    assert len(list(tmp_path.glob("*.npz"))) == len(list(tmp_path.glob("*.json"))) == 2


# every regime, every resource mechanism but the historical one and the national data
# platform, on the 63-province map that merges into 34 units in 2025-07 (region.merge_month)
BRANCHES = (
    ("policy=controlled_pilot", "resources=ppp"),
    ("policy=phased", "resources=mixed"),
    ("policy=phased_sandbox", "resources=competitive_fund"),
    ("policy=experimental", "data=national_platform"),
    ("policy=facilitation", "resources=ppp", "data=interoperable"),
)
MERGING = ("region=vietnam", "citizens.n=3000", "horizon.end=2026-12", "seed=6")


@pytest.mark.parametrize("start", ["2024-07", "2026-01"], ids=["merger-after", "merger-before"])
def test_branches_from_a_stored_history_equal_straight_runs_month_by_month(tmp_path, start):
    """The history is stored by a status-quo run, read back from its file, and branched
    into each lever; every month of every table equals the straight run's, bit for bit,
    whether the provinces merge after the branch point or before it."""
    store = CheckpointStore(tmp_path)
    base = scenario(*MERGING, f"policy.start={start}")
    merges_later = merge_month_index(base) > policy_month_index(base) > 0
    assert merges_later == (start < base.region.merge_month) and merge_month_index(base) > 0
    run(base, store)  # computes and stores the history
    (stored,) = tmp_path.glob("*.npz")
    written = stored.stat().st_mtime_ns
    for levers in BRANCHES:
        params = scenario(*MERGING, f"policy.start={start}", *levers)
        branched, straight = run(params, store), run(params)
        for name in ("timeseries", "provinces"):
            left, right = getattr(branched, name), getattr(straight, name)
            assert len(left) == len(right) > 0
            for month, rows in right.groupby("month", sort=False):
                pd.testing.assert_frame_equal(
                    left[left["month"] == month], rows, check_exact=True, obj=f"{name} {month}"
                )
        assert json.dumps(branched.summary) == json.dumps(straight.summary), levers
    assert list(tmp_path.glob("*.npz")) == [stored]  # read, never computed again
    assert stored.stat().st_mtime_ns == written


def test_a_stored_history_carries_mesa_and_random_state(tmp_path) -> None:
    """What no table shows: Mesa's step count, time and agent ids, and every generator's
    next draws, are those of the model that was stored."""
    store = CheckpointStore(tmp_path)
    params = scenario(*MERGING, "policy.start=2026-01")
    straight = SandboxModel(params)
    straight.run_history()
    store.model(params)
    loaded = load_history(next(tmp_path.glob("*.npz")), history_key(params))
    assert (loaded.steps, loaded.time, loaded.t) == (straight.steps, straight.time, straight.t)
    assert [a.unique_id for a in loaded.agents] == [a.unique_id for a in straight.agents]
    assert [type(a) for a in loaded.agents] == [type(a) for a in straight.agents]
    assert loaded.agent_id_counter == straight.agent_id_counter
    assert loaded.random.random() == straight.random.random()
    assert loaded.rng.random() == straight.rng.random()
    for name in SEQUENTIAL:
        loaded_stream, straight_stream = loaded.context.streams, straight.context.streams
        assert loaded_stream[name].random() == straight_stream[name].random(), name
    for a, b in zip(loaded.authority_list, straight.authority_list, strict=True):
        assert a.stream.random() == b.stream.random()
    assert loaded.step() is None and straight.step() is None
    assert (loaded.steps, loaded.time) == (straight.steps, straight.time)
    pd.testing.assert_frame_equal(pd.DataFrame(loaded.rows), pd.DataFrame(straight.rows))
