"""Range checks of a whole scenario, before anything runs or is written.

Types and key names are checked by Hydra against the schema in ``sandbox.params``; this
module checks values. Every numeric leaf must be finite and non-negative unless a rule
below says more; the first violation raises ``ConfigError`` naming key, value and range.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from fnmatch import fnmatch

import pandas as pd

from sandbox.errors import ConfigError
from sandbox.params import Params

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


def _ok(kind: str, value: object) -> bool:
    if kind == "shares":
        return all(v >= 0 for v in value) and math.isclose(sum(value), 1.0, abs_tol=1e-9)
    if kind == "nonnegative_list":
        return all(math.isfinite(v) and v >= 0 for v in value)
    if not math.isfinite(value):
        return False
    return {
        "count": lambda v: v >= 1 and float(v).is_integer(),
        "unit": lambda v: 0 <= v <= 1,
        "open_unit": lambda v: 0 < v < 1,
        "positive": lambda v: v > 0,
        "nonnegative": lambda v: v >= 0,
        "seed": lambda v: 0 <= v < 2**63,
        "any": lambda v: True,
    }[kind](value)


def validate(params: Params, n_provinces: int | None = None) -> None:
    """Raise ``ConfigError`` on the first out-of-range value.

    Args:
        params: the scenario.
        n_provinces: when known, ``citizens.n`` must give every province a citizen.
    """
    for key, value in leaves(params):
        if key in CHOICES:
            if value not in CHOICES[key]:
                raise ConfigError(key, value, " | ".join(CHOICES[key]))
            continue
        if isinstance(value, bool | str):
            continue
        kind = _kind(key)
        if not _ok(kind, value):
            integer = isinstance(value, int) and kind == "nonnegative"
            raise ConfigError(key, value, "a whole number >= 0" if integer else ALLOWED[kind])
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


def _validate_horizon(params: Params) -> None:
    periods = {}
    for end in ("start", "end"):
        value = getattr(params.horizon, end)
        if not MONTH.fullmatch(str(value)):
            raise ConfigError(f"horizon.{end}", value, "a month written YYYY-MM (e.g. 2019-01)")
        periods[end] = pd.Period(value, freq="M")
    if periods["end"] < periods["start"]:
        raise ConfigError(
            "horizon.end",
            params.horizon.end,
            f"a month not before horizon.start ({params.horizon.start})",
        )
