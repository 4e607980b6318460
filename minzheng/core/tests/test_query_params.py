"""A list API's offset and limit: one reader, the field named (issue 20)."""

from __future__ import annotations

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.core.query_params import MAX_OFFSET, window


def test_a_window_inside_the_bounds_is_the_slice_asked_for():
    assert window(0, 1, max_limit=100) == slice(0, 1)
    assert window(MAX_OFFSET, 100, max_limit=100) == slice(MAX_OFFSET, MAX_OFFSET + 100)


@pytest.mark.parametrize(
    ("offset", "limit", "errors"),
    [
        (-1, 10, {"offset": "起始位置应在0至10000000之间"}),
        (10**20, 10, {"offset": "起始位置应在0至10000000之间"}),
        (0, 0, {"limit": "每次返回条数应在1至100之间"}),
        (-5, 101, {"offset": "起始位置应在0至10000000之间", "limit": "每次返回条数应在1至100之间"}),
    ],
)
def test_out_of_range_is_refused_never_clamped(offset, limit, errors):
    with pytest.raises(ValidationFailed) as e:
        window(offset, limit, max_limit=100)
    assert e.value.errors == errors
