"""精神障碍社区康复 files: one per person, diagnosis category and guardian's phone encrypted at
rest; only the rehabilitation staff (town officer, district staff) of the person's divisions
read them — every other role and every other division is refused by page, API, search,
export and count — and every read is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.referrals import actions, selectors
from minzheng.referrals.access import access_rehab_file_by_id, diagnosis_label
from minzheng.referrals.models import RehabFile, RehabService
from minzheng.referrals.tests.conftest import TODAY

FILE = {"diagnosis": "bipolar", "guardian_name": "陈国强", "guardian_relation": "配偶",
        "guardian_phone": "13812345678", "institution": "涪陵区精神卫生中心社区康复站"}  # fmt: skip


@pytest.fixture
def rehab_file(staff, household):
    return actions.do_open_rehab_file(staff.town, person_id=household.head.pk, **FILE)


def test_one_file_per_person_with_the_diagnosis_and_phone_encrypted(staff, household, rehab_file):
    raw = RehabFile.objects.values("diagnosis_encrypted", "guardian_phone_encrypted", "guardian_phone_masked").get()
    assert "bipolar" not in raw["diagnosis_encrypted"] and raw["diagnosis_encrypted"].startswith("v1:")
    assert "13812345678" not in raw["guardian_phone_encrypted"]
    assert raw["guardian_phone_masked"] == "138****5678"
    assert diagnosis_label(rehab_file) == "双相（情感）障碍"
    with pytest.raises(ValidationFailed) as refused:
        actions.do_open_rehab_file(staff.district, person_id=household.head.pk, **FILE)
    assert refused.value.errors == {"person": "该人员已有社区康复档案"}


def test_bad_input_is_refused_naming_each_field_and_writes_nothing(staff, household):
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        actions.do_open_rehab_file(
            staff.town, person_id=household.head.pk, diagnosis="病历全文", guardian_name="", guardian_relation="",
            guardian_phone="12ab", institution="",
        )
    assert refused.value.errors == {
        "diagnosis": "请选择诊断类别", "guardian_name": "请填写监护人姓名", "guardian_relation": "请填写监护人与本人关系",
        "guardian_phone": "监护人电话应为7至12位数字", "institution": "请填写康复机构",
    }  # fmt: skip
    assert RehabFile.objects.count() == 0 and AuditEvent.objects.count() == audits


def test_services_received_and_closing(staff, rehab_file):
    actions.do_record_rehab_service(staff.town, rehab_file, served_on=TODAY, content="社交技能训练", provider="社区康复站")
    with pytest.raises(ValidationFailed) as refused:
        actions.do_record_rehab_service(staff.town, rehab_file, served_on=TODAY + dt.timedelta(days=1), content="", provider="x")
    assert refused.value.errors == {"served_on": "服务日期不能晚于今天", "content": "请填写服务内容"}
    assert [s.content for s in selectors.rehab_services(staff.town, rehab_file)] == ["社交技能训练"]
    closed = actions.do_close_rehab_file(staff.district, rehab_file, reason="迁出本区")
    assert (closed.status, closed.closed_on) == ("closed", TODAY)
    with pytest.raises(Exception) as refused:
        actions.do_record_rehab_service(staff.town, closed, served_on=TODAY, content="x", provider="y")
    assert str(refused.value) == "该康复档案已结束，不能再登记服务"
    assert RehabService.objects.count() == 1


OTHER_ROLES = ("village", "approver", "leader", "admin", "other_village")


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_are_refused_by_action_list_search_count_and_file(staff, household, rehab_file, who):
    actor = getattr(staff, who)
    with pytest.raises(PermissionDenied):
        access_rehab_file_by_id(actor, rehab_file.pk)
    for call in (
        lambda: selectors.rehab_files_for(actor),
        lambda: selectors.rehab_files_for(actor, q="陈"),
        lambda: selectors.rehab_files_for(actor, purpose="export"),
        lambda: selectors.rehab_counts(actor),
        lambda: actions.do_open_rehab_file(actor, person_id=household.head.pk, **FILE),
        lambda: actions.do_record_rehab_service(actor, rehab_file, served_on=TODAY, content="x", provider="y"),
    ):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_are_refused_by_page_api_search_export_and_count(client, api_as, staff, rehab_file, who):
    user = getattr(staff, f"{who}_user")
    client.force_login(user)
    for url in ("/referrals/rehab/", "/referrals/rehab/?q=陈", "/referrals/rehab/export/", f"/referrals/rehab/{rehab_file.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "双相" not in response.content.decode()
    assert "/referrals/rehab/" not in client.get("/").content.decode()  # not in the navigation
    api = api_as(user)
    for url in ("/api/v1/referrals/rehab/files", "/api/v1/referrals/rehab/counts", f"/api/v1/referrals/rehab/files/{rehab_file.pk}"):
        assert api.get(url).status_code == 403, url
    assert api.get("/api/v1/referrals/rehab/files", q="陈").status_code == 403


def test_another_town_is_refused_by_page_api_search_export_and_count(client, api_as, staff, rehab_file):
    client.force_login(staff.other_town_user)
    assert client.get(f"/referrals/rehab/{rehab_file.pk}/").status_code == 404
    assert rehab_file.person.name not in client.get("/referrals/rehab/?q=陈").content.decode()
    export = client.get("/referrals/rehab/export/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert len(rows) == 2 and rows[1][0] == "没有符合条件的档案"
    api = api_as(staff.other_town_user)
    assert api.get(f"/api/v1/referrals/rehab/files/{rehab_file.pk}").status_code == 404
    assert api.get("/api/v1/referrals/rehab/files", q="陈").json() == []
    assert api.get("/api/v1/referrals/rehab/counts").json() == {"active": 0, "closed": 0}
    with pytest.raises(NotFound):
        access_rehab_file_by_id(staff.other_town, rehab_file.pk)
    with pytest.raises(NotFound):
        actions.do_open_rehab_file(staff.other_town, person_id=rehab_file.person_id, **FILE)


def test_the_staff_who_need_it_read_the_file_and_every_read_is_audited(client, api_as, staff, rehab_file):
    before = AuditEvent.objects.filter(object_type="rehab_file").count()
    client.force_login(staff.town_user)
    page = client.get(f"/referrals/rehab/{rehab_file.pk}/").content.decode()
    assert "双相（情感）障碍" in page and "138****5678" in page and "13812345678" not in page
    listing = client.get("/referrals/rehab/").content.decode()
    assert rehab_file.person.id_number_masked in listing and "双相" not in listing
    client.get("/referrals/rehab/?q=陈")
    export = client.get("/referrals/rehab/export/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[1][2:7] == ["陈国强", rehab_file.person.id_number_masked, "陈国强", "配偶", "138****5678"]
    assert all("双相" not in str(cell) for row in rows for cell in row)  # never exported
    body = api_as(staff.district_user).get(f"/api/v1/referrals/rehab/files/{rehab_file.pk}").json()
    assert body["diagnosis_label"] == "双相（情感）障碍" and body["guardian_phone_masked"] == "138****5678"
    actions_seen = list(
        AuditEvent.objects.filter(object_type="rehab_file").order_by("id").values_list("action", flat=True)[before:]
    )
    # page: the file; list: the list and the counts; search: the search and the counts; export; API: the file
    assert actions_seen == ["view", "view", "view", "search", "view", "export", "view"]
