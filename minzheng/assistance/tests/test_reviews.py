"""Reviews and exits: the schedule, review tasks in bulk, outcomes, 渐退期, suspension;
and 公示 per village with only the allowed fields (PDF and xlsx read back)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.assistance import actions, notices, payroll, reviews
from minzheng.assistance.enums import Level, NoticeKind, Program, Status
from minzheng.assistance.models import Enrolment, EnrolmentChange, ReviewTask
from minzheng.assistance.tests.pdftext import pdf_pages, pdf_text
from minzheng.assistance.tests.test_payroll import enrol
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.registry.models import Household, Person

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("测试")


def test_review_cycle_is_six_months_for_irregular_income_with_a_member_able_to_work(staff, new_case, walk, poor_household):
    Household.objects.filter(pk=poor_household.pk).update(income_irregular=True)
    app = walk.to(new_case(), Status.APPROVED)
    e = Enrolment.objects.get(application=app)
    assert (e.review_cycle_months, e.next_review_on) == (6, dt.date(2027, 6, 1))


def test_review_tasks_are_generated_in_bulk_once(staff, make_household):
    due = [enrol(make_household("500102006001", names=(f"甲{i}",)), amount_fen=50000) for i in range(3)]
    later = enrol(make_household("500102006001", names=("乙",)), amount_fen=50000)
    elsewhere = enrol(make_household("500102119001", names=("丙",)), amount_fen=50000)
    Enrolment.objects.filter(pk__in=[e.pk for e in due] + [elsewhere.pk]).update(next_review_on=dt.date(2026, 11, 20))
    Enrolment.objects.filter(pk=later.pk).update(next_review_on=dt.date(2027, 6, 1))
    assert reviews.do_generate_review_tasks(staff.town) == 3  # 敦仁街道 only
    assert reviews.do_generate_review_tasks(staff.town) == 0  # rerun: nothing new
    assert reviews.do_generate_review_tasks(staff.district) == 1  # 珍溪镇's one
    assert ReviewTask.objects.filter(kind="scheduled", status="open").count() == 4


def test_review_outcomes_continue_adjust_exit(staff, new_case, walk):
    app = walk.to(new_case(), Status.APPROVED)
    e = Enrolment.objects.get(application=app)
    task = reviews.open_review_task(e, kind="scheduled", due_on=dt.date(2026, 11, 30))
    with pytest.raises(NotFound):
        reviews.do_complete_review(staff.other_town, task, outcome="continue")
    # The engine suggests the amount when none is given.
    Person.objects.filter(pk=e.household.head_id).update(income_transfer_fen=50000)
    reviews.do_complete_review(staff.town, task, outcome="adjust", note="养老金上调")
    e.refresh_from_db()
    # (770 − (500 + 400)/2) × 2 + 60 + 60 = 760
    assert e.amount_fen == 76000 and e.next_review_on == dt.date(2027, 11, 1)  # a year after this review
    change = EnrolmentChange.objects.filter(enrolment=e, kind="adjust").get()
    assert (change.old_amount_fen, change.new_amount_fen, change.effective_month) == (96000, 76000, dt.date(2026, 12, 1))
    with pytest.raises(DomainError):
        reviews.do_complete_review(staff.town, task, outcome="continue")  # already done

    task2 = reviews.open_review_task(e, kind="scheduled", due_on=dt.date(2027, 12, 1))
    reviews.do_complete_review(staff.town, task2, outcome="exit", note="家庭收入超过标准")
    e.refresh_from_db()
    assert (e.status, e.end_month, e.exit_reason) == ("exited", dt.date(2026, 11, 1), "review_not_eligible")


def test_gradual_exit_pays_six_more_months_then_ends(staff, new_case, walk, travel):
    app = walk.to(new_case(), Status.APPROVED)  # decided 2026-11-09, paid from 2026-12
    e = Enrolment.objects.get(application=app)
    with pytest.raises(ValidationFailed):
        actions.do_start_gradual_exit(staff.town, e, expected_version=e.version, reason="")
    e = actions.do_start_gradual_exit(staff.town, e, expected_version=e.version, reason="子女就业后家庭收入超过标准")
    assert (e.gradual_exit_until, e.end_month) == (dt.date(2027, 5, 1), dt.date(2027, 5, 1))
    task = ReviewTask.objects.get(enrolment=e, kind="gradual_exit_end")
    assert task.due_on == dt.date(2027, 5, 1)
    for period, paid in (("2026-12", 1), ("2027-05", 1), ("2027-06", 0)):
        assert payroll.run_payroll(SYSTEM, program=Program.DIBAO, period=period).payments == paid, period
    travel(dt.date(2027, 5, 20))
    reviews.do_complete_review(staff.town, task, outcome="exit", note="渐退期满")
    e.refresh_from_db()
    assert (e.status, e.exit_reason, e.end_month) == ("exited", "gradual_exit_ended", dt.date(2027, 5, 1))


def test_suspended_enrolments_are_not_paid_and_resume(staff, make_household):
    e = enrol(make_household("500102006001", names=("暂停户",)), amount_fen=50000)
    e = actions.do_suspend_enrolment(staff.town, e, expected_version=e.version, reason="外出务工，暂停核实")
    assert payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12").payments == 0
    with pytest.raises(DomainError) as err:
        actions.do_resume_enrolment(staff.town, e, expected_version=e.version - 1, reason="核实完毕")
    assert err.value.code == "stale"
    actions.do_resume_enrolment(staff.town, e, expected_version=e.version, reason="核实完毕")
    assert payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12").payments == 1


def test_village_workers_cannot_change_enrolments(staff, make_household):
    e = enrol(make_household("500102006001", names=("某户",)), amount_fen=50000)

    with pytest.raises(PermissionDenied):
        actions.do_adjust_enrolment(staff.village, e, expected_version=e.version, amount_fen=1, reason="x")


# --- 公示 --------------------------------------------------------------------------------------


def test_public_notice_shows_only_the_allowed_fields(staff, new_case, walk, poor_household):
    app = walk.to(new_case(), Status.PUBLICITY)
    with pytest.raises(NotFound):
        notices.do_publish_notice(staff.other_town, division_code="500102006001", kind=NoticeKind.APPLICATIONS)
    notice = notices.do_publish_notice(staff.town, division_code="500102006001", kind=NoticeKind.APPLICATIONS, program="dibao")
    assert notice.entries == [{"name": "王*贵", "people": 2, "program": "最低生活保障", "amount_fen": 96000, "period": "拟自确认次月起"}]
    assert (notice.period_start, notice.period_end) == (app.publicity_start, app.publicity_end)

    text = re.sub(r"\s+", "", pdf_text(notices.notice_pdf(staff.town, notice)))
    assert pdf_pages(notices.notice_pdf(staff.town, notice)) == 1
    assert "敦仁街道大东门社区最低生活保障审核确认公示" in text
    assert "1王*贵2最低生活保障960.00拟自确认次月起" in text
    assert "公示期：2026年11月2日至2026年11月8日" in text
    assert "监督举报电话：12345（政务服务便民热线）" in text
    number = decrypt_text(poor_household.head.id_number_encrypted)
    assert number[:6] + "*" not in text and number not in text and "王大贵" not in text

    rows = CalamineWorkbook.from_filelike(io.BytesIO(notices.notice_xlsx(staff.town, notice)[0])).get_sheet_by_index(0).to_python()
    assert rows[2] == ["序号", "姓名", "保障人数", "救助项目", "月保障金额（元）", "保障期"]
    assert rows[3] == [1.0, "王*贵", 2.0, "最低生活保障", "960.00", "拟自确认次月起"]
    assert rows[-1][0] == "监督举报电话：12345（政务服务便民热线）"
    assert all(number not in str(c) for r in rows for c in r)


def test_roster_notice_with_full_names_when_the_setting_allows(staff, new_case, walk):
    actions.do_set_program_config(staff.district, Program.DIBAO, confirm_level=Level.DISTRICT, requires_publicity=True, mask_names_in_notice=False, complaint_phone="023-72222222")
    walk.to(new_case(), Status.APPROVED)
    notice = notices.do_publish_notice(staff.town, division_code="500102006001", kind=NoticeKind.ROSTER, program="dibao")
    assert notice.entries == [{"name": "王大贵", "people": 2, "program": "最低生活保障", "amount_fen": 96000, "period": "2026年12月起"}]
    assert notice.complaint_phone == "023-72222222" and not notice.names_masked


def test_notice_needs_someone_to_publish(staff):
    with pytest.raises(ValidationFailed) as e:
        notices.do_publish_notice(staff.town, division_code="500102006001", kind=NoticeKind.APPLICATIONS)
    assert e.value.errors == {"division_code": "该村（社区）没有可公示的对象"}
