"""Command-line overrides checked against the schema before Hydra composes anything.

Hydra would reject a misspelt key or a wrong type too, with a multi-line message and exit
code 1, and would accept ``+key=value`` for a key the model never reads. Checking here
gives the same one-paragraph ``ConfigError`` as every other bad input.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from sandbox.errors import ConfigError
from sandbox.params import Params

GROUPS = ("policy", "resources", "data", "region", "validation", "experiment")
BOOLS = {"true", "false"}


def group_options(config_dir: Path, group: str) -> list[str]:
    """The options of a config group: its YAML files."""
    return sorted(p.stem for p in (config_dir / group).glob("*.yaml"))


def installed_launchers() -> list[str]:
    """Hydra's launchers that are installed (``configs/hydra/launcher`` only refines them)."""
    from hydra.core.config_store import ConfigStore
    from hydra.core.plugins import Plugins

    Plugins.instance()  # imports the installed plugins, which register their configs
    return sorted(Path(name).stem for name in ConfigStore.instance().list("hydra/launcher"))


def _values(value: str) -> list[str]:
    """The values of an override; a sweep ``a,b,c`` gives several, sweep functions none."""
    if "(" in value or value.startswith(("[", "{")):
        return []
    return [v.strip() for v in value.split(",")]


def _leaf_type(key: str, value: str) -> type:
    """Walk the schema along ``key``; raise on an unknown key."""
    node: type = Params
    walked = []
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


def _check_type(key: str, kind: type, value: str) -> None:
    origin = typing.get_origin(kind) or kind
    ok = True
    if origin is bool:
        ok = value.lower() in BOOLS
    elif origin is int:
        ok = value.lstrip("+-").isdigit()
    elif origin is float:
        try:
            float(value)
        except ValueError:
            ok = False
    elif origin is list:
        ok = False  # lists are written [a,b,c], handled by Hydra
    if not ok:
        name = {bool: "true or false", int: "a whole number", float: "a number"}.get(
            origin, "a list written [a,b,c]"
        )
        raise ConfigError(key, value, name)


def check_override(text: str, config_dir: Path) -> None:
    """Raise ``ConfigError`` when a ``key=value`` override names no schema key or has the
    wrong type, when it adds (``+``) or deletes (``~``) model keys, or names a launcher
    that is not installed."""
    key, _, value = text.partition("=")
    if key == "hydra/launcher" and value not in (options := installed_launchers()):
        hint = (
            " (ray is there once the ray extra is: .venv/bin/pip install -r requirements-ray.lock)"
        )
        raise ConfigError(key, value, " | ".join(options) + (hint if "ray" not in options else ""))
    if text.lstrip("+~").startswith("hydra"):
        return
    if key.startswith("~"):
        raise ConfigError(key[1:], value, "setting a value; model keys cannot be removed")
    if "/" in key or not _:
        return  # Hydra's own groups (hydra/launcher=joblib) or not an override
    plus = key.startswith("+")
    key = key.lstrip("+")
    if key in GROUPS:
        options = group_options(config_dir, key)
        for v in _values(value):
            if v not in options:
                raise ConfigError(key, v, " | ".join(options))
        return
    kind = _leaf_type(key, value)
    if plus:
        raise ConfigError(f"+{key}", value, f"'{key}=...' without '+' (the key exists)")
    if dataclasses.is_dataclass(kind):
        raise ConfigError(key, value, f"a value for one of the keys under {key}")
    for v in _values(value):
        _check_type(key, kind, v)
