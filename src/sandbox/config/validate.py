"""Range checks of a whole scenario, before anything runs or is written.

Types and key names are checked by Hydra against the schema in ``sandbox.config.params``; this
module checks values. Every numeric leaf must be finite and non-negative unless a rule
below says more; the first violation raises ``ConfigError`` naming key, value and range.
Values that would hang the run or exhaust the machine are refused too: whole numbers
above ``MAX_WHOLE``, the bounds of ``LIMITS``, a horizon outside ``FIRST_MONTH`` to
``LAST_MONTH`` and more citizens than this machine's memory holds (``max_citizens``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd

from sandbox.config.params import Params
from sandbox.errors import ConfigError

UNIT = "a number in [0, 1]"
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
RULES: tuple[tuple[str, str], ...] = (
    # (pattern of the dotted key, kind of rule)
    ("citizens.n", "count"),
    ("citizens.substeps", "count"),
    ("citizens.literacy_urban", "unit"),
    ("citizens.literacy_rural", "unit"),
    ("citizens.trust_mean", "unit"),
    ("citizens.trust_drop", "unit"),
    ("citizens.abandon_prob", "unit"),
    ("citizens.literacy_concentration", "positive"),
    ("citizens.trust_concentration", "positive"),
    ("citizens.age_shares", "shares"),
    ("citizens.age_literacy", "nonnegative_list"),
    ("authorities.awareness_initial", "unit"),
    ("authorities.learning_*", "unit"),
    ("authorities.propose_rate", "unit"),
    ("authorities.max_active_pilots", "count"),
    ("authorities.*_alpha", "positive"),
    ("authorities.*_beta", "positive"),
    ("authorities.capacity_*", "any"),
    ("firms.*.capability", "open_unit"),
    ("firms.*.risk_tolerance", "unit"),
    ("firms.bid_share", "unit"),
    ("firms.margin", "unit"),
    ("domains.*.success", "unit"),
    ("domains.*.data_dependence", "unit"),
    ("domains.*.incident_risk", "unit"),
    ("domains.*.cost", "positive"),
    ("pilots.duration_months", "count"),
    ("pilots.scope", "unit"),
    ("pilots.harm_fraction", "unit"),
    ("pilots.halt_severity", "unit"),
    ("pilots.scaled_coverage", "unit"),
    ("pilots.scale_rate", "unit"),
    ("pilots.project_min_domains", "count"),
    ("pilots.*_weight", "any"),
    ("policy.*.approval_prob", "unit"),
    ("policy.*.legal_risk", "unit"),
    ("policy.*.compliance_cost", "unit"),
    ("policy.*.monitoring", "unit"),
    ("policy.*.exposure_cap", "unit"),
    ("policy.sandbox.call_interval", "count"),
    ("policy.sandbox.max_duration", "count"),
    ("policy.sandbox.extension_months", "count"),
    ("policy.sandbox.min_*", "unit"),
    ("policy.sandbox.graduation_gain", "unit"),
    ("policy.phasing.n_waves", "count"),
    ("policy.phasing.phase_months", "count"),
    ("policy.phasing.*_gain", "unit"),
    ("policy.experimental.coordination", "unit"),
    ("policy.experimental.*_gain", "unit"),
    ("policy.experimental.rework_cost", "unit"),
    ("policy.legislation_*", "unit"),
    ("policy.scale_clarity", "unit"),
    ("resources.grant_share", "unit"),
    ("resources.ppp_share", "unit"),
    ("resources.ppp_clarity", "unit"),
    ("resources.performance_share", "unit"),
    ("resources.fund_interval", "count"),
    ("data.interoperability", "unit"),
    ("data.target", "unit"),
    ("data.gis_readiness", "unit"),
    ("seed", "seed"),
    ("replicate", "seed"),
)
ALLOWED: dict[str, str] = {
    "count": "a whole number >= 1",
    "unit": UNIT,
    "open_unit": "a number strictly between 0 and 1",
    "positive": "a number > 0",
    "nonnegative": "a number >= 0",
    "nonnegative_list": "a list of numbers >= 0",
    "shares": "a list of non-negative shares summing to 1",
    "seed": "a whole number in [0, 2**63)",
    "any": "a finite number",
}
# Upper bounds of values whose cost grows with them: (pattern, bound, why).
LIMITS: tuple[tuple[str, float, str], ...] = (
    ("citizens.substeps", 100, "Heun sub-steps per month; 4 already integrates the hazard closely"),
    ("firms.*.count", 100_000, "one Mesa agent per firm"),
    ("firms.entry_rate", 10, "new SME agents per month per open call"),
)
MAX_WHOLE = 10**9  # any other whole number (months, counts, capacities)
FIRST_MONTH, LAST_MONTH = "1990-01", "2100-12"

# Memory per simulated citizen (``sandbox.model.citizens.Citizens``): the columns kept for the
# whole run (key float64, literacy and trust float32, age int8, abandoned bool: 18 bytes)
# plus the temporaries of drawing a segment (age as int64, literacy, trust, their Beta
# parameters, the multiplier and thresholds as float64, the sort order as int64: 72 bytes
# per citizen of the segment being drawn, which with one province is most citizens).
BYTES_PER_CITIZEN = 18 + 72
BASE_BYTES = 512 * 2**20  # Python, NumPy, pandas, Mesa and the agents
MEMORY_SHARE = 0.8  # of this machine's memory a run may take

CHOICES: dict[str, tuple[str, ...]] = {
    "policy.phasing.order": ("readiness", "need", "random"),
    "policy.phasing.within": ("facilitated", "sandbox"),
    "validation.name": ("none", "bass"),
    "output.mesa_log_level": ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
}


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
def _kind(key: str) -> str:
    for pattern, kind in RULES:
        if fnmatch(key, pattern):
            return kind
    return "nonnegative"


def _finite(value: float) -> bool:
    return isinstance(value, int) or math.isfinite(value)  # math.isfinite(10**400) raises


def _ok(kind: str, value: object) -> bool:
    if kind == "shares":
        return all(_finite(v) and v >= 0 for v in value) and math.isclose(
            sum(value), 1.0, abs_tol=1e-9
        )
    if kind == "nonnegative_list":
        return all(_finite(v) and v >= 0 for v in value)
    if not _finite(value):
        return False
    return {
        "count": lambda v: v >= 1 and (isinstance(v, int) or float(v).is_integer()),
        "unit": lambda v: 0 <= v <= 1,
        "open_unit": lambda v: 0 < v < 1,
        "positive": lambda v: v > 0,
        "nonnegative": lambda v: v >= 0,
        "seed": lambda v: 0 <= v < 2**63,
        "any": lambda v: True,
    }[kind](value)


@functools.cache
def _limit(key: str) -> tuple[float, str] | None:
    for pattern, bound, why in LIMITS:
        if fnmatch(key, pattern):
            return bound, why
    return None


def check_value(key: str, value: object) -> None:
    """Raise ``ConfigError`` when one leaf's value is out of its range.

    Args:
        key: dotted key of a leaf of ``Params``.
        value: its value.
    """
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ConfigError(key, value, " | ".join(CHOICES[key]))
        return
    if isinstance(value, bool | str):
        return
    kind = _kind(key)
    integer = isinstance(value, int) and kind == "nonnegative"
    allowed = "a whole number >= 0" if integer else ALLOWED[kind]
    if not _ok(kind, value):
        raise ConfigError(key, value, allowed)
    limit = _limit(key)
    if limit is not None and value > limit[0]:
        raise ConfigError(key, value, f"{allowed}, at most {limit[0]:,} ({limit[1]})")
    whole = isinstance(value, int) and kind != "seed" and key != "citizens.n"
    if whole and value > MAX_WHOLE:
        raise ConfigError(key, value, f"{allowed}, at most {MAX_WHOLE:,}")


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


def _validate_horizon(params: Params) -> None:
    periods = {}
    for end in ("start", "end"):
        value = getattr(params.horizon, end)
        if not MONTH.fullmatch(str(value)):
            raise ConfigError(f"horizon.{end}", value, "a month written YYYY-MM (e.g. 2019-01)")
        if not FIRST_MONTH <= str(value) <= LAST_MONTH:
            raise ConfigError(
                f"horizon.{end}", value, f"a month from {FIRST_MONTH} to {LAST_MONTH}"
            )
        periods[end] = pd.Period(value, freq="M")
    if periods["end"] < periods["start"]:
        raise ConfigError(
            "horizon.end",
            params.horizon.end,
            f"a month not before horizon.start ({params.horizon.start})",
        )
