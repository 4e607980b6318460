"""儿童督导员 per town and 儿童主任 per village, with training, and their coverage by town."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.children import actions
from minzheng.children.models import ChildWorker
from minzheng.children.selectors import worker_coverage
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_appoint_train_and_coverage(staff):
    sup = actions.do_appoint_child_worker(staff.town, role="supervisor", name="陈督导", division_code="500102006", appointed_on=dt.date(2025, 3, 1))
    actions.do_appoint_child_worker(staff.town, role="director", name="刘主任", division_code="500102006001", appointed_on=dt.date(2025, 3, 1))
    new = actions.do_appoint_child_worker(staff.town, role="director", name="周主任", division_code="500102006001", appointed_on=dt.date(2026, 6, 1))
    assert list(ChildWorker.objects.filter(active=True, division_code="500102006001").values_list("name", flat=True)) == ["周主任"]
    actions.do_record_training(staff.town, sup, on=dt.date(2026, 9, 10), topic="困境儿童关爱服务", hours=8)
    actions.do_record_training(staff.town, new, on=dt.date(2025, 9, 10), topic="往年培训", hours=4)
    rows = {r["code"]: r for r in worker_coverage(staff.town)}
    dunren = rows["500102006"]
    assert (dunren["supervisor"], dunren["directors"], dunren["trained"]) == (True, 1, 1)
    assert dunren["villages"] > 1
    assert list(rows) == ["500102006"]  # only the actor's town


def test_refusals(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_appoint_child_worker(staff.town, role="director", name="", division_code="500102006", appointed_on=None)
    assert e.value.errors == {
        "division_code": "儿童督导员请选择乡镇（街道），儿童主任请选择村（社区）", "name": "请填写姓名", "appointed_on": "请填写任职日期（不晚于今天）",
    }
    with pytest.raises(NotFound):
        actions.do_appoint_child_worker(staff.other_town, role="supervisor", name="x", division_code="500102006", appointed_on=dt.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        actions.do_appoint_child_worker(staff.village, role="director", name="x", division_code="500102006001", appointed_on=dt.date(2025, 1, 1))
    sup = actions.do_appoint_child_worker(staff.town, role="supervisor", name="陈督导", division_code="500102006", appointed_on=dt.date(2025, 3, 1))
    with pytest.raises(NotFound):
        actions.do_record_training(staff.other_town, sup, on=dt.date(2026, 1, 1), topic="x", hours=1)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_training(staff.town, sup, on=None, topic=" ", hours=0)
    assert e.value.errors == {"on": "请填写培训日期（不晚于今天）", "topic": "请填写培训内容", "hours": "培训学时应大于0"}


def test_stations_page_shows_coverage(client, staff):
    actions.do_appoint_child_worker(staff.town, role="supervisor", name="陈督导", division_code="500102006", appointed_on=dt.date(2025, 3, 1))
    client.force_login(staff.town_user)
    page = client.get("/children/stations/")
    assert page.status_code == 200 and "已配备" in page.content.decode()
    client.force_login(staff.village_user)
    assert client.post("/children/stations/", {"division_code": "500102006"}).status_code == 200  # no form for the village: nothing written
