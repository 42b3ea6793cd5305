"""Common random numbers: a policy change leaves the draws of every process it does not
touch identical, and keyed draws belong to their entity and month, not to the order in
which a run happens to need them."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

import sandbox.model.model as model_module
from conftest import scenario
from sandbox.model.model import SandboxModel
from sandbox.model.rng import KEYED, SEQUENTIAL, RandomStreams


class _Recorder:
    """Wraps a generator and appends every value it returns to ``log``."""

    def __init__(self, generator: np.random.Generator, log: list) -> None:
        self._generator, self._log = generator, log

    def __getattr__(self, name: str):
        method = getattr(self._generator, name)

        def record(*args, **kwargs):
            value = method(*args, **kwargs)
            self._log.extend(np.ravel(value).tolist())
            return value

        return record


class RecordingStreams(RandomStreams):
    """``RandomStreams`` that logs every draw per sequential process and per key."""

    def __init__(self, seed: int, replicate: int = 0) -> None:
        super().__init__(seed, replicate)
        self.sequential_log: dict[str, list] = defaultdict(list)
        self.keyed_log: dict[tuple, list] = defaultdict(list)
        self.opened: dict[tuple, set] = defaultdict(set)  # the months each key was read in
        self.clock = lambda: -1  # the model's month, once the model exists

    def __getitem__(self, name: str):
        return _Recorder(super().__getitem__(name), self.sequential_log[name])

    def at(self, name: str, *key: int):
        generator = super().at(name, *key)
        self.opened[(name, *key)].add(self.clock())
        log = self.keyed_log[(name, *key)]
        log.clear()  # a key re-read from its start draws its numbers again
        return _Recorder(generator, log)


# the national map: with 63 provinces some proposals fall in the same province and month
# under two policies, so every keyed process has draws to compare (the toy map's 5 often
# have none)
NATIONAL = ("region=vietnam_63", "citizens.n=2000", "policy.start=2019-01", "horizon.end=2024-12")


def _draws(monkeypatch: pytest.MonkeyPatch, *overrides: str) -> tuple[RecordingStreams, dict]:
    made: list[RecordingStreams] = []

    def streams(seed: int, replicate: int = 0) -> RecordingStreams:
        made.append(RecordingStreams(seed, replicate))
        return made[-1]

    monkeypatch.setattr(model_module, "RandomStreams", streams)
    model = SandboxModel(scenario(*NATIONAL, "seed=1", *overrides))
    made[0].clock = lambda: model.t
    frame = model.run()
    return made[0], frame.iloc[-1].to_dict()


@pytest.mark.parametrize("policy", ["controlled_pilot", "facilitation", "experimental"])
def test_a_policy_change_keeps_every_untouched_draw(monkeypatch, policy: str) -> None:
    base, base_final = _draws(monkeypatch, "policy=status_quo")
    other, other_final = _draws(monkeypatch, f"policy={policy}")
    assert base_final != other_final  # the policy did change the run
    # sequential processes draw the same numbers, in the same order, under both policies
    for name in SEQUENTIAL:
        assert base.sequential_log[name] == other.sequential_log[name], name
    assert base.sequential_log["authorities"]
    # keyed processes: an entity-month present under both policies got the same numbers
    shared = set(base.keyed_log) & set(other.keyed_log)
    # the status quo bids for no proposal anew (no sandbox sends one ad hoc)
    for process in (p for p in KEYED if p != "rebids"):
        keys = [k for k in shared if k[0] == process]
        assert keys, f"no {process} draw shared between the runs"
        for key in keys:
            a, b = base.keyed_log[key], other.keyed_log[key]
            n = min(len(a), len(b))
            assert a[:n] == b[:n], key


def test_proposal_thresholds_belong_to_the_authority_and_its_nth_proposal(monkeypatch) -> None:
    # an authority's proposals are numbered 0, 1, 2, ...: a policy under which it proposes
    # more uses more thresholds, and the first ones are those of the other policy
    base, _ = _draws(monkeypatch, "policy=status_quo")
    other, _ = _draws(monkeypatch, "policy=facilitation")
    numbers = []
    for streams in (base, other):
        by_authority = defaultdict(set)
        for key in streams.keyed_log:
            if key[0] == "proposals":
                by_authority[key[1]].add(key[2])
        assert by_authority
        for drawn in by_authority.values():
            assert drawn == set(range(len(drawn)))
        numbers.append(sum(len(drawn) for drawn in by_authority.values()))
    assert numbers[0] != numbers[1]  # the policy changed how often authorities proposed
    shared = [k for k in set(base.keyed_log) & set(other.keyed_log) if k[0] == "proposals"]
    assert shared
    assert all(base.keyed_log[k] == other.keyed_log[k] for k in shared)


def test_a_keyed_draw_belongs_to_one_month(monkeypatch) -> None:
    """No key is read again in a later month for new numbers: each key addresses one
    entity's draws in one month (a proposal's review excepted, whose draws are indexed by
    how many its review used). Under a screening sandbox, applications not admitted are
    bid for anew on ad-hoc terms, in a later month than their first bids."""
    streams, final = _draws(monkeypatch, "policy=controlled_pilot")
    assert final["sandbox_to_adhoc"] > 0
    assert any(key[0] == "rebids" for key in streams.opened)
    for key, months in streams.opened.items():
        if key[0] != "review":
            assert len(months) == 1, (key, sorted(months))
