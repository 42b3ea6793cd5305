"""Legal clarity per class of technology and domain: dated acts, and rules made from
pilots' evidence after a lag.

Clarity is the share of the legal risk the rules remove, for established technologies
(row 0: covered by existing law) and novel ones (row 1: they need a legal corridor) of
each domain. It has two sources, which combine as independent shares,
``1 - (1 - acts) * (1 - rules)``:

* **acts** (``legislation.acts``, a sourced table, ``acts.csv`` here): each takes effect in
  its month and adds its clarity to its domains, ``acts = 1 - prod(1 - clarity)``, for
  established technologies, and for novel ones too where the table says so (``novel``);
* **rules from evidence**: a successful pilot's evidence (its track's ``evidence_value``)
  is codified ``legislation.lag_months`` later, for its domain and its technology's
  class; rules reach ``rule_ceiling * (1 - exp(-evidence / evidence_scale))``. A regime
  may codify evidence sooner (``codify``: a phase's review).

Nothing else changes clarity: there are no random laws and no scheduled gifts.

Acts may also protect citizens' personal data (the table's optional ``protection``
column): ``protection = 1 - prod(1 - protection)`` over the acts in force, the share of an
incident's loss of trust that rights, duties and remedies in law spare (the citizens'
``protection_relief`` of it, ``Citizens.expose``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.config.params.legislation import LegislationParams
from sandbox.errors import ConfigError
from sandbox.model.clock import month_index
from sandbox.model.domains import DOMAINS, N_DOMAINS

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Act:
    """One legal act: its month in force, the domains it concerns and the clarity it adds."""

    name: str
    month: str  # YYYY-MM
    domains: tuple[int, ...]
    clarity: float
    novel: bool  # whether it covers novel technologies too (a legal corridor)
    protection: float = 0.0  # how far it protects citizens' personal data, [0, 1]


def load_acts(table: str) -> tuple[Act, ...]:
    """The acts of ``table`` (a file here, or a path; ``''`` for none), by date."""
    if not table:
        return ()
    path = HERE / table if (HERE / table).is_file() else Path(table)
    if not path.is_file():
        raise ConfigError("legislation.acts", table, "a table of acts (acts.csv) or ''")
    keys = {d.key: int(d) for d in DOMAINS}
    acts = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = row["domains"].split(";")
            if names == ["all"]:
                domains = tuple(range(N_DOMAINS))
            else:
                unknown = [n for n in names if n not in keys]
                if unknown:
                    raise ConfigError(
                        "legislation.acts",
                        f"{table}: {row['act']}: {unknown[0]}",
                        "'all' or domain keys separated by ';': " + ", ".join(keys),
                    )
                domains = tuple(keys[n] for n in names)
            clarity = float(row["clarity"])
            if not 0.0 <= clarity <= 1.0:
                raise ConfigError(
                    "legislation.acts", f"{table}: {row['act']}: clarity {clarity}", "in [0, 1]"
                )
            month = str(pd.Period(row["in_force"], "M"))
            novel = row["novel"].strip().lower()
            if novel not in ("yes", "no"):
                raise ConfigError(
                    "legislation.acts", f"{table}: {row['act']}: novel {novel!r}", "yes or no"
                )
            protection = float(row.get("protection") or 0.0)
            if not 0.0 <= protection <= 1.0:
                raise ConfigError(
                    "legislation.acts",
                    f"{table}: {row['act']}: protection {protection}",
                    "in [0, 1] (or empty: 0)",
                )
            acts.append(Act(row["act"], month, domains, clarity, novel == "yes", protection))
    return tuple(sorted(acts, key=lambda a: a.month))


class Legislation:
    """Legal clarity per domain (module docstring).

    Args:
        params: the ``legislation`` section.
        start: the first simulated month (acts in force before it apply from month 0).
    """

    def __init__(self, params: LegislationParams, start: str) -> None:
        self.params = params
        # each act with the index of its month (acts older than the start: month 0)
        self.schedule = [(max(0, month_index(start, a.month)), a) for a in load_acts(params.acts)]
        shape = (2, N_DOMAINS)  # established, novel x domain
        self.acts = np.zeros(shape)  # clarity from acts in force
        self.evidence = np.zeros(shape)  # evidence codified into rules
        self.pending: dict[int, np.ndarray] = {}  # month index -> evidence due then
        self.clarity = np.zeros(shape)
        self.protection = 0.0  # personal-data protection in force, [0, 1]

    def step(self, t: int) -> None:
        """Month ``t``: the acts in force from it, and the evidence due, take effect."""
        while self.schedule and self.schedule[0][0] <= t:
            _, act = self.schedule.pop(0)
            self.enact(act.domains, act.clarity, act.novel)
            self.protection = 1.0 - (1.0 - self.protection) * (1.0 - act.protection)
        # evidence due by now (with no lag, evidence made after last month's step)
        for month in sorted(m for m in self.pending if m <= t):
            self.evidence += self.pending.pop(month)
        self._update()

    def enact(self, domains: tuple[int, ...], clarity: float, novel: bool = False) -> None:
        """An act adds ``clarity`` to ``domains`` (independent shares of risk removed), for
        established technologies and, when ``novel``, for novel ones too."""
        rows = [0, 1] if novel else [0]
        index = np.ix_(rows, list(domains))
        self.acts[index] = 1.0 - (1.0 - self.acts[index]) * (1.0 - clarity)
        self._update()

    def add_evidence(self, novel: bool, domain: int, value: float, t: int) -> None:
        """A pilot's evidence, made in month ``t``, becomes rules ``lag_months`` later (at
        the first month's step from then: with no lag, the next month's)."""
        due = self.pending.setdefault(t + self.params.lag_months, np.zeros((2, N_DOMAINS)))
        due[int(novel), domain] += value

    def codify(self) -> None:
        """Every piece of evidence still waiting becomes rules now (a regime's review)."""
        for due in self.pending.values():
            self.evidence += due
        self.pending.clear()
        self._update()

    def _update(self) -> None:
        p = self.params
        rules = [-p.rule_ceiling * math.expm1(-e / p.evidence_scale) for e in self.evidence.flat]
        self.clarity[:] = 1.0 - (1.0 - self.acts) * (1.0 - np.reshape(rules, self.acts.shape))


__all__ = ["Act", "Legislation", "load_acts"]
