"""Mixed: competitive, performance-based grants and PPP co-finance together."""

from __future__ import annotations

from sandbox.model.resources.competitive_fund import CompetitiveFund


class Mixed(CompetitiveFund):
    """Grants awarded in rounds with a performance share (as ``competitive_fund``), and
    private co-finance by expected return (as ``ppp``) on what they leave."""

    name = "mixed"
    grant = True
    ppp = True
