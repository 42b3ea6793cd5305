"""Counterfactual switches that lift one barrier from the policy's start (a lever section):
how much each barrier holds back, and so how much any policy could gain
(``experiment=barriers``)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param

WHY = "decision: a counterfactual, off in every real regime; experiment=barriers lifts each"


def _lifted(doc: str) -> bool:
    """A barrier's switch: off (in place) unless an experiment lifts it."""
    return param(False, unit="flag", range="flag", role="lever", source=WHY, doc=doc)


@dataclass(frozen=True)
class BarrierParams:
    """Barriers lifted from ``policy.start`` (all in place by default)."""

    legal: bool = _lifted(
        "full legal clarity for every domain and technology (an act of clarity 1)"
    )
    data: bool = _lifted(
        "full interoperability at no cost: every province connected, data access 1"
    )
    money: bool = _lifted("no budget limit: central and local budgets that never bind")
    private_capital: bool = _lifted(
        "no return hurdle: a PPP partner co-finances whenever PPP exists"
    )
    hesitancy: bool = _lifted("authorities fully aware and without risk aversion")
