"""Command-line overrides checked against the schema before Hydra composes anything.

Hydra would reject a misspelt key, a wrong type or a malformed override too, with a
multi-line message and exit code 1, and would accept ``+key=value`` for a key the model
never reads. Checking here gives the same one-paragraph ``ConfigError`` as every other bad
input. Overrides are parsed with Hydra's own grammar (``OverridesParser``), so values are
judged as Hydra will read them: ``[a,b]`` is a list, ``{a: 1}`` a dict, ``1e400`` infinity.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import ChoiceSweep, Override, RangeSweep
from hydra.errors import HydraException

from sandbox.config.params import Params
from sandbox.errors import ConfigError

GROUPS = ("policy", "resources", "data", "region", "validation", "experiment")
GRAMMAR = "https://hydra.cc/docs/advanced/override_grammar/basic/"


def group_options(config_dir: Path | Sequence[Path], group: str) -> list[str]:
    """The options of a config group: its YAML files in any of the config folders."""
    dirs = [config_dir] if isinstance(config_dir, str | Path) else config_dir
    return sorted({p.stem for d in dirs for p in (Path(d) / group).glob("*.yaml")})


def installed_launchers() -> list[str]:
    """Hydra's launchers that are installed (``configs/hydra/launcher`` only refines them)."""
    from hydra.core.config_store import ConfigStore
    from hydra.core.plugins import Plugins

    Plugins.instance()  # imports the installed plugins, which register their configs
    return sorted(Path(name).stem for name in ConfigStore.instance().list("hydra/launcher"))


@functools.cache
def _parser() -> OverridesParser:
    return OverridesParser.create()


def parse_override(text: str) -> Override:
    """One override parsed by Hydra's grammar; a parse error is a ``ConfigError``."""
    try:
        return _parser().parse_override(text)
    except HydraException as err:
        reason = " ".join(str(err).split())
        raise ConfigError(
            "override",
            text,
            f"key=value in Hydra's override grammar ({GRAMMAR}); quote a value with spaces "
            f"or special characters, e.g. key='a b'. The parser said: {reason}",
        ) from None


OPTION_LISTS = {"design.policies": "policy"}  # list keys whose items are a group's options


def sweep_values(override: Override) -> list[object]:
    """The values of an override: one, or each value of a choice or range sweep."""
    value = override.value()
    if isinstance(value, ChoiceSweep):
        return list(value.list)
    if isinstance(value, RangeSweep):
        return []  # numbers; counted and range-checked when the sweep is expanded
    if override.is_sweep_override():
        return []  # glob() over config-group options, interval(): the sweep decides
    return [value]


def _leaf_type(key: str, value: object) -> type:
    """Walk the schema along ``key``; raise on an unknown key."""
    node: type = Params
    walked: list[str] = []
    for part in key.split("."):
        if not dataclasses.is_dataclass(node):
            raise ConfigError(".".join(walked), value, "no sub-keys (it is a value)", "Unknown key")
        hints = typing.get_type_hints(node)
        if part not in hints:
            where = ".".join(walked) or "the configuration"
            raise ConfigError(
                key, value, f"the keys of {where}: {', '.join(sorted(hints))}", "Unknown key"
            )
        walked.append(part)
        node = hints[part]
    return node


def leaf_type(key: str) -> type | None:
    """The schema type of a model key, or None when ``key`` names no value of the schema."""
    try:
        kind = _leaf_type(key, None)
    except ConfigError:
        return None
    return None if dataclasses.is_dataclass(kind) else kind


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_type(key: str, kind: type, value: object) -> None:
    origin = typing.get_origin(kind) or kind
    if origin is bool:
        ok, name = isinstance(value, bool), "true or false"
    elif origin is int:
        ok, name = isinstance(value, int) and not isinstance(value, bool), "a whole number"
    elif origin is float:
        ok, name = _number(value), "a number"
    elif origin is list and typing.get_args(kind) == (str,):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        name = "a list of names written [a,b,c]"
    elif origin is list:
        ok = isinstance(value, list) and all(_number(v) for v in value)
        name = "a list of numbers written [a,b,c]"
    else:  # str
        ok, name = isinstance(value, str | int | float) and value is not None, "a text value"
    if not ok:
        raise ConfigError(key, value, name)


def check_override(text: str, config_dir: Path | Sequence[Path]) -> Override:
    """Parse an override and raise ``ConfigError`` when it names no schema key or has the
    wrong type, adds (``+``) or deletes (``~``) model keys, or names a config-group option
    or launcher that does not exist.

    Args:
        text: the override as typed, ``key=value``.
        config_dir: the config folder(s) whose groups hold the options.

    Returns:
        The parsed override.
    """
    override = parse_override(text)
    key = override.key_or_group
    raw_value = text.partition("=")[2]
    if key == "hydra/launcher" and not override.is_delete():
        options = installed_launchers()
        for value in sweep_values(override):
            if value not in options:
                hint = (
                    " (ray is there once the ray extra is: .venv/bin/pip install -r "
                    "requirements-ray.lock)"
                )
                raise ConfigError(
                    key, value, " | ".join(options) + (hint if "ray" not in options else "")
                )
    if override.is_hydra_override() or "/" in key or override.package is not None:
        return override  # Hydra's own settings, checked once composed (sandbox.config.safety)
    if override.is_delete():
        raise ConfigError(key, raw_value, "setting a value; model keys cannot be removed")
    if key in GROUPS or group_options(config_dir, key):
        options = group_options(config_dir, key)
        if options:
            for value in sweep_values(override):
                if value not in options:
                    raise ConfigError(key, value, " | ".join(options))
        return override
    kind = _leaf_type(key, raw_value)
    if override.is_add() or override.is_force_add():
        raise ConfigError(f"+{key}", raw_value, f"'{key}=...' without '+' (the key exists)")
    if dataclasses.is_dataclass(kind):
        raise ConfigError(key, raw_value, f"a value for one of the keys under {key}")
    values = sweep_values(override)
    for value in values:
        if isinstance(value, str) and "${" in value:
            continue  # an interpolation: judged once composed
        try:
            _check_type(key, kind, value)
        except ConfigError as err:
            if override.is_sweep_override():
                raise
            # name the value as typed (Hydra reads 1e400 as inf)
            raise ConfigError(key, raw_value, err.allowed) from None
        if key in OPTION_LISTS:  # a list of a config group's options
            options = group_options(config_dir, OPTION_LISTS[key])
            for name in value:
                if name not in options:
                    raise ConfigError(key, raw_value, f"a list of {' | '.join(options)}")
    return override


def check_overrides(texts: Iterable[str], config_dir: Path | Sequence[Path]) -> list[Override]:
    """``check_override`` of each override, in order."""
    return [check_override(text, config_dir) for text in texts]
