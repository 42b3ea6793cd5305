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
* ``compute_platform``: the machine as far as a result's last bits could depend on it
  (the CPU, the SIMD code NumPy dispatches to, NumPy's BLAS and the kernel it picked for
  the CPU, the C library, how NumPy and SciPy were built, and the environment variables
  that change any of these). The model's arithmetic is meant not to depend on it
  (``sandbox.model.portable``); ``sandbox-reproduce`` compares it with the recorded one
  to tell another platform from other code (``platform_differences``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the sandbox package
SOURCES = (PACKAGE, PACKAGE.parent / "hydra_plugins" / "sandbox_sweeper")
# Libraries whose version can change a number in a result table.
LIBRARIES = ("numpy", "scipy", "pandas", "pyarrow", "mesa")
CHUNK = 1 << 20
# Environment variables that change which machine code computes (recorded when set).
DISPATCH_VARIABLES = (
    "NPY_DISABLE_CPU_FEATURES",
    "NPY_ENABLE_CPU_FEATURES",
    "OPENBLAS_CORETYPE",
    "GLIBC_TUNABLES",
)
# The fields of ``compute_platform`` that decide whether two platforms compute alike (the
# CPU's name and BLAS's thread count are recorded for people, not compared).
PLATFORM_FIELDS = {
    "machine": "machine",
    "numpy_simd": "NumPy's SIMD code",
    "numpy_cpu_features": "CPU features NumPy uses",
    "blas": "BLAS (library, version, kernel)",
    "libc": "C library",
    "builds": "library builds",
    "environment": "dispatch variables",
}


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
    from sandbox.regions import MERGE_BASE, TABLE_DIR, resolve_table

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


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas() -> list[dict[str, object]]:
    """NumPy's BLAS as loaded (threadpoolctl): library, version, the kernel it picked for
    this CPU (``core``) and threads; only NumPy's own when it can be told from others
    loaded (SciPy's), so that the record does not depend on what a process imported."""
    import numpy
    from threadpoolctl import threadpool_info

    root = Path(numpy.__file__).resolve().parent
    owned = (root, root.parent / "numpy.libs")
    found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    numpys = [
        i for i in found if any(Path(i["filepath"]).resolve().is_relative_to(r) for r in owned)
    ]
    return [
        {
            "library": i.get("internal_api"),
            "version": i.get("version"),
            "core": i.get("architecture"),
            "threading": i.get("threading_layer"),
            "threads": i.get("num_threads"),
            "file": Path(i["filepath"]).name,
        }
        for i in (numpys or found)
    ]


def _build(config: dict) -> dict[str, object]:
    compilers = config.get("Compilers", {})
    blas = config.get("Build Dependencies", {}).get("blas", {})
    simd = config.get("SIMD Extensions", {})
    return {
        "compilers": {
            k: f"{v.get('name', '')} {v.get('version', '')}".strip()
            for k, v in compilers.items()
            if isinstance(v, dict)
        },
        "blas": f"{blas.get('name', '')} {blas.get('version', '')}".strip(),
        "blas_configuration": blas.get("openblas configuration", ""),
        # what the build can dispatch to ("found" and "not found" are this CPU's part)
        "simd_baseline": simd.get("baseline", []),
        "simd_targets": sorted([*simd.get("found", []), *simd.get("not found", [])]),
    }


def _builds() -> dict[str, dict]:
    """How NumPy and SciPy were built (their ``show_config``): compilers, BLAS, SIMD."""
    import numpy

    builds = {"numpy": _build(numpy.show_config(mode="dicts"))}
    try:
        import scipy

        builds["scipy"] = _build(scipy.show_config(mode="dicts"))
    except Exception:  # SciPy absent or without a build record
        builds["scipy"] = {}
    return builds


@functools.cache
def compute_platform() -> dict[str, object]:
    """The machine a run is computed on, as far as a result's last bits could depend on it.

    NumPy's CPU features as it detected them (after ``NPY_DISABLE_CPU_FEATURES``), the
    SIMD targets its code was built for and dispatches to, its BLAS and BLAS's kernel,
    the C library (whose ``exp``/``log``/``pow`` also pick FMA code by the CPU), the
    builds, the dispatch variables set, and the CPU's name.
    """
    from numpy._core._multiarray_umath import (
        __cpu_baseline__,
        __cpu_dispatch__,
        __cpu_features__,
    )

    return {
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "numpy_simd": {
            "baseline": list(__cpu_baseline__),
            "dispatched": [t for t in __cpu_dispatch__ if __cpu_features__.get(t)],
        },
        "numpy_cpu_features": sorted(k for k, v in __cpu_features__.items() if v),
        "blas": _blas(),
        "libc": " ".join(platform.libc_ver()).strip() or "unknown",
        "builds": _builds(),
        "environment": {k: os.environ[k] for k in DISPATCH_VARIABLES if k in os.environ},
    }


def _names(names: list[str], most: int = 6) -> str:
    if not names:
        return "none"
    more = f" (+{len(names) - most} more)" if len(names) > most else ""
    return " ".join(names[:most]) + more


def _comparable(field: str, value: object) -> object:
    if field == "blas" and isinstance(value, list):
        return [{k: b.get(k) for k in ("library", "version", "core")} for b in value]
    return value


def _short(field: str, value: object) -> str:
    if field == "numpy_simd" and isinstance(value, dict):
        return " ".join(value.get("dispatched") or []) or "baseline only"
    if field == "blas" and isinstance(value, list):
        return ", ".join(f"{b.get('library')} {b.get('version')} {b.get('core')}" for b in value)
    if field == "numpy_cpu_features" and isinstance(value, list):
        return f"{len(value)} features"
    if isinstance(value, dict) and field != "builds":
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "none set"
    if field == "builds":
        return "other builds"
    return str(value)


def platform_differences(recorded: dict | None, here: dict) -> list[str] | None:
    """What differs between a recorded ``compute_platform`` and ``here``, one phrase per
    field (``[]``: the same platform); ``None`` when nothing was recorded."""
    if not isinstance(recorded, dict):
        return None
    found = []
    for field, label in PLATFORM_FIELDS.items():
        a, b = _comparable(field, recorded.get(field)), _comparable(field, here.get(field))
        if a == b:
            continue
        if field == "numpy_cpu_features" and isinstance(a, list) and isinstance(b, list):
            only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
            found.append(f"{label}: only recorded {_names(only_a)}, only here {_names(only_b)}")
        else:
            found.append(f"{label}: recorded {_short(field, a)}, here {_short(field, b)}")
    return found


def platform_name(record: dict | None) -> str:
    """A platform in a few words: machine, CPU, NumPy's SIMD code, BLAS kernel, C library."""
    if not isinstance(record, dict):
        return "not recorded"
    return (
        f"[{record.get('machine')} {record.get('cpu')!r}, NumPy SIMD "
        f"{_short('numpy_simd', record.get('numpy_simd'))}, BLAS "
        f"{_short('blas', record.get('blas'))}, {record.get('libc')}]"
    )
