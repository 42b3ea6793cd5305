"""The province x domain view of pilots and services, on the current map and the first one.

``status_matrix`` turns the pilot book's open pilots and services into the flags and shares
the stages and metrics read (``SandboxModel.status``, refreshed after the pilots' stage and
at a merger). ``BaseMap`` keeps the provinces of the first map, so that the
population-weighted shares stay continuous across the 2025 merger (docs/model.md, II.x).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np

from sandbox.model.domains import N_DOMAINS
from sandbox.model.pilots import DEPLOYED, LIVE, Pilot, Status


@dataclass(frozen=True)
class StatusMatrix:
    """Province x domain view of pilots and services."""

    live: np.ndarray  # bool: a pilot approved, running or succeeded
    deployed: np.ndarray  # bool: a pilot running or succeeded
    succeeded: np.ndarray  # bool: a succeeded service
    coverage: np.ndarray  # float: share of the province the domain's services reach (union)
    scaled: np.ndarray  # float: share the domain's scaled (province-wide) services reach
    # the same three flags over the provinces of the first map (``BaseMap``): a pilot
    # proposed before the merger serves its own province, one proposed since its whole
    # unit; the population-weighted shares are counted on them
    base_live: np.ndarray
    base_deployed: np.ndarray
    base_succeeded: np.ndarray
    running: int  # pilots running (deployed, not yet succeeded)


@dataclass
class BaseMap:
    """The provinces of the first map: their people, the unit of the current map each now
    belongs to, and the month the current map took effect (``sandbox.model.merger``)."""

    population: np.ndarray
    unit: np.ndarray
    since: int = 0

    def merge(self, unit_of: np.ndarray, month: int) -> None:
        """The current map's provinces merge into units (``unit_of``) in ``month``."""
        self.unit = unit_of[self.unit]
        self.since = month


_PLACE = attrgetter("province", "domain", "technology", "origin", "proposed")


@dataclass(frozen=True)
class Places:
    """Where pilots are and what they hold, a row per pilot: the fields that stay fixed
    while a map holds (a merger moves them, ``sandbox.model.merger``), in the columns of
    one integer table (one conversion per list of pilots)."""

    table: np.ndarray  # (pilots, 5): province, domain, technology, origin, proposed

    @classmethod
    def of(cls, pilots: Sequence[Pilot]) -> Places:
        """The places of ``pilots``, in their order."""
        fields = chain.from_iterable(map(_PLACE, pilots))  # flat: no nested-list inference
        return cls(np.fromiter(fields, dtype=np.intp, count=5 * len(pilots)).reshape(-1, 5))

    @property
    def province(self) -> np.ndarray:
        return self.table[:, 0]

    @property
    def domain(self) -> np.ndarray:
        return self.table[:, 1]

    @property
    def technology(self) -> np.ndarray:
        """-1: none."""
        return self.table[:, 2]

    @property
    def origin(self) -> np.ndarray:
        """The pilot's province on the first map."""
        return self.table[:, 3]

    @property
    def proposed(self) -> np.ndarray:
        """Month index of the proposal."""
        return self.table[:, 4]

    def __len__(self) -> int:
        return len(self.table)

    def __add__(self, other: Places) -> Places:
        """The rows of ``self``, then those of ``other``."""
        return Places(np.concatenate([self.table, other.table]))


def status_matrix(
    pilots: Sequence[Pilot], n_provinces: int, base: BaseMap, places: Places | None = None
) -> StatusMatrix:
    """Province x domain view of ``pilots`` (open pilots, then services) on a map of
    ``n_provinces``, and on the first map (``base``); ``places``: theirs, when known."""
    shape = (n_provinces, N_DOMAINS)
    places = Places.of(pilots) if places is None else places
    index = (places.province, places.domain)
    status = [q.status for q in pilots]
    is_live = np.array([s in LIVE for s in status], dtype=bool)
    is_deployed = np.array([s in DEPLOYED for s in status], dtype=bool)
    is_succeeded = np.array([s is Status.SUCCEEDED for s in status], dtype=bool)
    reach = np.array([q.coverage for q in pilots], dtype=float)
    is_scaled = is_succeeded & np.array([q.scaled for q in pilots], dtype=bool)
    live = np.zeros(shape, dtype=bool)
    deployed = np.zeros(shape, dtype=bool)
    succeeded = np.zeros(shape, dtype=bool)
    missed = np.ones(shape)  # share of the province no service of the domain reaches
    missed_scaled = np.ones(shape)
    live[index[0][is_live], index[1][is_live]] = True
    deployed[index[0][is_deployed], index[1][is_deployed]] = True
    succeeded[index[0][is_succeeded], index[1][is_succeeded]] = True
    # the services of a domain reach people independently of each other: the union of
    # their reaches, 1 - prod(1 - reach), multiplied in the pilots' order as a loop would
    where = (index[0][is_deployed], index[1][is_deployed])
    np.multiply.at(missed, where, 1.0 - reach[is_deployed])
    where = (index[0][is_scaled], index[1][is_scaled])
    np.multiply.at(missed_scaled, where, 1.0 - reach[is_scaled])
    coverage = 1.0 - missed
    scaled = 1.0 - missed_scaled
    if base.since == 0:  # one map all along: the base view is the map's
        views = (live, deployed, succeeded)
    else:
        origin, before = places.origin, places.proposed < base.since
        views = tuple(
            _base_view(shape, index, origin, before, flags, base.unit)
            for flags in (is_live, is_deployed, is_succeeded)
        )
    running = int(is_deployed.sum() - is_succeeded.sum())
    return StatusMatrix(live, deployed, succeeded, coverage, scaled, *views, running=running)


def _base_view(
    shape: tuple[int, int],
    index: tuple[np.ndarray, np.ndarray],
    origin: np.ndarray,
    before: np.ndarray,
    flags: np.ndarray,
    base_unit: np.ndarray,
) -> np.ndarray:
    """Base province x domain: flagged pilots proposed since the map changed flag every
    province of their unit; those proposed before, their own (``origin``)."""
    since = flags & ~before
    unit = np.zeros(shape, dtype=bool)
    unit[index[0][since], index[1][since]] = True
    view = unit[base_unit]
    own = flags & before
    view[origin[own], index[1][own]] = True
    return view
