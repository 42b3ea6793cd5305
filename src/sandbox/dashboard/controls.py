"""The dashboard's controls, built from the parameter declarations (never listed by hand).

* **Mechanisms**: the options of the config groups ``policy``, ``resources`` and ``data``
  (the files of ``configs/``), as ``sandbox-run policy=...`` takes them.
* **The regime's own levers**: the leaves under the ``policy.`` keys the chosen regime's
  class reads (``Regime.levers``, ``sandbox.model.policy``).
* **The main uncertainties**: those whose source states a range (a sourced spread,
  ``sandbox.config.uncertainties``); their slider spans it.
* **The run**: the horizon's last month (each December from the policy's start to
  ``LAST_YEAR``) and the number of replicates.

A number's slider spans its declared interval; a number declared only from below
(``nonnegative``, ``count``, ``positive``) spans from its bound to ``REACH`` times its
default (at least the bound plus one). Units and meanings come from the same
declarations.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

from sandbox.config.compose import compose
from sandbox.config.meta import Leaf, describe
from sandbox.config.overrides import group_options
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.uncertainties import spreads
from sandbox.model.policy import REGIMES

MECHANISMS = ("policy", "resources", "data")  # the config groups chosen by name
LAST_YEAR = 2035  # the latest horizon offered
REACH = 3.0  # an interval open above spans to this multiple of the default
STEPS = 100  # a float slider's steps across its span
REPLICATES = (1, 16)  # the replicates a scenario can be run with
DEFAULT_REPLICATES = 4
HORIZON = "horizon.end"
REPLICATE_COUNT = "replicates"  # not a parameter: how many paired worlds are run
_LOWER = {"nonnegative": 0.0, "positive": 0.0, "count": 1.0, "unit": 0.0, "open_unit": 0.0}
_UPPER = {"unit": 1.0, "open_unit": 1.0}


@dataclasses.dataclass(frozen=True)
class Control:
    """One control of the scenario page.

    ``kind`` is ``choice`` (``values``), ``float``, ``int`` (``low`` to ``high`` by
    ``step``) or ``flag``; ``key`` is the dotted key it sets (a config group's name for a
    mechanism, ``replicates`` for the count of paired runs).
    """

    key: str
    label: str
    kind: str
    value: Any
    values: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None
    unit: str = ""
    doc: str = ""


def _label(key: str, unit: str | None) -> str:
    text = key.split(".", 1)[-1] if key.startswith("policy.") else key
    return f"{text} ({unit})" if unit and unit not in ("–", "flag") else text


def _span(leaf: Leaf) -> tuple[float, float]:
    rng, default = leaf.meta.range, float(leaf.default)
    if isinstance(rng, tuple):
        return float(rng[0]), float(rng[1])
    low = _LOWER.get(rng, 0.0)
    high = _UPPER.get(rng, max(REACH * default, low + 1.0))
    return low, high


def of_leaf(leaf: Leaf, low: float | None = None, high: float | None = None) -> Control | None:
    """The control of one declared leaf; ``None`` for one no slider, box or list can set
    (a text, a list). ``low``/``high`` replace the span of its declared range."""
    meta, default = leaf.meta, leaf.default
    label, doc = _label(leaf.key, meta.unit), meta.doc or ""
    if meta.range == "flag":
        return Control(leaf.key, label, "flag", bool(default), doc=doc)
    if isinstance(meta.range, tuple) and all(isinstance(v, str) for v in meta.range):
        return Control(leaf.key, label, "choice", default, values=meta.range, doc=doc)
    if leaf.type not in (int, float) or isinstance(default, bool):
        return None
    span = _span(leaf)
    low = span[0] if low is None else low
    high = span[1] if high is None else high
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return None
    whole = leaf.type is int
    step = 1 if whole else _nice((high - low) / STEPS)
    kind = "int" if whole else "float"
    return Control(leaf.key, label, kind, default, low=low, high=high, step=step,
                   unit=meta.unit or "", doc=doc)  # fmt: skip


def _nice(x: float) -> float:
    """The step of 1, 2 or 5 times a power of ten nearest below ``x``."""
    power = 10 ** math.floor(math.log10(x))
    return next(m * power for m in (5, 2, 1) if m * power <= x)


@functools.cache
def default_scenario() -> Params:
    """The scenario the controls start from: ``sandbox-run``'s defaults."""
    return compose()


@functools.cache
def mechanisms() -> tuple[Control, ...]:
    """One choice per mechanism, its options the group's config files."""
    start = default_scenario()
    return tuple(
        Control(
            group,
            group,
            "choice",
            _chosen(start, group),
            values=tuple(group_options(CONFIG_DIR, group)),
            doc=describe(Params)[f"{group}.name"].meta.doc or "",
        )
        for group in MECHANISMS
    )


def _chosen(params: Params, group: str) -> str:
    """The option of ``group`` the defaults compose (its file named like its class)."""
    return getattr(params, group).name


@functools.cache
def regime_levers(option: str) -> tuple[Control, ...]:
    """The levers of the regime that the option ``policy=<option>`` chooses, with that
    option's values as their starting point."""
    policy = compose(f"policy={option}").policy
    out = []
    for key, leaf in describe(Params).items():
        if not reads(policy.name, key):
            continue
        value = _value_at(policy, key.removeprefix("policy."))
        control = of_leaf(dataclasses.replace(leaf, default=value))
        if control is not None:
            out.append(control)
    return tuple(out)


def reads(regime: str, key: str) -> bool:
    """Whether the regime named ``regime`` reads the parameter at dotted ``key``: a leaf
    under one of the ``policy.`` keys its class declares (``Regime.levers``)."""
    rest = key.removeprefix("policy.")
    return rest != key and any(
        rest == k or rest.startswith(k + ".") for k in REGIMES[regime].levers
    )


def _value_at(obj: object, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@functools.cache
def main_uncertainties() -> tuple[Control, ...]:
    """The uncertainties whose source states a range, each spanning that range."""
    leaves = describe(Params)
    out = []
    for key, spread in spreads().items():
        if spread.rule != "sourced" or spread.kind not in ("number", "whole"):
            continue
        control = of_leaf(leaves[key], float(spread.lo), float(spread.hi))
        if control is not None:
            out.append(control)
    return tuple(out)


@functools.cache
def run_controls() -> tuple[Control, ...]:
    """The horizon's last month and the replicates."""
    start = default_scenario()
    first = int(start.policy.start[:4])
    months = tuple(f"{year}-12" for year in range(first, LAST_YEAR + 1))
    horizon = start.horizon.end if start.horizon.end in months else months[-1]
    return (
        Control(
            HORIZON,
            "horizon (last month)",
            "choice",
            horizon,
            values=months,
            doc=describe(Params)[HORIZON].meta.doc or "",
        ),
        Control(
            REPLICATE_COUNT,
            "replicates (paired worlds)",
            "int",
            DEFAULT_REPLICATES,
            low=REPLICATES[0],
            high=REPLICATES[1],
            step=1,
            doc="random worlds, each run under the scenario and the status quo",
        ),
    )


def initial_choices() -> dict[str, Any]:
    """Every control's starting value by key (the regime's levers of the default)."""
    chosen = {c.key: c.value for c in (*mechanisms(), *main_uncertainties(), *run_controls())}
    chosen.update({c.key: c.value for c in regime_levers(chosen["policy"])})
    return chosen
