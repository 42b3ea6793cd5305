"""Data regimes (the ``data`` config group), chosen by name."""

from __future__ import annotations

from sandbox.data_regimes.base import DataRegime
from sandbox.data_regimes.fragmented import Fragmented
from sandbox.data_regimes.interoperable import Interoperable
from sandbox.data_regimes.national_platform import NationalPlatform
from sandbox.errors import ConfigError
from sandbox.params import DataParams

DATA_REGIMES: dict[str, type[DataRegime]] = {
    cls.name: cls for cls in (Fragmented, Interoperable, NationalPlatform)
}


def make_data_regime(params: DataParams) -> DataRegime:
    """The data regime class named by ``data.name``."""
    if params.name not in DATA_REGIMES:
        raise ConfigError("data.name", params.name, " | ".join(DATA_REGIMES))
    return DATA_REGIMES[params.name](params)
