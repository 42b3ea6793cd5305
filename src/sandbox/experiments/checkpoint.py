"""Stored histories: the state at ``policy.start``, computed once and branched from.

Every scenario simulates the same history (the historical mechanisms, ``history.*``)
until ``policy.start`` and only then its levers. The model's whole state at that month
depends on everything but the levers, so it is stored once per *history key*: SHA-256 of
the scenario without ``policy`` (except ``policy.start``), ``resources``, ``data``,
``horizon.end``, ``output`` and ``history.checkpoint``, with the seed and replicate, the
code fingerprint and the input files' hashes. Every policy run of that replicate loads
it and continues; a branched run equals a straight run bit for bit.

Layout of a store folder: ``<key>.pkl`` (the pickled model, written atomically) and
``<key>.json`` (what it was made from, for people and for ``history.checkpoint``). While
one job computes a history, the others that need it wait on ``<key>.lock`` (an exclusive
``flock``; on a shared file system that does not honour locks two jobs may compute the
same history, which costs time, never correctness).
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import pickle
from contextlib import contextmanager
from pathlib import Path

from sandbox.config.params import Params
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import write_atomic, write_json
from sandbox.experiments.provenance import code_fingerprint, input_hashes
from sandbox.model.model import SandboxModel, policy_month_index

LEVERS = ("policy", "resources", "data")


def history_config(params: Params) -> dict:
    """The part of a scenario the history depends on (module docstring)."""
    config = dataclasses.asdict(params)
    start = config["policy"]["start"]
    for key in (*LEVERS, "output"):
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


@contextmanager
def _locked(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class CheckpointStore:
    """A folder of stored histories, addressed by history key.

    Args:
        root: the folder (created when needed).
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where the history with ``key`` is (or would be) stored."""
        return self.root / f"{key}.pkl"

    def model(self, params: Params) -> SandboxModel:
        """A model at ``policy.start`` with the policy enacted, from the store if there.

        The first job to need a history computes and stores it; the others wait for it.
        """
        key = history_key(params)
        path = self.path(key)
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            with _locked(self.root / f"{key}.lock"):
                if not path.exists():
                    model = SandboxModel(params)
                    model.run_history()
                    self._write(key, model, params)
                    model.enact_policy()
                    return model
        return branch(path, params)

    def _write(self, key: str, model: SandboxModel, params: Params) -> None:
        def dump(tmp: Path) -> None:
            with tmp.open("wb") as handle:
                pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)

        write_atomic(self.path(key), dump)
        write_json(
            self.root / f"{key}.json",
            {"key": key, "code_fingerprint": code_fingerprint(), **history_config(params)},
        )


def resolve(reference: str, store_root: Path | str) -> Path:
    """The file of a named checkpoint: a path to a ``.pkl``, or a key in the store."""
    path = Path(reference)
    if path.suffix != ".pkl":
        path = Path(store_root) / f"{reference}.pkl"
    if not path.is_file():
        raise ConfigError(
            "history.checkpoint",
            reference,
            f"a stored checkpoint: a key of {store_root} or the path of its .pkl file",
        )
    return path


def branch(path: Path, params: Params) -> SandboxModel:
    """Load a stored history and enact ``params``' policy on it.

    Raises:
        ConfigError: the history was made from another scenario or code than ``params``
            (its key differs), naming the first keys that differ.
    """
    with Path(path).open("rb") as handle:
        model: SandboxModel = pickle.load(handle)
    if history_key(model.params) != history_key(params):
        ours, theirs = _flat(history_config(params)), _flat(history_config(model.params))
        differ = [k for k in sorted(ours.keys() | theirs.keys()) if ours.get(k) != theirs.get(k)]
        detail = ", ".join(differ[:5]) or "the code or the input files"
        raise ConfigError(
            "history.checkpoint",
            str(path),
            f"a history made from this scenario and code (it differs in: {detail})",
        )
    model.enact_policy(params)
    return model


def _flat(config: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in config.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
