"""The model's month arithmetic against pandas' calendar (an independent count)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.config.validate import month_number
from sandbox.errors import ConfigError
from sandbox.model.clock import month_index

MONTHS = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1000, 2999), st.integers(1, 12))


@given(MONTHS, MONTHS)
def test_month_index_counts_the_months_pandas_counts(start: str, month: str) -> None:
    expected = (pd.Period(month, freq="M") - pd.Period(start, freq="M")).n
    assert month_index(start, month) == expected


@pytest.mark.parametrize("bad", ["2020-13", "2020-00", "2020-1", "20-01", "2020/01", ""])
def test_a_month_not_written_yyyy_mm_names_its_key(bad: str) -> None:
    with pytest.raises(ConfigError, match=r"policy\.start"):
        month_number(bad, "policy.start")
