"""The name of an experiment's sweep folder: the experiment, then the command's settings.

``sandbox-run -m experiment=policy_comparison`` sweeps into
``results/sweeps/policy_comparison``; a command that also changes settings sweeps into a
folder of its own, named by them, e.g.
``results/sweeps/policy_comparison,citizens.n=100000,replicate=range_20_``. Re-running a
command resumes its own folder, and runs of different settings never end up pooled in one
table. The overlays write ``${sweep_suffix:}`` after their folder; ``sandbox-run`` records
its command line before Hydra starts. The resolver is cached like Hydra's ``${now:}``, so
every job resolves the launching process's value, wherever it runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

# Overrides that change neither the results nor the sweep: which experiment (it is the
# folder's first part), what is printed, and Hydra's own settings (launcher, folders).
IGNORED = ("experiment=", "output.", "hydra.", "hydra/", "+hydra", "~hydra")
SAFE = re.compile(r"[^A-Za-z0-9._=,+-]")
MAX_LEN = 100

_command: tuple[str, ...] = ()


def record_command(overrides: Sequence[str]) -> None:
    """Remember the command line's overrides (called by ``sandbox-run`` before Hydra)."""
    global _command
    _command = tuple(overrides)


def suffix(overrides: Sequence[str] | None = None) -> str:
    """``,<settings>`` naming a sweep by its command's overrides ('' when there are none).

    Their order does not matter. Characters a shell would need quoted become ``_``; a name
    longer than ``MAX_LEN`` characters becomes the first 12 hex digits of its SHA-256
    (the overrides themselves are in the sweep's ``multirun.yaml``).
    """
    kept = sorted(o for o in (_command if overrides is None else overrides)
                  if not o.startswith(IGNORED))  # fmt: skip
    if not kept:
        return ""
    name = SAFE.sub("_", ",".join(kept))
    if len(name) > MAX_LEN:
        name = hashlib.sha256(",".join(kept).encode()).hexdigest()[:12]
    return f",{name}"
