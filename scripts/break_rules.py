"""Break one rule of a mechanism at a time; its unit test (``tests/mechanisms/``) must fail.

Usage: python scripts/break_rules.py [WORDS...]   (only the rules whose name has a word)

Each entry replaces one piece of a source file of ``src/sandbox/model`` (the rule), runs
the named test file, and puts the source back (also when interrupted). It prints whether
the tests caught the broken rule; every rule must be caught. An entry whose piece of
source is no longer found stops the script: after a mechanism is rewritten, rewrite its
entries.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
M = "src/sandbox/model/"
T = "tests/mechanisms/"
MUTATIONS = [
    # (file, old, new, test file, what)
    (
        "tracks/adhoc.py",
        "book.review_draw(pilot) < self.params.approval_prob",
        "book.review_draw(pilot) <= self.params.approval_prob",
        "test_track_rules",
        "ad hoc approval chance",
    ),
    (
        "tracks/adhoc.py",
        "if pilot.decision_month <= book.t:",
        "if pilot.decision_month < book.t:",
        "test_track_rules",
        "ad hoc review delay",
    ),
    (
        "tracks/adhoc.py",
        "pilot.domain, self.params.evidence_value)",
        "pilot.domain, 2 * self.params.evidence_value)",
        "test_track_rules",
        "evidence value",
    ),
    (
        "tracks/sandbox.py",
        "key=lambda q: -(q.firm.capability",
        "key=lambda q: (q.firm.capability",
        "test_track_rules",
        "admission by score",
    ),
    (
        "tracks/sandbox.py",
        "s.capacity - self.load(ctx) - admitted_waiting",
        "s.capacity - admitted_waiting",
        "test_track_rules",
        "capacity counts trials",
    ),
    (
        "tracks/sandbox.py",
        "book.review_draw(q) < s.approval_prob",
        "book.review_draw(q) <= s.approval_prob",
        "test_track_rules",
        "screening chance",
    ),
    (
        "tracks/sandbox.py",
        "risk_weight * aversion * extra)",
        "risk_weight * extra)",
        "test_track_rules",
        "leaving chance",
    ),
    (
        "tracks/sandbox.py",
        "if not applicants or ctx.clock.months_since_policy % s.call_interval != 0:",
        "if not applicants:",
        "test_track_rules",
        "calls every call_interval",
    ),
    (
        "tracks/sandbox.py",
        "pilot.calls_waited < s.max_waits",
        "pilot.calls_waited <= s.max_waits",
        "test_track_rules",
        "at most max_waits calls",
    ),
    (
        "tracks/sandbox.py",
        "if q.firm.capability >= s.min_capability",
        "if True",
        "test_track_rules",
        "minimum capability",
    ),
    (
        "tracks/sandbox.py",
        "return self.load(ctx) + waiting < self.params.capacity",
        "return self.load(ctx) < self.params.capacity",
        "test_track_rules",
        "waiting applications take room",
    ),
    (
        "tracks/sandbox.py",
        "if draws[EXTEND] >= self.params.extension_prob:",
        "if draws[EXTEND] > self.params.extension_prob:",
        "test_track_rules",
        "extension chance",
    ),
    (
        "tracks/sandbox.py",
        "launch = ctx.params.pilots.scope * pilot.size * pilot.share",
        "launch = ctx.params.pilots.scope * pilot.size",
        "test_track_rules",
        "graduation reach",
    ),
    (
        "tracks/sandbox.py",
        "if pilot.incidents == 0 or not",
        "if pilot.incidents <= 1 or not",
        "test_track_rules",
        "clean graduation",
    ),
    (
        "tracks/local_rule.py",
        "bool(draw < self.params.coordination)",
        "bool(draw <= self.params.coordination)",
        "test_track_rules",
        "alignment chance",
    ),
    (
        "tracks/local_rule.py",
        "if draws[STRIKE] < self.params.strike_down:",
        "if draws[STRIKE] <= self.params.strike_down:",
        "test_track_rules",
        "strike-down chance",
    ),
    (
        "tracks/local_rule.py",
        "        pilot.end += self.params.rework_months\n",
        "",
        "test_track_rules",
        "rework months",
    ),
    (
        "tracks/local_rule.py",
        "if pilot.aligned or pilot.extensions > 0:",
        "if pilot.aligned:",
        "test_track_rules",
        "rework once",
    ),
    (
        "policy/controlled_pilot.py",
        "return self.sandbox if self.sandbox.takes(ctx, authority) else self.adhoc",
        "return self.sandbox",
        "test_regime_routing",
        "controlled pilot routing",
    ),
    (
        "policy/phased.py",
        'order = np.argsort(-capacity, kind="stable")',
        'order = np.argsort(capacity, kind="stable")',
        "test_regime_routing",
        "readiness order",
    ),
    (
        "policy/phased.py",
        "ctx.clock.months_since_policy >= self.wave[province]",
        "ctx.clock.months_since_policy > self.wave[province]",
        "test_regime_routing",
        "wave start",
    ),
    (
        "policy/phased.py",
        "ctx.data_regime.connect(self.wave < t // p.phase_months)",
        "ctx.data_regime.connect(self.wave <= t // p.phase_months)",
        "test_regime_routing",
        "waves connected",
    ),
    (
        "policy/base.py",
        "return p.contract_saving if p.standard_contracts else 0.0",
        "return p.contract_saving",
        "test_regime_routing",
        "standard contracts",
    ),
    (
        "policy/phased.py",
        "np.minimum.at(wave, unit_of, self.wave)",
        "np.maximum.at(np.zeros_like(wave), unit_of, self.wave)",
        "test_regime_routing",
        "unit's wave",
    ),
    (
        "resources/base.py",
        '            ctx.book.count("proposals_unfunded")\n',
        "",
        "test_resource_finance",
        "unfunded counted",
    ),
    (
        "agents/government.py",
        "approved.sort(key=lambda q: -c.appraisal.success_probability(q))",
        "approved.sort(key=lambda q: c.appraisal.success_probability(q))",
        "test_resource_finance",
        "likeliest financed first",
    ),
    (
        "agents/government.py",
        "                book.reject(pilot)\n",
        "                pass\n",
        "test_resource_finance",
        "unfunded rejected",
    ),
    (
        "resources/base.py",
        "grant = self.params.grant_share * cost",
        "grant = 0.4 * cost",
        "test_resource_finance",
        "grant share",
    ),
    (
        "resources/base.py",
        "paid = grant * (1.0 - self.withheld_share)",
        "paid = grant",
        "test_resource_finance",
        "withheld share",
    ),
    (
        "resources/base.py",
        "* (1.0 - risk) * access",
        "* (1.0 - risk)",
        "test_resource_finance",
        "PPP expected return",
    ),
    (
        "resources/base.py",
        "private = self.params.ppp_share * (cost - upfront - withheld)",
        "private = self.params.ppp_share * cost",
        "test_resource_finance",
        "PPP share",
    ),
    (
        "resources/base.py",
        "str(ctx.clock.month) >= self.params.ppp_from",
        "str(ctx.clock.month) > self.params.ppp_from",
        "test_resource_finance",
        "PPP in law",
    ),
    (
        "resources/competitive_fund.py",
        "if ctx.clock.months_since_policy % self.params.fund_interval != 0:",
        "if False:",
        "test_resource_finance",
        "fund rounds",
    ),
    (
        "resources/competitive_fund.py",
        "            pilot.local_funding -= paid\n",
        "",
        "test_resource_finance",
        "performance reimbursed",
    ),
    (
        "resources/base.py",
        "size = min(1.0, local / cost)  # without a grant",
        "size = min(1.0, local / cost / 2)  # without a grant",
        "test_resource_finance",
        "sizing without grant",
    ),
    (
        "resources/base.py",
        "size = max(size, min(granted, local / own) if own > 0 else granted)",
        "size = max(size, granted)",
        "test_resource_finance",
        "sizing with grant",
    ),
    (
        "resources/base.py",
        "sizes.append(float(size) if size >= min_size and size > 0 else 0.0)",
        "sizes.append(float(size))",
        "test_resource_finance",
        "minimum size",
    ),
    (
        "resources/base.py",
        "return self.params.local_budget * fiscal",
        "return self.params.local_budget + 0 * fiscal",
        "test_resource_finance",
        "fiscal capacity",
    ),
    (
        "data/base.py",
        "shared = self.interoperability if self.connected[province] else self.params.interoperability",  # noqa: E501
        "shared = self.interoperability",
        "test_data_access",
        "connected access",
    ),
    (
        "data/base.py",
        "value += self.params.market_bonus * (1.0 - value)",
        "value += self.params.market_bonus",
        "test_data_access",
        "market bonus",
    ),
    (
        "data/national_platform.py",
        "self.connected |= draws < p.connect_rate",
        "self.connected |= draws <= p.connect_rate",
        "test_data_access",
        "connection chance",
    ),
    (
        "data/national_platform.py",
        "min(gap, p.platform_efficiency * invest * gap)",
        "min(gap, p.platform_efficiency * invest)",
        "test_data_access",
        "interoperability growth",
    ),
    (
        "data/base.py",
        "minlength=n_units) > 0",
        "minlength=n_units) > 1",
        "test_data_access",
        "merged connection",
    ),
    (
        "data/interoperable.py",
        "self.interoperability = max(self.interoperability, params.target)",
        "self.interoperability = self.interoperability",
        "test_data_access",
        "interoperable target",
    ),
    (
        "lifecycle.py",
        "harmed * p.harm_fraction * (1 - monitoring)",
        "harmed * p.harm_fraction",
        "test_pilot_lifecycle",
        "harm with monitoring",
    ),
    (
        "lifecycle.py",
        "if draws[INCIDENT] >= -math.expm1(-hazard):",
        "if draws[INCIDENT] >= -math.expm1(-2 * hazard):",
        "test_pilot_lifecycle",
        "incident chance",
    ),
    (
        "lifecycle.py",
        "severe = draws[SEVERITY] < p.halt_severity * monitoring",
        "severe = draws[SEVERITY] > p.halt_severity * monitoring",
        "test_pilot_lifecycle",
        "severe halts",
    ),
    (
        "lifecycle.py",
        "if pilot.outcome_draw < chance:",
        "if pilot.outcome_draw <= chance:",
        "test_pilot_lifecycle",
        "success chance",
    ),
    (
        "lifecycle.py",
        "    if pilot.outcome_draw < 0:\n        pilot.outcome_draw",
        "    if True:\n        pilot.outcome_draw",
        "test_pilot_lifecycle",
        "success drawn once",
    ),
    (
        "lifecycle.py",
        "pilot.scale_progress += p.scale_hazard * clarity[pilot.domain]",
        "pilot.scale_progress += p.scale_hazard",
        "test_pilot_lifecycle",
        "scaling hazard",
    ),
    (
        "lifecycle.py",
        "            continue  # it ended this month",
        "            pass  # it ended this month",
        "test_pilot_lifecycle",
        "service from next month",
    ),
    (
        "lifecycle.py",
        "pilot.scale_threshold = -math.log1p(-float(draws[SCALE]))",
        "pilot.scale_threshold = float(draws[SCALE])",
        "test_pilot_lifecycle",
        "scale threshold",
    ),
    (
        "lifecycle.py",
        "safety = 1.0 - p.clarity_safety * clarity[pilot.domain]",
        "safety = 1.0",
        "test_pilot_lifecycle",
        "clarity makes services safer",
    ),
    (
        "lifecycle.py",
        "if t + 1 >= pilot.end:",
        "if t >= pilot.end:",
        "test_pilot_lifecycle",
        "end date",
    ),
    (
        "pilot_book.py",
        "pilot.decision_month = self.t + self.review_delay",
        "pilot.decision_month = self.review_delay",
        "test_pilot_book_rules",
        "review starts now",
    ),
    (
        "pilot_book.py",
        "pilot.scope = track.scope(pilots, pilot.size) * pilot.share",
        "pilot.scope = track.scope(pilots, pilot.size)",
        "test_pilot_book_rules",
        "retrack keeps share",
    ),
    (
        "pilot_book.py",
        "pilot.end = t + pilot.duration",
        "pilot.end = pilot.duration",
        "test_pilot_book_rules",
        "end date set at start",
    ),
    (
        "pilot_book.py",
        "            pilot.coverage = 0.0\n",
        "            pass\n",
        "test_pilot_book_rules",
        "failed reaches none",
    ),
    (
        "pilot_book.py",
        "return float(stream.random(i + 1)[i])",
        "return float(stream.random(i + 1)[0])",
        "test_pilot_book_rules",
        "keyed review draws",
    ),
    ("pilot_book.py", "        pilot.bid_round += 1\n", "", "test_pilot_book_rules", "bid anew"),
    (
        "status.py",
        "    np.minimum(coverage, 1.0, out=coverage)\n",
        "",
        "test_pilot_book_rules",
        "coverage capped",
    ),
    (
        "status.py",
        "before = np.array([q.proposed < base.since for q in pilots], dtype=bool)",
        "before = np.array([q.proposed <= base.since for q in pilots], dtype=bool)",
        "test_pilot_book_rules",
        "first map's view",
    ),
]


def main() -> None:
    """Break every rule (or those named on the command line) in turn."""
    only = sys.argv[1:]
    results = []
    for file, old, new, test, what in MUTATIONS:
        if only and not any(o in what for o in only):
            continue
        path = ROOT / M / file
        text = path.read_text()
        assert text.count(old) == 1, (file, old, text.count(old))
        path.write_text(text.replace(old, new))
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-x",
                    "-p",
                    "no:cacheprovider",
                    f"{T}{test}.py",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
        finally:
            path.write_text(text)
        failed = done.returncode != 0
        lines = done.stdout.strip().splitlines()
        failures = [x[len("FAILED ") :] for x in lines if x.startswith("FAILED")]
        outcome = failures[0] if failures else lines[-1]
        results.append((what, file, failed, outcome))
        print(f"{'caught' if failed else 'MISSED'} {what:35s} {file:28s} {outcome}", flush=True)
    print(f"{sum(r[2] for r in results)}/{len(results)} caught")
    sys.exit(0 if all(r[2] for r in results) else 1)


if __name__ == "__main__":
    main()
