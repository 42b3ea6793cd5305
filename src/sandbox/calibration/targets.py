"""The published figures the history is fitted to (``configs/targets/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from sandbox.calibration.files import config_file
from sandbox.errors import ConfigError

DEFAULT = "vietnam_2024"


@dataclass(frozen=True)
class Target:
    """One published count: ``metric`` at ``month`` was ``value`` of ``out_of``."""

    name: str
    month: str
    metric: str
    value: float
    out_of: int
    figure: str
    source: str

    def observed(self, frame: pd.DataFrame) -> float:
        """This target's metric at its month in a run's monthly table (indexed by month)."""
        return float(frame.at[self.month, self.metric])


def load_targets(name_or_path: str | Path = DEFAULT) -> tuple[Target, ...]:
    """Read a targets file by name (in ``configs/targets/``) or by path.

    Raises:
        ConfigError: the file is missing or a target lacks a field.
    """
    path = config_file(name_or_path, "targets")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = Target.__dataclass_fields__
    out = []
    for i, item in enumerate(raw.get("targets", [])):
        missing = sorted(set(fields) - set(item))
        if missing:
            raise ConfigError(
                f"{path}: targets[{i}]",
                sorted(item),
                f"a mapping with {', '.join(fields)} (missing: {', '.join(missing)})",
            )
        out.append(Target(**{k: item[k] for k in fields}))
    return tuple(out)


def last_month(targets: tuple[Target, ...]) -> str:
    """The latest month any target refers to (the history must reach it)."""
    return max(t.month for t in targets)
