"""Payroll: bulk, idempotent under a rerun and under two concurrent runs, maker-checker,
the month's changes, the bank file read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.assistance import actions, payroll
from minzheng.assistance.enums import (
    BatchStatus,
    EnrolmentSource,
    EnrolmentStatus,
    Program,
    SubjectKind,
)
from minzheng.assistance.ceilings import ceiling_error
from minzheng.assistance.models import AdjustmentRequest, Enrolment, EnrolmentChange, Payment, PaymentBatch
from minzheng.assistance.workflow import WrongState
from minzheng.core.clock import today
from minzheng.core.periods import next_month
from minzheng.core.crypto import encrypt_text
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_account
from minzheng.core.models import AuditEvent
from minzheng.registry.models import Household


def enrol(household: Household, *, amount_fen: int, start=dt.date(2026, 12, 1), status="active", end=None, account="6228480000000000001", program=Program.DIBAO):
    return Enrolment.objects.create(
        program=program,
        subject_kind=SubjectKind.HOUSEHOLD,
        subject_id=household.pk,
        household=household,
        payee_id=household.head_id,
        division_code=household.division_code,
        zone=household.zone,
        people_covered=household.member_count,
        amount_fen=amount_fen,
        start_month=start,
        end_month=end,
        status=status,
        status_changed_on=dt.date(2026, 11, 2),
        source=EnrolmentSource.ROSTER,
        bank_name="重庆农村商业银行",
        bank_account_encrypted=encrypt_text(account),
        bank_account_masked=mask_account(account),
    )


@pytest.fixture
def households(make_household):
    return [
        make_household("500102006001", names=("甲一", "甲二")),
        make_household("500102006001", names=("乙一",)),
        make_household("500102119001", names=("丙一", "丙二", "丙三")),
        make_household("500102119001", names=("丁一",)),
        make_household("500102006003", names=("戊一",)),
    ]


@pytest.fixture
def enrolments(households):
    h = households
    return [
        enrol(h[0], amount_fen=96000, account="6228480000000000001"),
        enrol(h[1], amount_fen=45000, account="6228480000000000002"),
        enrol(h[2], amount_fen=120000, account="6228480000000000003"),
        enrol(h[3], amount_fen=30000, status=EnrolmentStatus.SUSPENDED),  # suspended: not paid
        enrol(h[4], amount_fen=50000, start=dt.date(2027, 1, 1)),  # starts later
    ]


SYSTEM = Actor.system("测试发放")


@pytest.mark.django_db
def test_batch_has_one_payment_per_payable_enrolment(enrolments):
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert (summary.payments, summary.total_fen, summary.people, summary.new) == (3, 261000, 6, 3)
    paid = set(Payment.objects.values_list("enrolment_id", flat=True))
    assert paid == {enrolments[0].pk, enrolments[1].pk, enrolments[2].pk}


@pytest.mark.django_db
def test_rerun_replaces_its_own_results_and_never_duplicates(enrolments, households):
    first = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    Enrolment.objects.filter(pk=enrolments[1].pk).update(amount_fen=47000)
    second = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert second.batch_id == first.batch_id
    assert Payment.objects.count() == 3
    assert Payment.objects.get(enrolment=enrolments[1]).amount_fen == 47000
    assert PaymentBatch.objects.get().run_count == 2


@pytest.mark.django_db
def test_approved_batch_is_frozen(enrolments, staff):
    summary = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    Enrolment.objects.filter(pk=enrolments[3].pk).update(status="active")
    again = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    assert again.unchanged_rerun and again.payments == 3
    assert Payment.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_one_batch_and_one_payment_each(enrolments):
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            payroll.run_payroll(Actor.system("并发测试"), program=Program.DIBAO, period="2026-12")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert PaymentBatch.objects.count() == 1
    assert PaymentBatch.objects.get().run_count == 2
    assert Payment.objects.count() == 3
    assert sorted(Payment.objects.values_list("subject_id", flat=True)) == sorted({e.subject_id for e in enrolments[:3]})


@pytest.mark.django_db
def test_maker_checker(enrolments, staff):
    summary = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    with pytest.raises(PermissionDenied) as e:
        payroll.do_approve_batch(staff.district, batch, expected_version=batch.version)
    assert e.value.message == "制表人与审批人不能为同一人"
    with pytest.raises(DomainError) as e:
        payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version - 1)
    assert e.value.code == "stale"
    with pytest.raises(PermissionDenied):
        payroll.do_approve_batch(staff.approver, batch, expected_version=batch.version)  # town level
    approved = payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    assert approved.status == BatchStatus.APPROVED and approved.approved_by_id == staff.district2_user.pk


@pytest.mark.django_db
def test_payroll_is_district_work(enrolments, staff):
    with pytest.raises(PermissionDenied):
        payroll.run_payroll(staff.town, program=Program.DIBAO, period="2026-12")
    with pytest.raises(PermissionDenied):
        payroll.run_payroll(staff.village, program=Program.DIBAO, period="2026-12")
    assert not PaymentBatch.objects.exists()


@pytest.mark.django_db
def test_month_changes_new_changed_stopped(enrolments, staff):
    payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    Enrolment.objects.filter(pk=enrolments[0].pk).update(amount_fen=90000)  # changed
    Enrolment.objects.filter(pk=enrolments[1].pk).update(status="exited", end_month=dt.date(2026, 12, 1))  # stopped
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2027-01")
    assert (summary.payments, summary.new, summary.changed, summary.stopped) == (3, 1, 1, 1)
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    rows = payroll.changes_rows(batch)
    assert sorted(r[0] for r in rows) == ["停发", "新增", "金额变更"]
    changed = next(r for r in rows if r[0] == "金额变更")
    assert changed[5:] == ["960.00", "900.00"]
    assert all("*" in r[4] for r in rows)  # masked ID numbers only


@pytest.mark.django_db
def test_bank_file_has_full_accounts_only_there(enrolments, staff):
    summary = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    with pytest.raises(DomainError):
        payroll.bank_file(staff.district, batch)  # not approved yet
    batch = payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    content, count = payroll.bank_file(staff.district2, batch)
    assert count == 3
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("代发明细").to_python()
    assert sheet[0] == payroll.BANK_HEADERS
    by_account = {row[6]: row for row in sheet[1:-1]}
    assert set(by_account) == {"6228480000000000001", "6228480000000000002", "6228480000000000003"}
    row = by_account["6228480000000000003"]
    assert row[1:4] == ["珍溪镇", "兴盛社区", "丙一"]
    # district staff may reveal ID numbers: the bank gets them in full, and the export says so
    assert len(row[4]) == 18 and "*" not in row[4]
    assert (row[7], row[8], row[9], row[10]) == (1200.0, 3.0, "最低生活保障", "2026-12")  # numeric amounts
    total = sheet[-1]
    assert total[0] == "合计" and total[7] == pytest.approx(sum(r[7] for r in sheet[1:-1])) and total[8] == sum(r[8] for r in sheet[1:-1])
    event = AuditEvent.objects.get(action="export", object_type="payment_batch")
    assert event.extra == {"rows": 3, "full_id_numbers": True} and "身份证号码" in event.summary
    # nowhere else: the changes list and the enrolment rows show masked accounts only
    assert all("6228480000000000001" not in str(r) for r in payroll.changes_rows(batch))
    assert Enrolment.objects.get(pk=enrolments[0].pk).bank_account_masked.endswith("0001")


@pytest.mark.django_db
def test_command_prints_json_and_is_idempotent(enrolments):
    out = io.StringIO()
    call_command("payroll", "--period", "2026-12", "--json", stdout=out)
    first = json.loads(out.getvalue())
    assert {b["program"]: b["payments"] for b in first["batches"]} == {"dibao": 3, "tekun": 0, "temporary": 0}
    out = io.StringIO()
    call_command("payroll", "--period", "2026-12", "--json", stdout=out)
    again = json.loads(out.getvalue())
    assert [b["payments"] for b in again["batches"]] == [b["payments"] for b in first["batches"]]
    assert Payment.objects.count() == 3


@pytest.mark.django_db
def test_command_rejects_a_bad_period():
    with pytest.raises(CommandError, match="发放月份格式应为 YYYY-MM"):
        call_command("payroll", "--period", "2026-13")


@pytest.mark.django_db
def test_a_second_payable_enrolment_of_the_same_subject_is_skipped_and_counted(households):
    enrol(households[0], amount_fen=50000, status="exited", end=dt.date(2026, 12, 1))
    enrol(households[0], amount_fen=60000)  # re-enrolled in the same month
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert (summary.payments, summary.skipped) == (1, 1)
    assert Payment.objects.filter(subject_id=households[0].pk).count() == 1


# --------------------------------------------------------------- issue 20: an interrupted run loses no month
class _Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["after_batch_row", "after_payments", "before_totals", "before_audit"])
@pytest.mark.django_db(transaction=True)
def test_a_run_interrupted_at_any_step_leaves_no_batch_and_the_month_is_prepared_again(enrolments, monkeypatch, step):
    """The batch row, its payments, its totals and preparer commit together: a crash between any
    two steps leaves nothing, and the next run prepares the month exactly once."""
    real = {"after_batch_row": payroll._get_or_create_batch, "after_payments": payroll.payable_enrolments,
            "before_totals": payroll.Count, "before_audit": payroll.record_audit_event}[step]  # fmt: skip
    name = {"after_batch_row": "_get_or_create_batch", "after_payments": "payable_enrolments",
            "before_totals": "Count", "before_audit": "record_audit_event"}[step]  # fmt: skip

    def crash(*args, **kwargs):
        real(*args, **kwargs)
        raise _Crash(step)

    monkeypatch.setattr(payroll, name, crash)
    with pytest.raises(_Crash):
        payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert (PaymentBatch.objects.count(), Payment.objects.count()) == (0, 0)
    monkeypatch.setattr(payroll, name, real)
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    batch = PaymentBatch.objects.get()
    assert (batch.payment_count, batch.total_fen, batch.run_count, batch.prepared_by_name) == (3, 261000, 1, "系统（测试发放）")
    assert (summary.payments, Payment.objects.count()) == (3, 3)


@pytest.mark.django_db
def test_a_leftover_empty_batch_from_an_old_crash_is_refused_at_approval_and_prepared_again(enrolments, staff, client, make_user):
    """The state an old two-transaction run left after kill -9: a prepared batch row, no payments,
    no preparer. Approving it is refused (maker-checker cannot hold without a preparer); the
    next run fills it; then another user approves the complete month."""
    broken = PaymentBatch.objects.create(program=Program.DIBAO, period="2026-12")
    with pytest.raises(DomainError) as e:
        payroll.do_approve_batch(staff.district2, broken, expected_version=broken.version)
    assert (e.value.code, e.value.message) == ("incomplete", "该发放表未生成完成（没有制表人），请重新生成后再审批")
    broken.refresh_from_db()
    assert broken.status == BatchStatus.PREPARED and broken.approved_by_id is None
    # The page says why and offers no 审批.
    client.force_login(staff.district2_user)
    page = client.get(f"/assistance/payroll/{broken.pk}/").content.decode()
    assert "该发放表未生成完成（没有制表人），请重新生成后再审批" in page and "审批通过…" not in page
    summary = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    assert (summary.batch_id, summary.payments, summary.total_fen) == (broken.pk, 3, 261000)
    broken.refresh_from_db()
    approved = payroll.do_approve_batch(staff.district2, broken, expected_version=broken.version)
    assert (approved.status, approved.payment_count, approved.total_fen) == (BatchStatus.APPROVED, 3, 261000)


@pytest.mark.django_db
def test_a_batch_whose_counts_do_not_match_its_rows_is_not_approved(enrolments, staff):
    summary = payroll.run_payroll(staff.district, program=Program.DIBAO, period="2026-12")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    Payment.objects.filter(batch=batch).first().delete()
    with pytest.raises(DomainError) as e:
        payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    assert e.value.message == "该发放表的笔数或金额与明细不一致，请重新生成后再审批"
    Payment.objects.filter(batch=batch).delete()
    with pytest.raises(DomainError) as e:
        payroll.do_approve_batch(staff.district2, batch, expected_version=batch.version)
    assert e.value.message == "该发放表的笔数或金额与明细不一致，请重新生成后再审批"
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.PREPARED


# --------------------------------------------------------------- issue 20: a bound on a typed amount
@pytest.mark.django_db
def test_an_adjustment_of_9999999999_99_yuan_is_refused_naming_the_field_and_nothing_is_written(enrolments, staff):

    e = enrolments[0]
    with pytest.raises(ValidationFailed) as err:
        actions.do_adjust_enrolment(staff.town, e, expected_version=e.version, amount_fen=999_999_999_999, reason="核对收入")
    assert err.value.errors == {"amount_fen": "调整后月保障金额不能超过100,000.00元，请核对"}
    e.refresh_from_db()
    assert (e.amount_fen, e.version) == (96000, 1)
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert summary.total_fen == 261000
    # the policy bound: (the urban standard 770.00 + the 分类施保 amounts 60 + 100 + 40) × 2 people
    with pytest.raises(ValidationFailed) as err:
        actions.do_adjust_enrolment(staff.town, e, expected_version=e.version, amount_fen=194_001, reason="核对收入")
    assert err.value.errors == {"amount_fen": "调整后月保障金额1,940.01元超过政策上限1,940.00元（城市低保标准与分类施保各项加发之和970.00元 × 保障人数2人）"}
    adjusted = actions.do_adjust_enrolment(staff.town, e, expected_version=e.version, amount_fen=194_000, reason="核对收入")
    assert adjusted.version == 2


def test_the_payroll_refuses_a_batch_with_an_amount_above_the_policy_bound_and_writes_nothing(enrolments):
    """An amount that got past the actions (written before the bound existed, or by hand in the
    database) stops the batch: no batch, and the reason names the payee and the bound."""
    e = enrolments[0]
    Enrolment.objects.filter(pk=e.pk).update(amount_fen=194_001)
    with pytest.raises(DomainError) as err:
        payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert err.value.message == (
        f"发放表未生成：1笔金额超过政策上限，请核实后调整：{e.payee.name}（保障记录{e.pk}）1,940.01元超过政策上限1,940.00元"
        "（城市低保标准与分类施保各项加发之和970.00元 × 保障人数2人）"
    )
    assert not PaymentBatch.objects.exists() and not Payment.objects.exists()
    Enrolment.objects.filter(pk=e.pk).update(amount_fen=194_000)
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    assert (summary.payments, summary.total_fen) == (3, 194_000 + 45_000 + 120_000)


# --------------------------------------------------------------- issue 20: a raise needs a second person
@pytest.mark.django_db
def test_a_typed_raise_waits_for_a_second_person_and_is_not_paid_before(enrolments, staff):
    e = enrolments[0]
    pending = actions.do_request_adjustment(staff.town, e, expected_version=e.version, amount_fen=120_000, reason="新增医疗支出")
    assert isinstance(pending, AdjustmentRequest) and (pending.status, pending.old_amount_fen, pending.amount_fen) == ("pending", 96_000, 120_000)
    e.refresh_from_db()
    assert (e.amount_fen, e.version) == (96_000, 1)  # nothing changes before the confirmation
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2027-01")
    assert Payment.objects.get(batch_id=summary.batch_id, enrolment=e).amount_fen == 96_000
    with pytest.raises(ValidationFailed) as err:  # one pending raise at a time
        actions.do_request_adjustment(staff.district, e, expected_version=e.version, amount_fen=110_000, reason="再调")
    assert err.value.errors == {"amount_fen": "已有一笔调增待确认，请先由另一名工作人员确认或退回"}
    with pytest.raises(PermissionDenied) as err:  # the proposer cannot confirm
        actions.do_confirm_adjustment(staff.town, pending.pk)
    assert err.value.message == "调增须由提出人以外的另一名工作人员确认"
    with pytest.raises(NotFound):  # another town's officer does not see it
        actions.do_confirm_adjustment(staff.other_town, pending.pk)
    with pytest.raises(PermissionDenied):  # a village worker may not
        actions.do_confirm_adjustment(staff.village, pending.pk)
    e.refresh_from_db()
    assert e.amount_fen == 96_000
    confirmed = actions.do_confirm_adjustment(staff.district, pending.pk, note="已核医疗票据")
    assert (confirmed.amount_fen, confirmed.version) == (120_000, 2)
    change = EnrolmentChange.objects.filter(enrolment=e).latest("id")
    assert (change.old_amount_fen, change.new_amount_fen, change.effective_month) == (96_000, 120_000, next_month(today()))
    assert change.reason == f"新增医疗支出（{staff.town.display_name}提出，{staff.district.display_name}确认）"
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by_id, pending.decision_note) == ("confirmed", staff.district.user_id, "已核医疗票据")
    with pytest.raises(WrongState):
        actions.do_confirm_adjustment(staff.district2, pending.pk)


@pytest.mark.django_db
def test_a_lowering_applies_at_once_and_a_returned_raise_pays_nothing_more(enrolments, staff):
    e = enrolments[0]
    lowered = actions.do_request_adjustment(staff.town, e, expected_version=e.version, amount_fen=90_000, reason="务工收入增加")
    assert isinstance(lowered, Enrolment) and (lowered.amount_fen, lowered.version) == (90_000, 2)
    raised = actions.do_request_adjustment(staff.town, lowered, expected_version=lowered.version, amount_fen=100_000, reason="收入下降")
    with pytest.raises(ValidationFailed) as err:
        actions.do_return_adjustment(staff.district, raised.pk, note="")
    assert err.value.errors == {"note": "请填写退回原因"}
    actions.do_return_adjustment(staff.district, raised.pk, note="收入证明不全")
    e.refresh_from_db()
    raised.refresh_from_db()
    assert (e.amount_fen, raised.status, raised.decision_note) == (90_000, "returned", "收入证明不全")
    # a raise above the policy bound is refused before it is even proposed
    with pytest.raises(ValidationFailed) as err:
        actions.do_request_adjustment(staff.town, e, expected_version=e.version, amount_fen=194_001, reason="核对收入")
    assert "超过政策上限1,940.00元" in err.value.errors["amount_fen"] and AdjustmentRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_raise_from_the_enrolment_page_and_its_confirmation(client, enrolments, staff):
    e = enrolments[0]
    client.force_login(staff.town_user)
    url = f"/assistance/enrolments/{e.pk}/"
    response = client.post(f"{url}do/adjust/", {"version": e.version, "amount_yuan": "1200.00", "reason": "新增医疗支出"}, follow=True)
    page = response.content.decode()
    assert "调增至1,200.00元已提交，须由另一名工作人员确认后自下月起生效" in page and "调增待确认" in page
    assert "确认调增" not in page and "撤回调增" in page  # the proposer may only withdraw
    pending = AdjustmentRequest.objects.get()
    refused = client.post(f"{url}raises/{pending.pk}/confirm/", {"note": ""})
    assert refused.status_code == 403 and "调增须由提出人以外的另一名工作人员确认" in refused.content.decode()
    assert "调增待确认" not in client.get("/").content.decode()  # not on the proposer's own 待办
    client.force_login(staff.district_user)
    workbench = client.get("/").content.decode()
    assert "调增待确认" in workbench and f"{e.payee.name} · 960.00元 → 1,200.00元" in workbench
    assert "确认调增" in client.get(url).content.decode()
    assert client.post(f"{url}raises/{pending.pk}/confirm/", {"note": ""}).status_code == 302
    e.refresh_from_db()
    assert e.amount_fen == 120_000 and "调增待确认" not in client.get(url).content.decode()
    client.force_login(staff.other_town_user)
    assert client.post(f"{url}raises/{pending.pk}/return/", {"note": "x"}).status_code == 404


def test_temporary_assistance_is_bounded_by_the_case_cap():
    on = dt.date(2026, 12, 1)
    assert ceiling_error("temporary", zone="urban", people_covered=3, amount_fen=5_000_000, on=on) == ""
    assert ceiling_error("temporary", zone="urban", people_covered=3, amount_fen=5_000_001, on=on) == (
        "月发放金额50,000.01元超过政策上限50,000.00元（临时救助每案救助金额上限）"
    )
