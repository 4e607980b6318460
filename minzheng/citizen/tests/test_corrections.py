"""补正 answered online (issue 22 item 4): the town tells the family once what is missing; the
family reads it on their case page, answers with a paper or a note, and the town sees the answer
on the case; the family is told by SMS; another family and another town cannot touch it; a
refused answer writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.accounts.models import Role
from minzheng.assistance import actions as assistance_actions
from minzheng.assistance.models import Application
from minzheng.cases.actions import actor_name_of
from minzheng.cases.models import CaseEvent, CorrectionRequest
from minzheng.citizen.models import SmsOutbox
from minzheng.citizen.tests.test_apply import PDF, jpeg_with_exif, signed_in
from minzheng.core.audit import AuditEvent
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
DADONGMEN = "500102006001"
ITEMS = "请补交2026年11月的工资收入证明"


@pytest.fixture
def family(make_household):
    return make_household(DADONGMEN, names=("刘建国", "刘秀兰"))


@pytest.fixture
def officer(make_user):
    return make_user(Role.TOWN_OFFICER, "500102006", username="dunren_correction_officer")


def applied(client, family) -> Application:
    signed_in(client, family, "13812345678")
    client.post("/citizen/apply/", {"program": "dibao", "reason": "丈夫患病，无固定收入", "authorization_signed": "on"})
    return Application.objects.get()


def test_the_town_asks_the_family_answers_online_with_a_paper_and_the_town_sees_it(
    client, family, officer, actor_of, django_capture_on_commit_callbacks
):
    application = applied(client, family)
    staff = client.__class__()
    staff.force_login(officer)
    page = staff.get(f"/assistance/applications/{application.pk}/").content.decode()
    assert "补正告知" in page
    empty = staff.post(f"/assistance/applications/{application.pk}/do/request_correction/", {"version": application.version, "items": " "})
    assert empty.status_code == 422 and "该输入项为必填项" in empty.content.decode()
    assert not CorrectionRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        asked = staff.post(f"/assistance/applications/{application.pk}/do/request_correction/", {"version": application.version, "items": ITEMS})
    assert asked.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.items, request.answered_at, request.division_code) == (ITEMS, None, DADONGMEN)
    application.refresh_from_db()
    assert application.status == "submitted"  # the step does not change
    assert SmsOutbox.objects.order_by("id").last().text == f"【涪陵民政】您的申请{application.number}：补正告知。详情请登录涪陵民政网上办查看。"
    # A second request while one is open is refused; the staff page offers recording the answer instead.
    page = staff.get(f"/assistance/applications/{application.pk}/").content.decode()
    assert "登记补正（窗口收取）" in page and 'id="action-request_correction"' not in page
    with pytest.raises(ValidationFailed) as refused:
        assistance_actions.do_request_correction(actor_of(officer), application, expected_version=application.version, items="再补")
    assert refused.value.errors == {"items": "上一次补正告知尚未补正，请待申请人补正后再告知"}

    url = f"/citizen/cases/{application.pk}/"
    shown = client.get(url).content.decode()
    assert "需要补正" in shown and ITEMS in shown
    # A paper without its kind is refused naming the field; nothing is written.
    no_kind = client.post(f"{url}correction/", {"answer": "已补交", "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")})
    assert no_kind.status_code == 422 and "请选择补交材料的类型" in no_kind.content.decode()
    # A file that is neither a photo nor a PDF: the answer is undone with it.
    bad = client.post(f"{url}correction/", {"answer": "已补交", "kind": "income_proof", "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)})
    assert bad.status_code == 422
    assert CorrectionRequest.objects.get().answered_at is None and not application.attachments.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"{url}correction/",
            {"answer": "已补交收入证明", "kind": "income_proof", "file": SimpleUploadedFile("IMG_2.jpg", jpeg_with_exif(), "image/jpeg")},
        )
    assert done.status_code == 302 and done.url == f"{url}#corrections"
    request.refresh_from_db()
    assert (request.answer, request.answered_online, request.answered_by_name) == ("已补交收入证明", True, "申请人刘建国（网上）")
    assert [a.kind for a in application.attachments.all()] == ["income_proof"]
    after = client.get(url).content.decode()
    assert "需要补正" not in after and "已补正：已补交收入证明" in after
    assert [e.label for e in CaseEvent.objects.filter(case_id=application.pk).order_by("id")] == ["网上申请", "补正告知", "网上补正"]
    staff_page = staff.get(f"/assistance/applications/{application.pk}/").content.decode()
    assert "已补正" in staff_page and "已补交收入证明" in staff_page and "补正告知" in staff_page
    assert AuditEvent.objects.filter(actor_kind="citizen", summary=f"网上补正：{application.number}（网上申请）").count() == 1
    # Nothing left to answer: a second answer is refused.
    again = client.post(f"{url}correction/", {"answer": "再说明"})
    assert again.status_code == 422 and "该申请没有待补正的事项" in again.content.decode()


def test_a_family_without_a_phone_answers_at_the_counter(client, family, officer, actor_of):
    application = applied(client, family)
    actor = actor_of(officer)
    application = assistance_actions.do_request_correction(actor, application, expected_version=application.version, items=ITEMS)
    assistance_actions.do_record_correction(actor, application, answer="村委会代收收入证明一份")
    request = CorrectionRequest.objects.get()
    assert (request.answered_online, request.answered_by_name, request.answer) == (False, actor_name_of(actor), "村委会代收收入证明一份")


def test_another_family_and_another_town_cannot_touch_it(client, family, officer, make_household, make_user, actor_of):
    application = applied(client, family)
    assistance_actions.do_request_correction(actor_of(officer), application, expected_version=application.version, items=ITEMS)
    other = make_household(DADONGMEN, names=("王大明",))
    stranger = client.__class__()
    signed_in(stranger, other, "13900001111")
    assert stranger.get(f"/citizen/cases/{application.pk}/").status_code == 404
    assert stranger.post(f"/citizen/cases/{application.pk}/correction/", {"answer": "冒充补正"}).status_code == 404
    assert CorrectionRequest.objects.get().answered_at is None
    elsewhere = make_user(Role.TOWN_OFFICER, "500102007", username="other_town_correction")
    with pytest.raises(NotFound):
        assistance_actions.do_record_correction(actor_of(elsewhere), application, answer="另一乡镇登记")
    villager = make_user(Role.VILLAGE_WORKER, "500102006001", username="village_correction")
    application.refresh_from_db()
    # 受理 is the town's step: the village may not ask for 补正 before it.
    with pytest.raises(PermissionDenied):
        assistance_actions.do_request_correction(actor_of(villager), application, expected_version=application.version, items="村里告知")
    staff = client.__class__()
    staff.force_login(elsewhere)
    assert staff.post(f"/assistance/applications/{application.pk}/do/request_correction/", {"version": application.version, "items": ITEMS}).status_code == 404
