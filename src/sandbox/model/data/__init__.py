"""Data regimes (the ``data`` config group), chosen by name."""

from __future__ import annotations

from sandbox.config.params import DataParams
from sandbox.errors import ConfigError
from sandbox.model.data.base import DataRegime
from sandbox.model.data.fragmented import Fragmented
from sandbox.model.data.interoperable import Interoperable
from sandbox.model.data.national_platform import NationalPlatform

DATA_REGIMES: dict[str, type[DataRegime]] = {
    cls.name: cls for cls in (Fragmented, Interoperable, NationalPlatform)
}


def make_data_regime(params: DataParams, previous: DataRegime | None = None) -> DataRegime:
    """The data regime class named by ``data.name`` (continuing from ``previous``)."""
    if params.name not in DATA_REGIMES:
        raise ConfigError("data.name", params.name, " | ".join(DATA_REGIMES))
    return DATA_REGIMES[params.name](params, previous)
