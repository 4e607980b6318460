"""A year typed in a query: read only when the records can hold it (issue 20)."""

from __future__ import annotations

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.core.periods import year_or_none
from minzheng.core.query_params import check_year


def test_a_query_year_is_read_only_within_the_records_years():
    assert [year_or_none(v, latest=2026) for v in ("2026", " 2021", "2000")] == [2026, 2021, 2000]
    assert [year_or_none(v, latest=2026) for v in ("2027", "1999", "999999", "abc", "²", "", None, "-1")] == [None] * 8
    assert check_year(None, latest=2026) is None and check_year(2025, latest=2026) == 2025
    with pytest.raises(ValidationFailed) as e:
        check_year(999999, latest=2026)
    assert e.value.errors == {"year": "年份应在2000至2026年之间"}
