"""What a run's results depend on besides its config: the code and the input files.

A run's id (``sandbox.experiments.store.run_id``) names its scenario; these fingerprints name what
computed it. Both are written into its ``manifest.json`` and ``runs.parquet``; a resumed
sweep re-runs a run whose code or inputs differ from the present ones, and
``sandbox-collect`` refuses to pool runs of different code.

* ``code_fingerprint``: SHA-256 (16 hex digits) of the ``sandbox`` sources as installed
  (every ``.py`` file of the package and of its sweeper plugin, by relative path and
  content, so that an uncommitted edit counts) and of the versions of Python and of the
  libraries that compute results. The git commit and dirty flag are recorded beside it
  for people; the fingerprint alone decides.
* input files: SHA-256 of every file a scenario reads (the region table, and the base
  table a merged table is built from).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the sandbox package
SOURCES = (PACKAGE, PACKAGE.parent / "hydra_plugins" / "sandbox_sweeper")
# Libraries whose version can change a number in a result table.
LIBRARIES = ("numpy", "scipy", "pandas", "pyarrow", "mesa")
CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks; read again only when the file's size or
    modification time changed (a sweep job asks for its inputs' hashes several times)."""
    path = Path(path).resolve()
    stat = path.stat()
    return _sha256(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _git(args: list[str]) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=PACKAGE,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def code_fingerprint() -> str:
    """16 hex digits naming the code that computes results (see the module docstring)."""
    digest = hashlib.sha256()
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{path.relative_to(root.parent).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    python = ".".join(map(str, sys.version_info[:3]))
    versions = [f"python={python}", *(f"{name}={_version(name)}" for name in LIBRARIES)]
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:16]


@functools.cache
def code_version() -> dict[str, object]:
    """The fingerprint, and the git commit and dirty flag of the source tree (if any)."""
    status = _git(["status", "--porcelain", "--untracked-files=no"])
    return {
        "code_fingerprint": code_fingerprint(),
        "code_git_commit": _git(["rev-parse", "HEAD"]),
        "code_git_dirty": None if status is None else bool(status),
    }


def input_files(table: str, merge_table: str = "") -> dict[str, Path]:
    """Every file a scenario with region table ``table`` (and ``merge_table``, the map it
    becomes at the merger) reads, by the key that names it."""
    from sandbox.model.regions import MERGE_BASE, TABLE_DIR, resolve_table

    path = resolve_table(table)
    files = {"region.table": path}
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    if "merged_from" in [column.strip() for column in header.split(",")]:
        files["region.base_table"] = TABLE_DIR / MERGE_BASE
    if merge_table:
        files["region.merge_table"] = resolve_table(merge_table)
        files.setdefault("region.base_table", TABLE_DIR / MERGE_BASE)
    return files


def input_hashes(table: str, merge_table: str = "") -> dict[str, str]:
    """SHA-256 of every input file (``input_files``), keyed like it."""
    files = input_files(table, merge_table)
    return {key: file_sha256(path) for key, path in files.items()}
