"""How the history is fitted (``experiment=calibration``) and how scenarios use the fit."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param

DECIDED = "decision: docs/calibration.md"


@dataclass(frozen=True)
class CalibrationParams:
    """ABC-SMC (pyabc) of the free parameters of ``priors`` against ``targets``.

    ``sandbox-run experiment=calibration`` fits; the other keys set its size, sampler and
    store. Everything here changes how a fit is made, never a run's results.
    """

    fit: bool = param(
        False,
        unit="flag",
        range="flag",
        role="setting",
        source="decision: experiment=calibration sets it",
        doc="run the calibration instead of a scenario",
    )
    targets: str = param(
        "vietnam_2024",
        unit="file",
        range="text",
        role="setting",
        source="[model.md](model.md#calibration)",
        doc="published figures, each declared fit, hand or check (the fit reads the fit "
        "ones): a name in configs/targets/ or a path to a .yaml",
    )
    holdout_after: str = param(
        "",
        unit="month",
        range="text",
        role="setting",
        source=f"{DECIDED}#holdout",
        doc="a temporal hold-out: fit only the figures up to this month (YYYY-MM) and "
        "report the later ones as predictions ('' fits them all)",
    )
    priors: str = param(
        "history",
        unit="file",
        range="text",
        role="setting",
        source=DECIDED,
        doc="free parameters and prior ranges: a name in configs/priors/ or a path",
    )
    replicates: int = param(
        2,
        unit="runs",
        range="count",
        role="setting",
        source=f"{DECIDED}: each evaluation compares the mean of this many histories",
        doc="histories per evaluation, averaged before the distance",
    )
    citizens: int = param(
        1000,
        unit="people",
        range="count",
        role="setting",
        source=f"{DECIDED}: the targets count provinces, which the citizen population "
        "leaves unchanged (tests/test_calibration.py)",
        doc="citizens per evaluation (citizens.n of the histories fitted)",
    )
    population: int = param(
        200,
        unit="particles",
        range="count",
        role="setting",
        source=DECIDED,
        doc="particles per ABC-SMC generation",
    )
    generations: int = param(
        10,
        unit="generations",
        range="count",
        role="setting",
        source=DECIDED,
        doc="most ABC-SMC generations (a resumed fit counts those stored)",
    )
    min_acceptance: float = param(
        0.03,
        unit="share",
        range="unit",
        role="setting",
        source=DECIDED,
        doc="stop once a generation accepts fewer of its simulations than this",
    )
    max_simulations: int = param(
        4000,
        unit="simulations",
        range="count",
        role="setting",
        source=f"{DECIDED}: bounds the default fit to under 30 minutes on 2 cores",
        doc="stop once this many evaluations were made in all",
    )
    min_epsilon: float = param(
        1.0,
        unit="deviance",
        range="nonnegative",
        role="setting",
        source=f"{DECIDED}: below it the distance is mostly replicate noise",
        doc="stop once the acceptance threshold (binomial deviance) falls below this",
    )
    sampler: str = param(
        "multicore",
        unit="–",
        range=("single", "multicore", "redis", "dask"),
        role="setting",
        source="pyabc's samplers (docs/calibration.md#parallel)",
        doc="single | multicore (n_procs) | redis, dask (a cluster at `address`)",
    )
    n_procs: int = param(
        0,
        unit="processes",
        range=(0, 4096),
        role="setting",
        source="decision: 0 uses every core",
        doc="worker processes of the multicore sampler (0: every core)",
    )
    address: str = param(
        "",
        unit="host:port",
        range="text",
        role="setting",
        source="pyabc's RedisEvalParallelSampler and DaskDistributedSampler",
        doc="the redis server or dask scheduler of a distributed sampler",
    )
    recovery: bool = param(
        True,
        unit="flag",
        range="flag",
        role="setting",
        source=f"{DECIDED}: a fit is trusted once it recovers a known truth",
        doc="also fit synthetic targets simulated from the posterior's central point",
    )
    report_replicates: int = param(
        50,
        unit="runs",
        range="count",
        role="setting",
        source=DECIDED,
        doc="histories at the central point behind the report's spread",
    )
    store: str = param(
        "results/calibration",
        unit="folder",
        range="text",
        role="setting",
        source="decision: fits live in the result store, by content",
        doc="folder of fits (one sub-folder per fit, named by its content hash)",
    )
    publish: str = param(
        "",
        unit="–",
        range="text",
        role="setting",
        source="decision: a fit changes every scenario only when asked to",
        doc="also write the posterior to configs/calibrated/<publish>.csv ('' for no)",
    )
    seed: int = param(
        2024,
        unit="–",
        range="seed",
        role="setting",
        source="decision: any fixed seed",
        doc="seed of the sampler's choices and the evaluations' seeds",
    )


@dataclass(frozen=True)
class UncertaintyParams:
    """Which parameter values a scenario runs with: the calibrated central point (the
    declared defaults) or, per replicate, a draw from the stored posterior."""

    source: str = param(
        "point",
        unit="–",
        range=("point", "posterior"),
        role="setting",
        source="decision: docs/calibration.md#posterior",
        doc="point (the declared defaults) | posterior (a draw per replicate)",
    )
    posterior: str = param(
        "history",
        unit="file",
        range="text",
        role="setting",
        source="[calibration.md](calibration.md)",
        doc="the stored posterior: a name in configs/calibrated/ or a path to its .csv",
    )
