"""The citizen population: NumPy columns, one row per citizen, no Python object per citizen.

Adoption rule (docs/model.md). Citizen ``i`` in province ``k`` adopts with
hazard ``h_i(t) = (p + q F_k(t)) / 12 * c_k(t) * m_i`` per month, where ``F_k`` is the
adopted share of the province, ``c_k`` the coverage of its services summed over domains
(each service a channel of its own; the first one adopted counts) and
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
Personal-data protection in law spares a share of both (``expose``).

Merged provinces (``merge``). When provinces merge into a unit, their segments stay where
they are and become the unit's: from then on every segment of the unit advances with the
unit's cumulative hazard ``L_u``, and segment ``s`` (of old province ``k``) keeps the
offset ``L_k - L_u`` it had at the merger, so each citizen keeps exactly the remaining
hazard it had (``tau - L_k``) and nobody's adoption changes at the merger. No citizen is
moved or copied.

Speed (the one-to-one run, 10^8 citizens). Every column comes out bit for bit as a plain
``np.argsort(kind="stable")`` of each segment and of each re-sorted tail would make it,
from the same draws in the same order; only the way there is faster. A segment is sorted
by sorting integer keys (``sandbox.model.sorting``: the stable order, several times
faster than an argsort), and, from ``PIPELINE_MIN`` citizens, on a second thread while the
next segment is drawn (the draws stay on one thread: the stream's order does not change). An
incident's tail is re-sorted by merging two runs, the untouched and the stretched keys,
with ties put back in tail order.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from sandbox.config.params import CitizenParams
from sandbox.model.sorting import stable_order
from sandbox.regions import Region

URBAN, RURAL = 0, 1
TAU_MAX = 1e12  # a citizen with zero literacy or trust never adopts
# a Beta mean must lie strictly inside (0, 1): a numerical guard, not a parameter (an age
# group's literacy multiplier may push the mean past 1)
BETA_MEAN = (0.01, 0.99)


def _key(segment: np.ndarray | int, tau: np.ndarray | float) -> np.ndarray:
    tau = np.minimum(tau, TAU_MAX)
    return segment + tau / (1.0 + tau)


def _tau(segment: np.ndarray | int, key: np.ndarray) -> np.ndarray:
    u = key - segment
    return u / (1.0 - u)


CHUNK = 1 << 16  # elements handled at once by chunked loops (their scratch stays in cache)
PIPELINE_MIN = 1 << 22  # from this many citizens, segments are sorted on a second thread


def _uniform_below(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """``rng.random(n) < share``, drawn in chunks: the same values, less memory."""
    hit = np.empty(n, dtype=bool)
    uniform = np.empty(min(n, CHUNK))
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        draws = uniform[: stop - start]
        rng.random(out=draws)
        np.less(draws, share, out=hit[start:stop])
    return hit


def _sort_into(values: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` (``sandbox.model.sorting``); ``values`` in
    that order written to ``out``."""
    order = stable_order(values)
    np.take(values, order, out=out, mode="clip")  # indices are valid: "clip" is unbuffered
    return order


def _merge_order(
    key: np.ndarray, exposed: np.ndarray, rest: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The order ``np.argsort(tail, kind="stable")`` would give, and the sorted keys.

    ``key`` holds the tail's keys regrouped: first those at positions ``rest`` of the tail,
    then those at positions ``exposed`` (each in tail order). Each group is (nearly)
    sorted, so the stable sort (timsort) merges two runs instead of sorting the interleaved
    tail. It orders ties by position in ``key``; the stable sort of the tail orders them by
    position in the tail, so ties (rare) are reordered (their keys being equal, the sorted
    keys stay as they are). The order is in positions of ``key``; None when there is a NaN
    key (the caller then sorts the tail itself).
    """
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    if ranked.size and np.isnan(ranked[-1]):
        return None
    tied = np.flatnonzero(ranked[1:] == ranked[:-1])
    if len(tied):
        members = np.union1d(tied, tied + 1)  # positions in ranked order, each tie group whole
        regrouped = order[members]
        place = np.concatenate([rest, exposed])[regrouped]  # position in the tail
        order[members] = regrouped[np.lexsort((place, ranked[members]))]
    return order, ranked


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
        self.seg_area = np.arange(self.n_segments) % 2  # URBAN or RURAL
        # the people the urban and the rural segments stand for
        self.area_population = np.bincount(self.seg_area, self.seg_weight * np.diff(self.seg_start))

        self.key = np.empty(self.n)
        # literacy x trust: the only attribute the hazard uses after the draw (age,
        # literacy and trust themselves are drawn, combined and not kept)
        self.multiplier = np.empty(self.n, dtype=np.float32)
        self.abandoned = np.zeros(self.n, dtype=bool)
        # Generator.choice's checks of the age shares (with size 0 it draws nothing)
        rng.choice(len(params.age_shares), size=0, p=np.asarray(params.age_shares, dtype=float))
        if self.n < PIPELINE_MIN:
            for s in range(self.n_segments):
                self._place_segment(s, *self._draw_segment(s, rng))
        else:
            # the draws (one stream, in order) on this thread; sorting a segment and
            # writing its columns on another, while the next segment is drawn
            with ThreadPoolExecutor(max_workers=1) as sorter:
                placed = None
                for s in range(self.n_segments):
                    drawn = self._draw_segment(s, rng)
                    if placed is not None:
                        placed.result()
                    placed = sorter.submit(self._place_segment, s, *drawn)
                    del drawn
                placed.result()
        self.lam = np.zeros(n_prov)  # cumulative hazard L_k
        self.seg_abandoned = np.zeros(self.n_segments, dtype=np.int64)

    def _draw_segment(self, s: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Segment ``s``'s draws, in citizen order: multiplier (float32) and threshold ``tau``."""
        p = self.params
        size = self.seg_start[s + 1] - self.seg_start[s]
        # age ~ rng.choice(groups, size, p=shares), drawn as Generator.choice draws it (one
        # uniform each, the group where it falls in the cumulative shares) without its
        # int64 array (the shares were checked in __init__)
        shares = np.asarray(p.age_shares, dtype=float)
        cdf = shares.cumsum()
        cdf /= cdf[-1]
        uniform = rng.random(size)
        age = np.zeros(size, dtype=np.int8)
        for bound in cdf:  # == cdf.searchsorted(uniform, side="right")
            age += uniform >= bound
        del uniform
        if p.homogeneous:
            multiplier = np.ones(size)
        else:
            # the Beta parameters per age group, looked up (the same values as computed
            # per citizen: the operations are elementwise)
            base = p.literacy_urban if self.seg_urban[s] else p.literacy_rural
            mean = np.clip(base * np.asarray(p.age_literacy), *BETA_MEAN)
            conc = p.literacy_concentration
            group = age.astype(np.intp)  # an index array NumPy gathers with directly
            multiplier = rng.beta((mean * conc)[group], ((1 - mean) * conc)[group])  # literacy
            del group
            conc = p.trust_concentration
            multiplier *= rng.beta(p.trust_mean * conc, (1 - p.trust_mean) * conc, size=size)
        del age
        tau = rng.standard_exponential(size)
        with np.errstate(divide="ignore"):
            np.divide(tau, multiplier, out=tau)
        return multiplier.astype(np.float32), tau  # the column is float32

    def _place_segment(self, s: int, multiplier: np.ndarray, tau: np.ndarray) -> None:
        """Segment ``s``'s columns: citizens sorted by ``tau`` (stably), keys from it."""
        lo, hi = self.seg_start[s], self.seg_start[s + 1]
        key = self.key[lo:hi]
        order = _sort_into(tau, key)  # key holds the sorted tau for now
        np.take(multiplier, order, out=self.multiplier[lo:hi], mode="clip")
        del order
        # key = _key(s, tau), in place and in chunks (the same operations)
        scratch = np.empty(min(len(key), CHUNK))
        for start in range(0, len(key), CHUNK):
            part = key[start : start + CHUNK]
            one_plus = scratch[: len(part)]
            np.minimum(part, TAU_MAX, out=part)
            np.add(part, 1.0, out=one_plus)
            part /= one_plus
            part += s

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
    def step(self, reach: np.ndarray) -> None:
        """Advance one month given each province's coverage summed over domains (0 to 6)."""
        p = self.params
        h = 1.0 / p.substeps
        scale = reach / 12.0
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

    def expose(
        self, province: int, share: float, rng: np.random.Generator, protection: float = 0.0
    ) -> float:
        """An incident reaches a random ``share`` of a province's citizens.

        Exposed non-adopters lose ``trust_drop`` of their trust; exposed adopters abandon
        with probability ``abandon_prob``; the personal-data ``protection`` in law spares
        ``protection_relief`` x ``protection`` of both.

        Returns:
            The number of people the exposed current adopters stand for.
        """
        p = self.params
        spared = 1.0 - p.protection_relief * protection
        keep = 1.0 - p.trust_drop * spared
        abandon = p.abandon_prob * spared
        crossed = self._seg_crossed(self.lam)
        seg_lam = self._seg_lam(self.lam)
        exposed_people = 0.0
        for s in np.flatnonzero(self.seg_province == province):
            lo, hi = self.seg_start[s], self.seg_start[s + 1]
            mid = lo + crossed[s]
            hit = _uniform_below(rng, hi - lo, share)
            head = np.flatnonzero(np.greater(hit[: mid - lo], self.abandoned[lo:mid])) + lo
            exposed_people += len(head) * self.seg_weight[s]
            quit_ = head[rng.random(len(head)) < abandon]
            self.abandoned[quit_] = True
            self.seg_abandoned[s] += len(quit_)
            hit = hit[mid - lo :]
            if keep == 1.0 or not hit.any():
                continue
            self._stretch_tail(s, mid, hi, hit, seg_lam[s], keep)
        return exposed_people

    def _stretch_tail(
        self, s: int, mid: int, hi: int, hit: np.ndarray, lam: float, keep: float
    ) -> None:
        """Exposed non-adopters of segment ``s`` (``hit`` over ``mid:hi``) lose trust.

        Their remaining threshold stretches by ``1 / keep``; the tail is then re-sorted as
        ``np.argsort(key[mid:hi], kind="stable")`` would, by merging the stretched and the
        untouched keys (``_merge_order``). Positions are taken with index arrays, not
        boolean masks: on a random mask these are several times faster.
        """
        key, multiplier = self.key[mid:hi], self.multiplier[mid:hi]
        exposed = np.flatnonzero(hit)
        rest = np.flatnonzero(~hit)
        # _key(s, lam + (_tau(s, key) - lam) / keep) of the exposed, operation by operation
        # in place (the same floating-point operations, fewer temporaries)
        exposed_key = key[exposed]
        scratch = np.empty_like(exposed_key)
        if keep > 0:
            exposed_key -= s
            np.subtract(1.0, exposed_key, out=scratch)
            exposed_key /= scratch
            exposed_key -= lam
            exposed_key /= keep
            exposed_key += lam
        else:
            exposed_key.fill(TAU_MAX)
        np.minimum(exposed_key, TAU_MAX, out=exposed_key)
        np.add(exposed_key, 1.0, out=scratch)
        exposed_key /= scratch
        exposed_key += s
        del scratch
        exposed_multiplier = multiplier[exposed]
        exposed_multiplier *= np.float32(keep)
        n_rest = len(rest)
        key[:n_rest] = key[rest]
        key[n_rest:] = exposed_key
        multiplier[:n_rest] = multiplier[rest]
        multiplier[n_rest:] = exposed_multiplier
        del exposed_key, exposed_multiplier
        merged = _merge_order(key, exposed, rest)
        if merged is None:  # a NaN key: put the tail back and sort it as it stood
            back = np.concatenate([rest, exposed])
            key[back] = key.copy()
            multiplier[back] = multiplier.copy()
            order = np.argsort(key, kind="stable")
            merged = order, key[order]
        order, ranked = merged
        key[:] = ranked
        multiplier[:] = multiplier[order]
