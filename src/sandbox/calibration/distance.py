"""The distance between simulated and published counts: the binomial deviance.

Each target is a count ``y`` of ``n`` provinces; the model gives its expected count ``m``
(the mean over replicates). If the published count is a binomial draw with the model's
share ``m / n``, twice its log-likelihood ratio against the saturated fit is

    D = 2 * sum_i [ y_i log(y_i / m_i) + (n_i - y_i) log((n_i - y_i) / (n_i - m_i)) ],

zero for a perfect fit, about chi-square with one degree of freedom per target near it,
and larger for a miss near 0 or n than for the same miss near n / 2 (a count of 60 of
63 is tighter than one of 41). ``m`` is kept in ``[CLIP, n - CLIP]`` so that a model
that gives 0 or n stays finite.

Only figures declared ``use: fit`` in the targets file enter it: ``Deviance`` refuses any
other (a check must never be fitted).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.special import xlogy

from sandbox.calibration.targets import Target

CLIP = 0.5  # provinces


def deviance(observed: np.ndarray, expected: np.ndarray, out_of: np.ndarray) -> float:
    """The binomial deviance of counts ``observed`` against ``expected`` (same shape)."""
    y = np.asarray(observed, dtype=float)
    n = np.asarray(out_of, dtype=float)
    m = np.clip(np.asarray(expected, dtype=float), CLIP, n - CLIP)
    return float(2.0 * np.sum(xlogy(y, y / m) + xlogy(n - y, (n - y) / (n - m))))


class Deviance:
    """The distance pyabc calls: ``distance(simulated, observed)`` on target dicts."""

    def __init__(self, targets: tuple[Target, ...]) -> None:
        others = [t.name for t in targets if t.use != "fit"]
        if others:  # a check or a hand-set figure must never be fitted
            raise ValueError(f"only figures declared use: fit are fitted, not {others}")
        self.names = [t.name for t in targets]
        self.out_of = np.array([t.out_of for t in targets], dtype=float)

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        simulated = np.array([x[name] for name in self.names], dtype=float)
        observed = np.array([x0[name] for name in self.names], dtype=float)
        return deviance(observed, simulated, self.out_of)
