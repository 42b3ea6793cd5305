"""How legal clarity changes: dated acts, and rules made from pilots' evidence (an
uncertainty section)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config.meta import UNSOURCED, param


@dataclass(frozen=True)
class LegislationParams:
    """Legal clarity per domain (docs/model.md S1): the acts of a sourced table take effect
    on their dates; the evidence of successful pilots becomes rules ``lag_months`` later,
    with diminishing returns up to ``rule_ceiling``."""

    acts: str = param(
        "acts.csv",
        unit="file",
        range="text",
        role="setting",
        source=(
            "data/evidence/legal_acts.csv: every act with its date in force and source; "
            "the clarity each adds is an assumption stated per act in the table"
        ),
        doc="table of dated legal acts (in sandbox/model/legislation/, or a path); '' for none",
    )
    lag_months: int = param(
        24,
        unit="months",
        range="nonnegative",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: a decree is drafted, consulted on and signed within the Government's "
            "yearly law-making programme (Law on Promulgation of Legal Documents 2015), "
            "one to two years after the evidence asks for it; Decree 269/2025 came six years "
            "after the first provincial smart-city pilots"
        ),
        doc="months from a pilot's evidence to the rule it informs",
    )
    evidence_scale: float = param(
        10.0,
        unit="evidence",
        range="positive",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: ten sandbox graduations (evidence 1 each) in a domain take its rules "
            "from evidence to 63% of their ceiling; an ad-hoc success (0.1) is a tenth of one"
        ),
        doc="evidence in a domain that brings its rules to 1 - 1/e of rule_ceiling",
    )
    rule_ceiling: float = param(
        0.5,
        unit="clarity",
        range="unit",
        spread=UNSOURCED,
        role="uncertainty",
        source=(
            "assumption: guidance and circulars drawn from pilots settle at most half of a "
            "domain's legal risk; the rest needs a law (a dated act)"
        ),
        doc="largest clarity rules from evidence alone can give a domain",
    )
