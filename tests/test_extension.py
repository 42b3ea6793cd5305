"""A new regime is one class file plus one YAML: added here from the test folder."""

from __future__ import annotations

from pathlib import Path

from conftest import scenario
from sandbox.model.model import SandboxModel
from sandbox.model.pilots import Status
from sandbox.model.policy import REGIMES

EXTENSION = Path(__file__).parent / "extension"
CONCLUDED = (Status.SUCCEEDED, Status.FAILED)


def test_a_regime_from_outside_the_package_runs_with_its_own_tracks() -> None:
    import extension.city_rules  # noqa: F401  (defining the class registers it)

    assert "city_rules" in REGIMES
    params = scenario(
        f"hydra.searchpath=[file://{EXTENSION / 'configs'}]",
        "policy=city_rules",
        "policy.start=2019-01",
        "region=vietnam_63",
        "citizens.n=2000",
        "horizon.end=2024-12",
    )
    assert params.policy.name == "city_rules"
    model = SandboxModel(params)
    model.run()
    pilots = [q for a in model.authority_list for q in a.pilots]
    cities = {a.province for a in model.authority_list if a.centrally_run}
    assert cities and pilots
    # a city proposes on the regime's track or ad hoc, whichever it values more
    # (LocalAuthority.propose); every other province has only the ad-hoc route
    for pilot in pilots:
        allowed = {"local_rule", "adhoc"} if pilot.province in cities else {"adhoc"}
        assert pilot.track.key in allowed, (pilot.province, pilot.track.key)
    local = [q for q in pilots if q.track.key == "local_rule"]
    assert len(local) > len([q for q in pilots if q.province in cities]) / 2
    # the local-rule track's exit applies: with no alignment every city pilot that reached
    # its end date was reworked once (rework_months later) before its outcome
    ended = [q for q in local if q.status in CONCLUDED]
    assert ended and all(q.extensions == 1 for q in ended)
    rework = params.policy.experimental.rework_months
    assert all(q.end - q.start == q.duration + rework for q in ended)
