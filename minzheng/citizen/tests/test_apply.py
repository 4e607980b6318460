"""Applying online (issue 22 items 3–4, first part): a bound citizen applies for 低保 for the
household with the authorization signed on screen; the case is the same workflow's and waits in
the town's 待办 marked 网上申请; photos lose their metadata; the family follows the step and who
has it; another family cannot see or touch it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from minzheng.accounts.models import Role
from minzheng.assistance import actions as assistance_actions
from minzheng.assistance.models import Application
from minzheng.assistance.workflow import WORKFLOW
from minzheng.cases.actions import record_event
from minzheng.cases.tasks import open_tasks_for
from minzheng.citizen.models import SmsOutbox
from minzheng.citizen.tests.test_signin import last_code
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import decrypt_text

pytestmark = pytest.mark.django_db
DADONGMEN = "500102006001"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (29.0, 42.0, 0.0), 3: "E", 4: (107.0, 23.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def signed_in(client, household, phone: str):
    head = household.head
    client.post("/citizen/signin/", {"phone": phone})
    client.post("/citizen/signin/code/", {"code": last_code(phone)})
    client.post("/citizen/bind/", {"name": head.name, "id_number": decrypt_text(head.id_number_encrypted)})
    return client


@pytest.fixture
def family(make_household):
    return make_household(DADONGMEN, names=("刘建国", "刘秀兰"))


def test_apply_for_dibao_online_and_the_town_finds_it_marked(client, family, make_user, actor_of):
    signed_in(client, family, "13812345678")
    form = client.get("/citizen/apply/").content.decode()
    assert "家庭经济状况核查授权书" in form
    body = {"program": "dibao", "reason": "丈夫患病，无固定收入"}
    unsigned = client.post("/citizen/apply/", body)
    assert "须同意《家庭经济状况核查授权书》后方可提交" in unsigned.content.decode()
    assert not Application.objects.exists()
    done = client.post("/citizen/apply/", {**body, "authorization_signed": "on"})
    application = Application.objects.get()
    assert done.url == f"/citizen/cases/{application.pk}/"
    assert (application.channel, application.program, application.household_id, application.applicant_id) == (
        "online", "dibao", family.pk, family.head_id,
    )
    assert application.authorization_signed and application.authorization_signed_on.isoformat() == "2026-12-04"
    again = client.post("/citizen/apply/", {**body, "authorization_signed": "on"})
    assert "该对象已有正在办理的最低生活保障申请" in again.content.decode() or "正在办理" in again.content.decode()
    assert Application.objects.count() == 1

    officer = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_online_officer")
    tasks = [t for t in open_tasks_for(actor_of(officer)) if t.case == application]
    assert [t.title for t in tasks] == [f"{application.number}（网上申请）"]
    client.force_login(officer)
    assert "网上申请" in client.get("/assistance/applications/").content.decode()
    event = AuditEvent.objects.get(object_type="application", action="create")
    assert event.actor_kind == "citizen" and event.summary.startswith("网上申请最低生活保障申请")


def test_papers_uploaded_from_the_phone_lose_their_metadata(client, family):
    signed_in(client, family, "13812345678")
    client.post("/citizen/apply/", {"program": "dibao", "reason": "困难", "authorization_signed": "on"})
    application = Application.objects.get()
    url = f"/citizen/cases/{application.pk}/"
    photo = client.post(url, {"kind": "identity", "file": SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")})
    assert photo.url == url
    pdf = client.post(url, {"kind": "income_proof", "file": SimpleUploadedFile("收入证明.pdf", PDF, "application/pdf")})
    assert pdf.url == url
    bad = client.post(url, {"kind": "identity", "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10, "application/octet-stream")})
    assert "只能上传" in bad.content.decode() or "图片" in bad.content.decode()
    stored = list(application.attachments.order_by("id"))
    assert [a.kind for a in stored] == ["identity", "income_proof"]
    with stored[0].file.open("rb") as f:
        image = f.read()
    assert dict(Image.open(io.BytesIO(image)).getexif()) == {} and b"PhoneMaker" not in image
    with stored[1].file.open("rb") as f:
        assert f.read() == PDF
    page = client.get(url).content.decode()
    assert "户口簿、身份证" in page and "收入、财产证明" in page


def test_the_family_follows_the_step_and_who_has_it(client, family, make_user, actor_of):
    signed_in(client, family, "13812345678")
    client.post("/citizen/apply/", {"program": "dibao", "reason": "困难", "authorization_signed": "on"})
    application = Application.objects.get()
    page = client.get(f"/citizen/cases/{application.pk}/").content.decode()
    assert "当前：待受理" in page and "乡镇（街道）受理" in page and "网上申请" in page
    officer = actor_of(make_user(Role.TOWN_OFFICER, "500102006", username="dunren_online_accept"))
    assistance_actions.do_accept_application(officer, application, expected_version=application.version)
    application.refresh_from_db()
    page = client.get(f"/citizen/cases/{application.pk}/").content.decode()
    assert "当前：入户调查" in page and "办理期限" in page and "受理" in page
    assert "None" not in page
    listing = client.get("/citizen/cases/").content.decode()
    assert application.number in listing and "入户调查" in listing


def test_another_family_can_neither_see_nor_touch_the_case(client, family, make_household):
    signed_in(client, family, "13812345678")
    client.post("/citizen/apply/", {"program": "dibao", "reason": "困难", "authorization_signed": "on"})
    application = Application.objects.get()
    client.post("/citizen/signout/")
    other = make_household(DADONGMEN, names=("王大明", "赵小红"))
    signed_in(client, other, "13900001111")
    url = f"/citizen/cases/{application.pk}/"
    assert client.get(url).status_code == 404
    upload = client.post(url, {"kind": "identity", "file": SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")})
    assert upload.status_code == 404 and not application.attachments.exists()
    assert application.number not in client.get("/citizen/cases/").content.decode()
    assert client.get("/citizen/cases/abc/").status_code == 404


def test_each_step_is_told_by_sms_once_committed(client, family, make_user, actor_of, django_capture_on_commit_callbacks):
    signed_in(client, family, "13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/citizen/apply/", {"program": "dibao", "reason": "困难", "authorization_signed": "on"})
    application = Application.objects.get()
    officer = actor_of(make_user(Role.TOWN_OFFICER, "500102006", username="dunren_online_sms"))
    with django_capture_on_commit_callbacks(execute=True):
        assistance_actions.do_accept_application(officer, application, expected_version=application.version)
    texts = list(SmsOutbox.objects.filter(phone_masked="138****5678").order_by("id").values_list("text", flat=True))[1:]
    assert texts == [
        f"【涪陵民政】您的申请{application.number}：网上申请。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的申请{application.number}：受理。详情请登录涪陵民政网上办查看。",
    ]
    # A step that is undone (its transaction rolled back) sends nothing.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            record_event(officer, WORKFLOW, application, action="note", label="补充材料", from_status="investigation", to_status="investigation")
            raise RuntimeError("undone")
    assert SmsOutbox.objects.count() == 3
