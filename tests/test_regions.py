"""Region tables against the sourced figures of SOURCES.md."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sandbox.regions import TABLE_DIR, load_region

CENSUS_TOTAL = 96_208_984  # 2019 census total (SOURCES.md)
CENSUS_URBAN = 33_122_548  # exact urban counts (SOURCES.md)


def test_vietnam_63_matches_the_census() -> None:
    region = load_region("vietnam_63.csv")
    assert region.n == 63
    assert region.population.sum() == CENSUS_TOTAL
    assert abs((region.population * region.urban_share).sum() - CENSUS_URBAN) < 63
    assert region.centrally_run.sum() == 5


def test_vietnam_34_aggregates_to_the_published_sums() -> None:
    region = load_region("vietnam_34.csv")
    source = pd.read_csv(TABLE_DIR / "vietnam_34.csv")
    assert region.n == 34
    assert region.centrally_run.sum() == 6
    assert np.array_equal(region.population, source["population_2019_sum"].to_numpy(float))
    assert region.population.sum() == CENSUS_TOTAL
    urban = (region.population * region.urban_share).sum()
    assert abs(urban - CENSUS_URBAN) < 63


def test_fiscal_capacity_is_in_unit_interval_and_largest_for_the_largest_city() -> None:
    region = load_region("vietnam_63.csv")
    fiscal = region.fiscal_capacity
    assert (fiscal > 0).all() and fiscal.max() == 1.0
    assert region.names[int(np.argmax(fiscal))] == "Ho Chi Minh City"
