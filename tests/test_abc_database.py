"""pyabc's database (``abc.db``) is read back as data: a fit resumed from a database whose
stored summary statistics were replaced by crafted pickles runs none of them.

pyabc 0.13 keeps one binary column, ``summary_statistics.value``; it reads it with
``np.load`` (NumPy's default ``allow_pickle=False``) or as Parquet (pyarrow, which no
longer has a pickle-based extension type). Every other column is a number, a date or a
text (the texts parsed as JSON). The crafted blobs below are real: the first test shows
each runs its command when unpickled the way a careless reader would.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shlex
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from sandbox.calibration.fit import DB, STATUS, run_fit
from tests.test_fit import Toy, toy_settings


class Canary:
    """Unpickled, runs ``touch <path>``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return os.system, (f"touch {shlex.quote(str(self.path))}",)


def crafted(canary: Path) -> dict[str, bytes]:
    """Blobs that run ``touch <canary>`` when unpickled: a NumPy object array (what
    ``np.save(..., allow_pickle=True)`` writes) and a bare pickle."""
    buffer = io.BytesIO()
    np.save(buffer, np.array([Canary(canary)], dtype=object), allow_pickle=True)
    return {"numpy": buffer.getvalue(), "pickle": pickle.dumps(Canary(canary))}


def test_the_crafted_blobs_run_their_command(tmp_path: Path) -> None:
    """The oracle can fail: read with pickle allowed, each blob creates its canary."""
    numpy, bare = crafted(tmp_path / "a")["numpy"], crafted(tmp_path / "b")["pickle"]
    np.load(io.BytesIO(numpy), allow_pickle=True)
    pickle.loads(bare)
    assert (tmp_path / "a").exists() and (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("kind", "why"),
    [("numpy", "allow_pickle=False"), ("pickle", "Parquet magic bytes not found")],
)
@pytest.mark.parametrize("finished", [True, False], ids=["read", "continued"])
def test_a_resumed_fit_unpickles_nothing_from_its_database(tmp_path, kind, why, finished):
    folder, canary = tmp_path / "fit", tmp_path / "canary"
    settings = toy_settings(population=30, generations=2)
    run_fit(folder, Toy(), {"share": 45.0}, settings, log=lambda _: 0)
    with sqlite3.connect(folder / DB) as db:
        (rows,) = db.execute("select count(*) from summary_statistics").fetchone()
        db.execute("update summary_statistics set value = ?", (crafted(canary)[kind],))
    assert rows > 0
    status = json.loads((folder / STATUS).read_text())
    (folder / STATUS).write_text(json.dumps({**status, "finished": finished}))
    more = toy_settings(population=30, generations=3)
    with pytest.raises(ValueError, match=why):  # NumPy's or pyarrow's: the blob is not data
        run_fit(folder, Toy(), {"share": 45.0}, more, log=lambda _: 0)
    assert not canary.exists()
