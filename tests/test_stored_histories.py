"""A stored history is data: a crafted file runs nothing and is refused wherever a history
is read (the command line, a loaded config, a re-run of a downloaded sweep, a sweep's
store), and the store stays inside its sweep's folder.

The crafted file is a real malicious pickle: unpickling it runs a shell command that
creates a canary file. It is planted under the name the format reads (``<key>.npz``, with
a record whose SHA-256 matches it, as an attacker would write) and under the old name
(``<key>.pkl``); every test checks that the canary never appears.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import random
import shlex
import shutil
import struct
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import scenario
from sandbox.config.schema import to_params
from sandbox.errors import ConfigError
from sandbox.experiments import snapshot
from sandbox.experiments.checkpoint import (
    CheckpointStore,
    RefusedError,
    history_key,
    load_history,
    record_path,
)
from sandbox.experiments.provenance import file_sha256
from sandbox.experiments.runner import run
from sandbox.experiments.store import run_id, saved_config
from sandbox.model.domains import Domain
from sandbox.model.pilots import Pilot, Status
from sandbox.model.rng import poisson

ENTRY = "from sandbox.cli import main; main()"
REPRODUCE = "from sandbox.experiments.reproduce import main; main()"
SHORT = ("region=toy", "citizens.n=500", "policy.start=2019-04", "horizon.end=2019-09")
SWEEP = ("-m", *SHORT, "policy=status_quo,controlled_pilot", "output.print_summary=false")


class Canary:
    """Unpickled, runs ``touch <path>``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return os.system, (f"touch {shlex.quote(str(self.path))}",)


def payload(canary: Path) -> bytes:
    return pickle.dumps(Canary(canary))


def plant(folder: Path, key: str, canary: Path, params=None) -> Path:
    """The crafted pickle as ``<key>.npz`` (its record's SHA-256 matching it) and as
    ``<key>.pkl``; the path of the ``.npz``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = payload(canary)
    for suffix in (".npz", ".pkl"):
        (folder / f"{key}{suffix}").write_bytes(data)
    record = {"key": key, "schema": snapshot.SCHEMA, "sha256": file_sha256(folder / f"{key}.npz")}
    (folder / f"{key}.json").write_text(json.dumps(record))
    return folder / f"{key}.npz"


def command(*args: str, cwd: Path, entry: str = ENTRY) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", entry, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def one_paragraph(text: str, *names: str) -> str:
    """The refusal: one paragraph (no traceback) naming one of ``names``."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert "Traceback" not in text, text
    hits = [line for line in lines if any(name in line for name in names)]
    assert hits, text
    return hits[0]


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "canary"


def test_the_crafted_pickle_runs_its_command(canary: Path) -> None:
    """The oracle can fail: unpickling the crafted file does create the canary."""
    pickle.loads(payload(canary))
    assert canary.exists()


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory) -> Path:
    """A finished single run: its folder, with the config Hydra saved."""
    folder = tmp_path_factory.mktemp("saved") / "run"
    done = command(*SHORT, "output.print_summary=false", f"hydra.run.dir={folder}",
                   cwd=folder.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder


def key_of(run_folder: Path) -> str:
    return history_key(to_params(saved_config(run_folder)))


def with_checkpoint(config: Path, reference: str, **changes: str) -> None:
    """Edit a saved config so that it names a stored history (as a download could)."""
    data = yaml.safe_load(config.read_text())
    data["history"]["checkpoint"] = reference
    for key, value in changes.items():
        data["output"][key] = value
    config.write_text(yaml.safe_dump(data))


# --------------------------------------------------------------- (a) command line
def test_a_crafted_history_on_the_command_line_is_refused(tmp_path, canary, saved_run) -> None:
    evil = plant(tmp_path / "results" / "evil", key_of(saved_run), canary)
    for reference, why in (
        (evil.with_suffix(".pkl").relative_to(tmp_path), "the path of its .npz file"),
        (evil.relative_to(tmp_path), "it is not an .npz archive"),
    ):
        done = command(*SHORT, f"history.checkpoint={reference}", cwd=tmp_path)
        assert not canary.exists(), reference
        assert done.returncode == 2, done.stderr
        line = one_paragraph(done.stderr, "'history.checkpoint'")
        assert str(reference) in line and why in line, line


# --------------------------------------------------------------- (b) a loaded config
def test_a_crafted_history_in_a_loaded_config_is_refused(tmp_path, canary, saved_run) -> None:
    evil = plant(tmp_path / "results" / "evil", key_of(saved_run), canary)
    outside = plant(tmp_path / "elsewhere", key_of(saved_run), canary)
    config_dir = tmp_path / "downloaded"
    shutil.copytree(saved_run / ".hydra", config_dir)
    for reference, why in (
        (evil.with_suffix(".pkl").relative_to(tmp_path), "the path of its .npz file"),
        (evil.relative_to(tmp_path), "it is not an .npz archive"),
        (outside, "inside"),
    ):
        with_checkpoint(config_dir / "config.yaml", str(reference))
        done = command("--config-path", str(config_dir), "--config-name", "config",
                       f"hydra.run.dir={tmp_path / 'rerun'}", cwd=tmp_path)  # fmt: skip
        assert not canary.exists(), reference
        assert done.returncode == 2, done.stderr
        line = one_paragraph(done.stderr, "'history.checkpoint'")
        assert str(reference) in line and why in line, line


# ------------------------------------------------------ (c) a downloaded sweep, re-run
def test_a_crafted_history_in_a_downloaded_sweep_is_refused_by_reproduce(
    tmp_path, canary, saved_run
) -> None:
    """The user re-runs a downloaded sweep from inside its folder; its runs name a history
    by key (in the sweep's own store) or by the path of a pickle beside it."""
    sweep = tmp_path / "downloaded"
    key = key_of(saved_run)
    plant(sweep / ".checkpoints", key, canary)
    for job, reference in (("0", key), ("1", f".checkpoints/{key}.pkl")):
        shutil.copytree(saved_run, sweep / job)
        with_checkpoint(sweep / job / ".hydra" / "config.yaml", reference,
                        checkpoints=".checkpoints")  # fmt: skip
        manifest = sweep / job / "manifest.json"  # the run id of the edited config, as an
        data = json.loads(manifest.read_text())  # attacker would write it
        data["run_id"] = run_id(saved_config(sweep / job))
        manifest.write_text(json.dumps(data))
    done = command(".", cwd=sweep, entry=REPRODUCE)
    assert not canary.exists()
    assert done.returncode == 2, done.stdout + done.stderr
    refused = [line for line in done.stdout.splitlines() if "REFUSED" in line]
    assert len(refused) == 2, done.stdout
    assert all("'history.checkpoint'" in line for line in refused)
    assert "it is not an .npz archive" in refused[0]


# ---------------------------------------------------------------- (d) the store
def test_a_crafted_history_in_a_sweeps_store_is_computed_again(tmp_path, canary) -> None:
    """A sweep whose stored history was replaced by the crafted file (its record too) is
    run again: the file is refused, said on stderr in one line, and the history computed
    anew; the results equal the first sweep's."""
    folder = tmp_path / "sweep"
    first = command(*SWEEP, f"hydra.sweep.dir={folder}", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (stored,) = (folder / ".checkpoints").glob("*.npz")
    before = pd.read_parquet(folder / "timeseries.parquet")
    plant(stored.parent, stored.stem, canary)
    for manifest in folder.glob("*/manifest.json"):
        manifest.unlink()  # the runs are run again, from the stored history
    again = command(*SWEEP, f"hydra.sweep.dir={folder}", cwd=tmp_path)
    assert not canary.exists()
    assert again.returncode == 0, again.stderr
    line = one_paragraph(again.stderr, str(stored))
    assert "refused" in line and "it is not an .npz archive" in line
    assert sum(str(stored) in x for x in again.stderr.splitlines()) == 1
    after = pd.read_parquet(folder / "timeseries.parquet")
    pd.testing.assert_frame_equal(after.drop(columns="run_id", errors="ignore"),
                                  before.drop(columns="run_id", errors="ignore"))  # fmt: skip
    params = scenario(*SHORT)
    assert load_history(stored, history_key(params)).t == 3  # a real history again


# ------------------------------------------------------------- the reader itself
@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, str]:
    """A genuine stored history (its file, and its key)."""
    store = CheckpointStore(tmp_path_factory.mktemp("store"))
    params = scenario(*SHORT)
    store.model(params)
    return store.path(history_key(params)), history_key(params)


def rewrite(stored: tuple[Path, str], tmp_path: Path, change) -> Path:
    """A copy of the stored history whose state (its JSON) ``change`` edited, with a
    record whose SHA-256 matches the edited file."""
    path, _ = stored
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    document = json.loads(arrays.pop("state").tobytes())
    change(document, arrays)
    text = json.dumps(document).encode()
    copy = tmp_path / path.name
    with copy.open("wb") as handle:
        np.savez(handle, state=np.frombuffer(text, dtype=np.uint8), **arrays)
    record = json.loads(record_path(path).read_text())
    record["sha256"] = file_sha256(copy)
    record_path(copy).write_text(json.dumps(record))
    return copy


def test_a_genuine_copy_loads(stored, tmp_path) -> None:
    """The edits below are refused for what they change, not for being copies."""
    copy = rewrite(stored, tmp_path, lambda document, arrays: None)
    assert load_history(copy, stored[1]).t == 3


def test_an_object_array_is_refused_unread(stored, tmp_path, canary) -> None:
    def add(document, arrays):
        arrays["a0"] = np.array([Canary(canary)], dtype=object)

    with pytest.raises(RefusedError, match="array of objects"):
        load_history(rewrite(stored, tmp_path, add), stored[1])
    assert not canary.exists()


def test_a_class_outside_the_allow_list_is_neither_imported_nor_called(stored, tmp_path):
    assert "antigravity" not in sys.modules  # importing it opens a web browser

    def name(document, arrays):
        document["shapes"][0][0] = "antigravity:geohash"

    with pytest.raises(RefusedError, match="outside the allow-list"):
        load_history(rewrite(stored, tmp_path, name), stored[1])
    assert "antigravity" not in sys.modules


def test_a_method_must_be_a_function_of_its_class(stored, tmp_path) -> None:
    def method(document, arrays):
        entry = next(e for e in document["objects"] if e[0] == "method")
        entry[2] = "__reduce_ex__"

    with pytest.raises(RefusedError, match="method"):
        load_history(rewrite(stored, tmp_path, method), stored[1])


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda path, record: flip_a_byte(path), "SHA-256"),
        (lambda path, record: record.update(schema=snapshot.SCHEMA + 1), "schema"),
        (lambda path, record: record.update(key="0" * 64), "another scenario or code"),
        (lambda path, record: record.clear(), "record"),
    ],
    ids=["edited", "schema", "key", "no record"],
)
def test_a_file_that_fails_its_record_is_refused(stored, tmp_path, damage, why) -> None:
    path, key = stored
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    record = json.loads(record_path(path).read_text())
    damage(copy, record)
    record_path(copy).write_text(json.dumps(record) if record else "")
    with pytest.raises(RefusedError, match=why):
        load_history(copy, key)


def test_a_refused_history_in_the_store_is_said_and_computed_again(tmp_path, capsys) -> None:
    store = CheckpointStore(tmp_path / "store")
    params = scenario(*SHORT, "policy=controlled_pilot")
    path = store.path(history_key(params))
    path.parent.mkdir()
    path.write_bytes(b"not a history")
    result = run(params, store)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and "refused" in err
    pd.testing.assert_frame_equal(result.timeseries, run(params).timeseries, check_exact=True)
    assert load_history(path, history_key(params)).t == 3


def bits(x: object) -> object:
    """A number's exact value: its bytes (a NaN's payload and -0.0's sign included)."""
    if isinstance(x, np.generic):
        return x.tobytes()
    return struct.pack("<d", x) if isinstance(x, float) else x


def test_every_kind_of_value_comes_back_exactly() -> None:
    """Types, bits, sharing and cycles survive: what the model's refactors may store."""
    pilot = Pilot(3, Domain.TRANSPORTATION, None, proposed=4, duration=5, scope=0.25)
    array = np.arange(6.0).reshape(2, 3, order="F")
    array.flags.writeable = False
    generator = np.random.default_rng(7)
    generator.random(3)
    shared: list = ["shared"]
    graph = {
        "floats": (float("nan"), -0.0, float("inf"), 1e-310, np.float64(-0.0), np.float32(0.1)),
        "ints": (2**70, np.int64(-5), np.uint8(200), np.bool_(True), True),
        "names": ("ok", "\u00e9\u0000", b"".hex()),
        "containers": ({1, "a", (2, Domain.HEALTHCARE)}, frozenset({3}), Counter(a=2)),
        "keys": {(1, "x"): 1, Status.RUNNING: 2, None: 3, 2.5: 4},
        "objects": (pilot, pilot, Pilot, poisson),
        "arrays": (array, np.array(["a", "bc"]), np.zeros((0, 3), dtype=np.int32)),
        "random": (generator, generator.bit_generator, random.Random(5)),
        "months": pd.period_range("2019-01", "2019-06", freq="M"),
        "shared": (shared, shared),
    }
    cycle: list = [graph]
    graph["cycle"] = cycle
    buffer = io.BytesIO()
    snapshot.write(buffer, graph)
    buffer.seek(0)
    back = snapshot.read(buffer)
    assert back["cycle"][0] is back
    assert back["shared"][0] is back["shared"][1] and back["shared"][0] is not shared
    assert back["objects"][0] is back["objects"][1] and back["objects"][0] is not pilot
    fields = [f.name for f in dataclasses.fields(Pilot)]  # pilots compare by identity
    assert [getattr(back["objects"][0], f) for f in fields] == [getattr(pilot, f) for f in fields]
    assert back["objects"][2] is Pilot and back["objects"][3] is poisson
    for a, b in zip(back["floats"] + back["ints"], graph["floats"] + graph["ints"], strict=True):
        assert type(a) is type(b) and bits(a) == bits(b)
    assert back["names"] == graph["names"] and back["containers"] == graph["containers"]
    assert back["keys"] == graph["keys"] and list(back["keys"]) == list(graph["keys"])
    for a, b in zip(back["arrays"], graph["arrays"], strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape and (a == b).all()
        assert a.flags.f_contiguous == b.flags.f_contiguous
        assert a.flags.writeable == b.flags.writeable
    again, bit_generator, stdlib = back["random"]
    assert again.bit_generator is bit_generator
    assert again.random() == generator.random() and stdlib.random() == random.Random(5).random()
    assert back["months"].equals(graph["months"])


def test_nothing_unstorable_is_written_silently() -> None:
    with pytest.raises(snapshot.UnstorableError, match=r"model\[1\].*<lambda>"):
        snapshot.write(io.BytesIO(), [1, lambda: None])
    with pytest.raises(snapshot.UnstorableError, match=r"model\[0\].*Decimal"):
        snapshot.write(io.BytesIO(), [Decimal(1)])
    base = np.zeros(4)
    with pytest.raises(snapshot.UnstorableError, match="sharing memory"):
        snapshot.write(io.BytesIO(), [base, base[1:]])


# -------------------------------------------------------------- staying inside
@pytest.mark.parametrize("name", ["/tmp/histories", "../histories", "a/../../histories", "."])
def test_a_store_outside_the_sweep_folder_is_refused_before_launch(tmp_path, name) -> None:
    folder = tmp_path / "sweep"
    done = command(*SWEEP, f"hydra.sweep.dir={folder}", f"output.checkpoints={name}",
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert name in one_paragraph(done.stderr, "'output.checkpoints'")
    assert not folder.exists() and not (tmp_path / "histories").exists()


def test_a_store_linked_out_of_the_sweep_folder_is_refused(tmp_path) -> None:
    (tmp_path / "sweep").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "sweep" / ".checkpoints").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match=r"output\.checkpoints"):
        CheckpointStore.inside(tmp_path / "sweep", ".checkpoints")
    assert CheckpointStore.inside(tmp_path / "sweep", "inner").root == tmp_path / "sweep" / "inner"
