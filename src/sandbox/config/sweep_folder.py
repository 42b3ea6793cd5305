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
# folder's first part), what is printed, how many replicates an adaptive comparison adds
# (they extend the same sweep), and Hydra's own settings (launcher, folders).
IGNORED = ("experiment=", "output.", "adaptive.", "hydra.", "hydra/", "+hydra", "~hydra")
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
    that had to change so, or that is longer than ``MAX_LEN`` characters, is cut to fit and
    ends in ``-`` and the first 12 hex digits of the SHA-256 of the overrides as typed: two
    commands of different settings never share a folder (``region.table=data/a_b.csv`` and
    ``region.table=data/a/b.csv`` both read ``data_a_b.csv``, but their hashes differ). The
    overrides themselves are in the sweep's ``sweep.json`` and ``multirun.yaml``.
    """
    kept = sorted(o for o in (_command if overrides is None else overrides)
                  if not o.startswith(IGNORED))  # fmt: skip
    if not kept:
        return ""
    text = ",".join(kept)
    name = SAFE.sub("_", text)
    if name != text or len(name) > MAX_LEN:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        name = f"{name[: MAX_LEN - 13]}-{digest}"
    return f",{name}"
