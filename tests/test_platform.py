"""The model's results do not depend on the CPU's SIMD level.

A few short scenarios are run in fresh processes at the machine's full level and again
with NumPy's run-time dispatch lowered (``NPY_DISABLE_CPU_FEATURES``: no AVX-512, then
the baseline only) and OpenBLAS's kernel forced to older CPUs (``OPENBLAS_CORETYPE``);
every output (the month-by-month table, the per-province table, the summary) must come
out bit for bit. Each child reports the dispatch level and BLAS kernel it ran with, so a
level that did not take effect fails instead of passing unseen.

The scenarios reach what depends on the CPU: population-weighted shares (a BLAS dot
product before ``sandbox.model.portable``), the merger's weighted means (the default
map merges in 2025), the partner choice's logit weights and the Bass closed form
(``np.exp``: seed 32 of the Bass scenario ends on a month where NumPy's AVX-512 ``exp``
rounds differently from the C library's).
"""

from __future__ import annotations

import ast
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
from threadpoolctl import threadpool_info

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = (
    ("region=toy", "citizens.n=2000", "policy.start=2019-01", "policy=controlled_pilot"),
    ("citizens.n=2000", "horizon.end=2026-06", "policy=phased_sandbox", "resources=mixed"),
    ("validation=bass", "citizens.n=2000", "seed=32"),
)
CHILD = """
import hashlib, json, math, sys
sys.path.insert(0, {root!r})
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
from threadpoolctl import threadpool_info
from sandbox.experiments.runner import run
from tests.conftest import scenario

def column(values):
    if values.dtype == object:
        return "\\x00".join(map(str, values)).encode()
    return values.tobytes()

def digest(frame):
    return {{c: hashlib.sha256(column(frame[c].to_numpy())).hexdigest()[:16] for c in frame}}

def exact(value):
    return value.hex() if isinstance(value, float) else repr(value)

outputs = []
for overrides in json.loads(sys.argv[1]):
    result = run(scenario(*overrides))
    outputs.append({{
        "timeseries": digest(result.timeseries),
        "provinces": digest(result.provinces),
        "summary": {{k: exact(v) for k, v in result.summary.items()}},
    }})
print(json.dumps({{
    "simd": [t for t in __cpu_dispatch__ if __cpu_features__[t]],
    "blas": sorted({{i.get("architecture", "") for i in threadpool_info()
                    if i["user_api"] == "blas"}}),
    "outputs": outputs,
}}))
"""


def _enabled(names: list[str]) -> list[str]:
    return [n for n in names if __cpu_features__.get(n)]


DISPATCH = _enabled(list(__cpu_dispatch__))
NO_AVX512 = [t for t in DISPATCH if t.startswith("AVX512") or t == "X86_V4"]
OPENBLAS = any(i.get("internal_api") == "openblas" for i in threadpool_info())
# OpenBLAS kernels this CPU can run, newest first: (core type, the feature it needs); a
# build without a core's own kernel runs the nearest older one (NumPy's wheels: Prescott
# runs the one OpenBLAS names Katmai)
CORES = [c for c, f in (("Haswell", "AVX2"), ("Sandybridge", "AVX"), ("Prescott", "SSE3"))
         if OPENBLAS and __cpu_features__.get(f)]  # fmt: skip


def levels() -> list[tuple[str, list[str] | None, str | None]]:
    """(what is lowered, NumPy's features disabled, OpenBLAS's kernel forced), each lower
    NumPy level paired with the next older kernel, then the remaining kernels alone."""
    cores = iter(CORES)
    found = []
    for label, disable in (("without AVX-512", NO_AVX512), ("at its baseline", DISPATCH)):
        if disable:
            core = next(cores, None)
            found.append((f"NumPy {label}, OpenBLAS {core or 'as is'}", disable, core))
    found += [(f"OpenBLAS {core}", None, core) for core in cores]
    return found


def child(disable: list[str] | None = None, core: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES",
                        "OPENBLAS_CORETYPE")}  # fmt: skip
    if disable:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(disable)
    if core:
        env["OPENBLAS_CORETYPE"] = core
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), json.dumps(SCENARIOS)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def differences(full: dict, other: dict) -> list[str]:
    """Which scenario, output and column (or summary key) differ."""
    found = []
    for overrides, a, b in zip(SCENARIOS, full["outputs"], other["outputs"], strict=True):
        for output in a:
            found += [
                f"{' '.join(overrides)}: {output} {name}"
                for name in sorted(set(a[output]) | set(b[output]))
                if a[output].get(name) != b[output].get(name)
            ]
    return found


@pytest.mark.slow
@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 levels")
def test_outputs_are_bit_identical_across_simd_levels_and_blas_kernels() -> None:
    full = child()
    assert levels(), "this machine offers no lower level to compare with"
    failures = []
    for label, disable, core in levels():
        other = child(disable, core)
        # the level took effect: the features are off, and the kernel is another one (unless
        # this CPU's own kernel is the one forced)
        assert other["simd"] == [t for t in full["simd"] if t not in (disable or [])], label
        if core:
            assert other["blas"] != full["blas"] or full["blas"] == [core], (label, other)
        failures += [f"{label}: {d}" for d in differences(full, other)]
    assert not failures, "\n".join(failures)


# NumPy functions whose float64 result depends on the CPU: BLAS, and the ufuncs NumPy
# runs with its own SIMD code where the CPU has it (sandbox.model.portable)
CPU_DEPENDENT = frozenset(
    {"dot", "vdot", "inner", "outer", "matmul", "einsum", "tensordot", "linalg"}
    | {"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power"}
    | {"sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh"}
    | {"arcsinh", "arccosh", "arctanh", "cbrt", "hypot", "logaddexp", "logaddexp2"}
)
# sorts whose result depends on the CPU: ties' order (np.argsort, unless kind="stable";
# np.sort on floats: -0.0 and 0.0) or every element but the k-th (partitions)
SORTS = frozenset({"argsort", "argpartition"})
NUMPY_SORTS = frozenset({"sort", "partition"})
# a default sort whose order is checked to be the stable one (see its docstring)
CHECKED_SORTS = {("citizens.py", "_sort_into")}
COMPUTING = [*sorted((ROOT / "src" / "sandbox" / "model").rglob("*.py")),
             ROOT / "src" / "sandbox" / "experiments" / "runner.py"]  # fmt: skip


def _is_numpy(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("np", "numpy")


def cpu_dependent_operations(path: Path) -> list[str]:
    """Where a source file uses an operation whose float result depends on the CPU."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    function_of = {}  # each node's innermost enclosing function
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(function):
            function_of[node] = function.name  # inner functions are walked later
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
            found.append(f"{where}: @ (BLAS)")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int)):
                found.append(f"{where}: ** with a non-integer exponent")
        elif (
            isinstance(node, ast.Attribute) and _is_numpy(node.value) and node.attr in CPU_DEPENDENT
        ):
            found.append(f"{where}: np.{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (
                node.func.attr in SORTS
                or (node.func.attr in NUMPY_SORTS and _is_numpy(node.func.value))
            )
            and not any(
                k.arg == "kind" and "partition" not in node.func.attr for k in node.keywords
            )
            and (path.name, function_of.get(node)) not in CHECKED_SORTS
        ):
            found.append(f"{where}: {node.func.attr} (the order of ties depends on the CPU)")
    return sorted(set(found))


def test_the_model_uses_no_cpu_dependent_operation() -> None:
    found = [f for path in COMPUTING for f in cpu_dependent_operations(path)]
    assert not found, "use sandbox.model.portable or math instead:\n" + "\n".join(found)
