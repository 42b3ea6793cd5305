"""Pilots: one record per proposal, with its lifecycle (docs/model.md).

``PROPOSED -> APPROVED -> RUNNING -> SUCCEEDED | FAILED | HALTED``, or ``PROPOSED ->
REJECTED`` (refused, unfunded or no bidder). A succeeded pilot's service stays deployed;
``graduated`` (its evidence created legal clarity for its domain) and ``scaled`` (its
coverage grows to the whole province) are flags on a succeeded pilot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from sandbox.model.domains import Domain

if TYPE_CHECKING:
    from sandbox.model.tracks.adhoc import AdHoc


class Status(Enum):
    """Lifecycle stage of a pilot."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    HALTED = "halted"
    REJECTED = "rejected"


# tuples, not sets: membership by identity avoids hashing Enum members in hot loops
LIVE = (Status.APPROVED, Status.RUNNING, Status.SUCCEEDED)
DEPLOYED = (Status.RUNNING, Status.SUCCEEDED)
BUSY = (Status.PROPOSED, Status.APPROVED, Status.RUNNING)


@dataclass(slots=True, eq=False)
class Pilot:
    """One pilot and its state.

    Pilots compare by identity: each is one proposal, and two may hold equal fields
    (``list.remove`` and ``in`` must find the pilot itself, without comparing fields)."""

    province: int  # its province (a unit's index after the merger)
    domain: Domain
    track: AdHoc  # the approval track (sandbox.model.tracks) it was routed to
    proposed: int  # month index of the proposal
    duration: int  # planned months of running
    scope: float  # share of the province's population it reaches
    size: float = 1.0  # share of a whole pilot's reach and cost (sized to local funds)
    technology: int = -1  # its technology's id (``sandbox.model.technologies``)
    novel: bool = False  # its technology is novel (needs a legal corridor)
    share: float = 1.0  # its province's share of its unit's people (below 1 after a merger)
    status: Status = Status.PROPOSED
    firm: object | None = None  # the partner Firm agent
    bids: list = field(default_factory=list)
    decision_month: int = -1  # month the review ends
    start: int = -1  # month running began
    end: int = -1  # month running ends (extended by sandbox extensions)
    extensions: int = 0
    contract: float = 0.0  # cost agreed at financing, billion VND (public and private)
    local_funding: float = 0.0  # paid so far, billion VND
    central_funding: float = 0.0
    private_funding: float = 0.0
    withheld_grant: float = 0.0  # performance-based grant paid on success
    instalments_left: int = 0  # monthly instalments still to fall due (resources.ledger)
    instalment_local: float = 0.0  # one month's instalment of the local share
    instalment_central: float = 0.0  # one month's instalment of the central grant
    owed_local: float = 0.0  # instalments fallen due and not yet paid (arrears)
    owed_central: float = 0.0
    compliance_fronted: float = 0.0  # compliance cost the partner firm has tied up
    incidents: int = 0
    origin: int = -1  # province index when proposed: with ``proposed``, its random key
    reviews: int = 0  # review draws used (``PilotBook.review_draw``)
    bid_round: int = 0  # times it was bid for anew, on another track (its bid draws' key)
    calls_waited: int = 0  # sandbox calls it waited through without admission
    screened: bool = False  # passed the sandbox's screening
    admitted: int = -1  # month a sandbox call admitted it
    months_run: int = 0  # months spent running (indexes its ``life`` draws)
    life: object = None  # the current block of monthly draws (``lifecycle.LIFE_BLOCK`` rows)
    outcome_draw: float = -1.0  # the success draw, once drawn (an extension keeps it)
    finished_month: int = -1  # month it ended
    scale_threshold: float = float("inf")  # cumulative scaling hazard it needs (success)
    scale_progress: float = 0.0  # cumulative scaling hazard so far
    aligned: bool = False  # local rule aligned with the centre (experimental)
    graduated: bool = False
    scaled: bool = False
    coverage: float = 0.0  # current share of the province reached

    @property
    def cost(self) -> float:
        """Funding paid so far, billion VND: the public instalments paid and the private
        co-finance (``contract`` is what was agreed)."""
        return self.local_funding + self.central_funding + self.private_funding
