"""Registers the typed schema (``sandbox.params.Params``) in Hydra's ConfigStore.

The primary config lists ``sandbox_schema`` first in its defaults, so every group option
and command-line override is merged onto the dataclasses: a misspelt key or a wrong type
fails at composition, before anything runs.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from sandbox.params import Params

SCHEMA_NAME = "sandbox_schema"


def register() -> None:
    """Store the schema under ``SCHEMA_NAME`` (idempotent)."""
    ConfigStore.instance().store(name=SCHEMA_NAME, node=Params)
