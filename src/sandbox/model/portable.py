"""Arithmetic whose result does not depend on the CPU (docs/experiments.md#platforms).

Some NumPy operations pick their machine code at run time by the CPU, and the codes round
differently, so the same run would give other last bits on another machine:

* BLAS (``@``, ``np.dot``, ``np.matmul``, ``np.einsum`` on floats): OpenBLAS picks a
  kernel for the CPU (Prescott, Sandybridge, Haswell, SkylakeX...), each summing the
  products in its own order;
* NumPy's float64 ``exp``, ``log``, ``expm1``, ``log1p``, ``power`` (and ``tanh`` and
  others) run NumPy's own AVX-512 (or AVX2) code where the CPU has it, the C library's
  elsewhere, on arrays and on scalars alike;
* the default ``np.sort`` / ``np.argsort`` (SIMD sorts) order ties by the CPU.

The model uses instead: ``dot`` here (the products summed by NumPy's pairwise summation,
plain C additions in a fixed order); ``math`` on scalars and ``exp`` here on arrays (the
C library's functions, which NumPy itself calls below AVX-512); ``kind="stable"`` sorts,
or a default sort whose order is checked to be the stable one
(``sandbox.model.citizens``). ``tests/test_platform.py`` runs scenarios at lowered
dispatch levels and BLAS kernels and requires every output bit for bit.
"""

from __future__ import annotations

import math

import numpy as np


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a @ b`` of two float vectors, summed in the same order on every CPU."""
    return float(np.multiply(a, b).sum())


def exp(x: np.ndarray) -> np.ndarray:
    """``np.exp(x)`` element by element with the C library's ``exp`` (``math.exp``)."""
    x = np.asarray(x, dtype=float)
    values = np.fromiter(map(math.exp, x.ravel().tolist()), dtype=float, count=x.size)
    return values.reshape(x.shape)
