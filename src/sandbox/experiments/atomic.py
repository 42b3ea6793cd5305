"""Write files so that an interrupted run never leaves a half file that looks complete.

A file is written under a temporary name in its own folder, ``.<name>.<host>.<pid>.tmp``,
then renamed. A process killed before the rename leaves that temporary file behind;
``clean_temporary`` removes the ones whose writer is gone.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


HOST = socket.gethostname().replace(".", "-")
# A temporary file of another host is left for this long: its writer may still be running.
FOREIGN_AGE_S = 24 * 3600


def temporary_name(path: Path) -> Path:
    """The temporary name ``path`` is written under by this process."""
    path = Path(path)
    return path.with_name(f".{path.name}.{HOST}.{os.getpid()}.tmp")


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary name in the same folder, then rename to ``path``."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: dict) -> None:
    """Atomically write ``data`` as indented JSON (NaN written as null)."""
    text = json.dumps(jsonable(data), indent=2, sort_keys=False) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Atomically write a table as Parquet."""
    write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def abandoned(path: Path, now: float | None = None) -> bool:
    """Whether a temporary file's writer is gone.

    On this host: its process no longer exists. From another host (a cluster node): it
    is older than ``FOREIGN_AGE_S``. Files named otherwise are never abandoned.
    """
    parts = path.name.rsplit(".", 3)
    if not path.name.startswith(".") or len(parts) != 4 or parts[3] != "tmp":
        return False
    _, host, pid, _ = parts
    if host == HOST and pid.isdigit():
        return not _alive(int(pid))
    try:
        age = (now or time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    return age > FOREIGN_AGE_S


def clean_temporary(folder: Path) -> int:
    """Remove abandoned temporary files under ``folder``; return how many."""
    removed = 0
    for path in Path(folder).rglob(".*.tmp"):
        if path.is_file() and abandoned(path):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:
        return None
    return value
