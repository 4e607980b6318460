"""A list API's offset and limit: one reader, the field named (issue 20)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.core.query_params import MAX_OFFSET, query_date, window


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


def test_a_query_date_is_an_iso_date_within_the_records_years():
    assert query_date(" 2026-12-01 ", field="date_from") == dt.date(2026, 12, 1)
    assert query_date("", field="date_from") is None and query_date(None, field="date_from") is None
    for raw, message in (("2025-13-01", "开始日期应为“年-月-日”，如 2026-12-01"), ("abc", "开始日期应为“年-月-日”，如 2026-12-01"),
                         ("0001-01-01", "开始日期0001-01-01不合理，请核对")):  # fmt: skip
        with pytest.raises(ValidationFailed) as e:
            query_date(raw, field="date_from", label="开始日期")
        assert e.value.errors == {"date_from": message}


@pytest.mark.django_db
def test_the_audit_log_refuses_a_date_that_is_not_one(client, make_user):
    client.force_login(make_user("system_admin", "500102"))
    response = client.get("/audit/?date_from=2025-13-01")
    assert response.status_code == 400 and "开始日期应为“年-月-日”，如 2026-12-01" in response.content.decode()
    assert client.get("/audit/?date_from=2026-12-01&date_to=2026-12-04").status_code == 200

