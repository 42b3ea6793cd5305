"""Budgets bind where they do in reality: in the history, down-sized or unfunded proposals
are common in the poorer provinces and rare in the richest (fiscal capacity from GRDP,
``Region.fiscal_capacity``)."""

from __future__ import annotations

import numpy as np
import pytest

import sandbox.model.pilot_book as pilot_book
from conftest import scenario
from sandbox.model.model import SandboxModel

# the national map before the merger (2025-07): the first map's provinces
HISTORY = ("citizens.n=2000", "horizon.end=2025-06")


def _proposals(monkeypatch: pytest.MonkeyPatch, replicate: int) -> tuple[list, np.ndarray]:
    made = []
    propose = pilot_book.PilotBook.propose

    def record(self, *args, **kwargs):
        pilot = propose(self, *args, **kwargs)
        made.append(pilot)
        return pilot

    monkeypatch.setattr(pilot_book.PilotBook, "propose", record)
    model = SandboxModel(scenario(*HISTORY, f"replicate={replicate}"))
    fiscal = model.region.fiscal_capacity
    model.run()
    return [p for p in made if p is not None], fiscal


def test_down_sized_proposals_are_common_in_poor_provinces_and_rare_in_rich_ones(monkeypatch):
    poor, rich = [], []
    for replicate in range(4):  # a share over a few hundred proposals, not one history
        pilots, fiscal = _proposals(monkeypatch, replicate)
        median, top = np.quantile(fiscal, [0.5, 0.8])
        for pilot in pilots:
            small = pilot.size < 1.0
            if fiscal[pilot.province] < median:
                poor.append(small)
            elif fiscal[pilot.province] >= top:
                rich.append(small)
    assert len(poor) > 50 and len(rich) > 50
    assert np.mean(poor) >= 0.25  # common: at least one proposal in four
    assert np.mean(rich) <= 0.05  # rare: at most one in twenty


def test_fiscal_capacity_follows_grdp() -> None:
    region = SandboxModel(scenario(*HISTORY)).region
    grdp = region.population * region.grdp_per_capita
    order = np.argsort(grdp)
    assert np.all(np.diff(region.fiscal_capacity[order]) >= 0)
    assert region.fiscal_capacity.max() == 1.0
