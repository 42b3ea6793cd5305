"""The stable sorting order of non-negative floats, found by sorting integers.

``stable_order(values)`` is ``np.argsort(values, kind="stable")``, bit for bit, on every
CPU. The stable sort (timsort) is slow on random data, and the default argsort (SIMD) orders
ties by the CPU (``sandbox.model.portable``); NumPy's integer sort is several times faster
than either. A non-negative float64's bit pattern, read as an unsigned integer, orders as
the float does; each value's key is that pattern with its lowest bits replaced by the
value's index. The keys are distinct, so every sort puts them in one order: by value, then
index, except among values whose patterns differ only in the replaced bits (relative
differences below about 2^-30 for a million values: a few pairs), which are put back in
order by value, then index.
"""

from __future__ import annotations

import numpy as np

INFINITY_BITS = np.float64(np.inf).view(np.uint64)  # the largest non-negative non-NaN


def stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` of a 1-d float64 array (module docstring).

    Values that are negative (-0.0 included) or NaN, for which bit patterns do not order as
    floats, are sorted with the stable argsort itself.
    """
    n = len(values)
    bits = max(1, (n - 1).bit_length())  # low bits that hold an index
    pattern = values.view(np.uint64)
    if n < 2 or pattern.max() > INFINITY_BITS:
        return np.argsort(values, kind="stable")
    low = np.uint64((1 << bits) - 1)
    keys = pattern & ~low
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort()
    high = keys >> np.uint64(bits)
    near = np.flatnonzero(high[1:] == high[:-1])  # neighbours that differ in low bits only
    keys &= low
    order = keys.view(np.int64)  # the indices (below 2^bits)
    if len(near):
        members = np.union1d(near, near + 1)  # positions in sorted order, each group whole
        index = order[members]
        order[members] = index[np.lexsort((index, values[index], high[members]))]
    return order
