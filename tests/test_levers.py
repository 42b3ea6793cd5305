"""Every lever changes some outcome, and each mechanism behaves as docs/model.md says.

Levers are read from the parameter declarations (role ``lever`` in the policy, resources
and data sections), so a lever added later is tested too. Each is moved away from its
default under a regime where it acts, and the run compared with the same seeds without
the change (paired): some outcome must differ.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import scenario
from sandbox.config.meta import describe
from sandbox.config.params import Params
from sandbox.model.model import SandboxModel
from sandbox.model.pilots import Status

# the national map, the policy from the first month, six years, few citizens
BASE = ("region=vietnam_63", "citizens.n=2000", "policy.start=2019-01", "horizon.end=2024-12")
SEEDS = (1, 2)
# where a lever acts: the regime, resources or data regime it belongs to
CONTEXT = {
    "policy.experimental.evidence_value": (  # unaligned successes only
        "policy=experimental",
        "policy.experimental.coordination=0",
        "policy.experimental.strike_down=0",
    ),
    "policy.sandbox.max_waits": (  # applicants wait only when a call is oversubscribed
        "policy=controlled_pilot",
        "policy.sandbox.cohort_size=3",
    ),
    "policy.sandbox.monitoring": (  # acts through incidents: more trials; every one
        "policy=controlled_pilot",  # halts with chance = monitoring (few citizens are
        "authorities.max_active_pilots=4",  # too few to show the harm it cuts)
        "pilots.halt_severity=1",
    ),
    "policy.sandbox.extensions": (  # acts at trials' ends: more trials, and each
        "policy=controlled_pilot",  # inconclusive one is extended while it may be
        "authorities.max_active_pilots=4",
        "policy.sandbox.extension_prob=1",
    ),
    # evidence acts through rules: no lag, so that rules follow within the six years; the
    # sandbox's own evidence_value and graduation rule act on successes with incidents only
    "policy.adhoc.evidence_value": ("legislation.lag_months=0",),
    "policy.sandbox.evidence_value": (
        "policy=controlled_pilot",
        "legislation.lag_months=0",
        "pilots.incident_offset=4",
    ),
    "policy.sandbox.graduation_clean_only": (
        "policy=controlled_pilot",
        "legislation.lag_months=0",
        "pilots.incident_offset=4",
    ),
    "policy.sandbox.corridor": (  # acts on novel technologies only: make every one novel
        "policy=controlled_pilot",
        "technologies.novel_share=1",
    ),
    "policy.sandbox.": ("policy=controlled_pilot",),
    "policy.phasing.": ("policy=phased",),
    "policy.experimental.": ("policy=experimental",),
    "policy.facilitated.": ("policy=facilitation",),
    "policy.contract_saving": ("policy=facilitation",),
    "policy.barriers.private_capital": ("resources=ppp",),  # acts where PPP exists
    "resources.carry_over": ("resources.local_budget=20",),  # a pool left only when tight
    "resources.fund_interval": ("resources=competitive_fund",),
    "resources.performance_share": ("resources=competitive_fund",),
    "resources.ppp_": ("resources=ppp", "firms.ppp_hurdle=0.01"),
    "data.platform_": ("data=national_platform",),
    "data.connect_rate": ("data=national_platform",),
    "data.target": ("data=interoperable",),
    "data.market_bonus": ("policy=facilitation",),
}
# levers that act only through others, with the reason
SKIP = {
    "policy.name": "a choice of regime, tested by the regime comparisons",
    "resources.name": "a choice of mechanism, tested by the mechanism tests",
    "data.name": "a choice of data regime, tested by the data tests",
    "policy.start": "tested by tests/test_history.py",
    "resources.ppp_from": "tested by tests/test_history.py",
    "policy.phasing.within": "a choice of track, tested by tests/test_configs.py",
}


def _levers() -> list[str]:
    leaves = describe(Params)
    return [
        key
        for key, leaf in leaves.items()
        if leaf.section in ("policy", "resources", "data")
        and leaf.meta.role == "lever"
        and key not in SKIP
    ]


def _moved(key: str, default: object) -> str:
    """An override that moves a lever clearly away from its default."""
    if isinstance(default, bool):
        return f"{key}={str(not default).lower()}"
    if isinstance(default, str):
        leaf = describe(Params)[key]
        options = [o for o in leaf.meta.range if o != default]
        return f"{key}={options[0]}"
    if isinstance(default, int):  # halved (a count that binds), or raised from 0 or 1
        return f"{key}={default // 2 if default >= 2 else default + 2}"
    if key.endswith("review_months"):  # a mean delay below a month is a month
        return f"{key}={default * 3}"
    if key.endswith("budget"):  # a budget binds when it is scarce
        return f"{key}={default / 8 if default else 500.0}"
    if key.endswith("exposure_cap"):  # a cap binds when it is below the planned scope
        return f"{key}={default / 4}"
    value = default / 4 if default > 0.5 else min(1.0, default + 0.4)
    return f"{key}={value}"


def _finals(*overrides: str) -> list[dict]:
    return [
        SandboxModel(scenario(*BASE, f"seed={s}", *overrides)).run().iloc[-1].to_dict()
        for s in SEEDS
    ]


def _context(key: str) -> tuple[str, ...]:
    for prefix, overrides in CONTEXT.items():
        if key.startswith(prefix):
            return overrides
    return ()


@pytest.mark.parametrize("key", _levers())
def test_every_lever_changes_some_outcome(key: str) -> None:
    default = describe(Params)[key].default
    context = _context(key)
    base = _finals(*context)
    moved = _finals(*context, _moved(key, default))
    differs = [
        m
        for b, o in zip(base, moved, strict=True)
        for m in b
        if m != "month" and not (b[m] == o[m] or (_nan(b[m]) and _nan(o[m])))
    ]
    assert differs, f"{key}: no outcome moved (context {context})"


def _nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _mean(metric: str, *overrides: str, seeds=range(6)) -> float:
    return float(
        np.mean(
            [
                SandboxModel(scenario(*BASE, f"seed={s}", *overrides)).run()[metric].iloc[-1]
                for s in seeds
            ]
        )
    )


def test_the_status_quo_shuts_most_start_ups_out() -> None:
    status_quo = _mean("sme_contract_share", "policy=status_quo")
    sandbox = _mean("sme_contract_share", "policy=controlled_pilot")
    assert status_quo < sandbox
    # the compliance cost is what shuts them out: at the sandbox's, they win more
    cheap = _mean("sme_contract_share", "policy=status_quo", "policy.adhoc.compliance_cost=0.02")
    assert status_quo < cheap


def test_ppp_adds_private_money_on_top_of_grants() -> None:
    frame = SandboxModel(scenario(*BASE, "resources=ppp", "firms.ppp_hurdle=0.01")).run()
    assert frame["private_investment"].iloc[-1] > 0
    assert frame["central_spending"].iloc[-1] > 0  # grants are not switched off


def test_ppp_no_investor_accepts_is_the_central_budget_exactly() -> None:
    ppp = SandboxModel(scenario(*BASE, "resources=ppp", "firms.ppp_hurdle=1")).run()
    budget = SandboxModel(scenario(*BASE, "resources=central_budget")).run()
    assert ppp.drop(columns="month").equals(budget.drop(columns="month"))


@pytest.mark.parametrize("seed", SEEDS)
def test_facilitation_shows_in_private_investment_and_firm_entry(seed: int) -> None:
    """Facilitation's own channels (data-market rules, standard contracts) bring private
    co-finance and start-ups in; each channel alone carries part of the investment."""

    def final(*overrides: str) -> dict:
        frame = SandboxModel(scenario(*BASE, f"seed={seed}", "resources=ppp", *overrides)).run()
        return frame.iloc[-1].to_dict()

    status_quo = final("policy=status_quo")
    facilitation = final("policy=facilitation")
    assert facilitation["private_investment"] > status_quo["private_investment"]
    assert facilitation["firms_sme"] > status_quo["firms_sme"]  # more start-ups active
    assert facilitation["contracts_sme"] > status_quo["contracts_sme"]
    for channel in ("policy.data_market=false", "policy.standard_contracts=false"):
        without = final("policy=facilitation", channel)
        assert without["private_investment"] < facilitation["private_investment"], channel


def test_an_unaligned_rule_is_struck_down() -> None:
    overrides = (
        "policy=experimental",
        "policy.experimental.coordination=0",
        "policy.experimental.strike_down=1",
    )
    model = SandboxModel(scenario(*BASE, *overrides))
    frame = model.run()
    assert frame["rules_struck_down"].iloc[-1] > 0
    local = [q for a in model.authority_list for q in a.pilots if q.track.key == "local_rule"]
    ended = [q for q in local if q.status in (Status.SUCCEEDED, Status.FAILED, Status.HALTED)]
    assert ended and all(q.status is Status.HALTED for q in ended)  # every one struck down


def test_the_sandbox_funnel_narrows() -> None:
    frame = SandboxModel(scenario(*BASE, "policy=controlled_pilot")).run()
    stages = ["sandbox_applications", "sandbox_admitted", "sandbox_testing"]
    stages += ["sandbox_completed", "sandbox_graduated"]
    final = frame[stages].iloc[-1].to_numpy()
    assert final[0] > 0 and (np.diff(final) <= 0).all(), dict(zip(stages, final, strict=True))
    assert (frame[stages].diff().fillna(0) >= 0).all().all()  # cumulative


def test_a_trial_on_the_sandbox_track_runs_within_the_exposure_cap() -> None:
    model = SandboxModel(scenario(*BASE, "policy=controlled_pilot"))
    model.run()
    pilots = [q for a in model.authority_list for q in a.pilots if q.track.key == "sandbox"]
    assert pilots
    started = [q for q in pilots if q.start >= 0]
    assert started and all(q.scope <= model.params.policy.sandbox.exposure_cap for q in started)


def _screened_out(*overrides: str) -> tuple[SandboxModel, pd.Series, list]:
    """A sandbox whose screening passes nobody; the applications moved ad hoc, recorded.

    Applicants still expect the published ``approval_prob`` (so some apply); only the
    regulator's screening runs with ``approval_prob`` 0."""
    model = SandboxModel(scenario(*BASE, "policy=controlled_pilot", *overrides))
    moved = []
    book = model.book
    retrack, enact = book.retrack, model.enact_policy

    def record(pilot, track) -> None:
        retrack(pilot, track)
        moved.append((pilot, model.t, pilot in book.calls))

    def enact_shut_sandbox(*args, **kwargs) -> None:
        enact(*args, **kwargs)
        track = model.context.regime.sandbox
        close, shut = track.close_review, replace(track.params, approval_prob=0.0)

        def close_review(ctx) -> None:
            published, track.params = track.params, shut
            try:
                close(ctx)
            finally:
                track.params = published

        track.close_review = close_review

    book.retrack, model.enact_policy = record, enact_shut_sandbox
    return model, model.run().iloc[-1], moved


def test_an_applicant_not_admitted_goes_ad_hoc_re_priced_on_ad_hoc_terms() -> None:
    # with no weight on legal risk every province still wants its pilot on ad-hoc terms
    model, final, moved = _screened_out("authorities.risk_weight=0")
    waiting = [q for a in model.authority_list for q in a.pilots if q.track.key == "sandbox"]
    assert final["sandbox_admitted"] == 0 and final["sandbox_withdrawn"] == 0
    assert final["sandbox_to_adhoc"] == len(moved) == final["sandbox_applications"] - len(waiting)
    pilots = model.params.pilots
    adhoc = model.context.regime.adhoc
    assert all(in_calls for _, _, in_calls in moved)  # firms bid anew on ad-hoc terms
    ran = [(q, t) for q, t, _ in moved if q.start >= 0]
    assert ran, "some applications moved ad hoc should run"
    for q, t in ran:
        assert q.track is adhoc and q.start > t  # approved by the ad-hoc review, later
        # the ad-hoc track's length x its technology's (``Technologies.duration``)
        assert q.duration == model.context.technologies.duration(
            q.technology, adhoc.duration(pilots)
        )
        assert q.scope == pytest.approx(adhoc.scope(pilots, q.size) * q.share)


def test_whether_a_screened_out_applicant_goes_ad_hoc_follows_the_legal_risk() -> None:
    # the ad-hoc track as safe as the sandbox: nobody withdraws
    _, same, _ = _screened_out("policy.adhoc.legal_risk=0.15")
    assert same["sandbox_withdrawn"] == 0 and same["sandbox_to_adhoc"] > 0
    # a heavy weight on legal risk: most withdraw rather than go ad hoc
    _, averse, _ = _screened_out("authorities.risk_weight=50")
    assert averse["sandbox_withdrawn"] > averse["sandbox_to_adhoc"]


def test_a_graduated_service_launches_beyond_the_exposure_cap() -> None:
    model = SandboxModel(scenario(*BASE, "policy=controlled_pilot"))
    model.run()
    cap, scope = model.params.policy.sandbox.exposure_cap, model.params.pilots.scope
    assert cap < scope  # the defaults make the test meaningful
    graduated = [q for q in model.book.services if q.graduated and q.finished_month < model.t]
    assert graduated
    # a graduated service reaches its planned share of the province (a sized-down pilot
    # plans less); with the defaults most plan more than the cap
    assert all(q.coverage >= scope * q.size * q.share for q in graduated)
    assert any(q.coverage > cap for q in graduated)
    kept = [q for q in model.book.services if q.track.key == "sandbox" and not q.graduated]
    assert all(q.coverage <= cap or q.scaled for q in kept)


def test_scaled_services_have_incidents_too() -> None:
    safe = _mean("incidents", "pilots.service_risk=0", seeds=SEEDS)
    risky = _mean("incidents", "pilots.service_risk=1", seeds=SEEDS)
    assert risky > safe


def test_interoperable_data_connects_every_province_and_lowers_cost() -> None:
    model = SandboxModel(scenario(*BASE, "data=interoperable"))
    frame = model.run()
    assert (frame["provinces_connected_platform"] == model.region.n).all()
    fragmented = SandboxModel(scenario(*BASE, "data=fragmented"))
    connected = fragmented.run().set_index("month")["provinces_connected_platform"]
    assert connected["2019-11"] == 0  # fragmented data: only the State's drive connects
    assert connected["2019-12"] < model.region.n
    healthcare = 1  # Domain.HEALTHCARE, data dependence 0.7
    cost = model.context.appraisal.domain_cost(0, healthcare)
    assert cost < fragmented.context.appraisal.domain_cost(0, healthcare)


def test_a_national_platform_connects_provinces_over_time() -> None:
    frame = SandboxModel(scenario(*BASE, "data=national_platform")).run()
    connected = frame["provinces_connected_platform"]
    assert connected.iloc[0] < connected.iloc[-1] and (connected.diff().fillna(0) >= 0).all()


def test_carried_over_money_is_conserved() -> None:
    model = SandboxModel(scenario(*BASE, "resources.carry_over=0.5"))
    model.run()
    ledger = model.ledger
    np.testing.assert_allclose(
        ledger.allocated_local, ledger.spent_local + ledger.local + ledger.lapsed_local
    )
    assert ledger.local.max() > 0
