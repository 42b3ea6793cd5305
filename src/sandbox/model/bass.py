"""The Bass closed form, reported by the ``validation=bass`` scenario.

F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), t in years, p and q per year.
"""

from __future__ import annotations

import numpy as np

from sandbox.model.portable import exp


def bass_share(t_years: np.ndarray, p: float, q: float) -> np.ndarray:
    """Cumulative adopter share of the Bass model at times ``t_years``."""
    decay = exp(-(p + q) * np.asarray(t_years, dtype=float))
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def max_abs_error(adoption: np.ndarray, p: float, q: float) -> float:
    """Largest gap between monthly end-of-month adoption and the closed form."""
    months = np.arange(1, len(adoption) + 1)
    return float(np.abs(np.asarray(adoption) - bass_share(months / 12.0, p, q)).max())
