"""Stored histories: the state at ``policy.start``, computed once and branched from.

Every scenario simulates the same history (the historical mechanisms, ``history.*``)
until ``policy.start`` and only then its levers. The model's whole state at that month
depends on everything but the levers, so it is stored once per *history key*: SHA-256 of
the scenario without ``policy`` (except ``policy.start``), ``resources``, ``data``,
``horizon.end``, ``output`` and ``history.checkpoint``, with the seed and replicate, the
code fingerprint and the input files' hashes. Every policy run of that replicate loads
it and continues; a branched run equals a straight run bit for bit.

Layout of a store: a folder inside a sweep's folder (``output.checkpoints``, by default
``.checkpoints``), so that every sweep has its own store and carries its histories with
it. It holds ``<key>.npz``, the model's state as data (``sandbox.experiments.snapshot``:
no pickle), and ``<key>.json``, its record: the key, the schema, the file's SHA-256, the
code fingerprint and the history's config. The record is written before the file is
renamed into place, both atomically.

A stored history is loaded only when its record names the expected key and schema and
the file's SHA-256 matches the record; it must then parse as a state of this code's
schema, without objects, and hold the expected history. Otherwise it is refused: in a
store it is computed again (one line on stderr says so); named in ``history.checkpoint``
(a key of the store, or the path of a ``.npz`` inside the sweep's folder or the working
directory's ``results/``) the run stops with one paragraph saying why.

While one job computes a history, the others that need it wait on ``<key>.lock``
(``filelock``; on a shared file system that does not honour locks two jobs may compute
the same history, which costs time, never correctness).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from pathlib import Path

from filelock import FileLock

from sandbox.config.params import Params
from sandbox.errors import ConfigError
from sandbox.experiments import snapshot
from sandbox.experiments.atomic import temporary_name, write_json
from sandbox.experiments.provenance import CHUNK, code_fingerprint, input_hashes
from sandbox.model.model import SandboxModel, policy_month_index

LEVERS = ("policy", "resources", "data")
SUFFIX = ".npz"
KEY = re.compile(r"[0-9a-f]{64}")  # a history key: SHA-256 in hex
RESULTS = "results"  # the working directory's folder a named history may lie in


class RefusedError(ValueError):
    """A stored history that is not loaded; the message says why, in a few words."""


def history_config(params: Params) -> dict:
    """The part of a scenario the history depends on (module docstring)."""
    config = dataclasses.asdict(params)
    start = config["policy"]["start"]
    for key in (*LEVERS, "output", "adaptive"):
        config.pop(key)
    config["policy"] = {"start": start}
    config["horizon"].pop("end")
    config["history"].pop("checkpoint")
    return config


def history_key(params: Params) -> str:
    """The content address of a scenario's history (module docstring)."""
    identity = {
        "history": history_config(params),
        "code": code_fingerprint(),
        "inputs": input_hashes(params.region.table, params.region.merge_table),
    }
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def has_history(params: Params) -> bool:
    """Whether the scenario simulates months before ``policy.start`` and after it."""
    t0 = policy_month_index(params)
    return t0 > 0 and params.policy.start <= params.horizon.end


def record_path(path: Path) -> Path:
    """The record (``.json``) beside a stored history's file."""
    return Path(path).with_suffix(".json")


def write_history(path: Path, model: SandboxModel, params: Params) -> None:
    """Store a model's state at ``policy.start`` in ``path`` with its record beside it."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        with tmp.open("wb") as handle:
            snapshot.write(handle, model)
        record = {
            "key": history_key(params),
            "schema": snapshot.SCHEMA,
            "sha256": _sha256(tmp),
            "code_fingerprint": code_fingerprint(),
            "history": history_config(params),
        }
        write_json(record_path(path), record)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def load_history(path: Path, key: str, config: dict | None = None) -> SandboxModel:
    """The model stored in ``path``, once its record and checksum say it is the history
    with ``key`` (module docstring).

    Args:
        path: the stored history's file.
        key: the history key it must have.
        config: the history's config (``history_config``), to name what differs when the
            record is of another history.

    Raises:
        RefusedError: it is not loaded, and why.
    """
    path = Path(path)
    try:
        record = json.loads(record_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict):
        raise RefusedError(f"it has no readable record {record_path(path).name} beside it")
    if record.get("schema") != snapshot.SCHEMA:
        raise RefusedError(
            f"its record is not of schema {snapshot.SCHEMA}, the one this code reads"
        )
    if record.get("key") != key:
        raise RefusedError(
            f"it is the history of another scenario or code ({_differ(record, config)})"
        )
    expected = record.get("sha256")
    if not isinstance(expected, str) or not KEY.fullmatch(expected):
        raise RefusedError("its record holds no SHA-256")
    try:
        with path.open("rb") as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != expected:
                raise RefusedError("its SHA-256 does not match the one its record holds")
            handle.seek(0)
            model = snapshot.read(handle)
    except OSError as err:
        raise RefusedError(f"it cannot be read ({err.strerror or type(err).__name__})") from None
    except snapshot.UnreadableError as err:
        raise RefusedError(str(err)) from None
    if type(model) is not SandboxModel or history_key(model.params) != key:
        raise RefusedError("it holds another history than its record says")
    return model


class CheckpointStore:
    """A folder of stored histories, addressed by history key.

    Args:
        root: the folder (created when needed).
        folder: the sweep's folder it lies in (``inside``), if any: a history named by
            its path may lie there too (``resolve``).
    """

    def __init__(self, root: Path | str, folder: Path | str | None = None) -> None:
        self.root = Path(root)
        self.folder = Path(folder) if folder is not None else None

    @classmethod
    def inside(cls, folder: Path | str, name: str) -> CheckpointStore | None:
        """The store ``name`` (``output.checkpoints``) inside a sweep's ``folder``; None when
        ``name`` is ''.

        Raises:
            ConfigError: ``name`` leads out of ``folder`` (an absolute path, ``..`` or a
                link to another folder).
        """
        if not name:
            return None
        folder = Path(folder)
        root = folder / name
        if Path(name).is_absolute() or not root.resolve().is_relative_to(folder.resolve()):
            raise ConfigError(
                "output.checkpoints",
                name,
                f"a folder inside the sweep's folder {folder} (a relative name without '..', "
                "not a link that leads out of it), or '' to store no history",
            )
        return cls(root, folder)

    def path(self, key: str) -> Path:
        """Where the history with ``key`` is (or would be) stored."""
        return self.root / f"{key}{SUFFIX}"

    def model(self, params: Params) -> SandboxModel:
        """A model at ``policy.start`` with the policy enacted, from the store if there.

        The first job to need a history computes and stores it; the others wait for it. A
        stored history that is refused (module docstring) is computed again and replaced.
        """
        key = history_key(params)
        path = self.path(key)
        if path.exists():
            try:
                return self._branch(path, key, params)
            except RefusedError:
                pass  # being replaced by another job, or refused: checked again, locked
        self.root.mkdir(parents=True, exist_ok=True)
        with FileLock(self.root / f"{key}.lock"):
            if path.exists():
                try:
                    return self._branch(path, key, params)
                except RefusedError as err:
                    print(
                        f"sandbox: the stored history {path} was refused ({err}); "
                        "computing it again.",
                        file=sys.stderr,
                    )
            model = SandboxModel(params)
            model.run_history()
            write_history(path, model, params)
            model.enact_policy()
            return model

    def _branch(self, path: Path, key: str, params: Params) -> SandboxModel:
        model = load_history(path, key, history_config(params))
        model.enact_policy(params)
        return model


def resolve(reference: str, store: CheckpointStore | None, folder: Path | None) -> Path:
    """The file of a history named in ``history.checkpoint``: a key of ``store``, or a path
    (relative to the working directory) inside ``folder`` or the working directory's
    ``results/``.

    Raises:
        ConfigError: the name is neither, leads out of those folders (and the store), or
            names no file.
    """
    results = Path.cwd() / RESULTS
    roots = [Path(r) for r in (folder, results) if r is not None]
    inside = " or ".join(str(r) for r in roots)
    if store is not None:
        roots.append(store.root)
    allowed = (
        f"the key of a stored history (64 hex digits) in this sweep's store"
        f"{f' {store.root}' if store else ' (a single run has none)'}, or the path of a "
        f"stored history's {SUFFIX} file inside {inside}"
    )
    if KEY.fullmatch(reference) and store is not None:
        path = store.path(reference)
    elif reference.endswith(SUFFIX) and not KEY.fullmatch(reference):
        path = Path(reference)
    else:
        raise ConfigError("history.checkpoint", reference, allowed)
    real = path.resolve()
    if not any(real.is_relative_to(r.resolve()) for r in roots):
        raise ConfigError("history.checkpoint", reference, f"{allowed}; this one leads out")
    if not real.is_file():
        raise ConfigError("history.checkpoint", reference, f"{allowed}; there is no such file")
    return real


def branch(
    reference: str,
    params: Params,
    store: CheckpointStore | None = None,
    folder: Path | None = None,
) -> SandboxModel:
    """Load the history named in ``history.checkpoint`` and enact ``params``' policy on it.

    Args:
        reference: the value of ``history.checkpoint``.
        params: the scenario to continue with.
        store: the sweep's store, where a key is looked up.
        folder: the sweep's folder, inside which a path may lie (besides ``results/``).

    Raises:
        ConfigError: the history cannot be found or is refused (module docstring), or
            it was made from another scenario or code than ``params``, naming the first
            keys that differ.
    """
    path = resolve(reference, store, folder)
    try:
        model = load_history(path, history_key(params), history_config(params))
    except RefusedError as err:
        raise ConfigError(
            "history.checkpoint",
            reference,
            f"a stored history of this scenario and code, whose {SUFFIX} file matches the "
            f"SHA-256 in the record ({path.stem}.json) beside it and holds data of schema "
            f"{snapshot.SCHEMA} only; this one is refused: {err}",
        ) from None
    model.enact_policy(params)
    return model


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _differ(record: dict, config: dict | None) -> str:
    """The first keys in which a record's history differs from ``config``."""
    theirs = record.get("history")
    if config is None or not isinstance(theirs, dict):
        return "another history key"
    ours, theirs = _flat(json.loads(json.dumps(config))), _flat(theirs)
    differ = [k for k in sorted(ours.keys() | theirs.keys()) if ours.get(k) != theirs.get(k)]
    return "it differs in: " + (", ".join(differ[:5]) or "the code or the input files")


def _flat(config: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in config.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
