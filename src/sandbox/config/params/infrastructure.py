"""The data infrastructure: what the national databases brought and what building
interoperability costs and takes (an uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import UNSOURCED, param


@dataclass(frozen=True)
class InfrastructureParams:
    """National data infrastructure (docs/model.md S5): the six national databases of the
    history, and the cost and time of the interoperable regime's build."""

    build_months: int = param(
        36,
        unit="months",
        range="count",
        spread=(24, 60),
        role="uncertainty",
        source=(
            "range 24 to 60 months: the upgrade of the national data-sharing platform to connect "
            "national databases and systems ran about three years, 2021 to the end of 2023 "
            "(data/evidence/data_platform.csv, ndxp_project_target); a full interoperability "
            "programme is of that scale"
        ),
        doc="months the interoperable data regime takes to raise interoperability to data.target",
        limit=(600, "months of a build programme"),
    )
    build_cost: float = param(
        2000.0,
        unit="billion VND",
        range="nonnegative",
        spread=(500.0, 5000.0),
        role="uncertainty",
        source=(
            "assumption: no cost of a national interoperability programme was found "
            "(data/evidence/data_platform.csv, connection_cost); the national camera-data "
            "scheme cost 2,150 billion VND over 2021-2025 (data/evidence/technologies.csv), a "
            "national system of the same scale; range 500 to 5,000 billion VND"
        ),
        doc="central cost of an interoperable regime's build, spent evenly over build_months",
    )
    databases_interoperability: float = param(
        0.17,
        unit="index",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "the provinces' share of administrative dossiers handled fully online, 16.94% in "
            "October 2025 (MIC; data/evidence/data_platform.csv, data_sharing_reuse), a proxy of "
            "how far national data are reused in provincial services once the six national "
            "databases were connected (December 2022)"
        ),
        doc=(
            "interoperability once the six national databases are connected "
            "(src/sandbox/model/data/databases.csv)"
        ),
    )
    database_cost: float = param(
        300.0,
        unit="billion VND",
        range="nonnegative",
        spread=(100.0, 1000.0),
        role="uncertainty",
        source=(
            "assumption: no cost was found (data/evidence/data_platform.csv, connection_cost); "
            "the national population database was called the largest IT project Vietnam had "
            "built; range 100 to 1,000 billion VND a database"
        ),
        doc="central cost of connecting one national database to the data-sharing platform",
    )
