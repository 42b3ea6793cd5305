"""Citizens feed back: their use of services is a political return to their authority
(``authorities.political_return``), and the revenue of a PPP partner's users' fees
(``ResourceMechanism.revenue_rate``, tested in ``tests/mechanisms/test_resource_finance.py``)."""

from __future__ import annotations

import pytest

from conftest import SMALL, scenario
from sandbox.model.model import SandboxModel


def proposals_by(end: str, political_return: float, replicate: int) -> tuple[float, float]:
    """Pilots proposed and adoption at ``end`` (the history only: status quo throughout)."""
    frame = SandboxModel(
        scenario(
            *SMALL,
            f"replicate={replicate}",
            f"authorities.political_return={political_return}",
            f"horizon.end={end}",
        )
    ).run()
    last = frame.iloc[-1]
    return float(last["pilots_proposed"]), float(last["adoption"])


@pytest.mark.parametrize("replicate", [0, 1])
def test_where_citizens_use_services_authorities_propose_more(replicate) -> None:
    none, _ = proposals_by("2025-06", 0.0, replicate)
    strong, adoption = proposals_by("2025-06", 3.0, replicate)
    assert adoption > 0  # there is use to return
    assert strong > none
