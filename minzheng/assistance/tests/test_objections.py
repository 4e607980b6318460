"""公示 online and 异议 (issue 22 item 6): anyone reads the notices running now, with only the
notice's whitelisted fields; a real-name citizen objects to one entry; the objection reaches the
case behind it and the town's 待办, and the town records what it found. Another town cannot see
or answer it; bad input names the field and writes nothing."""

from __future__ import annotations

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.assistance import actions, notices
from minzheng.assistance.enums import NoticeKind, Status
from minzheng.assistance.models import NoticeObjection
from minzheng.assistance.selectors import objections_to_answer_for
from minzheng.cases.tasks import workbench_feed
from minzheng.citizen.tests.test_signin import last_code
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(staff, new_case, walk, travel):
    app = walk.to(new_case(), Status.PUBLICITY)
    notice = notices.do_publish_notice(staff.town, division_code="500102006001", kind=NoticeKind.APPLICATIONS, program="dibao")
    travel(app.publicity_start)
    return app, notice


def citizen_signed_in(client, make_household):
    family = make_household("500102006001", names=("陈志强", "李梅"))
    client.post("/citizen/signin/", {"phone": "13812345678"})
    client.post("/citizen/signin/code/", {"code": last_code("13812345678")})
    client.post("/citizen/bind/", {"name": "陈志强", "id_number": decrypt_text(family.head.id_number_encrypted)})
    return family


def test_anyone_reads_the_running_notices_with_the_allowed_fields_only(client, published, poor_household):
    app, notice = published
    listing = client.get("/citizen/notices/").content.decode()
    assert "敦仁街道 / 大东门社区" in listing and "1条" in listing
    assert client.get("/citizen/notices/?town=500102119").content.decode().count("公示至") == 0
    page = client.get(f"/citizen/notices/{notice.pk}/").content.decode()
    assert "王*贵" in page and "960.00" in page and "12345" in page
    number = decrypt_text(poor_household.head.id_number_encrypted)
    assert "王大贵" not in page and number not in page and number[:6] + "*" not in page and app.number not in page
    assert "登录并完成实名认证" in page  # objecting needs a real name
    assert client.post(f"/citizen/notices/{notice.pk}/", {"entry": "1", "text": "此户家中有车辆和店铺"}).url == "/citizen/signin/"
    assert not NoticeObjection.objects.exists()
    assert client.get("/citizen/notices/999999/").status_code == 404


def test_an_objection_reaches_the_case_and_the_towns_workbench(client, published, make_household, staff):
    app, notice = published
    citizen_signed_in(client, make_household)
    url = f"/citizen/notices/{notice.pk}/"
    short = client.post(url, {"entry": "1", "text": "有车"})
    assert "请写明异议的事实和理由（至少5个字）" in short.content.decode()
    no_entry = client.post(url, {"entry": "", "text": "此户家中有车辆和店铺"})
    assert "对第几条提出异议" in no_entry.content.decode() and not NoticeObjection.objects.exists()
    done = client.post(url, {"entry": "1", "text": "此户家中有一辆货车，还在镇上开了店铺"})
    assert "异议已提交" in done.content.decode()
    objection = NoticeObjection.objects.get()
    assert (objection.application_id, objection.entry_index, objection.division_code) == (app.pk, 0, "500102006001")
    assert objection.raised_by == "实名群众（手机138****5678）"
    assert AuditEvent.objects.filter(object_type="notice_objection", actor_kind="citizen").count() == 1

    _rows, items = workbench_feed(staff.town)
    assert [i.title for i in items if i.label == "公示异议"] == [f"{notice.number} 第1条"]
    assert [i.title for i in workbench_feed(staff.other_town)[1] if i.label == "公示异议"] == []


def notices_for(actor):
    return list(objections_to_answer_for(actor))


def test_the_town_answers_another_town_cannot(published, staff):
    app, notice = published
    citizen = Actor.citizen(7, "10.0.0.1")
    objection = actions.do_raise_objection(citizen, notice.pk, entry_index=0, text="此户有店铺收入未申报", raised_by="实名群众（手机138****0000）", account_id=7)
    assert notices_for(staff.other_town) == [] and notices_for(staff.village) == []
    with pytest.raises(NotFound):
        actions.do_answer_objection(staff.other_town, objection.pk, answer="经核实无此情况")
    with pytest.raises(PermissionDenied):
        actions.do_answer_objection(staff.village, objection.pk, answer="经核实无此情况")
    with pytest.raises(ValidationFailed) as e:
        actions.do_answer_objection(staff.town, objection.pk, answer="无")
    assert e.value.errors == {"answer": "请填写核实处理情况（至少5个字）"}
    actions.do_answer_objection(staff.town, objection.pk, answer="经入户核实，店铺为其兄所有，与申请家庭无关")
    objection.refresh_from_db()
    assert objection.answered_at is not None and notices_for(staff.town) == []
    # A staff actor cannot raise one, and a citizen is limited per notice.
    with pytest.raises(PermissionDenied):
        actions.do_raise_objection(staff.town, notice.pk, entry_index=0, text="此户有店铺收入", raised_by="x", account_id=1)
    for _ in range(2):
        actions.do_raise_objection(citizen, notice.pk, entry_index=0, text="补充：另有车辆一辆", raised_by="x", account_id=7)
    with pytest.raises(ValidationFailed) as e:
        actions.do_raise_objection(citizen, notice.pk, entry_index=0, text="再补充一次情况", raised_by="x", account_id=7)
    assert e.value.errors == {"text": "同一公示最多提出3条异议，如需补充请联系监督电话"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_raise_objection(Actor.citizen(8), notice.pk, entry_index=5, text="此户有店铺收入", raised_by="x", account_id=8)
    assert e.value.errors == {"entry_index": "请选择对哪一条公示内容提出异议"}


def test_the_objection_page_and_the_case_page(client, published, staff, make_user):
    app, notice = published
    objection = actions.do_raise_objection(Actor.citizen(7), notice.pk, entry_index=0, text="此户有店铺收入未申报", raised_by="实名群众（手机138****0000）", account_id=7)
    client.force_login(make_user(Role.TOWN_OFFICER, "500102006", username="dunren_objection_officer"))
    page = client.get(f"/assistance/objections/{objection.pk}/").content.decode()
    assert "此户有店铺收入未申报" in page and "王*贵" in page and app.number in page and "记录处理情况" in page
    assert "公示异议" in client.get(f"/assistance/applications/{app.pk}/").content.decode()
    refused = client.post(f"/assistance/objections/{objection.pk}/", {"answer": "无"})
    assert "请填写核实处理情况（至少5个字）" in refused.content.decode()
    answered = client.post(f"/assistance/objections/{objection.pk}/", {"answer": "经入户核实，店铺为其兄所有"})
    assert answered.url == f"/assistance/objections/{objection.pk}/"
    assert "经入户核实，店铺为其兄所有" in client.get(answered.url).content.decode()
