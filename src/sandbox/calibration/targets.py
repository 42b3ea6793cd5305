"""The published figures (``configs/targets/*.yaml``): each declared as fitted or checked.

Every figure says its ``use`` before any comparison is made: ``fit`` (fitted by ABC-SMC),
``hand`` (in-sample too: a parameter was set by hand from it) or ``check`` (out of
sample). The calibration reads the ``fit`` figures only (``load_targets``; with a
hold-out, only those up to a month); ``sandbox-validate`` reads them all
(``load_figures``) and reports each use in its own section.

A figure's ``metric`` is a metric of ``docs/model.md#observation`` or a small expression
over metrics (``Expression``): a share ``a / b`` or an order ``a > b > c``; ``None``
declares a figure today's model has no metric for (reported as not modelled).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sandbox.config.files import config_file
from sandbox.errors import ConfigError

DEFAULT = "vietnam_2024"
USES = ("fit", "hand", "check")
IN_SAMPLE = ("fit", "hand")  # used to fit or set the model: no validation
FAMILIES = ("targets", "funnel")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
NOT_MODELLED = "not modelled yet"
# fields a figure must give; the rest have defaults
REQUIRED = ("name", "use", "month", "metric", "value", "out_of", "tolerance", "tolerance_why",
            "figure", "source")  # fmt: skip


@dataclass(frozen=True)
class Expression:
    """What the model gives for a figure, over the metrics at its month.

    Attributes:
        kind: ``metric`` (one metric: its mean over replicates), ``share`` (``a / b``:
            the sum of ``a`` over replicates over the sum of ``b``) or ``order``
            (``a > b > ...``: the share of pairs whose mean counts are in that order).
        metrics: the metrics it reads, in the order written.
    """

    kind: str
    metrics: tuple[str, ...]

    def each(self, row: pd.Series) -> float:
        """The expression's value in one replicate (``row``: that replicate's metrics)."""
        values = np.array([float(row[m]) for m in self.metrics])
        if self.kind == "metric":
            return float(values[0])
        if self.kind == "share":
            return float(values[0] / values[1]) if values[1] > 0 else float("nan")
        return concordance(values)

    def pooled(self, rows: pd.DataFrame) -> float:
        """The expression over replicates (``rows``: one row of metrics per replicate)."""
        if self.kind == "metric":
            return float(rows[self.metrics[0]].mean())
        if self.kind == "share":
            num, den = (float(rows[m].sum()) for m in self.metrics)
            return num / den if den > 0 else float("nan")
        return concordance(rows[list(self.metrics)].mean().to_numpy(dtype=float))

    def text(self) -> str:
        """As written in the targets file."""
        return {"metric": "", "share": " / ", "order": " > "}[self.kind].join(self.metrics)


def concordance(values: np.ndarray) -> float:
    """The share of pairs ``i < j`` with ``values[i] > values[j]`` (a tie counts half):
    1 when ``values`` are in decreasing order, 0 when in increasing order."""
    v = np.asarray(values, dtype=float)
    i, j = np.triu_indices(len(v), k=1)
    return float(np.mean((v[i] > v[j]) + 0.5 * (v[i] == v[j])))


def parse(text: str) -> Expression:
    """A figure's ``metric`` as an ``Expression`` (the metric names are not checked here).

    Raises:
        ValueError: neither a name, ``a / b`` nor ``a > b > ...``.
    """
    name = r"[A-Za-z_][A-Za-z0-9_]*"
    text = " ".join(str(text).split())
    if re.fullmatch(name, text):
        return Expression("metric", (text,))
    if m := re.fullmatch(rf"({name}) / ({name})", text):
        return Expression("share", (m[1], m[2]))
    parts = text.split(" > ")
    if len(parts) >= 2 and all(re.fullmatch(name, p) for p in parts):
        return Expression("order", tuple(parts))
    raise ValueError(text)


@dataclass(frozen=True)
class Target:
    """One published figure: what the model gives for ``metric`` at ``month`` should be
    within ``tolerance`` of ``value``.

    Attributes:
        name: unique in its file.
        use: ``fit``, ``hand`` or ``check`` (``USES``).
        month: the month the figure refers to (``YYYY-MM``).
        metric: a metric or expression (``parse``); ``None``: not modelled yet.
        value: the published figure (a count, a share, or 1 for an order).
        out_of: what it counts out of (provinces, or the cases behind a share).
        tolerance: the largest ``|model - value|`` that passes, declared in the file.
        tolerance_why: why that tolerance.
        figure: what was published, in words.
        source: the full citation.
        mapping: how the figure maps onto the model.
        status: ``not modelled yet`` when ``metric`` is ``None``.
        family: the ``sandbox-validate`` family that checks it (``FAMILIES``).
        scenarios: the scenarios (``sandbox-run`` overrides, space-separated) it is
            compared under; ``("",)`` is the default history.
        sets: for ``use: hand``, the parameter set from it.
    """

    name: str
    use: str
    month: str
    metric: str | None
    value: float
    out_of: int | None
    tolerance: float
    tolerance_why: str
    figure: str
    source: str
    mapping: str = ""
    status: str = ""
    family: str = "targets"
    scenarios: tuple[str, ...] = ("",)
    sets: str = ""

    @property
    def modelled(self) -> bool:
        """Whether today's model gives this figure."""
        return self.metric is not None

    @property
    def expression(self) -> Expression:
        """``metric`` parsed (only for a modelled figure)."""
        assert self.metric is not None, self.name
        return parse(self.metric)

    @property
    def in_sample(self) -> bool:
        """Whether the figure was used to fit or set the model (no validation then)."""
        return self.use in IN_SAMPLE

    def observed(self, frame: pd.DataFrame) -> float:
        """This figure in one run's monthly table (indexed by month)."""
        return self.expression.each(frame.loc[self.month])

    def passes(self, model: float) -> bool:
        """Whether the model's figure is within the declared tolerance of the published."""
        return bool(np.isfinite(model) and abs(model - self.value) <= self.tolerance)

    def fit_fields(self) -> dict[str, object]:
        """What a fit depends on (``fit_key``): not the words around the figure."""
        return {k: getattr(self, k) for k in ("name", "month", "metric", "value", "out_of")}


def _problem(item: dict) -> str | None:
    """What is wrong with the figure ``item`` of a targets file, or ``None``."""
    from sandbox.model.metrics import METRICS

    missing = [k for k in REQUIRED if k not in item]
    if missing:
        return f"a mapping with {', '.join(REQUIRED)} (missing: {', '.join(missing)})"
    if item["use"] not in USES:
        return f"use one of {', '.join(USES)}, not {item['use']!r}"
    if item.get("family", "targets") not in FAMILIES:
        return f"family one of {', '.join(FAMILIES)}"
    scenarios = item.get("scenarios", [""])
    if not isinstance(scenarios, list) or (item.get("family") == "funnel") == (scenarios == [""]):
        return (
            "scenarios: a list of sandbox-run overrides for family: funnel (the regimes "
            "with a sandbox), none for family: targets (the default history)"
        )
    if not MONTH.fullmatch(str(item["month"])):
        return f"month a month written YYYY-MM, not {item['month']!r}"
    try:
        tolerance = float(item["tolerance"])
    except (TypeError, ValueError):
        tolerance = -1.0
    if not tolerance >= 0 or not str(item["tolerance_why"]).strip():
        return "a tolerance >= 0 stated with tolerance_why (why that much)"
    if not str(item["source"]).strip():
        return "a source (the full citation)"
    metric = item["metric"]
    if metric is None:
        if item["use"] != "check" or item.get("status") != NOT_MODELLED:
            return f"metric: null only for use: check with status: {NOT_MODELLED}"
        return None
    try:
        expression = parse(metric)
    except ValueError:
        return f"metric a metric, 'a / b' or 'a > b > ...', not {metric!r}"
    unknown = [m for m in expression.metrics if m not in METRICS]
    if unknown:
        return f"metrics of docs/model.md#observation (unknown: {', '.join(unknown)})"
    if item["use"] == "fit" and (
        expression.kind != "metric"
        or not isinstance(item["out_of"], int)
        or item.get("family", "targets") != "targets"
    ):
        return "use: fit only for a count of one metric, out_of a whole number, in the history"
    if item["use"] == "hand" and not _settable(item.get("sets")):
        return (
            "use: hand with sets: the parameter set by hand, or the input table of the "
            f"package it was entered into (sandbox/...csv) (not {item.get('sets')!r})"
        )
    return None


def _settable(sets: object) -> bool:
    """A parameter key, or an input table shipped in the package (``sandbox/....csv``)."""
    from sandbox.config.meta import describe  # lazily, as in _problem
    from sandbox.config.params import Params

    if not isinstance(sets, str):
        return False
    if sets in describe(Params):
        return True
    package = Path(__file__).resolve().parents[1]  # src/sandbox
    return (
        sets.startswith("sandbox/") and sets.endswith(".csv") and (package.parent / sets).is_file()
    )


def load_figures(name_or_path: str | Path = DEFAULT) -> tuple[Target, ...]:
    """Every figure of a targets file, by name (in ``configs/targets/``) or by path.

    Raises:
        ConfigError: the file is missing, or a figure is malformed (the message names it
            and what is allowed).
    """
    path = config_file(name_or_path, "targets")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    fields = Target.__dataclass_fields__
    out = []
    for i, item in enumerate(raw.get("targets") or []):
        item = dict(item) if isinstance(item, dict) else {}
        problem = _problem(item)
        if problem:
            raise ConfigError(f"{path}: targets[{i}] ({item.get('name', '?')})", item, problem)
        values = {k: item[k] for k in fields if k in item}
        values["scenarios"] = tuple(str(s) for s in item.get("scenarios", [""]))
        values["month"] = str(item["month"])
        values["tolerance"] = float(item["tolerance"])
        for key in ("tolerance_why", "figure", "source", "mapping"):
            values[key] = " ".join(str(item.get(key, "")).split())
        out.append(Target(**values))
    names = [t.name for t in out]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{path}: targets (names)", twice, "each figure named once")
    return tuple(out)


def check_month(key: str, value: str) -> None:
    """Raise ``ConfigError`` unless ``value`` is a month written YYYY-MM."""
    if not MONTH.fullmatch(str(value)):
        raise ConfigError(key, value, "a month written YYYY-MM (e.g. 2021-12), or '' for none")


def fit_targets(figures: tuple[Target, ...], holdout_after: str = "") -> tuple[Target, ...]:
    """The figures a fit uses: ``use: fit``, up to ``holdout_after`` when given.

    Raises:
        ConfigError: ``holdout_after`` is no month, or no fitted figure is left before it.
    """
    fitted = tuple(t for t in figures if t.use == "fit")
    if not holdout_after:
        return fitted
    check_month("calibration.holdout_after", holdout_after)
    kept = tuple(t for t in fitted if t.month <= holdout_after)
    if not kept:
        first = min((t.month for t in fitted), default="none")
        raise ConfigError("calibration.holdout_after", holdout_after,
                          f"a month not before the first fitted figure ({first})")  # fmt: skip
    return kept


def held_out(figures: tuple[Target, ...], holdout_after: str) -> tuple[Target, ...]:
    """The ``use: fit`` figures after ``holdout_after``: predicted, not fitted."""
    if not holdout_after:
        return ()
    return tuple(t for t in figures if t.use == "fit" and t.month > holdout_after)


def load_targets(name_or_path: str | Path = DEFAULT, holdout_after: str = "") -> tuple[Target, ...]:
    """The figures a fit uses (``use: fit``; up to ``holdout_after`` when given), by name
    (in ``configs/targets/``) or by path.

    Raises:
        ConfigError: the file is missing or malformed, or the hold-out leaves nothing.
    """
    return fit_targets(load_figures(name_or_path), holdout_after)


def last_month(targets: tuple[Target, ...]) -> str:
    """The latest month any target refers to (the history must reach it)."""
    return max(t.month for t in targets)
