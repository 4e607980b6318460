"""Screens: the 待办 list, intake form with inline errors, the action forms (and the
stale-version message), payroll screens, PDFs, scoping of every page."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
import pytest
import time_machine
from python_calamine import CalamineWorkbook

from minzheng.assistance.enums import Status
from minzheng.assistance.models import Application, Enrolment, PaymentBatch
from minzheng.assistance.tests.test_imports import xlsx
from minzheng.core.crypto import decrypt_text
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def test_intake_form_marks_required_fields_and_shows_inline_errors(staff, login, poor_household):
    c = login(staff.village_user)
    page = c.get("/assistance/applications/new/").content.decode()
    assert 'class="required">申请人' in page and 'class="required">救助项目' in page
    assert 'hx-get="/persons/pick/?field=applicant' in page  # the person picker, not a number box
    r = c.post("/assistance/applications/new/", {"program": "temporary", "applicant": "", "reason": "x", "authorization_signed_on": "2026-11-02"})
    html = r.content.decode()
    assert "请选择人员" in html and "请选择临时救助类型" in html
    assert "该输入项为必填项" in html  # authorisation checkbox
    assert not Application.objects.exists()


def test_intake_of_another_towns_person_is_refused(staff, login, make_household):
    c = login(staff.village_user)
    theirs = make_household("500102119001", names=("张翠山",))
    r = c.post(
        "/assistance/applications/new/",
        {"program": "dibao", "applicant": str(theirs.head_id), "reason": "收入低", "authorization_signed": "on", "authorization_signed_on": "2026-11-02"},
    )
    assert r.status_code == 200 and "请从列表中选择本辖区内的在册人员" in r.content.decode()
    assert "张翠山" not in r.content.decode()
    assert not Application.objects.exists()


def test_intake_comes_prefilled_from_the_person_page(staff, login, poor_household):
    c = login(staff.village_user)
    page = c.get(f"/assistance/applications/new/?applicant={poor_household.head_id}&program=dibao").content.decode()
    assert f'name="applicant" value="{poor_household.head_id}"' in page and poor_household.head.name in page
    assert '<option value="dibao" selected>' in page


def test_intake_by_picked_person_creates_the_case(staff, login, poor_household):
    c = login(staff.village_user)
    number = decrypt_text(poor_household.head.id_number_encrypted)
    r = c.post(
        "/assistance/applications/new/",
        {"program": "dibao", "applicant": str(poor_household.head_id), "reason": "收入低", "authorization_signed": "on", "authorization_signed_on": "2026-11-02", "bank_name": "农商行", "bank_account": "6228480000123456789"},
    )
    app = Application.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/assistance/applications/{app.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert app.number in page and "6228480000123456789" not in page and "6789" in page
    assert number not in page


def test_todo_page_colours_and_counts(staff, login, new_case, walk, travel):
    near = walk.accept(new_case())
    Application.objects.filter(pk=near.pk).update(deadline_on=dt.date(2026, 11, 5))
    c = login(staff.village_user)
    html = c.get("/assistance/").content.decode()
    assert 'class="tone-warn"' in html and "临期" in html
    travel(dt.date(2026, 11, 6))
    c = login(staff.village_user)  # the next day: yesterday's session has timed out
    html = c.get("/assistance/").content.decode()
    assert 'class="tone-danger"' in html and "已超期" in html
    assert '<span class="remaining-danger">1</span>' in html  # 入户调查: 1 overdue


def test_action_form_runs_the_transition_and_reports_stale_versions(staff, login, new_case):
    app = new_case()
    c = login(staff.town_user)
    r = c.post(f"/assistance/applications/{app.pk}/do/accept/", {"version": app.version})
    assert r.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Status.INVESTIGATION
    r = c.post(f"/assistance/applications/{app.pk}/do/accept/", {"version": app.version})
    assert r.status_code == 409
    assert "该申请已被其他用户处理，请刷新后重试" in r.content.decode()


def test_investigation_form_shows_inline_errors(staff, login, new_case, walk):
    app = walk.accept(new_case())
    c = login(staff.village_user)
    r = c.post(f"/assistance/applications/{app.pk}/do/investigate/", {"version": app.version, "visited_on": "2026-11-02", "living_conditions": "", "findings": "", "recommendation": "approve", "second_investigator_id": staff.village2_user.pk})
    assert r.status_code == 422
    assert "该输入项为必填项" in r.content.decode()
    page = c.get(f"/assistance/applications/{app.pk}/").content.decode()
    assert f'value="{staff.village2_user.pk}"' in page  # the second investigator can be chosen


def test_other_town_gets_404_on_every_case_page(staff, login, new_case, walk):
    app = walk.to(new_case(), Status.APPROVED)
    c = login(staff.other_town_user)
    for url in (
        f"/assistance/applications/{app.pk}/",
        f"/assistance/applications/{app.pk}/pdf/notice/",
        f"/assistance/enrolments/{Enrolment.objects.get().pk}/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/assistance/applications/{app.pk}/do/archive/", {"version": app.version}).status_code == 404
    assert app.number not in c.get("/assistance/applications/").content.decode()


def test_detail_shows_the_engine_explanation_with_provisional_marks(staff, login, new_case, walk):
    app = walk.to(new_case(), Status.REVIEW)
    html = login(staff.town_user).get(f"/assistance/applications/{app.pk}/").content.decode()
    assert "家庭月人均收入低于当地低保标准" in html and "350.00 元" in html and "770.00 元" in html
    assert "参数待确认" in html and "符合条件" in html


def test_payroll_screens_maker_checker_and_bank_file(staff, login, new_case, walk):
    walk.to(new_case(), Status.APPROVED)
    maker = login(staff.district_user)
    r = maker.post("/assistance/payroll/", {"period": "2026-12", "program": "dibao"})
    assert r.status_code == 302
    batch = PaymentBatch.objects.get(program="dibao", period="2026-12")
    html = maker.get(f"/assistance/payroll/{batch.pk}/").content.decode()
    assert "审批通过" not in html and "960.00" in html
    checker = login(staff.district2_user)
    assert "审批通过" in checker.get(f"/assistance/payroll/{batch.pk}/").content.decode()
    page = checker.post(f"/assistance/payroll/{batch.pk}/approve/", {"version": batch.version}).content.decode()
    assert PaymentBatch.objects.get(pk=batch.pk).status == "prepared"  # first the figures
    assert "发放笔数</th><td>1 笔" in page and "发放总额</th><td>960.00 元" in page and 'name="confirmed" value="1"' in page
    checker.post(f"/assistance/payroll/{batch.pk}/approve/", {"version": batch.version, "confirmed": "1"})
    assert PaymentBatch.objects.get(pk=batch.pk).status == "approved"
    r = checker.get(f"/assistance/payroll/{batch.pk}/bank.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[1][6] == "6228480000123456789" and rows[1][7] == 960.0  # a numeric cell
    assert login(staff.town_user).get("/assistance/payroll/").status_code == 403


def test_pdf_views_serve_a4_pdfs(staff, login, new_case, walk):
    app = walk.to(new_case(), Status.APPROVED)
    r = login(staff.district_user).get(f"/assistance/applications/{app.pk}/pdf/notice/")
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    r = login(staff.district_user).get(f"/assistance/applications/{app.pk}/pdf/refusal/")
    assert r.status_code == 409


def test_pages_render_for_each_role(staff, login, new_case, walk):
    walk.to(new_case(), Status.APPROVED)
    for user in (staff.village_user, staff.town_user, staff.approver_user, staff.district_user, staff.leader_user):
        c = login(user)
        for url in ("/assistance/", "/assistance/applications/", "/assistance/enrolments/", "/assistance/notices/"):
            assert c.get(url).status_code == 200, (user.username, url)
        # 数据导入 is exchange's page of the assistance specs, for those who may import one.
        r = c.get("/assistance/imports/", follow=True)
        may_import = user in (staff.town_user, staff.district_user)  # rosters: town/district with EDIT_REGISTRY
        assert r.status_code == (200 if may_import else 403), user.username
    assert login(staff.district_user).get("/assistance/settings/").status_code == 200
    assert login(staff.town_user).get("/assistance/reviews/").status_code == 200


def test_attachment_upload_checks_content_not_name(staff, login, new_case):
    app = new_case()
    c = login(staff.village_user)
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = c.post(f"/assistance/applications/{app.pk}/attachments/", {"kind": "income_proof", "file": fake})
    assert r.status_code == 422 and "只能上传PDF、JPG或PNG文件（按文件内容识别）" in r.content.decode()
    png = SimpleUploadedFile("photo.bin", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="application/octet-stream")
    r = c.post(f"/assistance/applications/{app.pk}/attachments/", {"kind": "visit_photo", "file": png})
    assert r.status_code == 302
    attachment = app.attachments.get()
    assert (attachment.content_type, attachment.extension) == ("image/png", "png")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    r = c.post(f"/assistance/applications/{app.pk}/attachments/", {"kind": "other", "file": big})
    assert "文件不能超过5MB" in r.content.decode()
    assert AuditEvent.objects.filter(object_type="attachment").count() == 1


def test_roster_import_screens_preview_errors_then_commit(staff, login, id_number):
    """数据导入 leads to exchange's pages for the assistance specs: upload → preview with the
    row errors → exchange's error report → commit (all or nothing)."""


    header = ["身份证号码*", "姓名*", "村（社区）代码*", "月保障金额（元）*", "保障起始年月*"]
    good = [header, [id_number("19400101", "077"), "特困甲", "500102006001", "1101.00", "2023-09"]]
    bad = [header, [id_number("19400101", "077"), "特困甲", "500102006001", "一千", "2023-09"]]
    c = login(staff.town_user)
    r = c.get("/assistance/imports/")
    assert r.status_code == 302 and r["Location"] == "/exchange/?group=assistance"
    page = c.get(r["Location"]).content.decode()
    assert "存量特困人员名册" in page and "/exchange/feeds/assistance_roster_tekun/upload/" in page
    assert "/exchange/feeds/assistance_dept_wages/" not in page  # department data: the district's
    assert c.get("/exchange/feeds/assistance_roster_tekun/template.xlsx").content.startswith(b"PK")
    r = c.post("/exchange/feeds/assistance_roster_tekun/upload/", {"file": SimpleUploadedFile("特困.xlsx", xlsx(bad))})
    job_url = r["Location"]
    html = c.get(job_url).content.decode()
    message = "金额格式不正确，应为数字（元），如 1234.50"  # exchange's wording
    assert "第2行" in html and message in html
    assert 'value="all_or_nothing"' not in html and 'value="good_rows_only"' not in html  # no commit offered
    report = CalamineWorkbook.from_filelike(io.BytesIO(c.get(job_url + "report.xlsx").content))
    assert report.sheet_names[:2] == ["汇总", "错误明细"]  # exchange's error report
    rows = report.get_sheet_by_name("错误明细").to_python()
    assert rows[1][0] == 2.0 and rows[1][4] == "一千" and rows[1][-1] == f"[月保障金额（元）] {message}"
    r = c.post("/exchange/feeds/assistance_roster_tekun/upload/", {"file": SimpleUploadedFile("特困.xlsx", xlsx(good))})
    r = c.post(r["Location"], {"action": "all_or_nothing"})
    assert Enrolment.objects.get().amount_fen == 110100
    assert login(staff.other_town_user).get(r["Location"]).status_code == 404  # another town's batch


def test_workbench_lists_the_open_tasks_of_every_line(staff, login, new_case, walk):
    """The shell's 工作台 shows the case kit's feed: this town's case with its step, link and
    临期 mark; the 珍溪镇 officer sees no task panel at all."""
    near = walk.accept(new_case())
    Application.objects.filter(pk=near.pk).update(deadline_on=dt.date(2026, 11, 5))
    # The shell reads the platform clock (core.clock), not this line's pinned day.
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        html = login(staff.village_user).get("/").content.decode()
    assert 'id="open-tasks"' in html and "社会救助申请" in html
    assert f'<a href="/assistance/applications/{near.pk}/">{near.number}</a>' in html
    assert "<td>入户调查</td>" in html and '<span class="remaining-warn">3（临期）</span>' in html
    assert 'id="open-tasks"' not in login(staff.other_town_user).get("/").content.decode()
