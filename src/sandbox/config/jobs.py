"""The jobs of a command: the folder each one writes into, and every one checked up front.

``sandbox-run`` composes a command's config before Hydra starts (``Composer``) and checks
it: a single run with ``check_run``; a ``--multirun`` sweep with ``check_sweep``, which
expands the sweep as Hydra's basic sweeper will and range-checks every job, so that a bad
value in any job stops the sweep before its folder exists. Jobs are composed once per
combination of config-group choices (and Hydra settings); leaf overrides (``key=value`` on
a model key) are applied to the composed parameters, and jobs that differ only in
``replicate`` or ``seed`` are checked once.

``safe_dirname`` names a job's folder after its overrides (the experiments' sweep subdir is
``${safe_dirname:${hydra:job.override_dirname}}``): values cannot add path separators or
``..``, and long names are shortened, deterministically, so a resumed sweep finds its runs.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import itertools
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import (
    ChoiceSweep,
    Override,
    OverrideType,
    RangeSweep,
)
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig, ListConfig, OmegaConf, open_dict
from omegaconf.errors import OmegaConfBaseException

from sandbox.config.meta import with_values
from sandbox.config.overrides import check_override, leaf_type, parse_override
from sandbox.config.params import Params
from sandbox.config.params.adaptive import not_a_comparison, of_sweep, replicates_of
from sandbox.config.safety import check_config
from sandbox.config.schema import structured, to_params
from sandbox.config.validate import (
    check_policy_start,
    check_relations,
    check_value,
    leaves,
    validate,
)
from sandbox.errors import ConfigError
from sandbox.regions import load_region, unit_of

UNSAFE = re.compile(r"[^A-Za-z0-9._=,+-]")
MAX_NAME_BYTES = 200  # file systems allow 255
HASH_HEX = 16
MAX_JOBS = 1_000_000  # jobs of one command
UNPAIRED = ("replicate", "seed")  # no other value depends on them: range-checked alone


def safe_dirname(name: object) -> str:
    """A folder name for a job: ``name`` itself when it is safe, else a safe version.

    Characters other than letters, digits and ``. _ = , + -`` (``/`` above all) become
    ``_``, runs of dots ``..`` become ``__`` and a leading dot ``_``. A name that had to
    change, or is longer than ``MAX_NAME_BYTES`` bytes, ends in ``-`` and the first
    ``HASH_HEX`` hex digits of the SHA-256 of the original name, after a prefix of the safe
    version: two jobs never share a folder, and the same job always gets the same one.
    """
    text = "" if name is None else str(name)
    safe = UNSAFE.sub("_", text)
    safe = re.sub(r"\.\.+", lambda m: "_" * len(m.group()), safe)
    if safe.startswith("."):
        safe = "_" + safe[1:]
    if safe == text and len(text.encode()) <= MAX_NAME_BYTES:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_HEX]
    return f"{safe[: MAX_NAME_BYTES - HASH_HEX - 1]}-{digest}"


# ------------------------------------------------------------------ composing
def composition_error(err: Exception, overrides: Sequence[str] = ()) -> ConfigError:
    """Hydra's or OmegaConf's error while composing, as one paragraph."""
    if isinstance(err, ConfigError):
        return err
    cause = err if isinstance(err, OmegaConfBaseException) else err.__cause__
    if isinstance(cause, OmegaConfBaseException) and getattr(cause, "full_key", None):
        reason = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        return ConfigError(cause.full_key, getattr(cause, "value", None), f"a value OmegaConf "
                           f"accepts for this key (it said: {reason})")  # fmt: skip
    text = " ".join(str(err).split()) or type(err).__name__
    culprit = next((o for o in overrides if o and o in str(err)), None)
    return ConfigError(
        "override" if culprit else "command line",
        culprit if culprit else " ".join(overrides),
        f"a command Hydra can compose (Hydra said: {text})",
    )


@dataclasses.dataclass
class Composer:
    """Composes configs the way ``sandbox-run`` will: same search path and config name.

    Args:
        hydra: a ``hydra._internal.hydra.Hydra`` made with the command's search path.
        config_name: the primary config's name.
    """

    hydra: Any
    config_name: str

    def compose(self, overrides: Sequence[str], mode: RunMode, **kwargs: Any) -> DictConfig:
        """The full config (``hydra:`` block included); nothing is instantiated."""
        try:
            return self.hydra.compose_config(
                config_name=self.config_name,
                overrides=list(overrides),
                run_mode=mode,
                with_log_configuration=False,
                **kwargs,
            )
        except (HydraException, OmegaConfBaseException, ValueError, KeyError) as err:
            raise composition_error(err, overrides) from None


def model_params(cfg: DictConfig) -> Params:
    """Typed parameters of a composed config (its ``hydra:`` block is dropped)."""
    try:
        if "hydra" in cfg:
            HydraConfig.instance().set_config(cfg)
            cfg = copy.copy(cfg)
            with open_dict(cfg):
                del cfg["hydra"]
        return to_params(cfg)
    except OmegaConfBaseException as err:
        raise composition_error(err) from None


@functools.lru_cache(maxsize=64)
def _n_provinces(table: str, cwd: str) -> int:
    return load_region(table).n


@functools.lru_cache(maxsize=64)
def _check_map(table: str, merge_table: str, cwd: str) -> None:
    """Raise ``ConfigError`` unless the merged table covers every province of ``table``."""
    unit_of(load_region(table), load_region(merge_table), merge_table)


def check_launch(params: Params) -> None:
    """The rules that a run would otherwise break only when it gets there: the policy can
    act within the horizon, and the province table can become the merged one."""
    check_policy_start(params)
    region = params.region
    if region.merge_table and region.merge_month <= params.horizon.end:
        try:
            _check_map(region.table, region.merge_table, os.getcwd())
        except ConfigError as err:
            raise ConfigError(
                err.key, err.value, f"{err.allowed} (region.table {region.table!r} becomes "
                f"region.merge_table {region.merge_table!r} in {region.merge_month}; set "
                "region.merge_table='' for a fixed map, or give a merged table of your own)"
            ) from None  # fmt: skip


def check_params(params: Params) -> None:
    """Range-check a scenario, its region table included, and ``check_launch`` it."""
    validate(params)
    check_relations(params, n_provinces=_n_provinces(params.region.table, os.getcwd()))
    check_launch(params)


def check_output_dir(cfg: DictConfig, key: str) -> None:
    """Resolve an output folder key now, so a config whose folder cannot be named fails
    before anything is written."""
    HydraConfig.instance().set_config(cfg)
    try:
        str(OmegaConf.select(cfg, key, throw_on_missing=True))
    except (OmegaConfBaseException, HydraException, ValueError) as err:
        raise composition_error(err) from None


def check_run(cfg: DictConfig, overrides: Sequence[Override]) -> None:
    """Check the config of a single run: safety, then every value."""
    check_config(cfg, overrides)
    check_output_dir(cfg, "hydra.run.dir")
    check_params(model_params(cfg))


# -------------------------------------------------------------------- sweeps
def _size(override: Override) -> int:
    """How many values a sweep override has (at most ``MAX_JOBS + 1`` are counted)."""
    if not override.is_sweep_override():
        return 1
    value = override.value()
    if isinstance(value, RangeSweep):
        if not value.step:
            raise ConfigError(
                override.get_key_element(),
                override.input_line.partition("=")[2],
                "range(start, stop, step) with a step other than 0",
            )
        values = dataclasses.replace(value, shuffle=False).range()
    elif isinstance(value, ChoiceSweep):
        values = value.list
    elif override.is_discrete_sweep():
        values = override.sweep_string_iterator()
    else:
        return 1  # interval(): refused below, as the sweeper would
    return sum(1 for _ in itertools.islice(values, MAX_JOBS + 1))


def sweep_jobs(base: DictConfig, config_loader: Any) -> tuple[int, Iterator[list[str]]]:
    """The number of jobs and every job's overrides, as Hydra's basic sweeper (and
    ``SandboxSweeper``) will launch them, generated one at a time.

    ``hydra.sweeper.params`` of the composed config first, then the command line's
    overrides (which take precedence for the same key).
    """
    HydraConfig.instance().set_config(base)
    texts = []
    params = OmegaConf.select(base, "hydra.sweeper.params")
    if params:
        try:
            resolved = OmegaConf.to_container(params, resolve=True)
        except OmegaConfBaseException as err:
            raise composition_error(err) from None
        texts = [f"{key}={value}" for key, value in resolved.items()]
    texts += list(base.hydra.overrides.task)
    texts = [t for t in texts if not of_sweep(t.partition("=")[0])]  # the sweep's own
    parser = OverridesParser.create(config_loader=config_loader)
    choices: dict[str, list[str] | Override] = {}
    total = 1
    for text in texts:
        parse_override(text)  # one paragraph for a grammar error
        (override,) = parser.parse_overrides([text])  # with the config loader, for glob()
        key = override.get_key_element()
        if override.is_sweep_override() and not override.is_discrete_sweep():
            raise ConfigError(
                key, text.partition("=")[2], "a list of values or range(...) (the sweeper "
                f"does not support {override.value_type.name.lower()} sweeps)"
            )  # fmt: skip
        choices[key] = override
    for key, override in choices.items():
        size = _size(override)
        if size == 0:
            raise ConfigError(
                key, override.input_line.partition("=")[2], "at least one value (range(N) "
                "with N >= 1, or a list): with none the sweep would run nothing"
            )  # fmt: skip
        total *= size
        if total > MAX_JOBS:
            raise ConfigError(
                "sweep",
                " ".join(o.input_line for o in choices.values() if o.is_sweep_override()),
                f"at most {MAX_JOBS:,} jobs in one command (split the sweep into several)",
            )
    for key, override in choices.items():
        if override.is_sweep_override():
            choices[key] = [f"{key}={v}" for v in override.sweep_string_iterator()]
        else:
            choices[key] = [f"{key}={override.get_value_element_as_str()}"]
    adaptive = OmegaConf.select(base, "adaptive")  # the sweep's own, in no job's overrides
    for key, value in (OmegaConf.to_container(adaptive) if adaptive else {}).items():
        check_value(f"adaptive.{key}", value)
    half_width = OmegaConf.select(base, "adaptive.half_width", default=0)
    if half_width > 0:
        replicate = next((v for k, v in choices.items() if k.lstrip("+~") == "replicate"), [])
        values = replicates_of([v.partition("=")[2] for v in replicate])
        if not values or OmegaConf.select(base, "hydra.callbacks.sweep.baseline") is None:
            raise not_a_comparison(half_width)
    return total, (list(job) for job in itertools.product(*choices.values()))


def _in_job(err: ConfigError, job: Sequence[str]) -> ConfigError:
    problem = str(err).split(" '", 1)[0]
    return ConfigError(
        err.key, err.value, err.allowed, f"Sweep job '{' '.join(job)}': {problem[:1].lower()}"
        f"{problem[1:]}"
    )  # fmt: skip


@dataclasses.dataclass
class _Composed:
    """A composition checked for safety: its parameters and its out-of-range values."""

    params: Params
    failures: dict[str, ConfigError]


class SweepChecker:
    """Checks every job of a sweep, composing once per combination of group choices.

    A job's overrides are either config-group choices and Hydra settings, which need a
    composition (done once per combination), or values of model keys, applied to the
    composition's parameters: each distinct value is range-checked once, and the rules
    between values (``check_relations``) once per combination of values other than
    ``replicate`` and ``seed``.

    Args:
        composer: composes with the command's search path and config name.
        hydra_overrides: the command line's Hydra overrides (every job gets them).
        config_dirs: the config folders (for the options of config groups).
    """

    def __init__(self, composer: Composer, hydra_overrides: Sequence[str], config_dirs) -> None:
        self.composer = composer
        self.hydra_overrides = list(hydra_overrides)
        self.config_dirs = config_dirs
        self.repository = composer.hydra.config_loader.repository
        self.composed: dict[tuple[str, ...], _Composed] = {}
        self.kinds: dict[str, tuple[str, str, object]] = {}
        self.values: set[tuple[str, str]] = set()
        self.checked: set[tuple] = set()
        self.scratch = structured()

    def _classify(self, text: str) -> tuple[str, str, object]:
        """("value", key, typed value) for a model key's value; ("group", key, None) for a
        config-group choice or Hydra setting; ("compose", key, None) for anything else."""
        if text in self.kinds:
            return self.kinds[text]
        override = check_override(text, self.config_dirs)
        key = override.key_or_group
        value = override.value()
        if (
            override.is_hydra_override()
            or override.package is not None
            or override.type is not OverrideType.CHANGE
            or "/" in key
            or self.repository.group_exists(key)
        ):
            kind = ("group", key, None)
        elif (
            leaf_type(key) is None
            or isinstance(value, dict)
            or (isinstance(value, str) and "${" in value)
        ):
            kind = ("compose", key, None)
        else:
            kind = ("value", key, self._typed(key, value, text))
        self.kinds[text] = kind
        return kind

    def _typed(self, key: str, value: object, text: str) -> object:
        """The value as the schema types it (``5`` for a text key becomes ``'5'``)."""
        try:
            OmegaConf.update(self.scratch, key, value, merge=True)
            typed = OmegaConf.select(self.scratch, key)
        except OmegaConfBaseException as err:
            self.scratch = structured()
            raise composition_error(err, [text]) from None
        return OmegaConf.to_container(typed) if isinstance(typed, ListConfig) else typed

    def _compose(self, key: tuple[str, ...]) -> _Composed:
        if key not in self.composed:
            overrides = [*self.hydra_overrides, *key]
            cfg = self.composer.compose(overrides, RunMode.RUN)
            check_config(cfg, [parse_override(o) for o in overrides])
            params = model_params(cfg)
            failures = {}
            for leaf, value in leaves(params):
                try:
                    check_value(leaf, value)
                except ConfigError as err:
                    failures[leaf] = err
            self.composed[key] = _Composed(params, failures)
        return self.composed[key]

    @property
    def compositions(self) -> int:
        """How many configs were composed."""
        return len(self.composed)

    def check(self, job: Sequence[str]) -> None:
        """Raise ``ConfigError`` (naming the job) when a job's config is unsafe or a value
        is out of range."""
        try:
            kinds = [self._classify(text) for text in job]
            if any(kind == "compose" for kind, _, _ in kinds):  # compose all of it, in order
                group, values = tuple(job), []
            else:
                group = tuple(t for t, (kind, _, _) in zip(job, kinds, strict=True)
                              if kind == "group")  # fmt: skip
                values = [(key, value) for kind, key, value in kinds if kind == "value"]
            composed = self._compose(group)
            for key, value in values:
                if (key, repr(value)) not in self.values:
                    check_value(key, value)
                    self.values.add((key, repr(value)))
            given = {key for key, _ in values}
            for key, err in composed.failures.items():
                if key not in given:
                    raise err
            paired = tuple((k, repr(v)) for k, v in values if k not in UNPAIRED)
            if (group, paired) in self.checked:
                return
            params = with_values(composed.params, {k: copy.copy(v) for k, v in values})
            table = params.region.table
            check_relations(params, n_provinces=_n_provinces(table, os.getcwd()))
            check_launch(params)
            self.checked.add((group, paired))
        except ConfigError as err:
            raise _in_job(err, job) from None


DEFAULT_BATCH = 1000  # jobs the sandbox sweepers launch at a time
DEFAULT_CHUNK = 16  # jobs per launcher job under hydra/sweeper=batch
SWEEPER_SIZES = {  # hydra.sweeper.<key>: what it counts, whether null is allowed, default
    "max_batch_size": ("the number of jobs launched at a time", True, DEFAULT_BATCH),
    "chunk": ("the number of jobs one launcher job runs", False, DEFAULT_CHUNK),
}


def check_sweeper(settings: dict) -> None:
    """Raise ``ConfigError`` for a sweeper's size setting (``SWEEPER_SIZES``) that is not a
    whole number of at least 1 (or null where null is allowed)."""
    for key, (what, nullable, default) in SWEEPER_SIZES.items():
        value = settings.get(key, default)
        if value is None and nullable:
            continue
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
            null = ", or null for the whole sweep at once" if nullable else ""
            raise ConfigError(
                f"hydra.sweeper.{key}",
                value,
                f"{what}, a whole number of at least 1{null} (default {default})",
            )


def check_sweep(
    composer: Composer,
    base: DictConfig,
    overrides: Sequence[Override],
    config_dirs: Sequence,
) -> SweepChecker:
    """Check a ``--multirun`` command: the sweep's own config, then every job.

    Args:
        composer: composes with the command's search path and config name.
        base: the config Hydra composes for the sweep (``RunMode.MULTIRUN``).
        overrides: the command line's overrides, parsed.
        config_dirs: the config folders.

    Returns:
        The checker, which knows how many jobs and compositions there were.
    """
    check_config(base, overrides)
    check_output_dir(base, "hydra.sweep.dir")
    check_sweeper(OmegaConf.to_container(base.hydra.sweeper, resolve=False))
    total, jobs = sweep_jobs(base, composer.hydra.config_loader)
    hydra_overrides = [o.input_line for o in overrides if o.is_hydra_override()]
    checker = SweepChecker(composer, hydra_overrides, config_dirs)
    for job in jobs:
        checker.check(job)
    checker.jobs = total
    return checker
