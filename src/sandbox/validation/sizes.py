"""How large each family's checks are at ``--size small`` (CI) and ``--size default``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """Replicates and citizens of each family of checks.

    Attributes:
        name: ``small`` or ``default``.
        bass_pairs: the (p, q) pairs, per year, compared with the Bass closed form.
        bass_replicates: replicates of each pair.
        bass_citizens: citizens of the ``validation=bass`` runs.
        bernoulli_replicates: replicates compared with the Bernoulli reference.
        invariant_replicates: replicates of each (policy, resources, data, setting).
        invariant_all_settings: every combination under every setting; otherwise each
            combination under one setting, in rotation.
        invariant_full_map_replicates: replicates of each combination and setting on the
            default map (Vietnam, history and merger) besides the toy region (0: none).
        metamorphic_replicates: paired replicates of each metamorphic relation.
        target_replicates: replicates of the default history averaged for the targets.
        funnel_replicates: replicates of each sandbox regime for the funnel.
    """

    name: str
    bass_pairs: tuple[tuple[float, float], ...]
    bass_replicates: int
    bass_citizens: int
    bernoulli_replicates: int
    invariant_replicates: int
    invariant_all_settings: bool
    invariant_full_map_replicates: int
    metamorphic_replicates: int
    target_replicates: int
    funnel_replicates: int


BASS_PAIRS = ((0.03, 0.38), (0.01, 0.5), (0.05, 0.95), (0.01, 1.0))

# each field's value at (small, default). Small is for CI: every family and every
# combination of mechanisms with few replicates, but 40 replicates of the (cheap) history,
# which keep the targets' means within about 0.5 of the default size's.
TABLE: dict[str, tuple[object, object]] = {
    "bass_pairs": ((BASS_PAIRS[0], BASS_PAIRS[3]), BASS_PAIRS),
    "bass_replicates": (1, 4),
    "bass_citizens": (1_000_000, 1_000_000),
    "bernoulli_replicates": (1, 8),
    "invariant_replicates": (1, 4),
    "invariant_all_settings": (False, True),
    "invariant_full_map_replicates": (0, 1),
    "metamorphic_replicates": (4, 100),
    "target_replicates": (40, 200),
    "funnel_replicates": (4, 50),
}
SIZES: dict[str, Size] = {
    name: Size(name=name, **{key: values[i] for key, values in TABLE.items()})  # type: ignore[arg-type]
    for i, name in enumerate(("small", "default"))
}
