"""Every model parameter, declared once: type, default, unit, range, role, source, meaning.

These dataclasses are the typed schema of the Hydra configuration (registered in
``sandbox.config.schema``) and the frozen parameter objects the model receives. Defaults describe
the historical period in Vietnam (Jan 2019 - Dec 2024): no legal corridor, budget-led,
fragmented data.

Each field is declared with ``sandbox.config.meta.param``; range checks
(``sandbox.config.validate``), the parameter reference ``docs/parameters.md``
(``python -m sandbox.config.params_doc``) and the families of result columns derive from
that metadata. Parameters fall in families that stay apart in result tables, by section:

* levers (what policy chooses): ``policy``, ``resources``, ``data``;
* uncertainties (what the world does): ``citizens``, ``authorities``, ``firms``,
  ``domains``, ``pilots``, ``technologies``, ``legislation``, ``infrastructure``;
* settings (how a run is made and observed): the rest. A leaf of a lever or uncertainty
  section may be a setting too (``citizens.n``: resolution, not the world).
"""

# ruff: noqa: RUF009  (param() returns a dataclasses.field, which ruff cannot tell)
from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import param
from sandbox.config.params.adaptive import AdaptiveParams
from sandbox.config.params.authorities import AuthorityParams
from sandbox.config.params.calibration import CalibrationParams, UncertaintyParams
from sandbox.config.params.citizens import CitizenParams
from sandbox.config.params.data import DataParams
from sandbox.config.params.design import DesignParams
from sandbox.config.params.domains import DomainParams, DomainsParams
from sandbox.config.params.firms import FirmKindParams, FirmParams
from sandbox.config.params.history import HistoryParams
from sandbox.config.params.infrastructure import InfrastructureParams
from sandbox.config.params.legislation import LegislationParams
from sandbox.config.params.pilots import PilotParams
from sandbox.config.params.policy import (
    ExperimentalParams,
    PhasingParams,
    PolicyParams,
    SandboxParams,
    TrackParams,
)
from sandbox.config.params.resources import ResourceParams
from sandbox.config.params.run import HorizonParams, OutputParams, RegionParams, ValidationParams
from sandbox.config.params.technologies import TechnologyParams

__all__ = [
    "AdaptiveParams",
    "AuthorityParams",
    "CalibrationParams",
    "CitizenParams",
    "DataParams",
    "DesignParams",
    "DomainParams",
    "DomainsParams",
    "ExperimentalParams",
    "FirmKindParams",
    "FirmParams",
    "HistoryParams",
    "HorizonParams",
    "InfrastructureParams",
    "LegislationParams",
    "OutputParams",
    "Params",
    "PhasingParams",
    "PilotParams",
    "PolicyParams",
    "RegionParams",
    "ResourceParams",
    "SandboxParams",
    "TechnologyParams",
    "TrackParams",
    "UncertaintyParams",
    "ValidationParams",
]


@dataclass(frozen=True)
class Params:
    """A whole scenario: everything a run depends on."""

    seed: int = param(
        20190101,
        unit="–",
        range="seed",
        role="setting",
        source="decision: any fixed root seed (an experiment's base seed)",
        doc="root seed; every random stream derives from (seed, replicate, stream name)",
    )
    replicate: int = param(
        0,
        unit="–",
        range="seed",
        role="setting",
        source="decision: the first replicate",
        doc="replicate index of an experiment (a sweep dimension)",
    )
    horizon: HorizonParams = param(factory=HorizonParams, role="setting", doc="calendar")
    region: RegionParams = param(factory=RegionParams, role="setting", doc="province table")
    citizens: CitizenParams = param(factory=CitizenParams, role="uncertainty", doc="citizens")
    authorities: AuthorityParams = param(
        factory=AuthorityParams, role="uncertainty", doc="local authorities"
    )
    firms: FirmParams = param(factory=FirmParams, role="uncertainty", doc="firms")
    domains: DomainsParams = param(factory=DomainsParams, role="uncertainty", doc="domains")
    pilots: PilotParams = param(factory=PilotParams, role="uncertainty", doc="pilots")
    technologies: TechnologyParams = param(
        factory=TechnologyParams, role="uncertainty", doc="technologies and their arrival"
    )
    legislation: LegislationParams = param(
        factory=LegislationParams, role="uncertainty", doc="legal acts and rule making"
    )
    infrastructure: InfrastructureParams = param(
        factory=InfrastructureParams,
        role="uncertainty",
        doc="national databases and the cost of building interoperability",
    )
    policy: PolicyParams = param(factory=PolicyParams, role="lever", doc="regulation")
    resources: ResourceParams = param(factory=ResourceParams, role="lever", doc="resources")
    data: DataParams = param(factory=DataParams, role="lever", doc="data")
    validation: ValidationParams = param(
        factory=ValidationParams, role="setting", doc="validation scenarios"
    )
    output: OutputParams = param(factory=OutputParams, role="setting", doc="output")
    history: HistoryParams = param(
        factory=HistoryParams, role="setting", doc="the mechanisms before policy.start"
    )
    uncertainty: UncertaintyParams = param(
        factory=UncertaintyParams, role="setting", doc="point or posterior parameter values"
    )
    calibration: CalibrationParams = param(
        factory=CalibrationParams, role="setting", doc="fitting the history (pyabc)"
    )
    design: DesignParams = param(
        factory=DesignParams, role="setting", doc="sampled designs of the uncertainties"
    )
    adaptive: AdaptiveParams = param(
        factory=AdaptiveParams,
        role="setting",
        doc="replicates added until the comparison's CIs are narrow enough",
    )
