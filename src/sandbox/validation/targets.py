"""The default history against the published counts (``configs/targets/``).

The targets are read through ``sandbox.calibration.targets.load_targets``. The model's
figure is the mean over replicates of the default history (region ``vietnam``, the
defaults otherwise), run to the latest target month; a target passes when that mean is
within ``TOLERANCE`` provinces of it, the tolerance the calibration uses
(docs/model.md, VI).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sandbox.calibration.targets import DEFAULT, Target, last_month, load_targets
from sandbox.config.meta import with_values
from sandbox.config.params import Params
from sandbox.errors import ConfigError
from sandbox.model.metrics import METRICS
from sandbox.model.model import SandboxModel
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import compose, options, replicates, run_all
from sandbox.validation.sizes import Size

FAMILY = "targets"
TOLERANCE = 4.0  # provinces
REGION = "vietnam"


def read(source: str | Path = DEFAULT) -> tuple[Target, ...]:
    """The targets of a file (a name in ``configs/targets/`` or a path), checked to name
    metrics the model records and months the default history covers.

    Raises:
        ConfigError: the file is missing or malformed, or a target cannot be observed.
    """
    if not _exists(source):
        raise ConfigError("--targets", str(source), "the path of a .yaml file, or a name in "
                          f"configs/targets/: {', '.join(options('targets'))}")  # fmt: skip
    targets = load_targets(source)
    if not targets:
        raise ConfigError("--targets", str(source), "a targets file with at least one target")
    start = compose().horizon.start
    for t in targets:
        if t.metric not in METRICS:
            raise ConfigError(
                f"{source}: target {t.name} metric",
                t.metric,
                "a metric of docs/model.md#observation",
            )
        if not (len(t.month) == 7 and t.month[4] == "-" and t.month >= start):
            raise ConfigError(
                f"{source}: target {t.name} month", t.month, f"a month YYYY-MM from {start} on"
            )
    return targets


def _exists(source: str | Path) -> bool:
    """Whether ``source`` names a targets file: a path with a suffix, else a name."""
    path = Path(source)
    return path.is_file() if path.suffix else str(source) in options("targets")


def _values(job: tuple[Params, tuple[Target, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """One replicate's value of each target, and the provinces of each target's month."""
    params, targets = job
    frame = SandboxModel(params).run().set_index("month")
    provinces = np.array([frame.at[t.month, "provinces"] for t in targets], dtype=float)
    return np.array([t.observed(frame) for t in targets], dtype=float), provinces


def check(size: Size, jobs: int, source: str | Path = DEFAULT) -> list[CheckResult]:
    """One result per target: mean and sd over ``size.target_replicates`` replicates."""
    targets = read(source)
    history = with_values(compose(f"region={REGION}"), {"horizon.end": last_month(targets)})
    jobs_list = [(p, targets) for p in replicates(history, size.target_replicates)]
    outcomes = run_all(_values, jobs_list, jobs)
    values = np.array([v for v, _ in outcomes])
    provinces = outcomes[0][1]
    out = []
    for i, t in enumerate(targets):
        mean = float(values[:, i].mean())
        sd = float(values[:, i].std(ddof=1)) if len(values) > 1 else 0.0
        problems = []
        if abs(mean - t.value) > TOLERANCE:
            problems.append(f"mean {mean:.2f} is {mean - t.value:+.2f} from {t.value:g}")
        if provinces[i] != t.out_of:
            problems.append(
                f"the model has {provinces[i]:g} provinces in {t.month}, the "
                f"target counts out of {t.out_of}"
            )
        out.append(
            CheckResult(
                family=FAMILY,
                name=t.name,
                claim=f"{t.figure}, {t.month} ({t.metric}): {t.value:g} of {t.out_of}",
                value=mean,
                tolerance=f"|mean - {t.value:g}| <= {TOLERANCE:g}",
                numbers={
                    "month": t.month,
                    "metric": t.metric,
                    "target": t.value,
                    "out_of": t.out_of,
                    "mean": mean,
                    "sd": sd,
                    "difference": mean - t.value,
                    "replicates": len(values),
                    "region": REGION,
                    "source": t.source,
                },
                problems=tuple(problems),
            )
        )
    return out
