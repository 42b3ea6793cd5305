"""The default history against the published figures (``configs/targets/``).

Every figure of ``family: targets`` is checked, whatever its use: those declared
``use: fit`` were fitted (in-sample, reported as such), those declared ``use: check``
were not (out of sample). The model's figure is computed over replicates of the default
history (region ``vietnam``, the defaults otherwise) run to the latest month needed, and
passes when within the tolerance its file declares (``figures.compare``).
"""

from __future__ import annotations

from pathlib import Path

from sandbox.calibration.targets import DEFAULT
from sandbox.config.meta import with_values
from sandbox.validation.figures import columns, compare, not_modelled, observe, read
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import compose, replicates, run_all
from sandbox.validation.sizes import Size

FAMILY = "targets"
REGION = "vietnam"


def check(size: Size, jobs: int, source: str | Path = DEFAULT) -> list[CheckResult]:
    """One result per figure, over ``size.target_replicates`` replicates of the history."""
    figures = [t for t in read(source) if t.family == FAMILY]
    modelled = [t for t in figures if t.modelled]
    if not modelled:
        return [not_modelled(t, FAMILY, t.name) for t in figures]
    months = sorted({t.month for t in modelled})
    history = with_values(compose(f"region={REGION}"), {"horizon.end": months[-1]})
    wanted = columns(modelled)
    jobs_list = [(p, months, wanted) for p in replicates(history, size.target_replicates)]
    frames = run_all(observe, jobs_list, jobs)
    return [compare(t, frames, FAMILY, t.name) for t in figures]
