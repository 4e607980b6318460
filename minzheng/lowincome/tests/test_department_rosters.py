"""The departments' rosters (防止返贫监测对象, 困难重点优抚对象): imported all or nothing through
exchange, placed in the register at once (below a higher tier held), lifted, read by the
monthly monitoring and by funerals' 惠民殡葬 group; refused to the town and outside the scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from minzheng.api.auth import issue_token
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import PermissionDenied
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode
from minzheng.exchange.spec import get_spec
from minzheng.funerals.actions import hardship_group_of
from minzheng.lowincome import selectors
from minzheng.lowincome.models import DepartmentListing, RegisterEntry, TierChange
from minzheng.lowincome.monitoring import do_run_monitoring
from minzheng.lowincome.tests.conftest import DADONGMEN, XINGSHENG

pytestmark = pytest.mark.django_db

RELAPSE, YOUFU = "lowincome_relapse", "lowincome_youfu"


def xlsx(kind, rows):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    for c, column in enumerate(get_spec(kind).columns):
        ws.write_string(0, c, column.header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()


def line(person, listed="2025-06-01", ended="", note=""):
    return [decrypt_text(person.id_number_encrypted), person.name, listed, ended, note]


def load(actor, kind, rows, name="名单.xlsx"):
    batch = do_preview_import(actor, kind, filename=name, content=xlsx(kind, rows)).batch
    return do_commit_import(actor, batch, CommitMode.ALL_OR_NOTHING)


def open_rows():
    return sorted(RegisterEntry.objects.filter(ended_on__isnull=True).values_list("person__name", "tier", "source_kind", "since"))


def test_a_roster_enters_the_register_at_once_and_a_second_import_changes_nothing(staff, make_person, edge_household, enrol):
    wang = make_person(DADONGMEN, "王返贫")
    zhou = make_person(XINGSHENG, "周返贫")
    enrol("dibao", household=edge_household)  # 王大明, 刘小红: 低保, a higher tier than the roster's
    assert do_run_monitoring(staff.district, period="2026-12").counts["new"] == 2
    batch = load(staff.district, RELAPSE, [line(wang), line(zhou, "2026-03-15", note="因病"), line(edge_household.head)])
    assert batch.status == BatchStatus.COMMITTED
    assert open_rows() == [
        ("刘小红", "dibao", "enrolment", dt.date(2026, 10, 1)),
        ("周返贫", "relapse", "feed", dt.date(2026, 3, 15)),
        ("王大明", "dibao", "enrolment", dt.date(2026, 10, 1)),
        ("王返贫", "relapse", "feed", dt.date(2025, 6, 1)),
    ]
    assert sorted(TierChange.objects.filter(to_tier="relapse").values_list("person__name", "from_tier", "reason", "source_label")) == [
        ("周返贫", "", "区农业农村委（乡村振兴）防止返贫监测对象名单", f"区农业农村委（乡村振兴）名单（导入批次 {batch.pk}）"),
        ("王返贫", "", "区农业农村委（乡村振兴）防止返贫监测对象名单", f"区农业农村委（乡村振兴）名单（导入批次 {batch.pk}）"),
    ]
    assert DepartmentListing.objects.filter(ended_on__isnull=True).count() == 3
    # the same people sent again (another file: one more note) change nothing
    again = load(staff.district, RELAPSE, [line(wang, note="复核仍在"), line(zhou, "2026-03-15")], name="名单2.xlsx")
    assert again.status == BatchStatus.COMMITTED
    assert DepartmentListing.objects.count() == 3 and TierChange.objects.count() == 4  # 2 低保 + 2 返贫
    # the monthly monitoring reads the same listings: nothing to change, and a second run neither
    run = do_run_monitoring(staff.district, period="2026-12")
    assert (run.counts["new"], run.counts["moved"], run.counts["left"], run.counts["tiers"]["relapse"]) == (0, 0, 0, 2)
    assert do_run_monitoring(staff.district, period="2026-12").counts["new"] == 0


def test_a_lifted_person_leaves_and_a_second_roster_places_them_again(staff, make_person):
    li = make_person(DADONGMEN, "李老兵")
    load(staff.district, RELAPSE, [line(li, "2025-01-10")])
    load(staff.district, YOUFU, [line(li, "2024-08-01")])
    assert open_rows() == [("李老兵", "relapse", "feed", dt.date(2025, 1, 10))]  # the higher of the two
    assert selectors.listed_kinds_of(staff.district, li.pk) == {"relapse", "youfu"}
    batch = load(staff.district, RELAPSE, [line(li, "2025-01-10", ended="2026-11-30")], name="解除.xlsx")
    assert batch.status == BatchStatus.COMMITTED
    listing = DepartmentListing.objects.get(kind="relapse")
    assert (listing.ended_on, listing.ended_source_label) == (dt.date(2026, 11, 30), f"区农业农村委（乡村振兴）名单（导入批次 {batch.pk}）")
    assert open_rows() == [("李老兵", "other", "feed", dt.date(2026, 12, 4))]
    assert list(TierChange.objects.order_by("id").values_list("from_tier", "to_tier", "reason")) == [
        ("", "relapse", "区农业农村委（乡村振兴）防止返贫监测对象名单"),
        ("relapse", "other", "区退役军人事务局困难重点优抚对象名单"),
    ]
    # lifted from the last roster: out of the register
    load(staff.district, YOUFU, [line(li, "2024-08-01", ended="2026-12-02")], name="解除2.xlsx")
    assert open_rows() == []
    assert TierChange.objects.order_by("-id").values_list("from_tier", "to_tier", "reason").first() == (
        "other", "", "已从区退役军人事务局困难重点优抚对象名单中解除"
    )
    # the monthly pass agrees with what the lifting did
    assert do_run_monitoring(staff.district, period="2026-12").counts["left"] == 0


def test_a_bad_row_refuses_the_whole_roster_and_names_it(staff, make_person, id_number):
    ok = make_person(DADONGMEN, "好人")
    late = make_person(DADONGMEN, "晚人")
    dead = make_person(DADONGMEN, "故人")
    type(dead).objects.filter(pk=dead.pk).update(is_deceased=True)
    content = [
        line(ok),
        line(late, "2026-05-01", ended="2026-04-30"),
        line(late, "2026-12-05"),
        line(dead),
        [id_number("19900101", "999"), "无此人", "2025-01-01", "", ""],
    ]
    batch = do_preview_import(staff.district, RELAPSE, filename="错.xlsx", content=xlsx(RELAPSE, content)).batch
    assert sorted((e[0], e[2]) for e in batch.errors) == [
        (3, "解除日期不能早于纳入日期"),
        (4, "日期不能晚于今天（2026-12-04）"),
        (5, "该人员已登记死亡，不能纳入名单"),
        (6, "该人员未在人口库登记，请先在人口管理中登记"),
    ]
    batch = do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING)
    assert batch.status == BatchStatus.REFUSED
    assert not DepartmentListing.objects.exists() and not RegisterEntry.objects.exists() and not TierChange.objects.exists()


def test_only_the_district_imports_and_a_town_sees_only_its_own(staff, make_person, client):
    with pytest.raises(PermissionDenied):
        do_preview_import(staff.town, RELAPSE, filename="x.xlsx", content=xlsx(RELAPSE, []))
    load(staff.district, YOUFU, [line(make_person(DADONGMEN, "甲优抚")), line(make_person(XINGSHENG, "乙优抚"))])
    assert [l.person.name for l in selectors.listings_for(staff.zx_town)] == ["乙优抚"]
    client.force_login(staff.users["li_town"])
    page = client.get("/lowincome/listings/").content.decode()
    assert "甲优抚" in page and "乙优抚" not in page and "上传名单" not in page
    assert client.get(f"/lowincome/listings/?division={XINGSHENG}").status_code == 404
    client.force_login(staff.users["li_district"])
    page = client.get("/lowincome/listings/?kind=youfu").content.decode()
    assert "甲优抚" in page and "乙优抚" in page and "上传名单" in page and "区退役军人事务局" in page


def test_funerals_reads_the_youfu_roster_as_the_waiver_group(staff, make_person):
    veteran = make_person(DADONGMEN, "赵优抚")
    assert hardship_group_of(staff.district, veteran) == ""
    load(staff.district, YOUFU, [line(veteran, "2020-01-01")])
    assert hardship_group_of(staff.district, veteran) == "youfu"
    load(staff.district, YOUFU, [line(veteran, "2020-01-01", ended="2026-12-01")], name="解除.xlsx")
    assert hardship_group_of(staff.district, veteran) == ""


def test_the_api_lists_the_rosters_in_scope(staff, make_person, client):
    load(staff.district, RELAPSE, [line(make_person(DADONGMEN, "甲返贫"), "2025-02-01"), line(make_person(XINGSHENG, "乙返贫"))])
    token, _ = issue_token(staff.users["zx_town"])
    rows = client.get("/api/v1/lowincome/listings", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(r["name"], r["kind_label"], r["listed_on"], r["ended_on"]) for r in rows] == [("乙返贫", "防止返贫监测对象", "2025-06-01", None)]
    assert rows[0]["id_number_masked"].count("*") >= 8
