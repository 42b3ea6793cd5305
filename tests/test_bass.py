"""The citizen adoption rule against two independent oracles.

1. The Bass closed form F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) in the
   validation scenario (one province, full coverage, literacy = trust = 1).
2. A direct per-citizen Bernoulli reference implementation, written here, with
   heterogeneous citizens and provinces of different coverage.
"""

from __future__ import annotations

import numpy as np
import pytest

from sandbox.model.citizens import Citizens
from sandbox.model.model import SandboxModel
from sandbox.regions import load_region
from tests.conftest import scenario


def bass_closed_form(t_years: np.ndarray, p: float, q: float) -> np.ndarray:
    """Cumulative adopter share of the Bass model."""
    e = np.exp(-(p + q) * t_years)
    return (1 - e) / (1 + (q / p) * e)


@pytest.mark.parametrize(
    ("p", "q"),
    [(0.03, 0.38), (0.01, 0.5), (0.05, 0.95), (0.01, 1.0)],
)
def test_bass_validation_matches_closed_form(p: float, q: float) -> None:
    params = scenario(
        "validation=bass",
        "citizens.n=1000000",
        f"citizens.p_innovation={p}",
        f"citizens.q_imitation={q}",
        "horizon.end=2028-12",
    )
    frame = SandboxModel(params).run()
    months = np.arange(1, len(frame) + 1)
    expected = bass_closed_form(months / 12.0, p, q)
    error = np.abs(frame["adoption"].to_numpy() - expected)
    assert error.max() < 0.005, f"max abs error {error.max():.4f} at month {error.argmax() + 1}"


def test_tolerance_detects_start_of_month_update() -> None:
    """The 0.005 tolerance is tight enough to reject the crude monthly update (hazard
    from the share at the start of the month), which is off by several times that."""
    p, q = 0.05, 0.9
    months = np.arange(1, 97)
    share, crude = 0.0, []
    for _ in months:
        share += (1 - share) * (1 - np.exp(-(p + q * share) / 12))
        crude.append(share)
    error = np.abs(np.array(crude) - bass_closed_form(months / 12, p, q)).max()
    assert error > 0.02  # the tolerance of the test above is tight enough to matter


def bernoulli_reference(
    multiplier: np.ndarray,
    province: np.ndarray,
    coverage: np.ndarray,
    p: float,
    q: float,
    months: int,
    substeps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Per-citizen Bernoulli draws on short sub-steps; adopted share per month."""
    n_prov = len(coverage)
    size = np.bincount(province, minlength=n_prov)
    adopted = np.zeros(len(multiplier), dtype=bool)
    out = []
    dt = 1.0 / (12 * substeps)
    for _ in range(months):
        for _ in range(substeps):
            share = np.bincount(province, adopted, minlength=n_prov) / size
            hazard = (p + q * share[province]) * coverage[province] * multiplier
            adopted |= rng.random(len(multiplier)) < -np.expm1(-hazard * dt)
        out.append(adopted.mean())
    return np.array(out)


def test_threshold_rule_matches_bernoulli_reference() -> None:
    params = scenario("region=toy", "citizens.n=200000", "citizens.q_imitation=0.9")
    region = load_region(params.region.table)
    coverage = np.array([1.0, 0.3, 0.7, 0.5])
    months = 60
    citizens = Citizens(params.citizens, region, np.random.default_rng(1))
    model_curve = []
    for _ in range(months):
        citizens.step(coverage)
        model_curve.append(citizens.province_share() @ citizens.province_n / citizens.n)
    province = np.repeat(np.arange(region.n), citizens.province_n)
    order = np.concatenate(
        [
            np.arange(citizens.seg_start[2 * k], citizens.seg_start[2 * k + 2])
            for k in range(region.n)
        ]
    )
    multiplier = citizens.multiplier.astype(float)[order]
    reference = bernoulli_reference(
        multiplier, province, coverage, 0.03, 0.9, months, 30, np.random.default_rng(2)
    )
    error = np.abs(np.array(model_curve) - reference)
    assert error.max() < 0.006, f"max abs difference {error.max():.4f}"
    assert reference[-1] > 0.08  # the comparison covers real diffusion, not an empty curve
