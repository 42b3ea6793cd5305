"""The month's stages: an ordered list of bound methods that ``SandboxModel.step`` runs."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable


class Stages(tuple):
    """An executable, printable schedule: each entry is called in order, once a month.

    ``str(stages)`` lists them as ``owner.method: first line of its docstring``.
    """

    def __new__(cls, stages: Iterable[Callable[[], None]]) -> Stages:
        return super().__new__(cls, stages)

    def run(self) -> None:
        """Call every stage in order."""
        for stage in self:
            stage()

    @staticmethod
    def describe(stage: Callable[[], None]) -> str:
        """``owner.method: summary`` of one stage."""
        owner = getattr(stage, "__self__", None)
        name = stage.__name__ if owner is None else f"{type(owner).__name__}.{stage.__name__}"
        summary = (inspect.getdoc(stage) or "").split("\n", 1)[0]
        return f"{name}: {summary}"

    def __str__(self) -> str:
        return "\n".join(f"{i}. {self.describe(s)}" for i, s in enumerate(self, start=1))
