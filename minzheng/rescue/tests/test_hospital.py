"""送医救治 with follow-through: the hospital stay (sent, returned, and how it ended), the bed
kept while the person is in hospital, the daily record's 送医救治 opening it, a death in
hospital (reported to the registry only when the person is linked, ADR 0004), the workbench item
of a stay open too long, the daily report's count; refusals write nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from minzheng.api.auth import issue_token
from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import workbench_feed
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.registry.models import DeathReport
from minzheng.rescue import actions, reports
from minzheng.rescue.models import BedAssignment, HospitalStay

from .conftest import DADONGMEN

pytestmark = pytest.mark.django_db
D = dt.date


def send(actor, case, **kw):
    data = dict(hospital="涪陵中心医院", reason="高热不退，疑似肺炎", sent_on=D(2026, 12, 2), escort="李明")
    data.update(kw)
    return actions.do_send_to_hospital(actor, case, **data)


def back(actor, case, **kw):
    case.refresh_from_db()
    data = dict(expected_version=case.version, returned_on=D(2026, 12, 4), outcome="returned", note="")
    data.update(kw)
    return actions.do_record_hospital_return(actor, case, **data)


def state_of(case):
    case.refresh_from_db()
    return (case.status, case.version)


def labels(case):
    return list(CaseEvent.objects.filter(workflow="rescue.case", case_id=case.pk).order_by("id").values_list("label", flat=True))


def test_send_to_hospital_and_back_keeps_the_bed(staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="010").pk)  # arrived 2026-12-01
    stay = send(staff.station, case)
    assert (stay.hospital, stay.reason, stay.sent_on, stay.escort, stay.review_on, stay.returned_on, stay.outcome) == (
        "涪陵中心医院", "高热不退，疑似肺炎", D(2026, 12, 2), "李明", D(2027, 1, 1), None, "",
    )  # fmt: skip
    # The bed is kept for the person while in hospital.
    assert BedAssignment.objects.get(case=case, end_on__isnull=True).bed.number == "010"
    version = case.version
    stay = back(staff.station, case)
    case.refresh_from_db()
    assert (stay.returned_on, stay.outcome, stay.get_outcome_display(), case.status, case.version) == (
        D(2026, 12, 4), "returned", "出院返回救助管理站", "in_station", version + 1,
    )  # fmt: skip
    assert BedAssignment.objects.get(case=case, end_on__isnull=True).bed.number == "010"
    assert labels(case) == ["入站登记", "送医救治", "出院返回救助管理站"]
    assert list(AuditEvent.objects.filter(object_type="rescue.case", object_id=str(case.pk)).values_list("summary", flat=True).order_by("id"))[-2:] == [
        f"送医救治（涪陵中心医院）：{case.number}", f"送医救治结束（出院返回救助管理站）：{case.number}",
    ]  # fmt: skip
    # A second stay may follow, not before the first ended.
    with pytest.raises(ValidationFailed) as e:
        send(staff.station, case, sent_on=D(2026, 12, 3))
    assert e.value.errors == {"sent_on": "送医日期不能早于上次出院日期（2026-12-04）"}
    assert send(staff.station, case, sent_on=D(2026, 12, 4)).sent_on == D(2026, 12, 4)


def test_refusals_write_nothing(staff, station, take_in):
    case = take_in()
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        send(staff.station, case, hospital=" ", reason="", escort="", sent_on=D(2026, 11, 30))
    assert e.value.errors == {
        "hospital": "请填写医院名称", "reason": "请填写送医原因", "escort": "请填写护送经办人", "sent_on": "送医日期不能早于入站日期（2026-12-01）",
    }  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        send(staff.station, case, sent_on=D(2026, 12, 5))
    assert e.value.errors == {"sent_on": "送医日期不能晚于今天"}
    with pytest.raises(ValidationFailed) as e:
        send(staff.station, case, sent_on=None)
    assert e.value.errors == {"sent_on": "请填写送医日期"}
    with pytest.raises(PermissionDenied):
        send(staff.town, case)
    with pytest.raises(PermissionDenied):
        send(staff.district, case)  # the bureau's 科室人员 are not the station's staff
    with pytest.raises(NotFound):
        send(staff.zhenxi_staff, case)  # the station's role, a town's scope
    with pytest.raises(DomainError) as e:
        back(staff.station, case)
    assert e.value.message == "该受助人员没有在院救治记录"
    assert (HospitalStay.objects.count(), AuditEvent.objects.count()) == (0, audits)

    send(staff.station, case)
    audits, version = AuditEvent.objects.count(), state_of(case)
    with pytest.raises(ValidationFailed) as e:
        send(staff.station, case, sent_on=D(2026, 12, 3))
    assert e.value.errors == {"sent_on": "该受助人员在院救治中（涪陵中心医院，2026-12-02送医），请先登记出院结果"}
    with pytest.raises(ValidationFailed) as e:
        back(staff.station, case, returned_on=D(2026, 12, 1), outcome="lost")
    assert e.value.errors == {"returned_on": "出院日期不能早于送医日期（2026-12-02）", "outcome": "请选择出院结果"}
    with pytest.raises(ValidationFailed) as e:
        back(staff.station, case, returned_on=D(2026, 12, 5), outcome="died")
    assert e.value.errors == {"returned_on": "出院日期不能晚于今天", "note": "请填写死亡情况（死亡时间、死亡医学证明编号）"}
    with pytest.raises(PermissionDenied):
        back(staff.town, case)
    with pytest.raises(NotFound):
        back(staff.zhenxi_staff, case)
    # Nobody leaves, is handed over or refused while in hospital.
    with pytest.raises(ValidationFailed) as e:
        actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 3), reason="本人要求离站")
    assert e.value.errors == {"left_on": "该受助人员在院救治中（涪陵中心医院，2026-12-02送医），请先登记出院结果"}
    assert (HospitalStay.objects.filter(returned_on__isnull=True).count(), AuditEvent.objects.count(), state_of(case)) == (1, audits, version)


def test_the_daily_records_hospital_opens_the_stay_once(staff, station, take_in):
    case = take_in()
    record = actions.do_record_day(staff.station, case, day=D(2026, 12, 2), meals=1, medical="hospital", hospital="涪陵中心医院", note="发热送医")
    stay = HospitalStay.objects.get(case=case)
    assert (stay.hospital, stay.reason, stay.sent_on, stay.escort, stay.returned_on) == ("涪陵中心医院", "发热送医", D(2026, 12, 2), record.recorded_by, None)
    # In hospital the next day: the day is recorded, the stay stays the one open.
    actions.do_record_day(staff.station, case, day=D(2026, 12, 3), meals=0, medical="hospital", hospital="涪陵中心医院")
    assert HospitalStay.objects.filter(case=case).count() == 1


def test_discharged_and_left_ends_the_case_and_frees_the_bed(staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="010").pk)
    send(staff.station, case)
    back(staff.station, case, outcome="discharged", note="出院后拒绝返站，自行离开")
    case.refresh_from_db()
    assert (case.status, case.left_on) == ("left", D(2026, 12, 4))
    assert BedAssignment.objects.get(case=case).end_on == D(2026, 12, 4)
    assert labels(case)[-1] == "自行离站"


def test_transferred_for_long_term_care_frees_the_bed_and_keeps_the_case(staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="010").pk)
    send(staff.station, case)
    stay = back(staff.station, case, outcome="transferred", note="转涪陵精神卫生中心长期托养（托养协议2026-15号）")
    case.refresh_from_db()
    assert (stay.outcome, case.status, case.left_on) == ("transferred", "in_station", None)
    assert BedAssignment.objects.get(case=case).end_on == D(2026, 12, 4)


def test_death_in_hospital_of_an_unknown_person_closes_the_case(staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="010").pk)
    send(staff.station, case)
    back(staff.station, case, outcome="died", note="12月4日凌晨抢救无效死亡，死亡医学证明书编号N500102000123")
    case.refresh_from_db()
    assert (case.status, case.get_status_display(), case.left_on) == ("died", "死亡", D(2026, 12, 4))
    assert BedAssignment.objects.get(case=case).end_on == D(2026, 12, 4)
    assert labels(case)[-1] == "在院死亡"
    assert DeathReport.objects.count() == 0
    with pytest.raises(ValidationFailed):
        actions.do_record_day(staff.station, case, day=D(2026, 12, 4), meals=0)


def test_death_in_hospital_of_a_registry_person_is_reported_to_the_village(staff, station, take_in, make_person):
    person = make_person(DADONGMEN, "刘长贵", birth="19500315")
    case = take_in(name="刘长贵", id_number=decrypt_text(person.id_number_encrypted))
    assert case.person_id == person.pk
    send(staff.station, case)
    back(staff.station, case, outcome="died", returned_on=D(2026, 12, 3), note="抢救无效死亡，死亡医学证明书编号N500102000124")
    report = DeathReport.objects.get(person=person)
    assert (report.status, report.source, report.death_date, report.reference) == (
        "pending", "health", D(2026, 12, 3), f"救助管理站受助记录{case.number}，涪陵中心医院在院死亡",
    )  # fmt: skip
    person.refresh_from_db()
    assert person.is_deceased is False  # the village checks it (ADR 0004)


def test_a_stay_open_past_the_review_days_is_on_the_workbench(staff, station, take_in, travel):
    case = take_in()
    send(staff.station, case)  # review on 2027-01-01 (30 days, working default)
    assert all(c["workflow"] != "rescue.hospital" for c in workbench_feed(staff.station)[0])
    travel(D(2027, 1, 2))
    counts_, tasks = workbench_feed(staff.station)
    row = next(c for c in counts_ if c["workflow"] == "rescue.hospital")
    assert (row["label"], row["total"], row["overdue"], row["near"]) == ("在院超期复核", 1, 1, 0)
    item = next(t for t in tasks if t.label == "在院超期复核")
    assert (item.title, item.step, item.deadline, item.overdue, item.url) == (
        case.number, "涪陵中心医院，2026-12-02送医，在院31天", D(2027, 1, 1), True, f"/rescue/cases/{case.pk}/",
    )  # fmt: skip
    for actor in (staff.town, staff.zhenxi_staff, staff.leader, staff.district):
        assert all(c["workflow"] != "rescue.hospital" for c in workbench_feed(actor)[0])
    back(staff.station, case, returned_on=D(2027, 1, 2))
    assert all(c["workflow"] != "rescue.hospital" for c in workbench_feed(staff.station)[0])


def test_the_daily_report_counts_people_in_hospital(staff, station, take_in):
    first, second = take_in(), take_in()
    take_in()
    send(staff.station, first)
    send(staff.station, second, sent_on=D(2026, 12, 3), hospital="涪陵区人民医院")
    back(staff.station, first, returned_on=D(2026, 12, 4))
    assert [reports.daily_report(staff.station, station, D(2026, 12, d))["in_hospital"] for d in (1, 2, 3, 4)] == [0, 1, 2, 1]
    report = reports.daily_report(staff.station, station, D(2026, 12, 3))
    assert report["hospital_rows"] == [
        (first.number, first.name, "涪陵中心医院", "2026-12-02", "1"),
        (second.number, second.name, "涪陵区人民医院", "2026-12-03", "0"),
    ]
    wb = load_workbook(io.BytesIO(reports.daily_xlsx(report)))
    assert [[c.value for c in row] for row in wb["在院救治"].iter_rows()] == [
        ["受助编号", "姓名", "医院", "送医日期", "在院天数"],
        [first.number, "不详", "涪陵中心医院", "2026-12-02", "1"],
        [second.number, "不详", "涪陵区人民医院", "2026-12-03", "0"],
    ]


def test_the_case_page_and_the_station_home_show_the_stay(client, staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="010").pk)
    client.force_login(staff.station_user)
    page = f"/rescue/cases/{case.pk}/"
    assert "送医救治" in client.get(page).content.decode() and "登记出院结果" not in client.get(page).content.decode()
    url = f"/rescue/cases/{case.pk}/step/hospital/"
    good = {"version": case.version, "hospital": "涪陵中心医院", "reason": "高热不退", "sent_on": "2026-12-02", "escort": "李明"}
    response = client.post(url, {**good, "sent_on": "2026-11-30", "escort": ""})
    html = response.content.decode()
    assert response.status_code == 422 and "送医日期不能早于入站日期（2026-12-01）" in html and "请填写护送经办人" in html
    client.force_login(staff.town_user)
    assert client.post(url, good).status_code == 403
    client.force_login(staff.zhenxi_staff_user)
    assert client.post(url, good).status_code == 404
    assert HospitalStay.objects.count() == 0
    client.force_login(staff.station_user)
    assert client.post(url, good).status_code == 302
    html = client.get(page).content.decode()
    assert "已办理“送医救治”。" in html and "010号床（在院期间保留）" in html and "涪陵中心医院，2026-12-02送医" in html
    assert "在院第2天" in html and "登记出院结果" in html
    home = client.get("/rescue/").content.decode()
    assert case.number in home and "<td>涪陵中心医院</td><td>2026-12-02</td><td>2天</td>" in home
    back_url = f"/rescue/cases/{case.pk}/step/hospital_return/"
    case.refresh_from_db()
    response = client.post(back_url, {"version": case.version, "returned_on": "2026-12-01", "outcome": ""})
    assert response.status_code == 422 and "请选择出院结果" in response.content.decode()
    assert client.post(back_url, {"version": case.version + 1, "returned_on": "2026-12-04", "outcome": "returned"}).status_code == 409
    assert client.post(back_url, {"version": case.version, "returned_on": "2026-12-04", "outcome": "returned"}).status_code == 302
    html = client.get(page).content.decode()
    assert "2026-12-04出院返回救助管理站，在院2天" in html
    assert "无在院救治人员。" in client.get("/rescue/").content.decode()


def test_the_case_api_shows_the_stays_read_only(client, staff, station, take_in):
    case = take_in()
    send(staff.station, case)
    back(staff.station, case, returned_on=D(2026, 12, 3))
    send(staff.station, case, sent_on=D(2026, 12, 4), hospital="涪陵区人民医院", reason="摔伤")
    token, _ = issue_token(staff.station_user)
    r = client.get(f"/api/v1/rescue/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"})
    assert r.json()["hospital_stays"] == [
        {"hospital": "涪陵中心医院", "reason": "高热不退，疑似肺炎", "sent_on": "2026-12-02", "escort": "李明", "days": 1, "review_on": "2027-01-01",
         "returned_on": "2026-12-03", "outcome": "returned", "outcome_label": "出院返回救助管理站", "note": ""},
        {"hospital": "涪陵区人民医院", "reason": "摔伤", "sent_on": "2026-12-04", "escort": "李明", "days": 0, "review_on": "2027-01-03",
         "returned_on": None, "outcome": "", "outcome_label": "", "note": ""},
    ]  # fmt: skip
    token, _ = issue_token(staff.zhenxi_staff_user)
    assert client.get(f"/api/v1/rescue/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"}).status_code == 404
