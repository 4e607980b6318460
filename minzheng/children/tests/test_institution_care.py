"""儿童福利院 (the 100-bed institution of the key project: capacity, admission and discharge
with reasons, occupancy, the link to 机构养育 orphans); a left-behind child's assessment and
关爱服务 plan and a visit recorded from the child's file; the protection network's coverage
by town and village on the map; the dashboard's allowances paid."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.api.auth import issue_token
from minzheng.assistance import payroll
from minzheng.assistance.models import Enrolment
from minzheng.children import actions, demo_care, selectors
from minzheng.children.demo import KEY_PROJECT, key_project_figures
from minzheng.children.enums import Placement, Status
from minzheng.children.file import child_file
from minzheng.children.models import CarePlan, InstitutionResident, LeftBehindAssessment
from minzheng.children.tests.test_recognition import recognise
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.discovery.actions import do_register_left_behind
from minzheng.discovery.models import Visit

pytestmark = pytest.mark.django_db
TIANZIDIAN = "500102007010"  # 天子殿社区, 崇义街道


@pytest.fixture
def home(staff):
    beds, area = key_project_figures()
    return actions.do_save_institution(
        staff.district,
        actions.InstitutionInput(name="涪陵区儿童福利院", division_code=TIANZIDIAN, beds=beds, floor_area_m2=area, source=KEY_PROJECT),
    )


def admit(staff, home, child, reason="orphan", **kw):
    return actions.do_admit_child(staff.district, home, person_id=child.pk, admitted_on=dt.date(2026, 12, 1), reason=reason, **kw)


def test_the_key_project_figures():
    assert key_project_figures() == (100, 3500)


def test_an_orphan_admitted_is_linked_and_paid_the_institutional_amount(staff, home, child, guardian):
    r = recognise(staff, child, guardian)
    assert (r.placement, r.amount_fen) == (Placement.SCATTERED, 165100)
    resident = admit(staff, home, child, note="祖父年迈无力抚养")
    r.refresh_from_db()
    assert (resident.recognition_id, r.placement, r.amount_fen) == (r.pk, Placement.INSTITUTIONAL, 185100)
    assert Enrolment.objects.get(pk=r.enrolment_id).amount_fen == 185100
    assert payroll.run_payroll(Actor.system("测试"), program="orphan_allowance", period="2027-01").total_fen == 185100
    assert selectors.occupancy(home) == {"beds": 100, "residents": 1, "free": 99, "rate": 1.0}
    assert list(selectors.institutional_without_residency(staff.district)) == []
    assert AuditEvent.objects.filter(object_type="institution_resident", action="create").count() == 1
    # 被依法收养: discharged, the recognition and its allowance end this month
    resident = actions.do_discharge_child(staff.district, resident, expected_version=resident.version,
                                          discharged_on=dt.date(2026, 12, 4), reason="adopted")
    r.refresh_from_db()
    assert (resident.discharge_reason, r.status, r.end_reason) == ("adopted", Status.ENDED, "adopted")
    assert Enrolment.objects.get(pk=r.enrolment_id).end_month == dt.date(2026, 12, 1)
    assert selectors.occupancy(home)["residents"] == 0


def test_admission_refusals_write_nothing(staff, home, child, guardian, make_person):
    with pytest.raises(ValidationFailed) as e:
        admit(staff, home, child)
    assert e.value.errors == {"admission_reason": "该儿童尚无已认定的孤儿认定，请先办理认定"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_admit_child(staff.district, home, person_id=child.pk, admitted_on=None, reason="x")
    assert e.value.errors == {"admission_reason": "请选择入院原因", "admitted_on": "请填写入院日期（不晚于今天）"}
    with pytest.raises(ValidationFailed) as e:
        admit(staff, home, child, reason="other")
    assert e.value.errors == {"admission_note": "请填写入院说明"}
    adult = make_person("500102006001", "成年", birth="20000101")
    with pytest.raises(ValidationFailed) as e:
        admit(staff, home, adult, reason="abandoned")
    assert e.value.errors == {"person_id": "该人员已年满18周岁，不属于儿童"}
    for actor in (staff.town, staff.village):
        with pytest.raises(PermissionDenied):
            actions.do_admit_child(actor, home, person_id=child.pk, admitted_on=dt.date(2026, 12, 1), reason="abandoned")
    assert not InstitutionResident.objects.exists()
    admit(staff, home, child, reason="abandoned")
    with pytest.raises(ValidationFailed) as e:
        admit(staff, home, child, reason="abandoned")
    assert e.value.errors == {"person_id": "该儿童已在院，不能重复入院"}


def test_the_beds_are_the_limit(staff, child, make_person):
    small = actions.do_save_institution(staff.district, actions.InstitutionInput(name="小机构", division_code=TIANZIDIAN, beds=1))
    admit(staff, small, child, reason="abandoned")
    other = make_person("500102006001", "李小花", birth="20160101")
    with pytest.raises(ValidationFailed) as e:
        admit(staff, small, other, reason="abandoned")
    assert e.value.errors == {"person_id": "床位已满（1张床位，在院1人），不能收住"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_institution(staff.district, actions.InstitutionInput(name="小机构", division_code=TIANZIDIAN, beds=0), institution=small)
    assert e.value.errors == {"beds": "床位数应大于0"}


def test_discharge_refusals(staff, home, child):
    resident = admit(staff, home, child, reason="abandoned")
    with pytest.raises(ValidationFailed) as e:
        actions.do_discharge_child(staff.district, resident, expected_version=resident.version, discharged_on=dt.date(2026, 11, 1), reason="y")
    assert e.value.errors == {"discharge_reason": "请选择离院原因", "discharged_on": "离院日期应在入院日期至今天之间"}
    with pytest.raises(DomainError) as e:
        actions.do_discharge_child(staff.district, resident, expected_version=resident.version + 1, discharged_on=dt.date(2026, 12, 3), reason="returned")
    assert e.value.message == "该入院记录已被其他用户处理，请刷新后重试"
    with pytest.raises(PermissionDenied):
        actions.do_discharge_child(staff.town, resident, expected_version=resident.version, discharged_on=dt.date(2026, 12, 3), reason="returned")
    resident.refresh_from_db()
    assert resident.discharged_on is None
    resident = actions.do_discharge_child(staff.district, resident, expected_version=resident.version, discharged_on=dt.date(2026, 12, 3), reason="returned")
    with pytest.raises(DomainError) as e:
        actions.do_discharge_child(staff.district, resident, expected_version=resident.version, discharged_on=dt.date(2026, 12, 3), reason="returned")
    assert e.value.message == "该儿童已离院"


def test_institution_screens_scoped_and_at_the_phone(client, staff, home, child, guardian, make_person):
    recognise(staff, child, guardian)
    admit(staff, home, child)
    client.force_login(staff.district_user)
    page = client.get(f"/children/institutions/{home.pk}/").content.decode()
    assert "100 张" in page and "3,500 平方米" in page and "王小明" in page and "入住率 1.0%" in page
    assert decrypt_text(child.id_number_encrypted) not in page
    # the admission form: bad input is refused next to its field, nothing written
    bad = client.post(f"/children/institutions/{home.pk}/admit/", {"id_number": "123", "admission_reason": "abandoned", "admitted_on": "2026-12-01"})
    assert bad.status_code == 400 and InstitutionResident.objects.count() == 1
    other = make_person("500102006001", "李小花", birth="20160101")
    ok = client.post(f"/children/institutions/{home.pk}/admit/", {
        "id_number": decrypt_text(other.id_number_encrypted), "admission_reason": "abandoned", "admitted_on": "2026-12-02"})
    assert ok.status_code == 302 and InstitutionResident.objects.count() == 2
    # another town sees the facility and its beds, never a 敦仁 child in it
    client.get(f"/children/institutions/{home.pk}/")  # the success message shown
    client.force_login(staff.other_town_user)
    page = client.get(f"/children/institutions/{home.pk}/").content.decode()
    assert "100 张" in page and "王小明" not in page and "李小花" not in page
    assert client.post(f"/children/institutions/{home.pk}/admit/", {}).status_code == 403
    resident = InstitutionResident.objects.get(person=child)
    assert client.post(f"/children/residents/{resident.pk}/discharge/", {}).status_code == 403
    client.force_login(staff.district_user)
    assert client.get("/children/institutions/").status_code == 200
    # the child's file lists the stay
    client.force_login(staff.village_user)
    assert "涪陵区儿童福利院 · 2026-12-01入院" in client.get(f"/children/files/{child.pk}/").content.decode()


# ----------------------------------------------------------------------------------------------
# Left-behind children
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def left_behind(staff, child):
    return do_register_left_behind(staff.village, child, category="child", guardian="祖父 王大爷", risk_level="medium")


def test_assessment_and_care_plan_beside_the_visits(staff, child, left_behind):
    a = actions.do_assess_left_behind_child(
        staff.village, child, assessed_on=dt.date(2026, 12, 3), safety="good", guardianship="watch", health="good",
        risk_level="medium", findings="祖父年迈，作业无人辅导",
    )
    plan = actions.do_save_care_plan(staff.village, child, measures=["tutoring", "guardian_guidance"], responsible="刘主任",
                                     review_on=dt.date(2027, 3, 4), detail="每周两次课后辅导")
    assert (plan.assessment_id, plan.current, plan.measure_labels) == (a.pk, True, ["课后辅导", "监护指导"])
    second = actions.do_save_care_plan(staff.town, child, measures=["counselling"], responsible="陈社工", review_on=dt.date(2027, 6, 1))
    assert list(CarePlan.objects.filter(current=True).values_list("pk", flat=True)) == [second.pk]

    f = child_file(staff.village, child.pk)
    assert [x.pk for x in f.assessments] == [a.pk] and [p.pk for p in f.care_plans] == [second.pk, plan.pk]
    assert f.visit_cadence == "每季度走访一次（农村留守儿童）"


def test_assessment_and_plan_refusals(staff, child, make_person, left_behind):
    with pytest.raises(ValidationFailed) as e:
        actions.do_assess_left_behind_child(staff.village, child, assessed_on=None, safety="x", guardianship="good", health="good", risk_level="", findings=" ")
    assert e.value.errors == {"safety": "请选择评估结果", "risk_level": "请选择风险等级", "assessed_on": "请填写评估日期（不晚于今天）", "findings": "请填写评估情况"}
    not_left_behind = make_person("500102006001", "李小花", birth="20160101")
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_care_plan(staff.village, not_left_behind, measures=["tutoring"], responsible="x", review_on=dt.date(2027, 1, 1))
    assert e.value.errors == {"person_id": "该儿童不在农村留守儿童名册中，请先在三留守名册登记"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_care_plan(staff.village, child, measures=[], responsible="", review_on=dt.date(2026, 12, 4))
    assert e.value.errors == {"measures": "请至少选择一项关爱服务措施", "responsible": "请填写责任人", "review_on": "复评日期应晚于今天"}
    with pytest.raises(ValidationFailed) as e:  # 珍溪 village: the child is not in its scope
        actions.do_save_care_plan(staff.other_village, child, measures=["tutoring"], responsible="x", review_on=dt.date(2027, 1, 1))
    assert e.value.errors == {"person_id": "未找到该人员，或该人员不在您的管辖范围内"}
    with pytest.raises(PermissionDenied):
        actions.do_save_care_plan(staff.district, child, measures=["tutoring"], responsible="x", review_on=dt.date(2027, 1, 1))
    assert not LeftBehindAssessment.objects.exists() and not CarePlan.objects.exists()


def test_file_page_records_a_visit_an_assessment_and_a_plan(client, staff, child, left_behind):
    client.force_login(staff.village_user)
    page = client.get(f"/children/files/{child.pk}/").content.decode()
    assert 'id="visit-form"' in page and 'id="assessment-form"' in page and 'id="care-plan-form"' in page
    assert "参数待确认" in page
    bad = client.post(f"/children/files/{child.pk}/visit/", {"visited_at": "2026-12-04T08:00", "risk_level_after": "medium"})
    assert bad.status_code == 400 and "请填写走访地点" in bad.content.decode() and not Visit.objects.exists()
    ok = client.post(f"/children/files/{child.pk}/visit/", {
        "visited_at": "2026-12-04T08:00", "place": "家中", "findings": "学习生活正常", "risk_level_after": "low"})
    assert ok.status_code == 302 and Visit.objects.get().findings == "学习生活正常"
    assert client.post(f"/children/files/{child.pk}/assessment/", {
        "assessed_on": "2026-12-04", "safety": "good", "guardianship": "good", "health": "watch", "risk_level": "low", "findings": "情绪低落"}).status_code == 302
    assert client.post(f"/children/files/{child.pk}/care-plan/", {
        "measures": ["counselling"], "responsible": "刘主任", "review_on": "2027-03-04"}).status_code == 302
    page = client.get(f"/children/files/{child.pk}/").content.decode()
    assert "学习生活正常" in page and "情绪低落" in page and "心理疏导 · 责任人 刘主任 · 复评 2027-03-04" in page
    for user in (staff.other_village_user, staff.other_town_user):
        client.force_login(user)
        assert client.post(f"/children/files/{child.pk}/visit/", {"visited_at": "2026-12-04T08:00", "place": "x", "findings": "x", "risk_level_after": "low"}).status_code == 404
        assert client.post(f"/children/files/{child.pk}/care-plan/", {"measures": ["counselling"], "responsible": "x", "review_on": "2027-03-04"}).status_code == 404
    assert Visit.objects.count() == 1 and CarePlan.objects.count() == 1


# ----------------------------------------------------------------------------------------------
# The network on the map; the dashboard's figures; the API
# ----------------------------------------------------------------------------------------------


def test_network_coverage_by_town_and_village(client, staff):
    actions.do_save_station(staff.district, actions.StationInput(division_code="500102006", name="敦仁街道未成年人保护工作站", established_on=dt.date(2022, 3, 1)))
    actions.do_appoint_child_worker(staff.town, role="director", name="刘主任", division_code="500102006001", appointed_on=dt.date(2025, 3, 1))
    coverage = selectors.network_coverage(staff.town)
    [dunren] = coverage["towns"]
    assert (dunren["name"], dunren["station"], dunren["supervisor"], dunren["directors"]) == ("敦仁街道", True, False, 1)
    assert coverage["villages_with_director"] == 1 and len(coverage["villages"]) == dunren["villages"]
    assert [v["director"] for v in coverage["villages"] if v["code"] == "500102006001"] == [True]
    district = selectors.network_coverage(staff.district)
    assert len(district["towns"]) == 27 and district["towns_with_station"] == 1
    client.force_login(staff.town_user)
    page = client.get("/children/network/").content.decode()
    assert 'id="network-map-data"' in page and "1 / 1" in page and "大东门社区" not in page.split("未配备儿童主任的村")[1]
    client.force_login(staff.other_village_user)
    page = client.get("/children/network/").content.decode()
    assert "敦仁街道" not in page


def test_workers_screens(client, staff):
    client.force_login(staff.town_user)
    bad = client.post("/children/workers/", {"role": "director", "division_code": "500102006", "name": "", "appointed_on": "2026-01-01"})
    assert bad.status_code == 400 and "请填写姓名" in bad.content.decode()
    assert client.post("/children/workers/", {"role": "director", "division_code": "500102006001", "name": "刘主任", "appointed_on": "2026-01-01"}).status_code == 302
    worker = selectors.list_child_workers_for(staff.town).get()
    assert client.post(f"/children/workers/{worker.pk}/training/", {"on": "2026-11-20", "topic": "强制报告制度", "hours": "4"}).status_code == 302
    assert "强制报告制度" in client.get("/children/stations/").content.decode()
    client.force_login(staff.other_town_user)
    assert client.post(f"/children/workers/{worker.pk}/training/", {"on": "2026-11-20", "topic": "x", "hours": "1"}).status_code == 404
    client.force_login(staff.village_user)
    assert client.post("/children/workers/", {"role": "director"}).status_code == 403


def test_allowances_paid_this_month_on_the_home_page_and_the_api(client, staff, child, guardian, make_person, travel):
    recognise(staff, child, guardian)
    other = make_person("500102006001", "李小花", birth="20160101")
    recognise(staff, other, None, placement=Placement.INSTITUTIONAL)
    travel(dt.date(2027, 1, 5))
    payroll.run_payroll(Actor.system("测试"), program="orphan_allowance", period="2027-01")
    paid = selectors.allowances_paid(staff.town)
    assert (paid["period"], paid["persons"], paid["amount_fen"]) == ("2027-01", 2, 165100 + 185100)
    assert selectors.allowances_paid(staff.other_town)["persons"] == 0
    client.force_login(staff.town_user)
    page = client.get("/children/").content.decode()
    assert "2 人 · 3,502.00 元" in page and 'id="count-orphan">2 人' in page
    token, _ = issue_token(staff.town_user)
    data = client.get("/api/v1/children/summary", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert data["recognised_by_category"]["orphan"] == 2
    assert data["allowances_paid"] == {"period": "2027-01", "persons": 2, "amount_fen": 350200,
                                       "by_category": {"orphan": {"persons": 2, "amount_fen": 350200}, "de_facto_unsupported": {"persons": 0, "amount_fen": 0}}}


def test_api_file_institutions_and_care(client, staff, home, child, guardian, left_behind):
    recognise(staff, child, guardian)
    admit(staff, home, child)
    actions.do_save_care_plan(staff.village, child, measures=["tutoring"], responsible="刘主任", review_on=dt.date(2027, 3, 4))

    def get(user, url):
        token, _ = issue_token(user)
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    f = get(staff.village_user, f"/api/v1/children/files/{child.pk}").json()
    assert (f["name"], f["id_number_masked"], f["age"]) == ("王小明", child.id_number_masked, 11)
    assert [a["program"] for a in f["allowances"]] == ["孤儿保障金"]
    assert f["residencies"][0]["institution"] == "涪陵区儿童福利院" and f["care_plans"][0]["measures"] == ["课后辅导"]
    assert "id_number" not in str(f).replace("id_number_masked", "")
    for user in (staff.other_village_user, staff.other_town_user):
        assert get(user, f"/api/v1/children/files/{child.pk}").status_code == 404
    inst = get(staff.other_town_user, "/api/v1/children/institutions").json()
    assert [(i["name"], i["beds"], i["residents"]) for i in inst] == [("涪陵区儿童福利院", 100, 1)]
    assert get(staff.other_town_user, f"/api/v1/children/institutions/{home.pk}/residents").json() == []
    assert [r["child_name"] for r in get(staff.town_user, f"/api/v1/children/institutions/{home.pk}/residents").json()] == ["王小明"]
    net = get(staff.town_user, "/api/v1/children/network").json()
    assert [t["name"] for t in net["towns"]] == ["敦仁街道"]


def test_demo_care_assesses_and_plans_for_left_behind_children_once(staff, child, left_behind):
    actions.do_appoint_child_worker(staff.town, role="director", name="刘主任", division_code="500102006001", appointed_on=dt.date(2025, 3, 1))
    assert demo_care.seed_demo(seed=1) == {"assessments": 1, "care_plans": 1}
    plan = CarePlan.objects.get()
    assert (plan.person_id, plan.responsible, plan.review_on, plan.measure_labels) == (child.pk, "刘主任", dt.date(2027, 3, 4), ["课后辅导", "监护指导"])
    assert demo_care.seed_demo(seed=1) == {"assessments": 0, "care_plans": 0}
