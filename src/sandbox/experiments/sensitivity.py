"""Global sensitivity analysis (``sandbox-run -m experiment=sensitivity``).

Two designs of the unit hypercube of the uncertainties (``sandbox.config.uncertainties``),
each with a ``dummy`` factor the model never reads, run by the design engine
(``sandbox.experiments.design``: every point and replicate, every regime branched from
the same history):

1. **Morris screening** over every coordinate (``dimensions()``, the fitted parameters
   jointly as ``posterior``): ``design.samples`` trajectories of ``LEVELS`` levels;
2. **Sobol indices** (first and total order; Saltelli's sample of ``design.sobol_samples``
   base samples, no second order) over the ``design.sobol_factors`` uncertainties Morris
   ranks first, plus the dummy; the other uncertainties keep their declared defaults.

The analysed outcomes are the headline outcomes under the baseline (the first policy) and
each other policy's paired effect against it (``sandbox.analysis.sensitivity``). The
design's folder is ``<design.store>/sensitivity-<key>``, the key a hash of everything that
defines the design (size, seed, every policy's scenario, the code), so running the same
command again resumes it::

    morris/, sobol/    each stage's design folder (design.json, points, chunks, runs)
    runs.parquet       both stages' runs, tidy, with a ``stage`` column
    morris.csv, sobol.csv, noise.csv   the indices and the noise shares
    report.md + *.png  the report
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from sandbox.analysis.sensitivity import DUMMY, LEVELS, morris, noise_share, selected, sobol
from sandbox.analysis.sensitivity import targets as target_table
from sandbox.config.params import Params
from sandbox.config.uncertainties import dimensions
from sandbox.errors import ConfigError
from sandbox.experiments.atomic import write_parquet
from sandbox.experiments.design import keyed_folder, run_design
from sandbox.experiments.provenance import code_fingerprint
from sandbox.model.outcomes import HEADLINE

ANALYSIS = "sensitivity"
STAGES = ("morris", "sobol")
RUNS = "runs.parquet"


@dataclasses.dataclass(frozen=True)
class Sensitivity:
    """What one analysis found: each stage's runs, the indices and the noise shares."""

    runs: pd.DataFrame  # both stages' runs, with ``stage``
    morris: pd.DataFrame  # sandbox.analysis.sensitivity.morris
    sobol: pd.DataFrame  # sandbox.analysis.sensitivity.sobol
    noise: pd.DataFrame  # stage, target, outcome, noise_share
    chosen: list[str]  # the uncertainties Sobol's stage varies (the dummy aside)


def design_folder(params: Params, policies: Mapping[str, Params]) -> Path:
    """``<design.store>/sensitivity-<key>`` (``keyed_folder``), named by the design's size
    and seed, every policy's scenario (less how it is run: workers, chunk, store) and the
    code: the same command finds the same folder. (The points are not known in advance:
    the Sobol stage's factors follow from the Morris stage's results.)"""
    d = params.design
    size = [d.samples, d.sobol_samples, d.sobol_factors, d.replicates, d.seed, list(policies)]
    scenarios = {
        name: {k: v for k, v in dataclasses.asdict(p).items() if k != "design"}
        for name, p in policies.items()
    }
    return keyed_folder(d.store, ANALYSIS, [size, scenarios, code_fingerprint()])


def morris_points(trajectories: int, seed: int) -> pd.DataFrame:
    """Morris's trajectories over every coordinate and the dummy (SALib), one row per
    point, each trajectory ``len(dimensions()) + 2`` consecutive rows."""
    from SALib.sample import morris as sample

    names = [*dimensions(), DUMMY]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sample.sample(problem, trajectories, num_levels=LEVELS, seed=seed)
    return pd.DataFrame(x, columns=names)


def sobol_points(factors: list[str], n: int, seed: int) -> pd.DataFrame:
    """Saltelli's sample (SALib, no second order) of ``factors`` and the dummy: ``n``
    blocks of ``len(factors) + 3`` consecutive points."""
    from SALib.sample import sobol as sample

    names = [*factors, DUMMY]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    return pd.DataFrame(x, columns=names)


def planned(params: Params) -> str:
    """The design's size in words, before anything runs (``sandbox-run --dry-run``)."""
    d = params.design
    morris = d.samples * (len(dimensions()) + 2)  # each trajectory: one more point than factors
    sobol = d.sobol_samples * (d.sobol_factors + 3)  # factors, the dummy, and A and B
    histories = (morris + sobol) * d.replicates
    runs = histories * len(d.policies)
    return (
        f"the {ANALYSIS} design: Morris {morris:,} points then Sobol {sobol:,}, "
        f"{d.replicates} replicates each, {len(d.policies)} policies: {runs:,} runs "
        f"({histories:,} histories, each branched into every policy)"
    )


def _check(params: Params) -> None:
    n = params.design.sobol_samples
    if n & (n - 1):
        raise ConfigError(
            "design.sobol_samples", n, "a power of 2 (Saltelli's sample of a Sobol' sequence)"
        )
    if len(params.design.policies) < 2:
        raise ConfigError(
            "design.policies",
            params.design.policies,
            "two policies at least: the baseline first, then the regimes whose effects "
            "against it are analysed",
        )


def run_sensitivity(
    params: Params,
    policies: Mapping[str, Params],
    folder: Path,
    log: Callable[[str], None] = print,
    progress: bool = True,
) -> Sensitivity:
    """Run (or resume) both stages in ``folder`` and compute their indices."""
    d = params.design
    _check(params)
    kw = {
        "workers": d.workers,
        "chunk": d.chunk,
        "posterior": params.uncertainty.posterior,
        "log": log,
        "progress": progress,
        "distinct": True,  # chance independent between points: the dummy sees it
    }
    first = run_design(
        folder / "morris", ANALYSIS, policies, morris_points(d.samples, d.seed), d.replicates, **kw
    )
    outcomes = [o for o in HEADLINE if o in first.columns]
    morris_indices = morris(first, outcomes, seed=d.seed)
    chosen = selected(morris_indices, d.sobol_factors)
    log(f"{ANALYSIS}: Sobol's stage varies {', '.join(chosen)} and the dummy")
    points = sobol_points(chosen, d.sobol_samples, d.seed)
    second = run_design(folder / "sobol", ANALYSIS, policies, points, d.replicates, **kw)
    sobol_indices = sobol(second, outcomes, seed=d.seed)
    stages = list(zip(STAGES, (first, second), strict=True))
    noise = pd.concat([_noise(f, stage, outcomes) for stage, f in stages], ignore_index=True)
    runs = pd.concat([f.assign(stage=stage) for stage, f in stages], ignore_index=True)
    return Sensitivity(runs, morris_indices, sobol_indices, noise, chosen)


def _noise(runs: pd.DataFrame, stage: str, outcomes: list[str]) -> pd.DataFrame:
    share = noise_share(target_table(runs, outcomes)).reset_index()
    share.insert(0, "stage", stage)
    return share


def analyse(
    params: Params,
    policies: Mapping[str, Params],
    command: str = "",
    log: Callable[[str], None] = print,
    progress: bool = True,
    folder: Path | None = None,
) -> Path:
    """Run the analysis (or resume it) and write its tables and report; the report's path.

    Args:
        params: the composed scenario (its ``design.*`` settings).
        policies: each policy of ``design.policies`` composed (the first is the baseline).
        command: the command line, as the report quotes it.
        folder: the design's folder (default ``design_folder``).

    Raises:
        ConfigError: ``design.sobol_samples`` is no power of 2, or fewer than 2 policies.
    """
    from sandbox.experiments.sensitivity_report import write_report

    _check(params)
    folder = Path(folder) if folder else design_folder(params, policies)
    log(f"{ANALYSIS}: {folder}")
    found = run_sensitivity(params, policies, folder, log=log, progress=progress)
    write_parquet(folder / RUNS, found.runs)
    found.morris.to_csv(folder / "morris.csv", index=False)
    found.sobol.to_csv(folder / "sobol.csv", index=False)
    found.noise.to_csv(folder / "noise.csv", index=False)
    return write_report(folder, found, params, policies, command)
