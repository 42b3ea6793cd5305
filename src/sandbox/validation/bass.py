"""The citizen submodel against two oracles that share no code with it.

1. **Homogeneous citizens: the Bass closed form** (``sandbox.model.bass``). The scenario
   ``validation=bass`` (one province, full coverage from month 0, literacy = trust = 1)
   is run through ``sandbox.experiments.runner.run``, which reports the largest monthly
   gap between adoption and ``F(t)`` (``bass_max_abs_error``).
2. **Heterogeneous citizens: a per-citizen Bernoulli reference**, written here. The
   model's citizens (drawn as the model draws them, from the run's ``citizens`` stream)
   are stepped on the toy region's four provinces under different coverages; the
   reference gives the same citizens a Bernoulli draw each on short sub-steps with
   probability ``1 - exp(-h dt)``, ``h = (p + q F_k) c_k m_i``, from a stream of its own.
   The two adopted shares must agree month by month within sampling error.

The tolerances are the project's (README, "Validation and speed"): 0.005 at 10^6
citizens against the closed form; 0.006 at 200,000 citizens against the reference.
"""

from __future__ import annotations

import zlib

import numpy as np

from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.experiments.runner import run
from sandbox.model.citizens import Citizens
from sandbox.model.rng import RandomStreams
from sandbox.regions import load_region
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import compose, replicates, run_all
from sandbox.validation.sizes import Size

FAMILY = "bass"
CLOSED_FORM_TOLERANCE = 0.005  # max abs gap in adopted share, at 10^6 citizens
REFERENCE_TOLERANCE = 0.006  # max abs gap in adopted share, at REFERENCE_CITIZENS
REFERENCE_CITIZENS = 200_000
REFERENCE_COVERAGE = (1.0, 0.3, 0.7, 0.5)  # the toy region's four provinces
REFERENCE_P, REFERENCE_Q = 0.03, 0.9
REFERENCE_MONTHS = 60
REFERENCE_SUBSTEPS = 30  # Bernoulli draws per citizen and month
REFERENCE_MIN_FINAL = 0.08  # the reference must diffuse this far: a real comparison
REFERENCE_STREAM = zlib.crc32(b"validation.bernoulli_reference")


def _closed_form_error(params: Params) -> tuple[float, int]:
    """The largest monthly gap from the closed form, and the months compared."""
    result = run(params)
    return float(result.summary["bass_max_abs_error"]), len(result.timeseries)


def check_closed_form(size: Size, jobs: int) -> list[CheckResult]:
    """One check per (p, q): the largest gap from the closed form over the replicates."""
    scenarios = []
    for p, q in size.bass_pairs:
        params = compose(
            "validation=bass",
            f"citizens.n={size.bass_citizens}",
            f"citizens.p_innovation={p}",
            f"citizens.q_imitation={q}",
        )
        scenarios += replicates(params, size.bass_replicates)
    outcomes = run_all(_closed_form_error, scenarios, jobs)
    errors = np.array([e for e, _ in outcomes]).reshape(len(size.bass_pairs), -1)
    months = outcomes[0][1]
    out = []
    for (p, q), err in zip(size.bass_pairs, errors, strict=True):
        worst = float(err.max())
        problems = [f"max abs error {worst:.4f} > {CLOSED_FORM_TOLERANCE}"]
        problems = problems if worst > CLOSED_FORM_TOLERANCE else []
        out.append(
            CheckResult(
                family=FAMILY,
                name=f"closed_form_p{p}_q{q}",
                claim=(
                    f"homogeneous citizens (validation=bass, p={p}, q={q}) follow the Bass "
                    "closed form in every month"
                ),
                value=worst,
                condition=f"max abs error <= {CLOSED_FORM_TOLERANCE}",
                tolerance=CLOSED_FORM_TOLERANCE,
                numbers={
                    "p": p,
                    "q": q,
                    "citizens": size.bass_citizens,
                    "months": months,
                    "replicates": size.bass_replicates,
                    "max_abs_error": worst,
                    "mean_of_max_abs_error": float(err.mean()),
                },
                problems=tuple(problems),
            )
        )
    return out


def bernoulli_reference(
    citizens: Citizens, coverage: np.ndarray, months: int, substeps: int, rng: np.random.Generator
) -> np.ndarray:
    """Adopted share at the end of each month, one Bernoulli draw per citizen and sub-step.

    Only the citizens' inputs are read (each one's multiplier literacy x trust and
    province, the rates ``p`` and ``q``); none of the model's adoption machinery is used.

    Args:
        citizens: the population, as the model drew it (not stepped by this function).
        coverage: each province's service coverage in [0, 1], constant in time.
        months: months to simulate.
        substeps: sub-steps a month; the province shares ``F_k`` are updated after each.
        rng: the reference's own generator.
    """
    p, q = citizens.params.p_innovation, citizens.params.q_imitation
    province = np.repeat(citizens.seg_province, np.diff(citizens.seg_start))
    n_provinces = len(coverage)
    citizens_of = np.bincount(province, minlength=n_provinces)
    rate = coverage[province] * citizens.multiplier.astype(float)  # per unit of (p + q F)
    dt = 1.0 / (12.0 * substeps)
    adopted = np.zeros(len(province), dtype=bool)
    shares = np.empty(months)
    for month in range(months):
        for _ in range(substeps):
            share = np.bincount(province[adopted], minlength=n_provinces) / citizens_of
            chance = -np.expm1(-(p + q * share[province]) * rate * dt)
            adopted |= rng.random(len(adopted)) < chance
        shares[month] = adopted.mean()
    return shares


def _model_and_reference(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """The model's monthly adopted share and the reference's, for one replicate."""
    coverage = np.asarray(REFERENCE_COVERAGE)
    streams = RandomStreams(params.seed, params.replicate)
    citizens = Citizens(params.citizens, load_region(params.region.table), streams["citizens"])
    seed = np.random.SeedSequence(params.seed, spawn_key=(params.replicate, REFERENCE_STREAM))
    rng = np.random.default_rng(seed)
    reference = bernoulli_reference(citizens, coverage, REFERENCE_MONTHS, REFERENCE_SUBSTEPS, rng)
    model = np.empty(REFERENCE_MONTHS)
    for month in range(REFERENCE_MONTHS):
        citizens.step(coverage)
        model[month] = citizens.province_share() @ citizens.province_n / citizens.n
    return model, reference


def check_bernoulli_reference(size: Size, jobs: int) -> CheckResult:
    """Heterogeneous citizens in four provinces of different coverage against the
    Bernoulli reference, over ``size.bernoulli_replicates`` replicates."""
    params = compose("region=toy", f"citizens.n={REFERENCE_CITIZENS}")
    params = with_values(
        params, {"citizens.p_innovation": REFERENCE_P, "citizens.q_imitation": REFERENCE_Q}
    )
    pairs = run_all(_model_and_reference, replicates(params, size.bernoulli_replicates), jobs)
    gaps = np.array([np.abs(m - r).max() for m, r in pairs])
    final = np.array([r[-1] for _, r in pairs])
    worst = float(gaps.max())
    problems = []
    if worst > REFERENCE_TOLERANCE:
        problems.append(f"max abs difference {worst:.4f} > {REFERENCE_TOLERANCE}")
    if final.min() <= REFERENCE_MIN_FINAL:
        problems.append(
            f"the reference reached only {final.min():.3f} adoption (needs > "
            f"{REFERENCE_MIN_FINAL}): no real diffusion to compare"
        )
    return CheckResult(
        family=FAMILY,
        name="bernoulli_reference",
        claim=(
            "heterogeneous citizens (literacy x trust) in provinces of coverage "
            f"{', '.join(map(str, REFERENCE_COVERAGE))} adopt as per-citizen Bernoulli draws do"
        ),
        value=worst,
        condition=f"max abs difference <= {REFERENCE_TOLERANCE}",
        tolerance=REFERENCE_TOLERANCE,
        numbers={
            "p": REFERENCE_P,
            "q": REFERENCE_Q,
            "citizens": REFERENCE_CITIZENS,
            "months": REFERENCE_MONTHS,
            "substeps": REFERENCE_SUBSTEPS,
            "replicates": size.bernoulli_replicates,
            "max_abs_difference": worst,
            "reference_final_adoption_min": float(final.min()),
        },
        problems=tuple(problems),
    )


def check(size: Size, jobs: int) -> list[CheckResult]:
    """Every check of the family."""
    return [*check_closed_form(size, jobs), check_bernoulli_reference(size, jobs)]
