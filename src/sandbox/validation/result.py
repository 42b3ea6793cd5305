"""What every check returns: its numbers, its tolerance and whether it passed."""

from __future__ import annotations

from dataclasses import dataclass, field

Number = float | int | str | bool | None


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        family: the family of checks (``bass``, ``invariants``, ``metamorphic``,
            ``targets``, ``funnel``).
        name: the check's name, unique within its family.
        claim: what must hold, in one sentence.
        value: the headline number compared with the tolerance (shown in the table).
        tolerance: the condition ``value`` must meet, as text (e.g. ``<= 0.005``).
        numbers: every number behind the verdict (sizes, means, spreads, counts).
        problems: what failed, one line each; the check passed when there is none.
    """

    family: str
    name: str
    claim: str
    value: float
    tolerance: str
    numbers: dict[str, Number] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the check passed: nothing failed."""
        return not self.problems
