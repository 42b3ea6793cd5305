"""Parameter metadata: how a field of ``sandbox.config.params`` is declared and read back.

A field is declared with ``param``: its default and, as ``dataclasses.field`` metadata,
its unit, allowed range, role, source and meaning. ``describe`` reads the metadata of
every leaf back by dotted key; range checks (``sandbox.config.validate``), the parameter
reference (``docs/parameters.md``, written by ``sandbox.config.params_doc``) and the
families of result columns (``sandbox.experiments.collect``) derive from it.

A range is one of the kinds of ``KINDS``, a tuple of allowed texts (a choice) or a pair
``(lo, hi)`` of numbers (a closed interval; ``hi`` may be ``math.inf``).

An uncertainty also declares its ``spread``: the range a global sensitivity analysis
varies it over (``sandbox.config.uncertainties`` resolves it). Either the pair ``(lo, hi)``
its source states ("range lo-hi"), or ``UNSOURCED`` where the source states none (a
``Relative`` rule: the central value ±50%, clipped to the allowed range). A fitted
parameter (source ``FITTED``) declares none: it is sampled jointly with the other fitted
ones from the stored posterior; a flag declares none either: it takes both values.

A field that holds a section (a nested dataclass) is declared with ``param`` too, with
its role. When its factory sets the defaults of the section's leaves, it also names their
``source``, which then takes the place of the one the leaves' own class gives. A section
declared a setting makes every leaf in it a setting (lever classes re-used as fixed
context); otherwise a leaf keeps its own role.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from collections.abc import Callable, Mapping
from typing import Any

ROLES = ("lever", "uncertainty", "setting")
CALIBRATED = "hand calibration"  # adjusted by hand against the targets (docs/model.md#calibration)
# the central point (the weighted medoid) of the stored posterior of the ABC-SMC fit
# (docs/calibration.md)
FITTED = "calibrated: ABC-SMC posterior's central point, configs/calibrated/history.csv"
KINDS: dict[str, str] = {  # kind of range -> what it allows, in error messages and docs
    "count": "a whole number >= 1",
    "unit": "a number in [0, 1]",
    "open_unit": "a number strictly between 0 and 1",
    "positive": "a number > 0",
    "nonnegative": "a number >= 0",
    "nonnegative_list": "a list of numbers >= 0",
    "shares": "a list of non-negative shares summing to 1",
    "seed": "a whole number in [0, 2**63)",
    "any": "a finite number",
    "flag": "true or false",
    "text": "a text value",
    "names": "a non-empty list of names without repeats, e.g. [status_quo,facilitation]",
    "month": "a month written YYYY-MM",
    "subfolder": "a folder inside the sweep's folder (a relative name without '..'), or '' for "
    "none",
    "stored_history": "'' for none, the key of a stored history (64 hex digits) or the path "
    "of its .npz file",
}
Range = str | tuple[str, ...] | tuple[float, float]
KEY = "sandbox"  # the key of our metadata in a field's metadata mapping


@dataclasses.dataclass(frozen=True)
class Relative:
    """A spread no source states: the central value times ``1 - share`` to ``1 + share``,
    clipped to the allowed range (for a list, a factor on it: ``sandbox.config.uncertainties``)."""

    share: float


UNSOURCED = Relative(0.5)  # the rule for an uncertainty whose source states no range
Spread = tuple[float, float] | Relative


@dataclasses.dataclass(frozen=True)
class Meta:
    """What a field declares besides its type and default (see ``param``)."""

    unit: str | None = None
    range: Range | None = None
    role: str | None = None
    source: str | None = None
    doc: str | None = None
    limit: tuple[float, str] | None = None
    spread: Spread | None = None


def fitted(meta: Meta) -> bool:
    """Whether the leaf is fitted (ABC-SMC): it varies as a particle of the posterior."""
    return meta.source == FITTED


def param(
    default: Any = dataclasses.MISSING,
    *,
    factory: Callable[[], Any] | Any = dataclasses.MISSING,
    unit: str | None = None,
    range: Range | None = None,
    role: str | None = None,
    source: str | None = None,
    doc: str | None = None,
    limit: tuple[float, str] | None = None,
    spread: Spread | None = None,
) -> Any:
    """A dataclass field with its default and metadata.

    Args:
        default: the default value (a number, text or flag).
        factory: instead of ``default``, a function making it (lists, sections).
        unit: e.g. ``"billion VND"``, ``"per month"``, ``"share"``; ``"–"`` when none.
        range: what values are allowed (module docstring).
        role: ``"lever"`` (what policy chooses), ``"uncertainty"`` (what the world does)
            or ``"setting"`` (how the run is made or observed).
        source: a citation, or ``"assumption: <why>"``, ``"hand calibration: ..."``,
            ``"decision: <why>"``.
        doc: the meaning, one sentence.
        limit: an upper bound for values whose cost grows with them, and why.
        spread: of an uncertainty, what a sensitivity analysis varies it over: the
            ``(lo, hi)`` its source states, or ``UNSOURCED`` (module docstring).

    Raises:
        ValueError: on an unknown role or kind of range, or a spread that is no interval,
            or given to a fitted parameter (mistakes in the declarations).
    """
    if role is not None and role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {ROLES}")
    if isinstance(range, str) and range not in KINDS:
        raise ValueError(f"range {range!r} is not one of {tuple(KINDS)}")
    if isinstance(spread, Relative) and not 0 < spread.share < 1:
        raise ValueError(f"spread {spread!r}: the share must be in (0, 1)")
    if isinstance(spread, tuple) and not (len(spread) == 2 and spread[0] <= spread[1]):
        raise ValueError(f"spread {spread!r} is not an interval (lo, hi) with lo <= hi")
    if spread is not None and source == FITTED:
        raise ValueError("a fitted parameter declares no spread: it varies with the posterior")
    meta = {KEY: Meta(unit, range, role, source, doc, limit, spread)}
    if factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def redeclare(base: type, name: str, default: Any, *, source: str) -> Any:
    """A field of ``base`` declared again in a subclass: another default, from ``source``."""
    meta = next(f for f in dataclasses.fields(base) if f.name == name).metadata[KEY]
    return dataclasses.field(
        default=default, metadata={KEY: dataclasses.replace(meta, source=source)}
    )


@dataclasses.dataclass(frozen=True)
class Leaf:
    """One leaf of a parameter tree, with its metadata resolved.

    ``section`` is the top-level key it belongs to (its own key for a top-level value);
    ``source`` is the one of the outermost section that names one, else the leaf's own;
    ``role`` is ``setting`` when the leaf or a section around it is declared a setting (a
    section of lever values kept fixed, e.g. the history before a policy starts), else the
    leaf's own.
    """

    key: str
    type: Any
    default: Any
    section: str
    meta: Meta


def _meta(f: dataclasses.Field) -> Meta:
    return f.metadata.get(KEY, Meta())


@functools.cache
def describe(root: type) -> dict[str, Leaf]:
    """Every leaf of the parameter class ``root`` by dotted key, in declaration order."""
    out: dict[str, Leaf] = {}

    def walk(cls: type, value: object, prefix: str, section: str, inherited: Meta) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            key, meta, child = f"{prefix}{f.name}", _meta(f), getattr(value, f.name)
            top = section or key
            source = inherited.source or meta.source
            role = "setting" if "setting" in (inherited.role, meta.role) else meta.role
            if dataclasses.is_dataclass(hints[f.name]):
                walk(hints[f.name], child, key + ".", top, Meta(role=role, source=source))
            else:
                meta = dataclasses.replace(meta, source=source, role=role)
                out[key] = Leaf(key, hints[f.name], child, top, meta)

    walk(root, root(), "", "", Meta())
    return out


def sections(root: type) -> dict[str, Meta]:
    """The top-level fields of ``root`` that hold a section, with their metadata."""
    hints = typing.get_type_hints(root)
    return {
        f.name: _meta(f)
        for f in dataclasses.fields(root)
        if dataclasses.is_dataclass(hints[f.name])
    }


def with_role(root: type, role: str) -> tuple[str, ...]:
    """The sections of ``root`` declared with ``role``, in declaration order."""
    return tuple(name for name, meta in sections(root).items() if meta.role == role)


def allowed(range: Range, whole: bool = False) -> str:
    """What a range allows, in words (the ``Allowed:`` part of an error message).

    Args:
        range: a declared range.
        whole: the value is (or must be) a whole number.
    """
    if whole and range == "nonnegative":
        return "a whole number >= 0"
    if isinstance(range, str):
        return KINDS[range]
    if all(isinstance(c, str) for c in range):
        return " | ".join(range)
    lo, hi = range
    if hi == math.inf:
        return f"a number >= {lo:g}"
    return f"a number in [{lo:g}, {hi:g}]"


def with_values(obj: Any, changes: Mapping[str, object]) -> Any:
    """A copy of a (frozen) parameter dataclass with the values at dotted keys replaced."""
    nested: dict[str, dict[str, object]] = {}
    direct: dict[str, object] = {}
    for key, value in changes.items():
        head, _, rest = key.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[head] = value
    for head, inner in nested.items():
        direct[head] = with_values(getattr(obj, head), inner)
    return dataclasses.replace(obj, **direct)
