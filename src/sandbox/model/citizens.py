"""The citizen population: NumPy columns, one row per citizen, no Python object per citizen.

Adoption rule (docs/model.md). Citizen ``i`` in province ``k`` adopts with
hazard ``h_i(t) = (p + q F_k(t)) / 12 * c_k(t) * m_i`` per month, where ``F_k`` is the
adopted share of the province, ``c_k`` the coverage of its services and
``m_i = literacy_i * trust_i`` the citizen's own multiplier (``p``, ``q`` are per year).

Exact threshold form. Each citizen draws once ``E_i ~ Exp(1)`` and adopts when its
cumulative hazard ``m_i * L_k(t)`` reaches ``E_i``, where ``L_k(t) = int (p + q F_k) c_k / 12``
is the province's cumulative hazard. This is equal in distribution to drawing a Bernoulli
each month with probability ``1 - exp(-h_i)``, costs no draw per citizen per month and gives
perfect common random numbers. With ``tau_i = E_i / m_i``, citizen ``i`` has adopted iff
``tau_i <= L_k(t)``.

Layout. Citizens are stored in *segments* (province x urban/rural), each sorted by
``tau``. One float64 ``key = segment + tau / (1 + tau)`` is strictly increasing over the
whole array, so a single ``np.searchsorted`` counts the adopters of every segment at once:
the monthly update costs ``O(segments * log n)``, not ``O(n)``.

Within a month, ``L_k`` is integrated with Heun's method on ``substeps`` sub-steps, using
the exact adopted share ``F_k(L_k)`` at each stage (a predictor-corrector on the cumulative
hazard), so fast diffusion is not biased by a month-long explicit step.

Incidents expose a random share of a province: exposed non-adopters lose a share of their
trust (their remaining threshold is stretched exactly as the lower hazard implies, and their
segment tail re-sorted), exposed adopters abandon with a probability and stay abandoned.

Merged provinces (``merge``). When provinces merge into a unit, their segments stay where
they are and become the unit's: from then on every segment of the unit advances with the
unit's cumulative hazard ``L_u``, and segment ``s`` (of old province ``k``) keeps the
offset ``L_k - L_u`` it had at the merger, so each citizen keeps exactly the remaining
hazard it had (``tau - L_k``) and nobody's adoption changes at the merger. No citizen is
moved or copied.
"""

from __future__ import annotations

import numpy as np

from sandbox.config.params import CitizenParams
from sandbox.model.regions import Region

URBAN, RURAL = 0, 1
TAU_MAX = 1e12  # a citizen with zero literacy or trust never adopts


def _key(segment: np.ndarray | int, tau: np.ndarray | float) -> np.ndarray:
    tau = np.minimum(tau, TAU_MAX)
    return segment + tau / (1.0 + tau)


def _tau(segment: np.ndarray | int, key: np.ndarray) -> np.ndarray:
    u = key - segment
    return u / (1.0 - u)


CHUNK = 1 << 20  # uniforms drawn at once when exposing a segment (bounds memory)


def _uniform_below(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """``rng.random(n) < share``, drawn in chunks: the same values, less memory."""
    hit = np.empty(n, dtype=bool)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        hit[start:stop] = rng.random(stop - start) < share
    return hit


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (largest remainder).

    Every positive weight gets at least one unit when ``total`` allows.
    """
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    counts[(counts == 0) & (weights > 0)] = 1
    short = total - counts.sum()
    if short > 0:
        counts[np.argsort(counts - share, kind="stable")[:short]] += 1
    while short < 0:  # lifting small provinces to one citizen overshot: take back
        excess = np.where(counts > 1, counts - share, -np.inf)
        counts[int(np.argmax(excess))] -= 1
        short += 1
    return counts


class Citizens:
    """Vectorised citizens of all provinces.

    Args:
        params: the ``citizens`` section of the configuration.
        region: the province table.
        rng: the ``citizens`` stream; used only here, at construction.
    """

    def __init__(self, params: CitizenParams, region: Region, rng: np.random.Generator) -> None:
        self.params = params
        n_prov = region.n
        per_province = allocate(params.n, region.population)
        urban = np.minimum(
            np.rint(per_province * region.urban_share).astype(np.int64), per_province
        )
        seg_size = np.column_stack([urban, per_province - urban]).ravel()
        self.n_segments = 2 * n_prov
        self.seg_province = np.repeat(np.arange(n_prov), 2)  # the unit a segment belongs to
        self.seg_offset = np.zeros(self.n_segments)  # its hazard minus its unit's (merger)
        self.seg_urban = np.tile([True, False], n_prov)
        self.seg_start = np.concatenate([[0], np.cumsum(seg_size)])
        self.n = int(self.seg_start[-1])
        self.province_n = per_province
        weight = region.population / per_province  # people per simulated citizen
        self.seg_weight = weight[self.seg_province]
        self.population = region.population.sum()

        self.key = np.empty(self.n)
        # literacy x trust: the only attribute the hazard uses after the draw (age,
        # literacy and trust themselves are drawn, combined and not kept)
        self.multiplier = np.empty(self.n, dtype=np.float32)
        self.abandoned = np.zeros(self.n, dtype=bool)
        for s in range(self.n_segments):
            self._draw_segment(s, rng)
        self.lam = np.zeros(n_prov)  # cumulative hazard L_k
        self.seg_abandoned = np.zeros(self.n_segments, dtype=np.int64)

    def _draw_segment(self, s: int, rng: np.random.Generator) -> None:
        p = self.params
        lo, hi = self.seg_start[s], self.seg_start[s + 1]
        size = hi - lo
        age = rng.choice(len(p.age_shares), size=size, p=np.asarray(p.age_shares)).astype(np.int8)
        if p.homogeneous:
            literacy = np.ones(size)
            trust = np.ones(size)
        else:
            base = p.literacy_urban if self.seg_urban[s] else p.literacy_rural
            mean = np.clip(base * np.asarray(p.age_literacy)[age], 0.01, 0.99)
            conc = p.literacy_concentration
            literacy = rng.beta(mean * conc, (1 - mean) * conc)
            conc = p.trust_concentration
            trust = rng.beta(p.trust_mean * conc, (1 - p.trust_mean) * conc, size=size)
        multiplier = literacy * trust
        with np.errstate(divide="ignore"):
            tau = rng.standard_exponential(size) / multiplier
        order = np.argsort(tau, kind="stable")
        self.key[lo:hi] = _key(s, tau[order])
        self.multiplier[lo:hi] = multiplier[order]

    # ----------------------------------------------------------------- counting
    def _seg_lam(self, lam: np.ndarray) -> np.ndarray:
        """Each segment's cumulative hazard given its unit's ``lam``."""
        return np.maximum(lam[self.seg_province] + self.seg_offset, 0.0)

    def _seg_crossed(self, lam: np.ndarray) -> np.ndarray:
        """Citizens per segment whose threshold is at most the segment's cumulative hazard."""
        segments = np.arange(self.n_segments)
        pos = np.searchsorted(self.key, _key(segments, self._seg_lam(lam)), side="right")
        return pos - self.seg_start[:-1]

    def seg_adopters(self) -> np.ndarray:
        """Current (non-abandoned) adopters per segment."""
        return self._seg_crossed(self.lam) - self.seg_abandoned

    def _share(self, lam: np.ndarray) -> np.ndarray:
        active = self._seg_crossed(lam) - self.seg_abandoned
        return np.bincount(self.seg_province, active, minlength=len(lam)) / self.province_n

    def province_share(self) -> np.ndarray:
        """Adopted share of each province's citizens."""
        return self._share(self.lam)

    # ------------------------------------------------------------------- update
    def step(self, coverage: np.ndarray) -> None:
        """Advance one month given each province's service coverage in [0, 1]."""
        p = self.params
        h = 1.0 / p.substeps
        scale = coverage / 12.0
        lam = self.lam
        for _ in range(p.substeps):
            r1 = (p.p_innovation + p.q_imitation * self._share(lam)) * scale
            r2 = (p.p_innovation + p.q_imitation * self._share(lam + h * r1)) * scale
            lam = lam + 0.5 * h * (r1 + r2)
        self.lam = lam

    def merge(self, unit_of: np.ndarray, n_units: int) -> None:
        """Provinces merge into units: province ``k`` becomes unit ``unit_of[k]``.

        A unit's cumulative hazard starts at the largest of its provinces'; each segment
        keeps its own through an offset (module docstring).
        """
        lam = np.full(n_units, -np.inf)
        np.maximum.at(lam, unit_of, self.lam)
        seg_lam = self._seg_lam(self.lam)
        self.seg_province = unit_of[self.seg_province]
        self.lam = lam
        self.seg_offset = seg_lam - lam[self.seg_province]
        self.province_n = np.bincount(unit_of, self.province_n, minlength=n_units).astype(np.int64)

    def expose(self, province: int, share: float, rng: np.random.Generator) -> float:
        """An incident reaches a random ``share`` of a province's citizens.

        Exposed non-adopters lose ``trust_drop`` of their trust; exposed adopters abandon
        with probability ``abandon_prob``.

        Returns:
            The number of people the exposed current adopters stand for.
        """
        p = self.params
        keep = 1.0 - p.trust_drop
        crossed = self._seg_crossed(self.lam)
        seg_lam = self._seg_lam(self.lam)
        exposed_people = 0.0
        for s in np.flatnonzero(self.seg_province == province):
            lo, hi = self.seg_start[s], self.seg_start[s + 1]
            mid = lo + crossed[s]
            hit = _uniform_below(rng, hi - lo, share)
            head = np.flatnonzero(hit[: mid - lo] & ~self.abandoned[lo:mid]) + lo
            exposed_people += len(head) * self.seg_weight[s]
            quit_ = head[rng.random(len(head)) < p.abandon_prob]
            self.abandoned[quit_] = True
            self.seg_abandoned[s] += len(quit_)
            tail = np.flatnonzero(hit[mid - lo :]) + mid
            if len(tail) == 0 or p.trust_drop == 0:
                continue
            lam = seg_lam[s]
            tau = _tau(s, self.key[tail])
            stretched = lam + (tau - lam) / keep if keep > 0 else np.full(len(tail), TAU_MAX)
            self.key[tail] = _key(s, stretched)
            self.multiplier[tail] *= np.float32(keep)
            order = np.argsort(self.key[mid:hi], kind="stable") + mid
            for column in (self.key, self.multiplier):
                column[mid:hi] = column[order]
        return exposed_people
