"""专项救助转介: from a household to the receiving unit's feedback; refusals name the field and
write nothing; scoping (敦仁街道 vs 珍溪镇) on actions, pages, API, lists, counts and exports;
open referrals on the workbench."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import open_tasks_for, workbench_feed
from minzheng.cases.workflow import Stale
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.referrals import actions, selectors
from minzheng.referrals.access import access_referral_by_id
from minzheng.referrals.models import ReceivingUnit, Referral
from minzheng.referrals.tests.conftest import TODAY

LATER = TODAY + dt.timedelta(days=10)


def _refer(actor, household, units, kind="medical", **kw):
    args = {"household_id": household.pk, "kind": kind, "receiving_unit_id": units[kind].pk,
            "reason": "慢性病门诊费用负担重", "deadline_on": LATER, **kw}  # fmt: skip
    return actions.do_refer(actor, **args)


def test_migration_seeds_one_working_default_unit_per_kind_marked_provisional(units):
    assert sorted(units) == ["education", "employment", "housing", "medical", "other"]
    assert units["medical"].name == "涪陵区医疗保障局"
    assert ReceivingUnit.objects.count() == 6
    assert all(u.provisional for u in ReceivingUnit.objects.all())


def test_a_household_is_referred_received_and_fed_back(staff, household, units):
    referral = _refer(staff.village, household, units)

    assert (referral.status, referral.division_code, referral.deadline_on, referral.person_id) == ("referred", "500102006001", LATER, None)
    assert referral.number.startswith("ZJ20261204")
    referral = actions.do_receive_referral(staff.village, referral, expected_version=1, receiver_name="医疗救助科")
    assert (referral.status, referral.received_on, referral.receiver_name) == ("received", TODAY, "医疗救助科")
    referral = actions.do_record_feedback(
        staff.village, referral, expected_version=referral.version, outcome="assisted", feedback="已纳入医疗救助，报销比例70%"
    )

    assert (referral.status, referral.outcome, referral.feedback, referral.fed_back_on) == (
        "fed_back", "assisted", "已纳入医疗救助，报销比例70%", TODAY,
    )
    history = list(CaseEvent.objects.for_case("referrals.referral", referral).order_by("id").values_list("action", "from_status", "to_status"))
    assert history == [("create", "", "referred"), ("receive", "referred", "received"), ("feedback", "received", "fed_back")]
    assert AuditEvent.objects.filter(object_type="referral", object_id=str(referral.pk)).count() == 3


def test_a_person_of_the_household_may_be_referred_but_not_a_stranger(staff, household, units, make_person):
    member = household.head
    referral = _refer(staff.village, household, units, kind="employment", person_id=member.pk)
    assert referral.person_id == member.pk
    stranger = make_person("500102006001", "路人甲")
    with pytest.raises(ValidationFailed) as refused:
        _refer(staff.village, household, units, person_id=stranger.pk)
    assert refused.value.errors == {"person": "该人员不是本户现有成员"}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"receiving_unit_id": None}, {"receiving_unit": "请选择接收单位"}),
        ({"receiving_unit_id": 999999}, {"receiving_unit": "接收单位不存在或已停用，请从名录中选择"}),
        ({"receiving_unit_id": "abc"}, {"receiving_unit": "接收单位不存在或已停用，请从名录中选择"}),
        ({"kind": ""}, {"kind": "请选择转介类别（医疗、教育、住房、就业救助或其他部门）"}),
        ({"kind": "housing"}, {"receiving_unit": "“涪陵区医疗保障局”不受理住房救助转介，请重新选择"}),
        ({"deadline_on": TODAY - dt.timedelta(days=1)}, {"deadline_on": "反馈期限不能早于今天（2026-12-04）"}),
        ({"deadline_on": None}, {"deadline_on": "请填写反馈期限"}),
        ({"reason": "  "}, {"reason": "请填写转介事由"}),
    ],
)
def test_a_referral_to_nowhere_or_without_kind_or_with_a_past_deadline_is_refused_and_writes_nothing(
    staff, household, units, change, errors
):
    audits = AuditEvent.objects.count()
    args = {"household_id": household.pk, "kind": "medical", "receiving_unit_id": units["medical"].pk,
            "reason": "慢性病门诊费用负担重", "deadline_on": LATER, **change}  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        actions.do_refer(staff.village, **args)
    assert refused.value.errors == errors
    assert Referral.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_a_disabled_unit_takes_no_new_referral(staff, household, units):
    actions.do_set_receiving_unit(staff.district, units["medical"].pk, active=False)
    with pytest.raises(ValidationFailed) as refused:
        _refer(staff.village, household, units)
    assert refused.value.errors == {"receiving_unit": "接收单位不存在或已停用，请从名录中选择"}


def test_the_deadline_may_be_today(staff, household, units):
    assert _refer(staff.village, household, units, deadline_on=TODAY).deadline_on == TODAY


def test_another_town_or_village_can_neither_refer_nor_see_the_household_or_its_referrals(staff, household, units):
    for actor in (staff.other_town, staff.other_village):
        with pytest.raises(NotFound):
            _refer(actor, household, units)
    assert Referral.objects.count() == 0
    referral = _refer(staff.town, household, units)
    for actor in (staff.other_town, staff.other_village):
        with pytest.raises(NotFound):
            access_referral_by_id(actor, referral.pk)
        assert list(selectors.list_referrals_for(actor, status="")) == []
        assert sum(row["total"] for row in selectors.referral_counts_by_kind(actor)) == 0
        with pytest.raises(NotFound):
            actions.do_record_feedback(actor, referral, expected_version=1, outcome="assisted", feedback="x")
    assert access_referral_by_id(staff.district, referral.pk) == referral
    assert list(selectors.list_referrals_for(staff.village)) == [referral]


def test_a_role_without_the_permission_cannot_refer_or_take_a_step(staff, household, units):
    for actor in (staff.approver, staff.leader):
        with pytest.raises(PermissionDenied):
            _refer(actor, household, units)
    referral = _refer(staff.town, household, units)
    with pytest.raises(PermissionDenied):
        actions.do_record_feedback(staff.approver, referral, expected_version=1, outcome="assisted", feedback="x")
    with pytest.raises(PermissionDenied):
        access_referral_by_id(staff.admin, referral.pk)
    assert access_referral_by_id(staff.leader, referral.pk) == referral  # reads, does not act


def test_feedback_needs_an_outcome_and_a_text_and_of_two_users_only_one_wins(staff, household, units):
    referral = _refer(staff.village, household, units)
    with pytest.raises(ValidationFailed) as refused:
        actions.do_record_feedback(staff.village, referral, expected_version=1, outcome="", feedback=" ")
    assert refused.value.errors == {"outcome": "请选择办理结果", "feedback": "请填写接收单位的反馈意见"}
    actions.do_receive_referral(staff.village, referral, expected_version=1)
    with pytest.raises(Stale):
        actions.do_record_feedback(staff.town, referral, expected_version=1, outcome="assisted", feedback="已救助")
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.outcome) == ("received", 2, "")


def test_withdrawing_needs_a_reason_and_a_closed_referral_takes_no_step(staff, household, units):
    referral = _refer(staff.village, household, units)
    with pytest.raises(ValidationFailed) as refused:
        actions.do_withdraw_referral(staff.village, referral, expected_version=1, reason="")
    assert refused.value.errors == {"reason": "请填写撤回原因"}
    referral = actions.do_withdraw_referral(staff.village, referral, expected_version=1, reason="重复转介")
    assert referral.status == "withdrawn"
    with pytest.raises(Exception) as refused:
        actions.do_record_feedback(staff.village, referral, expected_version=2, outcome="assisted", feedback="x")
    assert str(refused.value) == "转介当前处于“已撤回”环节，不能执行“登记反馈”"


def test_open_referrals_are_on_the_workbench_overdue_first_until_fed_back(staff, household, zhenxi_household, units):
    late = _refer(staff.village, household, units, kind="education", deadline_on=TODAY)
    soon = _refer(staff.village, household, units, deadline_on=LATER)
    Referral.objects.filter(pk=late.pk).update(deadline_on=TODAY - dt.timedelta(days=2))

    tasks = [t for t in open_tasks_for(staff.village) if t.workflow.name == "referrals.referral"]
    assert [(t.case.pk, t.overdue, t.step) for t in tasks] == [(late.pk, True, "已转介"), (soon.pk, False, "已转介")]
    assert {a for t in tasks for a in t.actions} >= {"确认接收", "登记反馈"}
    counts, feed = workbench_feed(staff.village)
    row = next(c for c in counts if c["label"] == "专项救助转介")
    assert (row["total"], row["overdue"]) == (2, 1)
    assert feed[0].case.pk == late.pk
    assert [t for t in open_tasks_for(staff.other_village) if t.workflow.name == "referrals.referral"] == []
    assert [t for t in open_tasks_for(staff.approver) if t.workflow.name == "referrals.referral"] == []

    actions.do_record_feedback(staff.village, late, expected_version=1, outcome="not_eligible", feedback="不符合资助条件")
    assert [t.case.pk for t in open_tasks_for(staff.village) if t.workflow.name == "referrals.referral"] == [soon.pk]


def test_counts_by_kind_and_list_filters(staff, household, zhenxi_household, units):
    a = _refer(staff.village, household, units)
    b = _refer(staff.village, household, units, kind="housing")
    _refer(staff.district, zhenxi_household, units, kind="housing")
    actions.do_record_feedback(staff.village, b, expected_version=1, outcome="passed_on", feedback="转区住建委危房改造")
    Referral.objects.filter(pk=a.pk).update(deadline_on=TODAY - dt.timedelta(days=1))

    counts = {row["kind"]: (row["total"], row["open"], row["overdue"], row["fed_back"]) for row in selectors.referral_counts_by_kind(staff.town)}
    assert counts == {"medical": (1, 1, 1, 0), "education": (0, 0, 0, 0), "housing": (1, 0, 0, 1),
                      "employment": (0, 0, 0, 0), "other": (0, 0, 0, 0)}  # fmt: skip
    district = {row["kind"]: row["total"] for row in selectors.referral_counts_by_kind(staff.district)}
    assert district["housing"] == 2
    assert [r.pk for r in selectors.list_referrals_for(staff.town, status="overdue")] == [a.pk]
    assert [r.pk for r in selectors.list_referrals_for(staff.town, kind="housing")] == [b.pk]
    assert [r.pk for r in selectors.list_referrals_for(staff.town, status="fed_back")] == [b.pk]
    assert [r.pk for r in selectors.list_referrals_for(staff.town, receiving_unit_id=units["medical"].pk)] == [a.pk]


# --- screens ----------------------------------------------------------------------------------


def test_household_page_offers_the_referral_and_the_form_refers(client, staff, household, units):
    client.force_login(staff.village_user)
    page = client.get(f"/households/{household.pk}/")
    assert page.status_code == 200
    assert f'/referrals/new/?household={household.pk}' in page.content.decode()

    form = client.get(f"/referrals/new/?household={household.pk}")
    html = form.content.decode()
    assert form.status_code == 200 and "涪陵区医疗保障局（参数待确认）" in html and "参数待确认" in html
    assert 'value="2026-12-18"' in html  # default deadline: 10 working days after 2026-12-04

    response = client.post("/referrals/new/", {
        "household": household.pk, "person": "", "kind": "medical", "receiving_unit": units["medical"].pk,
        "deadline_on": "2026-12-18", "reason": "慢性病门诊费用负担重",
    })  # fmt: skip
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == f"/referrals/{referral.pk}/"
    detail = client.get(response.url).content.decode()
    assert "涪陵区医疗保障局" in detail and "2026-12-18" in detail and "登记反馈" in detail


def test_the_form_shows_the_refusal_next_to_the_field_and_writes_nothing(client, staff, household, units):
    client.force_login(staff.village_user)
    response = client.post("/referrals/new/", {
        "household": household.pk, "kind": "medical", "receiving_unit": "", "deadline_on": "2026-12-01", "reason": "x",
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 422
    assert "请选择接收单位" in html and "反馈期限不能早于今天（2026-12-04）" in html
    assert Referral.objects.count() == 0


def test_pages_of_another_town_are_404_and_a_role_without_permission_403(client, staff, household, units):
    referral = _refer(staff.village, household, units)
    client.force_login(staff.other_town_user)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert client.get(f"/referrals/new/?household={household.pk}").status_code == 404
    assert referral.number not in client.get("/referrals/?status=").content.decode()
    response = client.post(f"/referrals/{referral.pk}/feedback/", {"version": 1, "outcome": "assisted", "feedback": "x"})
    assert response.status_code == 404
    client.force_login(staff.approver_user)
    assert client.get(f"/referrals/new/?household={household.pk}").status_code == 403
    client.force_login(staff.admin_user)
    assert client.get("/referrals/").status_code == 403
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_feedback_on_the_screen_and_a_stale_page_is_409(client, staff, household, units):
    referral = _refer(staff.village, household, units)
    client.force_login(staff.village_user)
    ok = client.post(f"/referrals/{referral.pk}/receive/", {"version": 1, "receiver_name": "医疗救助科", "received_on": "2026-12-04"})
    assert ok.status_code == 302
    stale = client.post(f"/referrals/{referral.pk}/feedback/", {"version": 1, "outcome": "assisted", "feedback": "已救助"})
    assert stale.status_code == 409 and "该转介已被其他用户处理，请刷新后重试" in stale.content.decode()
    bad = client.post(f"/referrals/{referral.pk}/feedback/", {"version": 2, "outcome": "", "feedback": ""})
    assert bad.status_code == 422 and "请选择办理结果" in bad.content.decode()
    done = client.post(f"/referrals/{referral.pk}/feedback/", {"version": 2, "outcome": "assisted", "feedback": "已救助"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("fed_back", "assisted")


def test_the_list_exports_what_it_shows_masked_and_scoped(client, staff, household, zhenxi_household, units):
    mine = _refer(staff.village, household, units, person_id=household.head.pk)
    _refer(staff.district, zhenxi_household, units)
    client.force_login(staff.town_user)
    response = client.get("/referrals/export/?status=open")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:6] == ["转介编号", "村（社区）", "户主", "转介对象", "身份证号码", "转介类别"]
    assert len(rows) == 2 and rows[1][0] == mine.number
    assert rows[1][4] == household.head.id_number_masked and "*" in rows[1][4]
    assert rows[1][6] == "涪陵区医疗保障局" and rows[1][9] == "已转介"
    assert AuditEvent.objects.filter(action="export", object_type="referral").count() == 1
    page = client.get("/referrals/?status=open").content.decode()
    assert mine.number in page and "医疗救助" in page


def test_units_are_kept_by_the_district_only(client, staff):
    client.force_login(staff.district_user)
    response = client.post("/referrals/units/", {"kind": "medical", "name": "涪陵区中心医院医务科", "contact": ""})
    assert response.status_code == 302
    assert ReceivingUnit.objects.filter(name="涪陵区中心医院医务科", provisional=False).exists()
    duplicate = client.post("/referrals/units/", {"kind": "medical", "name": "涪陵区中心医院医务科"})
    assert duplicate.status_code == 422 and "该类别下已有同名接收单位" in duplicate.content.decode()
    with pytest.raises(PermissionDenied):
        actions.do_add_receiving_unit(staff.town, kind="medical", name="某单位")


# --- API --------------------------------------------------------------------------------------


def test_api_refers_lists_counts_and_records_feedback(api_as, staff, household, units):
    api = api_as(staff.village_user)
    created = api.post("/api/v1/referrals/", {
        "household_id": household.pk, "kind": "education", "receiving_unit_id": units["education"].pk,
        "reason": "子女读高中学费困难", "deadline_on": "2026-12-18",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind_label"], body["receiving_unit"], body["status"], body["deadline_on"]) == ("教育救助", "涪陵区教育委员会", "referred", "2026-12-18")
    assert [r["id"] for r in api.get("/api/v1/referrals/", status="open").json()] == [body["id"]]
    counts = {c["kind"]: c["open"] for c in api.get("/api/v1/referrals/counts").json()}
    assert counts["education"] == 1
    done = api.post(f"/api/v1/referrals/{body['id']}/feedback", {"version": 1, "outcome": "assisted", "feedback": "已发放助学金"})
    assert done.status_code == 200 and done.json()["status"] == "fed_back"
    stale = api.post(f"/api/v1/referrals/{body['id']}/feedback", {"version": 1, "outcome": "assisted", "feedback": "x"})
    assert stale.status_code == 409


def test_api_refuses_a_referral_to_nowhere_naming_the_field(api_as, staff, household, units):
    api = api_as(staff.village_user)
    response = api.post("/api/v1/referrals/", {"household_id": household.pk, "kind": "medical", "reason": "x", "deadline_on": "2026-12-18"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "receiving_unit", "message": "请选择接收单位"}]
    response = api.post("/api/v1/referrals/", {"household_id": household.pk, "receiving_unit_id": units["medical"].pk,
                                               "reason": "x", "deadline_on": "2026-11-30"})  # fmt: skip
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "deadline_on"}
    response = api.post("/api/v1/referrals/", {"household_id": household.pk, "kind": "medical", "receiving_unit_id": units["medical"].pk,
                                               "reason": "x", "deadline_on": "明天"})  # fmt: skip
    assert response.json()["errors"] == [{"field": "deadline_on", "message": "日期格式应为 YYYY-MM-DD"}]
    assert Referral.objects.count() == 0


def test_api_of_another_town_is_404(api_as, staff, household, units):
    referral = _refer(staff.village, household, units)
    api = api_as(staff.other_town_user)
    assert api.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert api.get("/api/v1/referrals/").json() == []
    created = api.post("/api/v1/referrals/", {"household_id": household.pk, "kind": "medical", "receiving_unit_id": units["medical"].pk,
                                              "reason": "x", "deadline_on": "2026-12-18"})  # fmt: skip
    assert created.status_code == 404
    assert Referral.objects.count() == 1
