"""The historical mechanisms every scenario runs until ``policy.start``."""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param
from sandbox.config.params.data import DataParams
from sandbox.config.params.policy import PolicyParams
from sandbox.config.params.resources import ResourceParams


@dataclass(frozen=True)
class HistoryParams:
    """The shared history: status quo, central budget, fragmented data (2019 to today).

    Composed from the same config groups as the levers (``policy@history.policy``, ...),
    so a history can be any combination; its ``policy.start`` is not used.
    """

    policy: PolicyParams = param(
        factory=PolicyParams, role="setting", doc="regulation before policy.start"
    )
    resources: ResourceParams = param(
        factory=ResourceParams, role="setting", doc="resources before policy.start"
    )
    data: DataParams = param(factory=DataParams, role="setting", doc="data before policy.start")
    checkpoint: str = param(
        "",
        unit="–",
        range="stored_history",
        role="setting",
        source="decision: branch new policies from a stored history",
        doc="a stored history to branch from: its key in the sweep's store, or the path of its "
        ".npz inside the sweep's folder or results/ ('' for none)",
    )
