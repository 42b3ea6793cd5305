"""docs/model.md documents every parameter and every metric."""

from __future__ import annotations

from pathlib import Path

from sandbox.config.params import Params
from sandbox.config.validate import leaves
from sandbox.model.domains import DOMAINS
from sandbox.model.metrics import METRICS

DOC = (Path(__file__).parents[1] / "docs" / "model.md").read_text()


def test_every_parameter_is_documented() -> None:
    missing = []
    for key, _ in leaves(Params()):
        parent, _, leaf = key.rpartition(".")
        if key not in DOC and (parent not in DOC or leaf not in DOC):
            missing.append(key)
    assert not missing, missing


def documented(metric: str) -> bool:
    """A metric is named in the doc, by itself or as a per-domain or pilot-count family."""
    if f"`{metric}`" in DOC:
        return True
    for domain in DOMAINS:
        if metric.endswith(domain.key):
            return f"`{metric.removesuffix(domain.key)}<domain>`" in DOC
    return metric.startswith("pilots_") and f"`_{metric.removeprefix('pilots_')}`" in DOC


def test_every_metric_is_documented() -> None:
    assert not [m for m in METRICS if not documented(m)]
