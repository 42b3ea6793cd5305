"""A scenario and the status quo on the same random worlds, month by month: the Mesa model
the dashboard's scenario page steps (play, step, reset as in Mesa's SolaraViz).

Each replicate is one random world: its shared history (to ``policy.start``) is computed
once and kept in a history store (``sandbox.experiments.checkpoint``), and both arms
branch from it, the scenario under the chosen mechanisms and levers, the status quo under
the historical ones. A change of policy branches from the stored histories again; only a
change of an uncertainty (a new world) computes new ones.

The status quo is the history continued: the defaults of ``policy``, ``resources`` and
``data`` (no legal corridor, central budget, fragmented data), with the same uncertainty
values as the scenario. Once a world's status quo has reached the horizon it is kept
(``keep``), and every later scenario of that world is compared with it, not simulated
again: the same parameters give the same run.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sandbox.config.compose import compose
from sandbox.config.meta import describe, with_values
from sandbox.config.overrides import group_options
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.validate import validate
from sandbox.dashboard.controls import (
    HORIZON,
    MECHANISMS,
    REPLICATE_COUNT,
    initial_choices,
    reads,
)
from sandbox.errors import ConfigError
from sandbox.experiments.checkpoint import CheckpointStore
from sandbox.model.metrics import METRICS
from sandbox.model.model import SandboxModel

CITIZENS = 20_000  # the dashboard's population (as the experiments'; docs/dashboard.md)
STORE = Path("results") / "dashboard" / "histories"  # under the working directory
STATUS_QUO = "status quo"  # the baseline arm's label
ARM = "lever_scenario"  # the column naming the arm, as a lever of the comparison tables


def scenario_label(choices: Mapping[str, Any]) -> str:
    """The scenario arm's label: its mechanisms, e.g. ``controlled_pilot/mixed/fragmented``."""
    return "/".join(str(choices[g]) for g in MECHANISMS)


class PairedRun(mesa.Model):
    """The scenario of ``choices`` and the status quo, one pair of runs per replicate.

    Args:
        store: the folder of stored histories (default ``STORE``).
        citizens: the population of each run (default ``CITIZENS``).
        **choices: control values by key (``sandbox.dashboard.controls``): the config
            groups ``policy``, ``resources``, ``data``, dotted parameter keys,
            ``horizon.end`` and ``replicates``. Missing ones take their starting values.

    Raises:
        ConfigError: a value is out of its declared range or names no option.
    """

    def __init__(
        self, store: Path | str | None = None, citizens: int | None = None, **choices: Any
    ) -> None:
        super().__init__()
        self.choices = {**initial_choices(), **choices}
        self.label = scenario_label(self.choices)
        scenario, status_quo = arms(self.choices, citizens or CITIZENS)
        n = int(self.choices[REPLICATE_COUNT])
        histories = CheckpointStore(Path(store) if store is not None else STORE)
        self.params = scenario  # the scenario arm's parameters
        self.pairs: list[tuple[SandboxModel, SandboxModel | Finished]] = []
        self.baselines = [dataclasses.replace(status_quo, replicate=r) for r in range(n)]
        for r, b_params in enumerate(self.baselines):
            a = histories.model(dataclasses.replace(scenario, replicate=r))
            b = finished(b_params) or histories.model(b_params)
            self.pairs.append((a, b))
        first = self.pairs[0][0]
        self.months = first.months.strftime("%Y-%m")
        self.start_month = self.months[first.policy_t0]
        self.running = first.t < len(self.months)

    @property
    def month_index(self) -> int:
        """The months simulated so far (every run is at the same month)."""
        return self.pairs[0][0].t

    @property
    def month(self) -> str:
        """The last simulated month."""
        return self.months[self.month_index - 1]

    def step(self) -> None:
        """One month of every run."""
        if not self.running:
            return
        for a, b in self.pairs:
            a.step()
            if isinstance(b, SandboxModel):
                b.step()
        self.running = self.month_index < len(self.months)
        if not self.running:
            for (_, b), b_params in zip(self.pairs, self.baselines, strict=True):
                if isinstance(b, SandboxModel):
                    keep(b_params, b)

    def run_to_end(self) -> None:
        """Every month to the horizon."""
        while self.running:
            self.step()

    # ------------------------------------------------------------------ tables
    def timeseries(self) -> pd.DataFrame:
        """Every run's months so far: ``lever_scenario`` (the arm), ``replicate``, ``month``
        and the ``METRICS`` columns, as a sweep's ``timeseries.parquet``."""
        parts = []
        for r, pair in enumerate(self.pairs):
            for arm, model in zip((self.label, STATUS_QUO), pair, strict=True):
                # a finished status quo holds every month: shown as far as the scenario
                frame = pd.DataFrame(model.rows[: self.month_index], columns=list(METRICS))
                frame.insert(0, "month", self.months[: len(frame)])
                frame.insert(0, "replicate", r)
                frame.insert(0, ARM, arm)
                parts.append(frame)
        return pd.concat(parts, ignore_index=True)

    def runs_at(self, month: str) -> pd.DataFrame:
        """Every run's outcomes at ``month``, one row per run (``status`` done), as a
        sweep's ``runs.parquet``: the paired comparison's input."""
        series = self.timeseries()
        return series[series["month"] == month].assign(status="done").reset_index(drop=True)

    def provinces_at(self, month: str) -> pd.DataFrame:
        """The scenario's provinces at ``month``, averaged over replicates: ``province``
        (that month's map), ``services_deployed`` and ``adoption``."""
        frames = [a.provinces_frame() for a, _ in self.pairs]
        rows = pd.concat([f[f["month"] == month] for f in frames])
        return (
            rows.groupby("province", sort=False)[["services_deployed", "adoption"]]
            .mean()
            .reset_index()
        )


@dataclasses.dataclass(frozen=True)
class Finished:
    """A run simulated to its horizon, kept for what the panels read of it: its monthly
    rows and its provinces' table. The status quo of a world is one: every scenario of
    that world is compared with the same run, so it is simulated once (``keep``)."""

    rows: list[dict]
    provinces: pd.DataFrame
    t: int

    def provinces_frame(self) -> pd.DataFrame:
        return self.provinces


KEPT = 64  # finished status-quo runs kept, the least recently used dropped first
_kept: OrderedDict[str, Finished] = OrderedDict()
_kept_lock = threading.Lock()  # the server's sessions share them


def _key(params: Params) -> str:
    return json.dumps(dataclasses.asdict(params), sort_keys=True, default=str)


def finished(params: Params) -> Finished | None:
    """The kept run of ``params`` (``keep``), or None."""
    with _kept_lock:
        found = _kept.get(_key(params))
        if found is not None:
            _kept.move_to_end(_key(params))
        return found


def keep(params: Params, model: SandboxModel) -> None:
    """Keep ``model``, the run of ``params`` simulated to its horizon."""
    with _kept_lock:
        _kept[_key(params)] = Finished(list(model.rows), model.provinces_frame(), model.t)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)


def arms(choices: Mapping[str, Any], citizens: int | None = None) -> tuple[Params, Params]:
    """The scenario and the status quo of ``choices`` (``PairedRun``).

    Raises:
        ConfigError: a value is out of range, or a mechanism names no option.
    """
    horizon = f"{HORIZON}={choices[HORIZON]}"
    size = f"citizens.n={citizens or CITIZENS}"
    for group in MECHANISMS:  # an option is a file of its group, as sandbox-run takes it
        options = group_options(CONFIG_DIR, group)
        if choices[group] not in options:
            raise ConfigError(group, choices[group], " | ".join(options))
    picked = compose(*(f"{g}={choices[g]}" for g in MECHANISMS), horizon, size)
    base = compose(horizon, size)
    declared = describe(Params)
    values = {k: v for k, v in choices.items() if k in declared and k != HORIZON}
    world = {k: _typed(declared[k].type, v) for k, v in values.items() if _is_world(k)}
    levers = {k: _typed(declared[k].type, v) for k, v in values.items() if not _is_world(k)}
    levers = {k: v for k, v in levers.items() if reads(picked.policy.name, k)}
    scenario = with_values(picked, {**world, **levers})
    status_quo = with_values(base, world)
    validate(scenario)
    validate(status_quo)
    return scenario, status_quo


def _is_world(key: str) -> bool:
    return key.split(".", 1)[0] not in MECHANISMS


def _typed(kind: type, value: Any) -> Any:
    """A control's value as its parameter's type (a slider gives floats)."""
    if kind is int and isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    if kind is float and isinstance(value, int | np.integer) and not isinstance(value, bool):
        return float(value)
    return value
