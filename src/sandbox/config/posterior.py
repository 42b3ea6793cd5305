"""A stored posterior: weighted particles of the free parameters (``configs/calibrated/``).

The file is a CSV with one column per free parameter (its dotted key) and ``weight``.
Its central point (the weighted medoid, one accepted particle) is what every scenario runs
with by default: the declared defaults of the fitted parameters equal it, to the digits
``central_point`` rounds to (``tests/test_calibration.py`` checks). Under
``uncertainty=posterior`` each replicate runs with one particle instead.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.config.files import config_file
from sandbox.config.meta import describe, with_values
from sandbox.config.params import Params
from sandbox.config.seeds import process_seed
from sandbox.errors import ConfigError

WEIGHT = "weight"
DIGITS = 3  # significant digits of a declared calibrated value


def posterior_path(name_or_path: str | Path) -> Path:
    """The CSV of a stored posterior, by name (in ``configs/calibrated/``) or by path."""
    return config_file(name_or_path, "calibrated", suffix=".csv")


@functools.cache
def _read(path: Path, mtime_ns: int) -> pd.DataFrame:
    frame = pd.read_csv(path)
    leaves = describe(Params)
    unknown = [c for c in frame.columns if c != WEIGHT and c not in leaves]
    if WEIGHT not in frame.columns or unknown or len(frame) == 0:
        raise ConfigError(
            f"{path} (columns)",
            list(frame.columns),
            "a 'weight' column and one column per parameter, each a dotted key of the "
            "model (docs/parameters.md), and at least one row",
        )
    frame[WEIGHT] = frame[WEIGHT] / frame[WEIGHT].sum()
    return frame


def load_posterior(name_or_path: str | Path = "history") -> pd.DataFrame:
    """The particles (one column per parameter) and their normalised ``weight``."""
    path = posterior_path(name_or_path).resolve()
    return _read(path, path.stat().st_mtime_ns).copy()


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a weighted sample (inverse of its step CDF: always one of
    the values)."""
    return float(np.quantile(values, q, weights=weights, method="inverted_cdf"))


def _rounded(key: str, value: float) -> float | int:
    if describe(Params)[key].type is int:
        return round(value)
    return float(f"{value:.{DIGITS}g}")


def medoid(frame: pd.DataFrame) -> int:
    """The row position of the weighted medoid: the particle with the least weighted mean
    distance to all particles, each parameter scaled to the range the particles span."""
    keys = [k for k in frame.columns if k != WEIGHT]
    x = frame[keys].to_numpy(dtype=float)
    span = x.max(axis=0) - x.min(axis=0)
    z = (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)
    weights = frame[WEIGHT].to_numpy(dtype=float)
    distances = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=-1))
    return int(np.argmin(distances @ weights))


def central_point(frame: pd.DataFrame) -> dict[str, float | int]:
    """The posterior's central point: its weighted medoid (``medoid``), rounded as each
    parameter is declared (``DIGITS``; whole numbers for integer parameters).

    One accepted particle, so a point of the joint posterior: the fitted parameters are
    correlated (``propose_rate`` with ``risk_weight`` +0.71), and the medians of the
    marginals fall off that ridge (docs/calibration.md#posterior). The report checks the
    point's own fit over 50 histories.
    """
    values = particle(frame, medoid(frame))
    return {key: _rounded(key, value) for key, value in values.items()}


def draw(frame: pd.DataFrame, seed: int, replicate: int) -> dict[str, float | int]:
    """The particle of replicate ``replicate``: chosen by weight from (seed, replicate)
    alone, so that every policy of a replicate runs with the same parameters."""
    rng = np.random.default_rng(process_seed(seed, "posterior", replicate))
    weights = frame[WEIGHT].to_numpy(dtype=float)
    return particle(frame, int(rng.choice(len(frame), p=weights / weights.sum())))


def particle(frame: pd.DataFrame, index: int) -> dict[str, float | int]:
    """The parameter values of particle ``index`` (row position), whole numbers rounded
    for integer parameters."""
    row = frame.iloc[index]
    leaves = describe(Params)
    return {
        key: (round(row[key]) if leaves[key].type is int else float(row[key]))
        for key in frame.columns
        if key != WEIGHT
    }


def drawn_values(params: Params) -> dict[str, float | int]:
    """The fitted parameters ``apply_uncertainty`` sets for this run: its replicate's
    particle under ``uncertainty=posterior``, nothing under ``uncertainty=point``."""
    if params.uncertainty.source != "posterior":
        return {}
    return draw(load_posterior(params.uncertainty.posterior), params.seed, params.replicate)


def apply_uncertainty(params: Params) -> Params:
    """``params`` as it runs: unchanged under ``uncertainty=point``; under
    ``uncertainty=posterior`` with the fitted parameters of its replicate's particle."""
    drawn = drawn_values(params)
    return with_values(params, drawn) if drawn else params
