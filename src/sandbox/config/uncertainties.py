"""The uncertainties and the spreads a global sensitivity analysis varies them over.

Every leaf of role ``uncertainty`` has a spread, resolved from its declaration
(``sandbox.config.meta``):

* **sourced**: the interval ``(lo, hi)`` its source states ("range lo-hi");
* **rule**: no sourced range (declared ``UNSOURCED``): the central value (the declared
  default) ±50%, clipped to the allowed range (an open bound of ``open_unit`` kept
  ``OPEN_MARGIN`` away); a central value of 0 gives the point 0, not varied;
* **flag**: a true/false uncertainty takes both values;
* **fitted**: a parameter fitted by ABC-SMC (source ``FITTED``) is not varied on its
  own: all fitted parameters take the values of one particle of the stored posterior
  (``configs/calibrated/``), chosen by weight, so their correlations are kept.

A whole number varies over the whole numbers of its interval (rule: ``ceil(lo)`` to
``floor(hi)``). A list varies by one factor ``f`` over its interval (rule: 0.5 to 1.5):
a ``nonnegative_list`` (multipliers of which 1 is the reference, e.g.
``citizens.age_literacy``) has each value's gap to 1 scaled by ``f``, so the reference
stays and the others lag it ``f`` times as far; a ``shares`` list has its last share
(e.g. the 65+ of ``citizens.age_shares``) multiplied by ``f`` and the others rescaled in
proportion to keep the sum 1. (Scaling a whole list of shares would change nothing once
renormalised; scaling a list of multipliers would move its reference.) The factor's upper
bound is cut where a value would leave its allowed range.

The design of an analysis lives on the unit hypercube: ``dimensions`` names its
coordinates (each varied uncertainty, then ``POSTERIOR`` for the fitted ones together),
``values`` turns one point into override values by dotted key. Each coordinate maps
monotonically, 0 to the lower bound and 1 to the upper one (uniform between; a whole
number's values equally likely; a flag false below 0.5); the ``POSTERIOR`` coordinate
picks a particle by the inverse of the weights' cumulative sum over the stored order, so
a uniform coordinate draws particles by weight. The values are meant for runs with
``uncertainty=point``: under ``uncertainty=posterior`` each replicate's own particle
would replace the fitted ones.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from sandbox.config.meta import Leaf, Relative, describe, fitted
from sandbox.config.params import Params

RULES = ("sourced", "rule", "flag", "fitted")
POSTERIOR = "posterior"  # the coordinate of the fitted parameters, taken jointly
OPEN_MARGIN = 0.01  # how far a rule's interval stays from the bounds of "open_unit"
_BOUNDS = {  # the allowed range of each kind of number, closed
    "unit": (0.0, 1.0),
    "open_unit": (OPEN_MARGIN, 1.0 - OPEN_MARGIN),
    "positive": (0.0, math.inf),
    "nonnegative": (0.0, math.inf),
    "count": (1.0, math.inf),
    "any": (-math.inf, math.inf),
}


@dataclasses.dataclass(frozen=True)
class Spread:
    """One uncertainty's spread.

    ``kind`` is ``number``, ``whole``, ``flag``, ``multipliers`` (a ``nonnegative_list``),
    ``shares`` or ``posterior``; ``lo`` and ``hi`` bound the value of a number or whole
    number, the factor of a list, and are ``None`` for a flag or a fitted parameter;
    ``share`` is the rule's relative half-width (``None`` unless ``rule == "rule"``).
    """

    key: str
    rule: str
    kind: str
    central: Any
    lo: float | None = None
    hi: float | None = None
    share: float | None = None

    @property
    def varied(self) -> bool:
        """Whether the spread holds more than its central value."""
        return self.lo is None or self.lo < self.hi

    def at(self, u: float) -> Any:
        """The value at coordinate ``u`` in [0, 1] of the unit hypercube (not for a
        fitted parameter: ``values`` picks its particle)."""
        if not 0.0 <= u <= 1.0:
            raise ValueError(f"{self.key}: coordinate {u} is outside [0, 1]")
        if self.kind == "posterior":
            raise ValueError(f"{self.key} is fitted: it takes a posterior particle's value")
        if self.kind == "flag":
            return u >= 0.5
        if self.kind == "whole":
            n = int(self.hi - self.lo) + 1
            return int(self.lo) + min(int(u * n), n - 1)
        x = _uniform(self.lo, self.hi, u)
        if self.kind == "multipliers":
            return [_tidy(1.0 + x * (v - 1.0)) for v in self.central]
        if self.kind == "shares":
            last = _tidy(x * self.central[-1])
            rest = (1.0 - last) / (1.0 - self.central[-1])
            return [_tidy(v * rest) for v in self.central[:-1]] + [last]
        return x

    def text(self) -> str:
        """The spread in words (the ``spread`` column of ``docs/parameters.md``)."""
        if self.kind == "posterior":
            return "fitted: one particle of the posterior, jointly"
        if self.kind == "flag":
            return "false or true"
        span = f"{self.lo:g} to {self.hi:g}"
        if self.kind == "multipliers":
            span = f"gaps to 1 x {span}"
        elif self.kind == "shares":
            span = f"last share x {span}, the others rescaled"
        if self.rule == "sourced":
            return span
        rule = f"no sourced range: ±{self.share:.0%}"
        return f"{rule}, {span}" if self.varied else f"{rule} of {self.central:g}: not varied"


def _uniform(lo: float, hi: float, u: float) -> float:
    return hi if u >= 1.0 else min(lo + u * (hi - lo), hi)


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


def _factor(leaf: Leaf, lo: float, hi: float) -> tuple[float, float]:
    """A list's factor interval, its upper bound cut where a value would leave its range."""
    values = leaf.default
    if leaf.meta.range == "shares":
        hi = min(hi, 1.0 / values[-1])
    else:
        hi = min([hi] + [1.0 / (1.0 - v) for v in values if v < 1.0])
    return _tidy(lo), _tidy(hi)


def spread(leaf: Leaf) -> Spread:
    """The spread of one uncertainty leaf (``describe(Params)[key]``).

    Raises:
        ValueError: for an uncertainty that is neither fitted nor a flag and declares no
            spread (a mistake in the declarations).
    """
    meta, key, central = leaf.meta, leaf.key, leaf.default
    if fitted(meta):
        return Spread(key, "fitted", "posterior", central)
    if meta.range == "flag":
        return Spread(key, "flag", "flag", central)
    declared = meta.spread
    if declared is None:
        raise ValueError(f"{key}: an uncertainty declares its spread (sandbox.config.meta)")
    rule = "rule" if isinstance(declared, Relative) else "sourced"
    share = declared.share if isinstance(declared, Relative) else None
    if meta.range in ("shares", "nonnegative_list"):
        kind = "shares" if meta.range == "shares" else "multipliers"
        lo, hi = (1.0 - share, 1.0 + share) if share is not None else declared
        return Spread(key, rule, kind, central, *_factor(leaf, lo, hi), share)
    whole = leaf.type is int
    if share is None:
        lo, hi = declared
    else:
        a, b = sorted((central * (1.0 - share), central * (1.0 + share)))
        bounds = meta.range if isinstance(meta.range, tuple) else _BOUNDS[meta.range]
        lo, hi = max(a, bounds[0]), min(b, bounds[1])
        lo, hi = (math.ceil(lo), math.floor(hi)) if whole else (_tidy(lo), _tidy(hi))
    return Spread(key, rule, "whole" if whole else "number", central, lo, hi, share)


@functools.cache
def spreads() -> Mapping[str, Spread]:
    """Every uncertainty's spread, by dotted key, in declaration order (resolved once:
    a design asks for them at every point)."""
    return MappingProxyType(
        {
            key: spread(leaf)
            for key, leaf in describe(Params).items()
            if leaf.meta.role == "uncertainty"
        }
    )


def dimensions() -> tuple[str, ...]:
    """The coordinates of the unit hypercube: every varied uncertainty that is not fitted,
    in declaration order, then ``POSTERIOR`` (all fitted ones) when there are any."""
    every = spreads().values()
    own = tuple(s.key for s in every if s.kind != "posterior" and s.varied)
    return own + ((POSTERIOR,) if any(s.kind == "posterior" for s in every) else ())


def problem() -> dict[str, Any]:
    """The design's problem in SALib's form: one variable per dimension, on [0, 1]."""
    names = list(dimensions())
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def particle_at(weights: Sequence[float] | np.ndarray, u: float) -> int:
    """The particle (row position) at coordinate ``u``: the inverse of the cumulative sum
    of the weights, so a uniform ``u`` picks each particle with its weight's chance."""
    if not 0.0 <= u <= 1.0:
        raise ValueError(f"{POSTERIOR}: coordinate {u} is outside [0, 1]")
    w = np.asarray(weights, dtype=float)
    cumulative = np.cumsum(w)
    index = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(index, int(np.flatnonzero(w > 0)[-1]))


def values(
    point: Sequence[float] | Mapping[str, float], posterior: str = "history"
) -> dict[str, Any]:
    """The override values, by dotted key, at ``point`` of the unit hypercube: one
    coordinate per ``dimensions()``, in order, or a mapping from some of them to their
    coordinates (the others keep their declared defaults; names that are no dimension,
    such as a sensitivity analysis's dummy, are ignored). The fitted parameters come from
    the particle the ``POSTERIOR`` coordinate picks of the stored posterior ``posterior``
    (a name in configs/calibrated/ or a path)."""
    names = dimensions()
    if isinstance(point, Mapping):
        given = [(name, point[name]) for name in names if name in point]
    else:
        if len(point) != len(names):
            raise ValueError(f"a point has {len(names)} coordinates ({len(point)} given)")
        given = list(zip(names, point, strict=True))
    every = spreads()
    out: dict[str, Any] = {}
    for name, u in given:
        if name == POSTERIOR:
            from sandbox.config.posterior import WEIGHT, load_posterior, particle

            frame = load_posterior(posterior)
            out.update(particle(frame, particle_at(frame[WEIGHT].to_numpy(), float(u))))
        else:
            out[name] = every[name].at(float(u))
    return out
