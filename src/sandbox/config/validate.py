"""Range checks of a whole scenario, before anything runs or is written.

Types and key names are checked by Hydra against the schema in ``sandbox.config.params``; this
module checks values against the range each field declares there (``sandbox.config.meta``):
the first violation raises ``ConfigError`` naming key, value and what is allowed. Values
that would hang the run or exhaust the machine are refused too: a field's declared
``limit``, whole numbers above ``MAX_WHOLE``, a month outside ``FIRST_MONTH`` to
``LAST_MONTH`` and more citizens than this machine's memory holds (``max_citizens``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
from pathlib import Path

from sandbox.config.meta import KINDS, Range, allowed, describe
from sandbox.config.params import Params
from sandbox.errors import ConfigError

UNIT = KINDS["unit"]
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
MAX_WHOLE = 10**9  # any other whole number (months, counts, capacities)
FIRST_MONTH, LAST_MONTH = "1990-01", "2100-12"

# Memory per simulated citizen (``sandbox.model.citizens.Citizens``): the columns kept for the
# whole run (key float64, multiplier float32, abandoned bool: 13 bytes) plus the
# temporaries of drawing a segment (age as int64, literacy, trust, their Beta parameters,
# the multiplier and thresholds as float64, the sort order as int64: 72 bytes per citizen
# of the segment being drawn, which with one province is most citizens).
BYTES_PER_CITIZEN = 13 + 72
BASE_BYTES = 512 * 2**20  # Python, NumPy, pandas, Mesa and the agents
MEMORY_SHARE = 0.8  # of this machine's memory a run may take
TYPED = {  # kinds whose type says most
    "flag": bool,
    "text": str,
    "month": str,
    "subfolder": str,
    "stored_history": str,
    "names": list,
}
HISTORY_KEY = re.compile(r"[0-9a-f]{64}")  # a stored history's key (SHA-256 in hex)
MEMORY_BOUND = "citizens.n"  # bounded by memory (``check_memory``), not by ``MAX_WHOLE``


def leaves(obj: object, prefix: str = ""):
    """(dotted key, value) of every leaf of a parameter dataclass."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            yield from leaves(value, key + ".")
        else:
            yield key, value


@functools.cache
def declared_range(key: str) -> Range:
    """The range a leaf of ``Params`` declares (``nonnegative`` if it declares none)."""
    meta = describe(Params)[key].meta
    return meta.range if meta.range is not None else "nonnegative"


def _choices(rng: Range) -> bool:
    return isinstance(rng, tuple) and all(isinstance(c, str) for c in rng)


def _finite(value: float) -> bool:
    return isinstance(value, int) or math.isfinite(value)  # math.isfinite(10**400) raises


def _ok(rng: Range, value: object) -> bool:
    if rng == "shares":
        return all(_finite(v) and v >= 0 for v in value) and math.isclose(
            sum(value), 1.0, abs_tol=1e-9
        )
    if rng == "nonnegative_list":
        return all(_finite(v) and v >= 0 for v in value)
    if not _finite(value):
        return False
    if isinstance(rng, tuple):
        return rng[0] <= value <= rng[1]
    return {
        "count": lambda v: v >= 1 and (isinstance(v, int) or float(v).is_integer()),
        "unit": lambda v: 0 <= v <= 1,
        "open_unit": lambda v: 0 < v < 1,
        "positive": lambda v: v > 0,
        "nonnegative": lambda v: v >= 0,
        "seed": lambda v: 0 <= v < 2**63,
        "any": lambda v: True,
    }[rng](value)


def check_value(key: str, value: object) -> None:
    """Raise ``ConfigError`` when one leaf's value is out of its declared range.

    Args:
        key: dotted key of a leaf of ``Params``.
        value: its value.
    """
    rng = declared_range(key)
    if _choices(rng):
        if value not in rng:
            raise ConfigError(key, value, allowed(rng))
        return
    if rng in TYPED:
        if not isinstance(value, TYPED[rng]):
            raise ConfigError(key, value, allowed(rng))
        if rng == "month":
            check_month(key, value)
        elif rng == "subfolder":
            check_subfolder(key, value)
        elif rng == "names" and (
            not value or len(set(value)) < len(value) or not all(isinstance(v, str) for v in value)
        ):
            raise ConfigError(key, value, allowed(rng))
        elif rng == "stored_history":
            check_stored_history(key, value)
        return
    if isinstance(value, bool | str):
        return
    text = allowed(rng, whole=isinstance(value, int))
    if not _ok(rng, value):
        raise ConfigError(key, value, text)
    limit = describe(Params)[key].meta.limit
    if limit is not None and value > limit[0]:
        raise ConfigError(key, value, f"{text}, at most {limit[0]:,} ({limit[1]})")
    whole = isinstance(value, int) and rng != "seed" and key != MEMORY_BOUND
    if whole and value > MAX_WHOLE:
        raise ConfigError(key, value, f"{text}, at most {MAX_WHOLE:,}")


def validate(params: Params, n_provinces: int | None = None) -> None:
    """Raise ``ConfigError`` on the first out-of-range value.

    Args:
        params: the scenario.
        n_provinces: when known, ``citizens.n`` must give every province a citizen.
    """
    for key, value in leaves(params):
        check_value(key, value)
    check_relations(params, n_provinces)


def check_relations(params: Params, n_provinces: int | None = None) -> None:
    """The rules that involve several values (or the machine), once each leaf is in range.

    Args:
        params: the scenario.
        n_provinces: when known, ``citizens.n`` must give every province a citizen.
    """
    check_memory(params.citizens.n)
    if len(params.citizens.age_shares) != len(params.citizens.age_literacy):
        raise ConfigError(
            "citizens.age_literacy",
            params.citizens.age_literacy,
            f"one multiplier per age group ({len(params.citizens.age_shares)} groups)",
        )
    if params.pilots.success_max < params.pilots.success_min:
        raise ConfigError(
            "pilots.success_max",
            params.pilots.success_max,
            f"a number not below pilots.success_min ({params.pilots.success_min})",
        )
    _validate_horizon(params)
    if n_provinces is not None and params.citizens.n < n_provinces:
        raise ConfigError(
            "citizens.n",
            params.citizens.n,
            f"at least one citizen per province (>= {n_provinces} for this region table)",
        )


@functools.cache
def memory_bytes() -> int:
    """This machine's memory, or the memory limit of this process's cgroup when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def max_citizens() -> int:
    """The most citizens one run may simulate on this machine."""
    return max(0, int((MEMORY_SHARE * memory_bytes() - BASE_BYTES) // BYTES_PER_CITIZEN))


def check_memory(n: int) -> None:
    """Raise ``ConfigError`` when ``n`` citizens would not fit in this machine's memory."""
    if n <= max_citizens():
        return
    raise ConfigError(
        "citizens.n",
        n,
        f"a whole number of citizens that fits in memory: at most {max_citizens():,} on this "
        f"machine ({_gib(memory_bytes())}, of which a run may take {MEMORY_SHARE:.0%}; each "
        f"citizen needs about {BYTES_PER_CITIZEN} bytes), while this many would need about "
        f"{_gib(BASE_BYTES + n * BYTES_PER_CITIZEN)}",
    )


def _gib(nbytes: int) -> str:
    if nbytes < 2**80:
        return f"{nbytes / 2**30:,.1f} GiB"
    return f"10^{len(str(nbytes // 2**30)) - 1} GiB"  # beyond what a float holds exactly


def check_month(key: str, value: object) -> None:
    """Raise ``ConfigError`` unless ``value`` is a month written YYYY-MM in the bounds."""
    if not MONTH.fullmatch(str(value)):
        raise ConfigError(key, value, "a month written YYYY-MM (e.g. 2019-01)")
    if not FIRST_MONTH <= str(value) <= LAST_MONTH:
        raise ConfigError(key, value, f"a month from {FIRST_MONTH} to {LAST_MONTH}")


def month_number(value: object, key: str = "month") -> int:
    """A month written YYYY-MM as months since year 0, so that months compare and subtract
    as numbers (``sandbox.model.clock.month_index`` counts with it); a ``ConfigError``
    naming ``key`` for anything else."""
    if not MONTH.fullmatch(str(value)):
        raise ConfigError(key, value, "a month written YYYY-MM (e.g. 2019-01)")
    year, month = str(value).split("-")
    return int(year) * 12 + int(month) - 1


def _checked_month(key: str, value: object) -> int:
    """``month_number`` of a month ``check_month`` accepts."""
    check_month(key, value)
    return month_number(value, key)


def check_subfolder(key: str, value: str) -> None:
    """Raise ``ConfigError`` unless ``value`` is '' or a relative folder name that stays
    inside the folder it is resolved in (no absolute path, no ``..``, not the folder
    itself)."""
    if value == "":
        return
    path = Path(value)
    if path.is_absolute() or ".." in path.parts or path == Path(".") or "\0" in value:
        raise ConfigError(key, value, KINDS["subfolder"])


def check_stored_history(key: str, value: str) -> None:
    """Raise ``ConfigError`` unless ``value`` is '', a history key or the path of a
    ``.npz`` file (where it may lie is checked when it is read:
    ``sandbox.experiments.checkpoint.resolve``)."""
    if value == "" or HISTORY_KEY.fullmatch(value):
        return
    if not value.endswith(".npz") or Path(value).name == ".npz" or "\0" in value:
        raise ConfigError(key, value, KINDS["stored_history"])


def _validate_horizon(params: Params) -> None:
    periods = {}
    for end in ("start", "end"):
        value = getattr(params.horizon, end)
        periods[end] = _checked_month(f"horizon.{end}", value)
    if periods["end"] < periods["start"]:
        raise ConfigError(
            "horizon.end",
            params.horizon.end,
            f"a month not before horizon.start ({params.horizon.start})",
        )


def _lever_sections(params: Params) -> list[str]:
    """The sections whose choice differs from the history's mechanisms (``policy`` with
    its start left out): what can only act from ``policy.start`` on."""
    policy = dataclasses.replace(params.policy, start=params.history.policy.start)
    pairs = (
        ("policy", policy, params.history.policy),
        ("resources", params.resources, params.history.resources),
        ("data", params.data, params.history.data),
    )
    return [name for name, chosen, history in pairs if chosen != history]


def check_policy_start(params: Params) -> None:
    """``policy.start`` lies within the horizon, and a choice of policy, resources or data
    other than the history's can act (the horizon reaches ``policy.start``).

    A run of the history's own mechanisms may end before ``policy.start``: it chose nothing
    that would not act.
    """
    start = _checked_month("horizon.start", params.horizon.start)
    end = _checked_month("horizon.end", params.horizon.end)
    month = _checked_month("policy.start", params.policy.start)
    if month < start:
        raise ConfigError(
            "policy.start",
            params.policy.start,
            f"a month within the horizon ({params.horizon.start} to {params.horizon.end}): "
            "the policy starts acting then, after the shared history",
        )
    chosen = _lever_sections(params)
    if month > end and chosen:
        raise ConfigError(
            "policy.start",
            params.policy.start,
            f"a month not after horizon.end ({params.horizon.end}), so that the chosen "
            f"{' and '.join(chosen)} can act: with the policy starting after the horizon, "
            "every option would give the history's results. Set policy.start to "
            f"{params.horizon.end} or earlier, or horizon.end to {params.policy.start} or "
            "later",
        )
