"""The free parameters of a fit and their uniform priors (``configs/priors/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sandbox.config.files import config_file
from sandbox.config.meta import describe
from sandbox.config.params import Params
from sandbox.errors import ConfigError


@dataclass(frozen=True)
class Free:
    """One free parameter: a dotted key of ``Params``, uniform on ``[low, high]``."""

    key: str
    low: float
    high: float
    why: str
    integer: bool = False

    def value(self, x: float) -> float | int:
        """A sampled value as the model takes it (whole numbers rounded)."""
        return round(x) if self.integer else float(x)


def load_priors(name_or_path: str | Path = "history") -> tuple[Free, ...]:
    """Read and check a priors file by name (in ``configs/priors/``) or by path.

    Raises:
        ConfigError: an unknown key, a range outside the parameter's allowed values, or
            ``low >= high``.
    """
    path = config_file(name_or_path, "priors")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    leaves = describe(Params)
    out = []
    for i, item in enumerate(raw.get("free") or []):
        free = Free(
            key=str(item["key"]),
            low=float(item["low"]),
            high=float(item["high"]),
            why=" ".join(str(item.get("why", "")).split()),
            integer=bool(item.get("integer", False)),
        )
        leaf = leaves.get(free.key)
        if leaf is None or leaf.meta.role != "uncertainty":
            raise ConfigError(
                f"{path}: free[{i}].key",
                free.key,
                "a dotted key of a parameter whose role is 'uncertainty' (docs/parameters.md)",
            )
        if not free.low < free.high:
            raise ConfigError(
                f"{path}: free[{i}] ({free.key}) low, high",
                (free.low, free.high),
                "low below high",
            )
        out.append(free)
    if not out:
        raise ConfigError(f"{path}: free", raw.get("free"), "a list of at least one parameter")
    return tuple(out)
