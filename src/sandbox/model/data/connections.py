"""The national data drives as they happened: dated shares of provinces connected to the
national data-sharing platform (``connections.csv`` beside this file, each row with its
source), and the national databases connected through it (``databases.csv``), which the
data regime builds into interoperability at a cost (``DataRegime.connect_databases``).

In each month of the table the provinces not yet connected join, the most digitally
capable first (a decision: no source lists which 21 provinces came first), until the
table's share of the month's map is connected. A connection opens a province to the
national data at the data regime's interoperability (``DataRegime.access``); under
fragmented data that is the starting level, so the drive alone changes no province's
data access: the data stay as fragmented as the ministries' databases behind the
platform.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from sandbox.model.clock import month_index

HERE = Path(__file__).parent


def load_drive(start: str) -> dict[int, float]:
    """Month index (from ``start``) → share of provinces connected by then."""
    with (HERE / "connections.csv").open(newline="", encoding="utf-8") as f:
        return {month_index(start, row["month"]): float(row["share"]) for row in csv.DictReader(f)}


N_DATABASES = 6  # the national foundational databases (population, land, enterprises, ...)


def load_databases(start: str) -> dict[int, int]:
    """Month index (from ``start``) → national databases connected to the data-sharing
    platform by then (``databases.csv`` beside this file, each row with its source); those
    connected before ``start`` count from month 0."""
    drive: dict[int, int] = {}
    with (HERE / "databases.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            t = max(0, month_index(start, row["month"]))
            drive[t] = max(drive.get(t, 0), int(row["connected"]))
    return drive


def connect_drive(connected: np.ndarray, capacity: np.ndarray, share: float) -> None:
    """Connect the most capable unconnected provinces until ``share`` of them are
    connected (``connected`` is changed in place)."""
    wanted = math.ceil(share * len(connected) - 1e-9) - int(connected.sum())
    if wanted <= 0:
        return
    order = np.argsort(-capacity, kind="stable")
    waiting = order[~connected[order]]
    connected[waiting[:wanted]] = True
