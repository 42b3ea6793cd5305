"""What every check returns: its numbers, its tolerance and whether it passed."""

from __future__ import annotations

from dataclasses import dataclass, field

Number = float | int | str | bool | None

PASSED, FAILED, NOT_MODELLED = "passed", "failed", "not modelled"
# the report's sections: where a check's verdict counts
IN_SAMPLE = "in-sample"  # a figure the model was fitted to or set by hand from
OUT_OF_SAMPLE = "out of sample"  # a figure not used in the fit: validation
ORACLE = "model check"  # no data: the model against an oracle (Bass, invariants, ...)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        family: the family of checks (``bass``, ``invariants``, ``metamorphic``,
            ``targets``, ``funnel``).
        name: the check's name, unique within its family.
        claim: what must hold, in one sentence.
        value: the headline number compared with the tolerance (shown in the table; NaN
            when the figure is not modelled).
        condition: the condition ``value`` must meet, in words (e.g. ``<= 0.005``).
        numbers: every number behind the verdict (sizes, means, spreads, counts).
        problems: what failed, one line each; the check passed when there is none.
        target: the published figure ``value`` is compared with; ``None`` when the
            check has no single number to meet (an oracle curve, a paired relation).
        tolerance: the largest ``|value - target|`` that passes (for a check without a
            target, the largest ``value`` itself); ``None`` when the condition is not
            one bound (``condition`` says it in words).
        use: ``fit`` or ``hand`` (in-sample: the figure was fitted or set a parameter),
            ``check`` (out of sample), ``None`` (no published figure: an oracle).
        modelled: ``False`` for a figure today's model has no metric for (neither
            passed nor failed).
    """

    family: str
    name: str
    claim: str
    value: float
    condition: str
    numbers: dict[str, Number] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    target: float | None = None
    tolerance: float | None = None
    use: str | None = None
    modelled: bool = True

    @property
    def passed(self) -> bool | None:
        """Whether the check passed (nothing failed); ``None`` when not modelled."""
        return None if not self.modelled else not self.problems

    @property
    def status(self) -> str:
        """``passed``, ``failed`` or ``not modelled``."""
        return NOT_MODELLED if not self.modelled else PASSED if self.passed else FAILED

    @property
    def used_in_fit(self) -> bool:
        """Whether the figure was used to fit the model or set a parameter by hand."""
        return self.use in ("fit", "hand")

    @property
    def section(self) -> str:
        """In-sample, out of sample, or a model check against an oracle."""
        if self.use is None:
            return ORACLE
        return IN_SAMPLE if self.used_in_fit else OUT_OF_SAMPLE
