"""Minors' protection cases: 强制报告 → 受理并紧急处置 → 调查评估 → 干预处置 / 国家监护决定 →
跟踪回访 → 结案, refusals, and visibility: only protection staff of the town and the district,
never a village worker (not even the one who reported) nor another town; every view audited."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from minzheng.api.auth import issue_token
from minzheng.cases.tasks import open_tasks_for
from minzheng.cases.workflow import MissingDocuments, Stale, WrongState
from minzheng.children import protection as p
from minzheng.children.imports import REPORT_KIND, REPORT_SPEC
from minzheng.children.models import ProtectionCase
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode

pytestmark = pytest.mark.django_db


def report(actor, child=None, **kw):
    values = dict(
        division_code="500102006001", child_name="王小明", reporter_kind="school", reporter_unit="大东门小学",
        reporter_contact="13800000000", harm_kinds=["injury", "domestic_violence"], description="学生手臂多处淤青，称被父亲殴打",
        person_id=child.pk if child else None,
    )
    values.update(kw)
    return p.do_report_minor(actor, p.ReportInput(**values))


def test_full_walk_with_temporary_then_long_term_guardianship(staff, child):
    c = report(staff.village, child)
    assert (c.status, c.number) == ("reported", f"WB2026{c.pk:06d}")
    assert decrypt_text(c.reporter_contact_encrypted) == "13800000000"
    c = p.do_accept_report(staff.town, c, expected_version=c.version, emergency_measures="联系派出所，儿童暂住祖父家")
    c = p.do_refer_case(staff.town, c, expected_version=c.version, department="police", note="移送涉嫌家庭暴力线索")
    c = p.do_assess_case(staff.town, c, expected_version=c.version, risk_level="high", assessment="父亲多次殴打，母亲失联")
    assert c.status == "intervention"
    with pytest.raises(ValidationFailed) as e:
        p.do_intervene(staff.town, c, expected_version=c.version, intervention="temporary", note="x")
    assert e.value.errors == {"intervention": "国家临时监护、长期监护须由区民政局作出决定"}
    with pytest.raises(PermissionDenied):
        p.do_decide_guardianship(staff.town, c, expected_version=c.version, intervention="temporary", grounds=["t6"], placement="kin")
    with pytest.raises(ValidationFailed) as e:
        p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="temporary", grounds=["l1"], placement="kin")
    assert e.value.errors == {"grounds": "请选择《未成年人保护法》第九十二条规定的情形"}
    c = p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="temporary", grounds=["t6"], placement="welfare")
    assert (c.status, c.intervention, c.guardianship_grounds, c.placement) == ("follow_up", "temporary", ["t6"], "welfare")
    c = p.do_record_follow_up(staff.town, c, expected_version=c.version, note="儿童在福利院生活稳定")
    with pytest.raises(ValidationFailed) as e:
        p.do_close_case(staff.town, c, expected_version=c.version, closure_reason="safe")
    assert e.value.errors == {"closure_reason": "国家临时监护的案件须经评估送回监护人或转入长期监护后结案"}
    with pytest.raises(MissingDocuments) as e:  # art. 94(4): the court's judgment must be on the case
        p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="long_term", grounds=["l4"])
    assert e.value.message == "办理“国家监护决定”前须上传：人民法院撤销监护人资格并指定民政部门担任监护人的判决书"
    c = p.do_add_case_documents(staff.district, c, expected_version=c.version, documents=["court_judgment"])
    c = p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="long_term", grounds=["l4"])
    assert (c.intervention, c.guardianship_grounds) == ("long_term", ["l4"])
    c = p.do_close_case(staff.district, c, expected_version=c.version, closure_reason="long_term")
    assert c.status == "closed" and [r["department"] for r in c.referrals] == ["police"] and len(c.follow_ups) == 1


def test_guardianship_intervention_by_the_town_and_unfounded_closure(staff, child):
    c = report(staff.town, child)
    c = p.do_accept_report(staff.town, c, expected_version=c.version, emergency_measures="无需紧急处置，当日入户核实")
    c2 = report(staff.town, child, harm_kinds=["abandonment"])
    c2 = p.do_accept_report(staff.town, c2, expected_version=c2.version, emergency_measures="入户核实")
    with pytest.raises(ValidationFailed):
        p.do_close_case(staff.town, c2, expected_version=c2.version, closure_reason="safe")
    c2 = p.do_close_case(staff.town, c2, expected_version=c2.version, closure_reason="unfounded", note="家中有人照料")
    assert c2.status == "closed"
    c = p.do_assess_case(staff.town, c, expected_version=c.version, risk_level="medium", assessment="监护不当")
    c = p.do_intervene(staff.town, c, expected_version=c.version, intervention="intervention", note="约谈父母，签订监护承诺")
    c = p.do_close_case(staff.town, c, expected_version=c.version, closure_reason="safe")
    assert (c.status, c.intervention) == ("closed", "intervention")


def test_refusals_write_nothing(staff, child):
    with pytest.raises(ValidationFailed) as e:
        report(staff.village, None, child_name="", harm_kinds=[], description=" ", reporter_kind="x", division_code="500102006")
    assert e.value.errors == {
        "division_code": "请选择发生地村（社区）", "reporter_kind": "请选择报告主体", "harm_kinds": "请选择侵害或危险情形",
        "description": "请填写报告内容", "child_name": "请填写未成年人姓名（不知道的填“不详”并描述特征）",
    }
    with pytest.raises(NotFound):
        report(staff.other_village, None, division_code="500102006001")
    assert not ProtectionCase.objects.exists()
    c = report(staff.village, child)
    with pytest.raises(PermissionDenied):
        p.do_accept_report(staff.village, c, expected_version=c.version, emergency_measures="x")
    with pytest.raises(NotFound):
        p.do_accept_report(staff.other_town, c, expected_version=c.version, emergency_measures="x")
    with pytest.raises(ValidationFailed):
        p.do_accept_report(staff.town, c, expected_version=c.version, emergency_measures="")
    with pytest.raises(WrongState):
        p.do_assess_case(staff.town, c, expected_version=c.version, risk_level="high", assessment="x")
    with pytest.raises(Stale):
        p.do_accept_report(staff.town, c, expected_version=c.version + 1, emergency_measures="x")
    c.refresh_from_db()
    assert (c.status, c.version) == ("reported", 1)


def test_visible_only_to_protection_staff_of_the_division_and_the_district(client, staff, child):
    c = report(staff.village, child)
    # selectors, counts, access, task feed
    assert list(p.list_protection_cases_for(staff.village)) == []
    assert list(p.list_protection_cases_for(staff.other_town)) == []
    assert p.protection_counts(staff.other_town)["reported"] == 0
    assert [x.pk for x in p.list_protection_cases_for(staff.town)] == [c.pk]
    assert [x.pk for x in p.list_protection_cases_for(staff.district)] == [c.pk]
    with pytest.raises(PermissionDenied):
        p.access_protection_case_by_id(staff.village, c.pk)
    with pytest.raises(NotFound):
        p.access_protection_case_by_id(staff.other_town, c.pk)
    assert not [t for t in open_tasks_for(staff.other_town) if t.workflow.name == "children.protection"]
    assert not [t for t in open_tasks_for(staff.village) if t.workflow.name == "children.protection"]
    assert [t.case.pk for t in open_tasks_for(staff.town) if t.workflow.name == "children.protection"] == [c.pk]
    # pages
    for user, code in ((staff.village_user, 403), (staff.other_village_user, 403), (staff.other_town_user, 404), (staff.town_user, 200)):
        client.force_login(user)
        assert client.get(f"/children/protection/{c.pk}/").status_code == code
    client.force_login(staff.other_town_user)
    assert "王小明" not in client.get("/children/protection/?status=").content.decode()
    client.force_login(staff.town_user)
    page = client.get(f"/children/protection/{c.pk}/").content.decode()
    assert "13800000000" not in page and "大东门小学" in page
    assert AuditEvent.objects.filter(object_type="protection_case", action="view", object_id=str(c.pk)).count() == 2


def test_report_page_for_the_village_and_bad_input(client, staff):
    client.force_login(staff.village_user)
    page = client.post("/children/protection/report/", {"division_code": "500102006001", "child_name": "张某", "reporter_kind": "public"})
    assert page.status_code == 400 and not ProtectionCase.objects.exists()
    page = client.post("/children/protection/report/", {
        "division_code": "500102006001", "child_name": "张某", "reporter_kind": "public", "harm_kinds": ["abandonment"], "description": "独自在家三天",
    })
    assert page.status_code == 302 and page["Location"] == "/children/protection/report/"
    assert ProtectionCase.objects.get().created_by_id == staff.village_user.pk


def test_report_feed_round_trip(staff, child):
    def xlsx(rows):
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf)
        ws = wb.add_worksheet()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, str(value))
        wb.close()
        return buf.getvalue()

    header = [c.header for c in REPORT_SPEC.columns]
    good = [decrypt_text(child.id_number_encrypted), "王小明", "500102006001", "学校、幼儿园", "大东门小学", "家庭暴力", "手臂淤青", "2026-12-01"]
    unknown = ["", "不详", "500102006001", "群众", "", "遗弃、无人照料", "桥下发现独自哭泣的幼儿", "2026-12-02"]
    bad = ["", "李某", "500102119001", "医疗机构", "区人民医院", "性侵害", "x", "2026-12-02"]
    batch = do_preview_import(staff.town, REPORT_KIND, filename="r.xlsx", content=xlsx([header, good, unknown, bad])).batch
    assert [(e[0], e[2]) for e in batch.errors] == [(4, "不在您的管辖范围内")]
    assert do_commit_import(staff.town, batch, CommitMode.ALL_OR_NOTHING).status == BatchStatus.REFUSED
    assert not ProtectionCase.objects.exists()
    batch = do_preview_import(staff.town, REPORT_KIND, filename="r2.xlsx", content=xlsx([header, good, unknown])).batch
    assert do_commit_import(staff.town, batch, CommitMode.ALL_OR_NOTHING).status == BatchStatus.COMMITTED
    cases = list(ProtectionCase.objects.order_by("id"))
    assert [(c.person_id, c.child_name, c.harm_kinds) for c in cases] == [(child.pk, "王小明", ["domestic_violence"]), (None, "不详", ["abandonment"])]


def test_api_protection_cases_scoped(client, staff, child):
    c = report(staff.village, child)

    def get(user, url):
        token, _ = issue_token(user)
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert [x["number"] for x in get(staff.town_user, "/api/v1/children/protection-cases").json()] == [c.number]
    assert get(staff.district_user, f"/api/v1/children/protection-cases/{c.pk}").json()["child_name"] == "王小明"
    assert get(staff.other_town_user, f"/api/v1/children/protection-cases/{c.pk}").status_code == 404
    assert get(staff.other_town_user, "/api/v1/children/protection-cases").json() == []
    assert get(staff.village_user, "/api/v1/children/protection-cases").status_code == 403
    assert get(staff.village_user, f"/api/v1/children/protection-cases/{c.pk}").status_code == 403
