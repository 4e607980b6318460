"""Long lists count at most LIST_CAP rows for the pager and say so (人员查询, 保障对象)."""

from __future__ import annotations

from minzheng.accounts.models import Role
from minzheng.registry.models import Person
from minzheng.web import paging


def test_the_person_list_counts_up_to_the_cap_and_asks_for_a_narrower_query(db, make_person, make_user, client, monkeypatch):
    for name in ("甲一", "甲二", "甲三", "甲四", "甲五"):
        make_person("500102006001", name)
    make_person("500102119001", "乙一")
    client.force_login(make_user(Role.TOWN_OFFICER, "500102006"))
    page = client.get("/persons/").content.decode()
    assert "第 1 页 / 共 1 页，5 条" in page  # under the cap: the exact count
    monkeypatch.setattr(paging, "LIST_CAP", 3)
    page = client.get("/persons/").content.decode()
    assert "第 1 页 / 超过 3 条，仅列出前 3 条（1 页）：请按姓名、身份证号码或村（社区）缩小查询范围" in page
    assert "乙一" not in page  # 珍溪镇's person: never in 敦仁街道's list


def test_a_capped_pager_pages_within_the_cap(db, make_person, system_actor):
    for i in range(7):
        make_person("500102006001", f"丙{i}")
    pager = paging.CappedPaginator(Person.objects.order_by("id"), 2, cap=5)
    assert (pager.count, pager.capped, pager.num_pages) == (5, True, 3)
    assert len(pager.page(3).object_list) == 1  # the 5th row, not the 6th or 7th
    exact = paging.CappedPaginator(Person.objects.order_by("id"), 2, cap=7)
    assert (exact.count, exact.capped, exact.num_pages) == (7, False, 4)
