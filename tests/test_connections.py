"""The national platform connection drive is in the history as it happened (21 of 63
provinces by 2019-12, all 63 by 2020-12: data/evidence/data_platform.csv). Connecting
to a platform that carries no national data gives no province more data access; the
national databases connected through it (2021-02 to 2022-12) reach the connected ones."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import scenario
from sandbox.model.model import SandboxModel

EVIDENCE = Path(__file__).resolve().parents[1] / "data" / "evidence" / "data_platform.csv"
RUN = ("citizens.n=2000", "horizon.end=2021-06")


def _published() -> dict[str, int]:
    with EVIDENCE.open(newline="", encoding="utf-8") as f:
        return {
            r["date"]: int(r["value"]) for r in csv.DictReader(f) if r["metric"] == "lgsp_provinces"
        }


def test_provinces_connect_when_the_sources_say() -> None:
    frame = SandboxModel(scenario(*RUN)).run().set_index("month")
    connected = frame["provinces_connected_platform"]
    for month, count in _published().items():
        assert connected[month] == count, month
    assert connected["2019-11"] == 0


def test_the_drive_alone_changes_no_other_outcome_while_the_data_stay_fragmented() -> None:
    """With no national database built (``infrastructure.databases_interoperability`` at the
    starting level) connecting opens a province to nothing more."""
    flat = (*RUN, "infrastructure.databases_interoperability=0.1")
    drive = SandboxModel(scenario(*flat))
    with_drive = drive.run()
    none = SandboxModel(scenario(*flat))
    none.government.connection_drive = {}
    without = none.run()
    rest = [c for c in with_drive.columns if c != "provinces_connected_platform"]
    assert with_drive[rest].equals(without[rest])
    assert not with_drive["provinces_connected_platform"].equals(
        without["provinces_connected_platform"]
    )


def test_the_national_databases_reach_only_connected_provinces() -> None:
    """Once a national database is connected (2021-02), a connected province's data access
    rises and an unconnected one's does not: without the drive nobody gains."""
    months = ("citizens.n=2000", "horizon.end=2021-03")
    drive = SandboxModel(scenario(*months))
    drive.run()
    none = SandboxModel(scenario(*months))
    none.government.connection_drive = {}
    none.run()
    assert drive.context.data_regime.interoperability > 0.1  # the first database
    access = [
        [m.context.appraisal.province_access(k) for k in range(m.region.n)] for m in (drive, none)
    ]
    readiness = [a.data_readiness for a in none.context.authorities]
    base = none.params.data.interoperability
    assert access[1] == [r + base * (1 - r) for r in readiness]
    assert all(a > b for a, b in zip(access[0], access[1], strict=True))
