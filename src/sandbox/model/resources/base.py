"""The interface every resource mechanism implements.

``finance(ctx, pilot)`` splits an approved pilot's cost between central grant, private
co-finance and the local budget, commits the public shares in the ledger (they are paid in
monthly instalments while the pilot runs, ``resources.ledger``) and returns ``True``;
returns ``False`` when it cannot be financed (the pilot dies unfunded) and ``None`` when
financing waits (a competitive fund between rounds). ``sizer`` is how much of a pilot a
province expects to fund, so that it proposes what it can fund. A mechanism sees the
model through a ``ResourceContext`` (``sandbox.model.interfaces``): the clock, the ledger,
the appraisal of pilots, legal clarity, the regime's standard contracts and the counters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sandbox.config.params import ResourceParams
from sandbox.model.resources.ledger import fits

if TYPE_CHECKING:
    from collections.abc import Callable

    from sandbox.model.interfaces import ResourceContext
    from sandbox.model.pilots import Pilot


class ResourceMechanism:
    """Base mechanism: central grants (if ``grant``) and PPP co-finance (if ``ppp``), on
    top of each other; the province pays the rest.

    PPP (once it exists in law, ``ppp_from``): the partner firm co-finances ``ppp_share``
    of what the grant leaves, in exchange for revenue rights while the service runs:
    ``ppp_return`` a year on its stake at the planned use, part users' fees that follow
    the province's use (``revenue_rate``), when its expected return clears its hurdle:
    ``revenue_rate(use) * P(success) * (1 - legal risk) * data access >= firms.ppp_hurdle``
    (use, legal clarity and data access each counted once), with legal risk of the pilot's
    track in its domain and the hurdle lowered by standard contracts
    (``policy.contract_saving``). A province counts on that co-finance when it sizes a
    proposal (``sizer``), so PPP can fund projects public money alone would not. The firm
    pays its stake at financing; the grant and the province's share are paid in monthly
    instalments over the pilot's planned duration, and are committed only if this year's
    pool and the coming years' budgets can pay them (``Ledger.central_headroom``,
    ``Ledger.local_headroom``).

    Args:
        params: the ``resources`` section of the configuration.
    """

    name = "central_budget"
    grant = True
    ppp = False

    def __init__(self, params: ResourceParams) -> None:
        self.params = params

    def ppp_exists(self, ctx: ResourceContext) -> bool:
        """PPP co-finance is part of the mechanism and exists in law this month."""
        return self.ppp and ctx.clock.label >= self.params.ppp_from

    def revenue_rate(self, use: float) -> float:
        """A PPP partner's revenue a year per unit of stake at a province's ``use`` (its
        adopted share): the city's availability payment and users' fees, which earn
        ``ppp_return`` at the planned use (``ppp_planned_use``)."""
        p = self.params
        return p.ppp_return * (1.0 - p.ppp_user_share + p.ppp_user_share * use / p.ppp_planned_use)

    def _clears_hurdle(
        self, ctx: ResourceContext, province: int, success: float, risk: float, access: float
    ) -> bool:
        """The expected return of a stake clears the partner's hurdle."""
        expected = self.revenue_rate(ctx.use[province]) * success * (1.0 - risk) * access
        return expected >= ctx.params.firms.ppp_hurdle * (1.0 - ctx.regime.contract_saving)

    def invests(self, ctx: ResourceContext, pilot: Pilot) -> bool:
        """The partner firm's decision to co-finance, by expected return."""
        if not self.ppp_exists(ctx) or pilot.firm is None:
            return False
        risk = pilot.track.params.legal_risk * ctx.government.unclear_of(pilot)
        appraisal = ctx.appraisal
        return self._clears_hurdle(
            ctx,
            pilot.province,
            appraisal.success_probability(pilot),
            risk,
            appraisal.data_access(pilot),
        )

    def private_share(
        self, ctx: ResourceContext, province: int, access: float, domain: int, risk: float
    ) -> float:
        """The share of a pilot's cost in one of a province's candidate ``domain``s (at
        its data ``access`` and the legal ``risk`` its track bears there) it expects a
        partner to co-finance: ``ppp_share`` of what a grant leaves, where a partner of
        default capability would clear its hurdle (``invests``), else 0."""
        if not self.ppp_exists(ctx):
            return 0.0
        success = ctx.appraisal.expected_success(province, domain, access)
        return (
            self.params.ppp_share
            if self._clears_hurdle(ctx, province, success, risk, access)
            else 0.0
        )

    def most_private(self, ctx: ResourceContext) -> float:
        """The largest share ``private_share`` can give this month (a bound for sizing)."""
        return self.params.ppp_share if self.ppp_exists(ctx) else 0.0

    def local_budget(self, fiscal: np.ndarray) -> np.ndarray:
        """Each province's yearly budget for smart-city pilots at its ``fiscal`` capacity,
        billion VND."""
        return self.params.local_budget * fiscal

    @property
    def withheld_share(self) -> float:
        """Share of a grant the centre withholds until success (the province pre-finances
        it); none here."""
        return 0.0

    def grant_amount(self, ctx: ResourceContext, cost: float, months: int) -> float:
        """The central grant a pilot of ``cost`` paid over ``months`` gets now
        (``_grant`` against the centre's ``Ledger.central_headroom``)."""
        if not self.grant:
            return 0.0
        return self._grant(cost, ctx.ledger.central_headroom(months, self.params.central_budget))

    def _grant(self, cost: float, central_room: float) -> float:
        """``grant_share`` of ``cost`` if the part the centre pays during the pilot (all but
        ``withheld_share``) fits ``central_room``, else nothing (a grant is all or
        nothing)."""
        grant = self.params.grant_share * cost
        return grant if fits(grant * (1.0 - self.withheld_share), central_room) else 0.0

    def sizer(
        self, ctx: ResourceContext, province: int, months: int, min_size: float
    ) -> Callable[[float, float], float]:
        """How much of a pilot paid over ``months`` a province expects to fund, as a
        function ``size(cost, private)`` of a whole pilot's ``cost``: the share of it
        (reach and cost, at most 1), or 0 below ``min_size``. Its own share (the cost less
        the part of a grant the centre pays during the pilot, less the ``private`` share of
        what the grant leaves that it expects a partner to co-finance, ``private_share``)
        must fit its ``Ledger.local_headroom``. A smaller pilot may get a grant a whole one
        would not (a grant is all or nothing against the centre's headroom); the size is
        the larger of the sizes with and without a grant. The headrooms are computed once,
        here; an authority sizes only the candidates it could choose
        (``LocalAuthority.propose``)."""
        ledger, p = ctx.ledger, self.params
        budget = p.local_budget * ledger.fiscal.item(province)  # ``local_budget(fiscal)[k]``
        local = ledger.local_headroom(province, months, budget, p.carry_over)
        grant_paid, central = 0.0, 0.0
        if self.grant:
            central = ledger.central_headroom(months, p.central_budget)
            grant_paid = p.grant_share * (1.0 - self.withheld_share)
        kept = 1.0 - p.grant_share  # what a grant leaves, for a partner's share

        def size(cost: float, private: float = 0.0) -> float:
            # ``min`` and ``max`` written as comparisons: the same values, in a hot loop
            own = cost * (1.0 - private)
            size = (r if (r := local / own) < 1.0 else 1.0) if own > 0 else 1.0  # no grant
            if grant_paid > 0:  # with one, while the centre's part fits its headroom
                own = cost * (1.0 - grant_paid - private * kept)
                granted = r if (r := central / (cost * grant_paid)) < 1.0 else 1.0
                if own > 0:
                    granted = r if (r := local / own) < granted else granted
                size = granted if granted > size else size
            return float(size) if size >= min_size and size > 0 else 0.0

        return size

    def finance(self, ctx: ResourceContext, pilot: Pilot) -> bool | None:
        """Split, check and commit a pilot's cost."""
        cost = ctx.appraisal.pilot_cost(pilot)
        grant = self.grant_amount(ctx, cost, pilot.duration)
        paid = grant * (1.0 - self.withheld_share)
        return self._settle(ctx, pilot, cost, upfront=paid, withheld=grant - paid)

    def _settle(
        self, ctx: ResourceContext, pilot: Pilot, cost: float, upfront: float, withheld: float
    ) -> bool:
        """Private co-finance on what the grant leaves, then the province pays the rest."""
        private = 0.0
        if self.invests(ctx, pilot):
            private = self.params.ppp_share * (cost - upfront - withheld)
            if pilot.firm.capital < private:
                private = 0.0
        local = cost - upfront - private
        ledger = ctx.ledger
        budget = self.params.local_budget * ledger.fiscal[pilot.province]
        carry = self.params.carry_over
        if not ledger.local_fits(pilot.province, local, pilot.duration, budget, carry):
            ctx.book.count("proposals_unfunded")
            return False
        if private > 0:
            pilot.firm.invest(private)
            ledger.private += private
            pilot.private_funding += private
        pilot.contract = cost
        pilot.withheld_grant = withheld
        ledger.commit(pilot, local=local, central=upfront, months=pilot.duration)
        return True

    def on_success(self, ctx: ResourceContext, pilot: Pilot) -> None:
        """Called when a pilot succeeds (performance-based payments)."""
