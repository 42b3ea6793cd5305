"""The national platform connection drive is in the history as it happened (21 of 63
provinces by 2019-12, all 63 by 2020-12: data/evidence/data_platform.csv), and under
fragmented data it changes nothing else: connecting to a platform that carries
fragmented data gives no province more data access."""

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


def test_the_drive_alone_changes_no_other_outcome_under_fragmented_data() -> None:
    drive = SandboxModel(scenario(*RUN))
    with_drive = drive.run()
    none = SandboxModel(scenario(*RUN))
    none.government.connection_drive = {}
    without = none.run()
    rest = [c for c in with_drive.columns if c != "provinces_connected_platform"]
    assert with_drive[rest].equals(without[rest])
    assert not with_drive["provinces_connected_platform"].equals(
        without["provinces_connected_platform"]
    )
