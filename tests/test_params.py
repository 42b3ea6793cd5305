"""Parameters: declared once with their metadata, frozen, and the source of every rule."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from omegaconf import OmegaConf

from sandbox.config.meta import (
    FITTED,
    KINDS,
    ROLES,
    UNSOURCED,
    Relative,
    allowed,
    describe,
    param,
    sections,
    with_role,
    with_values,
)
from sandbox.config.params import Params, SandboxParams, TrackParams
from sandbox.config.schema import structured
from sandbox.config.uncertainties import spread, spreads
from sandbox.config.validate import check_value, leaves, validate
from sandbox.errors import ConfigError
from sandbox.experiments.collect import LEVERS, SETTINGS, UNCERTAINTIES
from sandbox.experiments.store import IGNORED
from tests.conftest import scenario

LEAVES = describe(Params)

# Values that were literals in the model code, now parameters: their defaults must stay.
FORMER_LITERALS = {
    "data.market_bonus": 0.3,
    "authorities.data_readiness_share": 0.6,
    "authorities.planning_readiness_gain": 0.4,
    "authorities.capacity_floor": 0.05,
    "authorities.city_pilot_factor": 2,
    "firms.capability_concentration": 10.0,
    "firms.capital_sigma": 0.5,
    "firms.capability_learning": 0.5,
    "pilots.success_min": 0.02,
    "pilots.success_max": 0.98,
    "pilots.default_capability": 0.5,
    "pilots.incident_offset": 1.5,
}


def test_every_leaf_declares_unit_range_role_source_and_meaning() -> None:
    assert set(LEAVES) == {key for key, _ in leaves(Params())}
    for key, leaf in LEAVES.items():
        m = leaf.meta
        assert m.unit and m.source and m.doc, key
        assert m.role in ROLES, key
        assert m.range in KINDS or isinstance(m.range, tuple), key
        assert allowed(m.range), key


def test_sources_say_what_they_are() -> None:
    for key, leaf in LEAVES.items():
        source = leaf.meta.source
        assert not source.startswith("assumption") or source.startswith("assumption: "), key


def test_column_families_are_the_sections_roles() -> None:
    """Every section is in one family; today's families keep their sections (and columns)."""
    assert LEVERS == with_role(Params, "lever") == ("policy", "resources", "data")
    assert with_role(Params, "uncertainty") == UNCERTAINTIES
    # the first five keep their place (stored tables' columns); new sections come after
    assert UNCERTAINTIES[:5] == ("citizens", "authorities", "firms", "domains", "pilots")
    assert set(UNCERTAINTIES[5:]) == {"technologies", "legislation", "infrastructure"}
    assert tuple(s for s in with_role(Params, "setting") if s not in IGNORED) == SETTINGS
    assert [s for s in SETTINGS if s in ("horizon", "region", "validation")] == [
        "horizon",
        "region",
        "validation",
    ]
    assert set(LEVERS + UNCERTAINTIES + SETTINGS + IGNORED) == set(sections(Params))


def test_a_leaf_has_its_sections_role_or_is_a_setting() -> None:
    """Result columns are grouped by section; a leaf never crosses lever and uncertainty."""
    family = {s: role for role in ROLES for s in with_role(Params, role)}
    for key, leaf in LEAVES.items():
        if leaf.section in family:
            assert leaf.meta.role in (family[leaf.section], "setting"), key
        else:
            assert leaf.meta.role == "setting", key  # seed, replicate


def test_former_literals_keep_their_values() -> None:
    for key, value in FORMER_LITERALS.items():
        assert LEAVES[key].default == value, key
        assert type(LEAVES[key].default) is type(value), key


def test_lognormal_location_keeps_the_mean_capital() -> None:
    sigma = Params().firms.capital_sigma
    assert -(sigma**2) / 2 == -0.125  # the literal it replaces, exactly


def test_params_are_frozen_and_changed_by_copy() -> None:
    params = Params()
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.seed = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.policy.sandbox.capacity = 1  # type: ignore[misc]
    changed = with_values(params, {"seed": 1, "policy.sandbox.capacity": 3})
    assert (changed.seed, changed.policy.sandbox.capacity) == (1, 3)
    assert (params.seed, params.policy.sandbox.capacity) == (20190101, 20)
    assert changed.policy.adhoc is params.policy.adhoc  # untouched sections are shared


def test_hydra_composes_overrides_onto_the_frozen_schema() -> None:
    params = scenario("region=toy", "citizens.n=500", "pilots.incident_offset=2.0")
    assert isinstance(params, Params)
    assert (params.citizens.n, params.pilots.incident_offset) == (500, 2.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.citizens.n = 3  # type: ignore[misc]
    merged = OmegaConf.merge(structured(), {"firms": {"sme": {"count": 7}}})
    assert OmegaConf.to_object(merged).firms.sme.count == 7


def test_subclass_redeclares_track_terms_with_their_own_source() -> None:
    track = {f.name: f for f in dataclasses.fields(TrackParams)}
    for f in dataclasses.fields(SandboxParams):
        if f.name in track:
            base, own = track[f.name].metadata["sandbox"], f.metadata["sandbox"]
            assert dataclasses.replace(base, source=own.source) == own
            assert own.source != base.source


def test_a_factory_section_names_the_source_of_its_defaults() -> None:
    assert LEAVES["policy.facilitated.legal_risk"].meta.source.startswith("assumption: light")
    assert LEAVES["policy.adhoc.legal_risk"].meta.source.startswith("assumption: high")
    assert LEAVES["policy.sandbox.call_interval"].meta.source.startswith("UK FCA")


OUTSIDE = {
    "unit": 1.5,
    "open_unit": 1.0,
    "positive": 0.0,
    "nonnegative": -0.5,
    "count": 0,
    "any": math.inf,
    "seed": -1,
    "shares": [0.5, 0.6],
    "nonnegative_list": [-1.0],
}


@pytest.mark.parametrize("key", [k for k, leaf in LEAVES.items() if leaf.meta.range in OUTSIDE])
def test_each_leaf_is_checked_against_its_declared_range(key: str) -> None:
    rng = LEAVES[key].meta.range
    check_value(key, LEAVES[key].default)
    with pytest.raises(ConfigError) as err:
        check_value(key, OUTSIDE[rng])
    assert err.value.key == key
    assert err.value.allowed.startswith(allowed(rng, whole=isinstance(OUTSIDE[rng], int)))


def test_choices_and_intervals_come_from_the_declarations() -> None:
    with pytest.raises(ConfigError, match=re.escape("readiness | need | random")):
        check_value("policy.phasing.order", "alphabetical")
    with pytest.raises(ConfigError, match="a number >= 1"):
        check_value("pilots.incident_offset", 0.5)
    with pytest.raises(ConfigError, match=r"at most 100 \(Heun"):
        check_value("citizens.substeps", 101)
    with pytest.raises(ConfigError, match="true or false"):
        check_value("policy.data_market", 3)
    with pytest.raises(ConfigError, match="YYYY-MM"):
        check_value("horizon.start", "2019/01")
    with pytest.raises(ConfigError, match="1990-01"):
        check_value("horizon.end", "1989-12")


def test_success_bounds_must_be_ordered() -> None:
    params = with_values(Params(), {"pilots.success_min": 0.9, "pilots.success_max": 0.1})
    with pytest.raises(ConfigError, match=re.escape("pilots.success_max")):
        validate(params)


def test_declarations_refuse_unknown_roles_and_ranges() -> None:
    with pytest.raises(ValueError, match="role"):
        param(1.0, role="policy")
    with pytest.raises(ValueError, match="range"):
        param(1.0, range="probability")


# "range 0.25-1", "range 0 to 3", "range 500 to 5,000 billion VND": an interval a source states
STATED = re.compile(r"\brange (\d[\d,]*(?:\.\d+)?) ?(?:-|to) ?(\d[\d,]*(?:\.\d+)?)")
UNCERTAIN = {key: leaf for key, leaf in LEAVES.items() if leaf.meta.role == "uncertainty"}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_every_uncertainty_declares_its_spread_unless_fitted_or_a_flag() -> None:
    assert len(UNCERTAIN) >= 124
    for key, leaf in LEAVES.items():
        declared = leaf.meta.spread
        if leaf.meta.role != "uncertainty":
            assert declared is None, key  # only what the world does is varied
        elif leaf.meta.source == FITTED or leaf.meta.range == "flag":
            assert declared is None, key  # the posterior, or both values
        else:
            assert declared == UNSOURCED or isinstance(declared, tuple), key
    assert set(spreads()) == set(UNCERTAIN)


def test_a_stated_range_is_the_declared_spread() -> None:
    """Where a source states "range a-b", the spread is (a, b); where none, the rule."""
    stated = {}
    for key, leaf in UNCERTAIN.items():
        found = STATED.findall(leaf.meta.source)
        assert len(found) <= 1, (key, found)
        if found:
            stated[key] = tuple(_number(x) for x in found[0])
            assert leaf.meta.spread == stated[key], key
            s = spread(leaf)
            assert (s.rule, s.lo, s.hi) == ("sourced", *stated[key]), key
        else:
            assert not isinstance(leaf.meta.spread, tuple), key
    assert stated["technologies.arrival_rate"] == (0.25, 1.0)
    assert stated["infrastructure.build_cost"] == (500.0, 5000.0)
    assert len(stated) == 13


def _allowed(key: str, value: object) -> bool:
    try:
        check_value(key, value)
    except ConfigError:
        return False
    return True


@pytest.mark.parametrize("key", list(UNCERTAIN))
def test_the_default_lies_in_its_spread_and_the_spread_in_the_allowed_range(key: str) -> None:
    leaf, s = UNCERTAIN[key], spread(UNCERTAIN[key])
    if s.kind in ("posterior", "flag"):
        assert s.lo is None and s.hi is None
        return
    assert _allowed(key, s.at(0.0)) and _allowed(key, s.at(1.0)), key
    if s.kind in ("multipliers", "shares"):
        assert s.lo <= 1.0 <= s.hi  # the factor 1 gives the default
        return
    assert s.lo <= leaf.default <= s.hi
    if s.kind == "whole":
        assert isinstance(s.lo, int) and isinstance(s.hi, int)
    if s.rule == "rule":  # ±share of the default, unless the allowed range cuts it
        for bound, edge in ((s.lo, 1 - s.share), (s.hi, 1 + s.share)):
            rule = leaf.default * edge
            if _allowed(key, rule) and s.kind == "number" and leaf.meta.range != "open_unit":
                assert math.isclose(bound, rule), key
            assert abs(bound - leaf.default) <= s.share * abs(leaf.default) + 1e-12, key


def test_spreads_are_declared_as_intervals() -> None:
    with pytest.raises(ValueError, match="interval"):
        param(1.0, spread=(2.0, 1.0))
    with pytest.raises(ValueError, match="share"):
        param(1.0, spread=Relative(1.0))
    with pytest.raises(ValueError, match="fitted"):
        param(1.0, source=FITTED, spread=UNSOURCED)


def test_the_regimes_a_design_branches_into_are_the_policy_configs() -> None:
    """``design.policies``'s default names every regime of configs/policy/, once."""
    from sandbox.config.params.design import REGIMES
    from sandbox.config.paths import CONFIG_DIR

    files = {p.stem for p in (CONFIG_DIR / "policy").glob("*.yaml")}
    assert len(set(REGIMES)) == len(REGIMES)
    assert set(REGIMES) == files
