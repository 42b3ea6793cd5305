"""Refuse config files that would make Hydra instantiate code.

The model never calls ``hydra.utils.instantiate``, but Hydra itself instantiates
``_target_`` entries of a primary config's ``hydra:`` block (callbacks, launchers). A
config downloaded with a paper and run with ``--config-path`` must not be able to run
arbitrary code, so every YAML file in that folder is scanned first.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sandbox.errors import ConfigError

TRUSTED = ("sandbox.", "hydra_plugins.")  # this package and installed Hydra plugins


def _targets(node: object, prefix: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_target_":
                yield path, value
            yield from _targets(value, path)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _targets(value, f"{prefix}[{i}]")


def check_config_dir(folder: Path, config_name: str = "config") -> None:
    """Raise ``ConfigError`` if a YAML file under ``folder`` targets code outside ``TRUSTED``.

    ``hydra.yaml`` and ``overrides.yaml`` inside a saved ``.hydra/`` folder are Hydra's
    records of a past run, never loaded when re-running ``config``, so they are skipped.
    """
    for path in sorted(Path(folder).rglob("*.yaml")):
        record = path.parent.name == ".hydra" and path.stem in ("hydra", "overrides")
        if record and path.stem != config_name:
            continue
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            raise ConfigError(str(path), type(err).__name__, "a YAML file") from err
        for document in documents:
            for key, value in _targets(document):
                if str(value).startswith(TRUSTED):
                    continue
                raise ConfigError(
                    f"{path.name}: {key}",
                    value,
                    "configs without _target_ (sandbox never instantiates code from a config)",
                )
