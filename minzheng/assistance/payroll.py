"""Monthly payroll: one batch per program and month, computed in bulk with one
INSERT … SELECT from the active enrolments (no per-row ORM loop), idempotent, maker-checker.

Idempotency, in three layers:
1. the batch is unique per (program, period) and its row is locked (SELECT … FOR UPDATE on
   PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE) for the whole run, so two
   runs at once take turns;
2. a rerun of a prepared batch replaces its own payments (delete + insert in the same
   transaction); an approved batch is never touched again;
3. Payment is unique per (program, period, subject) and the insert is ON CONFLICT DO NOTHING:
   whatever happens, nobody is paid twice in a program and month.

Death reports (ADR 0004): an enrolment suspended while a death report is checked is not paid;
a second INSERT … SELECT records each such month as a ``WithheldPayment`` (replaced on a rerun
like the payments). A third pays the withheld months made payable since (refuted report, or
months up to the month of a confirmed death) as 补发: a ``Payment`` of the withheld month in
this batch — the same unique (program, period, subject) makes a month paid at most once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.district import district_code
from minzheng.core.money import format_yuan
from minzheng.core.periods import month_start_after, parse_period, period_of
from minzheng.assistance.ceilings import PER_CASE, ZONES, ceiling_error, per_person_ceiling
from minzheng.assistance.enums import BatchStatus, Level, PaymentChange, Program
from minzheng.assistance.models import DeathSuspension, Enrolment, Payment, PaymentBatch, WithheldPayment
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.registry.exports import audit_export, export_id_numbers, exports_full_id_numbers
from minzheng.assistance.workflow import CASEWORK_PROGRAMS



@dataclass
class BatchSummary:
    batch_id: int
    program: str
    period: str
    status: str
    payments: int
    people: int
    total_fen: int
    new: int
    changed: int
    stopped: int
    skipped: int  # payable enrolments left out because the subject already has a payment
    unchanged_rerun: bool
    seconds: float
    withheld: int = 0  # suspended while a death report is checked: recorded, not paid
    arrears: int = 0  # 补发 of months withheld earlier (included in payments and total)

    def as_dict(self) -> dict:
        return asdict(self)


def _check_period(period: str) -> dt.date:
    try:
        return parse_period(period)
    except ValueError:
        raise ValidationFailed({"period": "发放月份格式应为 YYYY-MM"}) from None


def _require_district(actor: Actor, perm: Perm, what: str) -> None:
    if actor.is_system:
        return
    actor.require(perm)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied(f"{what}须由区民政局办理")


def _insert_payments_sql() -> str:
    p = Payment._meta.db_table
    e = Enrolment._meta.db_table
    return f"""
        INSERT INTO {p} (batch_id, program, period, subject_kind, subject_id, enrolment_id, division_code,
                         amount_fen, people_covered, change_kind, previous_amount_fen)
        SELECT %s, e.program, %s, e.subject_kind, e.subject_id, e.id, e.division_code,
               e.amount_fen, e.people_covered,
               CASE WHEN prev.id IS NULL THEN 'new'
                    WHEN prev.amount_fen <> e.amount_fen THEN 'changed'
                    ELSE 'continuing' END,
               prev.amount_fen
        FROM {e} e
        LEFT JOIN {p} prev
               ON prev.program = e.program AND prev.period = %s
              AND prev.subject_kind = e.subject_kind AND prev.subject_id = e.subject_id
        WHERE e.program = %s
          AND e.start_month <= %s
          AND (e.end_month IS NULL OR e.end_month >= %s)
          AND (e.status = 'active' OR (e.status = 'exited' AND e.end_month IS NOT NULL))
          AND e.amount_fen > 0
        ON CONFLICT DO NOTHING
    """


def _insert_withheld_sql() -> str:
    """The months an enrolment is suspended for a death report still being checked."""
    w = WithheldPayment._meta.db_table
    e = Enrolment._meta.db_table
    s = DeathSuspension._meta.db_table
    return f"""
        INSERT INTO {w} (batch_id, suspension_id, enrolment_id, program, period, subject_kind, subject_id,
                         division_code, amount_fen, people_covered, status)
        SELECT %s, s.id, e.id, e.program, %s, e.subject_kind, e.subject_id, e.division_code,
               e.amount_fen, e.people_covered, 'withheld'
        FROM {e} e
        JOIN {s} s ON s.enrolment_id = e.id AND s.kind = 'suspend' AND s.status IN ('active', 'review')
        WHERE e.program = %s
          AND e.status = 'suspended'
          AND e.start_month <= %s
          AND (e.end_month IS NULL OR e.end_month >= %s)
          AND e.amount_fen > 0
        ON CONFLICT DO NOTHING
    """


def _insert_arrears_sql() -> str:
    """补发: withheld months of earlier payrolls made payable, as payments of their own month."""
    p = Payment._meta.db_table
    w = WithheldPayment._meta.db_table
    return f"""
        INSERT INTO {p} (batch_id, program, period, subject_kind, subject_id, enrolment_id, division_code,
                         amount_fen, people_covered, change_kind, previous_amount_fen)
        SELECT %s, w.program, w.period, w.subject_kind, w.subject_id, w.enrolment_id, w.division_code,
               w.amount_fen, w.people_covered, 'arrears', NULL
        FROM {w} w
        WHERE w.program = %s AND w.status = 'payable' AND w.period < %s
        ORDER BY w.period, w.id
        ON CONFLICT DO NOTHING
    """


def _insert_price_subsidy_sql(programs: tuple[str, ...]) -> str:
    """价格临时补贴: one payment per payable enrolment of the recipient programs, paid to its
    payee: the amount per person of the enrolment's zone × the people it covers. A person
    enrolled in two recipient programs as the same subject is paid once (the unique key)."""
    p = Payment._meta.db_table
    e = Enrolment._meta.db_table
    marks = ", ".join(["%s"] * len(programs))
    amount = "(CASE WHEN e.zone = 'urban' THEN %s ELSE %s END) * e.people_covered"
    return f"""
        INSERT INTO {p} (batch_id, program, period, subject_kind, subject_id, enrolment_id, division_code,
                         amount_fen, people_covered, change_kind, previous_amount_fen)
        SELECT %s, %s, %s, e.subject_kind, e.subject_id, e.id, e.division_code,
               {amount}, e.people_covered,
               CASE WHEN prev.id IS NULL THEN 'new'
                    WHEN prev.amount_fen <> {amount} THEN 'changed'
                    ELSE 'continuing' END,
               prev.amount_fen
        FROM {e} e
        LEFT JOIN {p} prev
               ON prev.program = %s AND prev.period = %s
              AND prev.subject_kind = e.subject_kind AND prev.subject_id = e.subject_id
        WHERE e.program IN ({marks})
          AND e.start_month <= %s
          AND (e.end_month IS NULL OR e.end_month >= %s)
          AND (e.status = 'active' OR (e.status = 'exited' AND e.end_month IS NOT NULL))
          AND e.amount_fen > 0
        ORDER BY e.id
        ON CONFLICT DO NOTHING
    """


def _get_or_create_batch(program: str, period: str) -> PaymentBatch:
    """The month's batch row, locked. Called INSIDE the transaction that fills it: a run
    interrupted anywhere (kill -9) leaves either no batch or a complete one, never a batch row
    without its payments and preparer (issue 20)."""
    assert connection.in_atomic_block, "the batch row is created in the transaction that fills it"
    batch = PaymentBatch.objects.select_for_update().filter(program=program, period=period).first()
    if batch is not None:
        return batch
    try:
        with transaction.atomic():
            return PaymentBatch.objects.create(program=program, period=period, division_code=district_code())
    except IntegrityError:
        # Another run created it first (and committed): use theirs.
        return PaymentBatch.objects.select_for_update().get(program=program, period=period)


def out_of_bounds(batch: PaymentBatch, program: str, month: dt.date, *, shown: int = 5) -> str:
    """"" when every month's payment of the batch is within the policy bound (assistance.ceilings),
    else the Chinese reason naming the first few (补发 of several months is not a month's amount)."""
    if program in PER_CASE:
        over = Q(amount_fen__gt=PER_CASE[program](month)[0])
    else:
        bounds = {zone: per_person_ceiling(program, zone, month) for zone in (*ZONES, "")}
        if bounds[""] is None:
            return ""
        over = Q()
        for zone, (per_person, _) in bounds.items():
            zone_q = Q(enrolment__zone=zone) if zone else ~Q(enrolment__zone__in=ZONES)
            over |= zone_q & Q(amount_fen__gt=F("people_covered") * per_person)
    rows = (
        Payment.objects.filter(batch=batch).exclude(change_kind=PaymentChange.ARREARS).filter(over)
        .select_related("enrolment", "enrolment__payee").order_by("pk")
    )
    count = rows.count()
    if not count:
        return ""
    named = "；".join(
        ceiling_error(program, zone=p.enrolment.zone, people_covered=p.people_covered, amount_fen=p.amount_fen, on=month,
                      label=f"{p.enrolment.payee.name}（保障记录{p.enrolment_id}）")
        for p in rows[:shown]
    )  # fmt: skip
    return f"{count}笔金额超过政策上限，请核实后调整：{named}"


def batch_incomplete_reason(batch: PaymentBatch) -> str:
    """Why a prepared batch may not be approved ("" when it may): a batch left by a run that
    never finished (no preparer, or counts that do not match its rows) is re-prepared by the
    next run, never approved. A finished batch with no payments (everyone withheld that month)
    is approved like any other: its withheld rows must be recorded as handled."""
    if not batch.prepared_at or not batch.prepared_by_name:
        return "该发放表未生成完成（没有制表人），请重新生成后再审批"
    rows = Payment.objects.filter(batch=batch).aggregate(n=Count("id"), total=Sum("amount_fen"))
    if rows["n"] != batch.payment_count or (rows["total"] or 0) != batch.total_fen:
        return "该发放表的笔数或金额与明细不一致，请重新生成后再审批"
    return ""


LOCK_RETRIES = 20


def run_payroll(actor: Actor, *, program: str, period: str) -> BatchSummary:
    """Prepare (or re-prepare) the batch of one program and month.

    A second run waits for the first (row lock on PostgreSQL, the write lock on SQLite). SQLite
    reports "database table is locked" at once instead of waiting when connections share a
    cache (the in-memory test database), so the whole run — idempotent — is retried."""
    _require_district(actor, Perm.PREPARE_PAYROLL, "生成发放表")
    if program not in Program.values:
        raise ValidationFailed({"program": "救助项目不正确"})
    if program == Program.PRICE_SUBSIDY:
        raise ValidationFailed({"program": "价格临时补贴发放表请在“物价联动”页面按当月物价指数生成"})
    month = _check_period(period)
    return _with_lock_retries(lambda: _run_payroll(actor, program, period, month))


def _with_lock_retries(run: Callable[[], BatchSummary]) -> BatchSummary:
    for attempt in range(LOCK_RETRIES):
        try:
            return run()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1 or connection.in_atomic_block:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def run_price_subsidy_payroll(
    actor: Actor, *, period: str, urban_fen: int, rural_fen: int, recipient_programs: tuple[str, ...]
) -> BatchSummary:
    """The 价格临时补贴 batch of a month: the same batch row, locking, rerun and maker-checker
    as every program (unique per program and month; an approved batch is never changed), filled
    from the recipient programs' payable enrolments at the engine's amounts per person."""
    _require_district(actor, Perm.PREPARE_PAYROLL, "生成发放表")
    month = _check_period(period)
    if urban_fen <= 0 or rural_fen <= 0:
        raise ValidationFailed({"amount": "补贴金额应大于0"})
    programs = tuple(p for p in recipient_programs if p in Program.values and p != Program.PRICE_SUBSIDY)
    if not programs:
        raise ValidationFailed({"program": "没有发放对象的救助项目"})
    program = Program.PRICE_SUBSIDY.value

    def insert(cursor, batch_pk: int, previous: str) -> int:
        cursor.execute(
            _insert_price_subsidy_sql(programs),
            [batch_pk, program, period, urban_fen, rural_fen, urban_fen, rural_fen, program, previous, *programs, month, month],
        )
        return payable_enrolments_of(programs, month).count()

    return _with_lock_retries(lambda: _run_payroll(actor, program, period, month, insert=insert))


def _run_payroll(actor: Actor, program: str, period: str, month: dt.date, *, insert=None) -> BatchSummary:
    started = time.perf_counter()
    with transaction.atomic():
        batch = _get_or_create_batch(program, period)
        if batch.status == BatchStatus.APPROVED:
            return _summary(batch, unchanged=True, seconds=time.perf_counter() - started)
        Payment.objects.filter(batch=batch).delete()
        WithheldPayment.objects.filter(batch=batch).delete()
        previous = period_of(month_start_after(month, -1))
        with connection.cursor() as cursor:
            if insert is not None:
                payable = insert(cursor, batch.pk, previous)
            else:
                cursor.execute(_insert_payments_sql(), [batch.pk, period, previous, program, month, month])
                cursor.execute(_insert_withheld_sql(), [batch.pk, period, program, month, month])
                cursor.execute(_insert_arrears_sql(), [batch.pk, program, period])
                payable = payable_enrolments(program, month).count()
        if problems := out_of_bounds(batch, program, month):
            raise DomainError(f"发放表未生成：{problems}", code="out_of_bounds")  # the transaction is undone
        totals = Payment.objects.filter(batch=batch).aggregate(n=Count("id"), people=Sum("people_covered"), total=Sum("amount_fen"))
        PaymentBatch.objects.filter(pk=batch.pk).update(
            payment_count=totals["n"] or 0,
            people_count=totals["people"] or 0,
            total_fen=totals["total"] or 0,
            prepared_by_id=actor.user_id,
            prepared_by_name=(actor.display_name or actor.username) if not actor.is_system else f"系统（{actor.reason}）",
            prepared_at=timezone.now(),
            run_count=F("run_count") + 1,
            version=F("version") + 1,
        )
        batch.refresh_from_db()
        summary = _summary(batch, unchanged=False, seconds=time.perf_counter() - started)
        summary.skipped = payable - (summary.payments - summary.arrears)
        record_audit_event(
            actor,
            AuditAction.SYSTEM if actor.is_system else AuditAction.CREATE,
            object_type="payment_batch",
            object_id=batch.pk,
            division_code=district_code(),
            summary=f"生成{Program(program).label}{period}发放表：{summary.payments}笔，{format_yuan(summary.total_fen, grouping=False)}元（第{batch.run_count}次生成）",
            extra={
                "new": summary.new, "changed": summary.changed, "stopped": summary.stopped, "skipped": summary.skipped,
                "withheld": summary.withheld, "arrears": summary.arrears,
            },  # fmt: skip
        )
    return summary


def run_all(
    actor: Actor, *, period: str, programs: list[str] | None = None, progress: Callable[[int, str], None] | None = None
) -> list[BatchSummary]:
    """The casework programs always; other programs (allowances enrolled by other lines)
    when they have enrolments. ``progress(percent, message)`` is told before each program
    (the background job's bar)."""
    if not programs:

        others = set(Enrolment.objects.exclude(program__in=CASEWORK_PROGRAMS).values_list("program", flat=True).distinct())
        programs = [p.value for p in CASEWORK_PROGRAMS] + sorted(others)
    out = []
    for index, program in enumerate(programs):
        if progress is not None:
            label = Program(program).label if program in Program.values else program
            progress(5 + 90 * index // len(programs), f"生成{label}发放表（{index + 1}/{len(programs)}）")
        out.append(run_payroll(actor, program=program, period=period))
    return out


def stopped_payments(batch: PaymentBatch):
    """Paid last month, not this month (ended, exited, suspended)."""
    previous = period_of(month_start_after(parse_period(batch.period), -1))
    this_month = Payment.objects.filter(
        program=batch.program, period=batch.period, subject_kind=OuterRef("subject_kind"), subject_id=OuterRef("subject_id")
    )
    return Payment.objects.filter(program=batch.program, period=previous).filter(~Exists(this_month))


def _summary(batch: PaymentBatch, *, unchanged: bool, seconds: float) -> BatchSummary:
    counts = dict(Payment.objects.filter(batch=batch).values_list("change_kind").annotate(n=Count("id")).order_by())
    return BatchSummary(
        batch_id=batch.pk,
        program=batch.program,
        period=batch.period,
        status=batch.status,
        payments=batch.payment_count,
        people=batch.people_count,
        total_fen=batch.total_fen,
        new=counts.get(PaymentChange.NEW, 0),
        changed=counts.get(PaymentChange.CHANGED, 0),
        stopped=stopped_payments(batch).count(),
        skipped=0,
        unchanged_rerun=unchanged,
        seconds=round(seconds, 3),
        withheld=WithheldPayment.objects.filter(batch=batch).count(),
        arrears=counts.get(PaymentChange.ARREARS, 0),
    )


def batch_summary(batch: PaymentBatch) -> BatchSummary:
    return _summary(batch, unchanged=False, seconds=0.0)


@transaction.atomic
def do_approve_batch(actor: Actor, batch: PaymentBatch, *, expected_version: int) -> PaymentBatch:
    """审批 (checker): a different user from the one who prepared it."""
    _require_district(actor, Perm.APPROVE_PAYROLL, "审批发放表")
    if actor.is_system:
        raise PermissionDenied("发放表须由工作人员审批")
    current = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if current.version != expected_version:
        raise DomainError("该发放表已被其他用户处理或重新生成，请刷新后重试", code="stale")
    if current.status == BatchStatus.APPROVED:
        raise DomainError("该发放表已审批", code="wrong_state")
    if current.prepared_by_id is not None and current.prepared_by_id == actor.user_id:
        raise PermissionDenied("制表人与审批人不能为同一人")
    if reason := batch_incomplete_reason(current):
        raise DomainError(reason, code="incomplete")
    rows = PaymentBatch.objects.filter(pk=current.pk, version=expected_version).update(
        status=BatchStatus.APPROVED, approved_by_id=actor.user_id, approved_at=timezone.now(), version=F("version") + 1
    )
    if rows != 1:
        raise DomainError("该发放表已被其他用户处理或重新生成，请刷新后重试", code="stale")
    current.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="payment_batch",
        object_id=current.pk,
        division_code=district_code(),
        summary=f"审批{Program(current.program).label}{current.period}发放表：{current.payment_count}笔，{format_yuan(current.total_fen, grouping=False)}元",
        changed_fields={"status": [BatchStatus.PREPARED, BatchStatus.APPROVED]},
    )
    return current


BANK_HEADERS = [
    "序号", "乡镇（街道）", "村（社区）", "领款人姓名", "身份证号码", "开户银行", "银行账号", "金额（元）", "保障人数", "救助项目", "发放月份",
]
BANK_COLUMNS = [
    Column("序号", "int", 6), Column("乡镇（街道）"), Column("村（社区）"), Column("领款人姓名", width=10),
    Column("身份证号码", width=20), Column("开户银行"), Column("银行账号", width=22), Column("金额（元）", "fen", 12),
    Column("保障人数", "count", 8), Column("救助项目"), Column("发放月份", width=10),
]


def bank_file(actor: Actor, batch: PaymentBatch) -> tuple[bytes, int]:
    """The bank's file: the only place full account numbers appear. Approved batches only;
    amounts are numeric cells (0.00) with a 合计 row; ID numbers full only for a role allowed to
    reveal them; every export is audited."""
    _require_district(actor, Perm.APPROVE_PAYROLL if actor.has(Perm.APPROVE_PAYROLL) else Perm.PREPARE_PAYROLL, "导出银行代发文件")
    if batch.status != BatchStatus.APPROVED:
        raise DomainError("发放表审批后方可导出银行代发文件", code="wrong_state")
    directory = get_directory()
    rows_qs = (
        Payment.objects.filter(batch=batch)
        .order_by("division_code", "id")
        .values_list(
            "division_code", "amount_fen", "people_covered",
            "enrolment__payee__name", "enrolment__payee_id",
            "enrolment__bank_name", "enrolment__bank_account_encrypted", "period",
        )
    )
    label = Program(batch.program).label
    id_numbers = export_id_numbers(actor, rows_qs.values_list("enrolment__payee_id", flat=True))

    def rows():
        for i, (code, amount, people, name, payee_id, bank, account_enc, period) in enumerate(rows_qs.iterator(chunk_size=2000), 1):
            town = directory.town_of(code)
            yield [
                i, town.name if town else "", directory.name(code), name, id_numbers.get(payee_id, ""), bank,
                decrypt_text(account_enc) if account_enc else "", amount, people, label,
                batch.period if period == batch.period else f"{period}（补发）",
            ]

    content, count = write_export(BANK_COLUMNS, rows(), sheet_name="代发明细", total_label="合计")
    full = exports_full_id_numbers(actor)
    record_audit_event(
        actor,
        AuditAction.EXPORT,
        object_type="payment_batch",
        object_id=batch.pk,
        division_code=district_code(),
        summary=f"导出银行代发文件：{label}{batch.period}，{count}笔（含完整银行账号{'和身份证号码' if full else ''}）",
        extra={"rows": count, "full_id_numbers": full},
    )
    return content, count


CHANGE_HEADERS = ["变化", "乡镇（街道）", "村（社区）", "领款人姓名", "身份证号码", "上月金额（元）", "本月金额（元）"]
CHANGE_COLUMNS = [
    Column("变化", width=10), Column("乡镇（街道）"), Column("村（社区）"), Column("领款人姓名", width=10),
    Column("身份证号码", width=20), Column("上月金额（元）", "fen", 14), Column("本月金额（元）", "fen", 14),
]


def _change_records(batch: PaymentBatch) -> list[tuple]:
    """(变化, division code, name, masked ID, payee id, previous fen | None, amount fen | None)."""
    out = []
    fields = (
        "division_code", "amount_fen", "previous_amount_fen", "change_kind",
        "enrolment__payee__name", "enrolment__payee__id_number_masked", "enrolment__payee_id",
    )
    for code, amount, previous, change, name, masked, payee in (
        Payment.objects.filter(batch=batch).exclude(change_kind=PaymentChange.CONTINUING).order_by("change_kind", "division_code").values_list(*fields)
    ):
        out.append((PaymentChange(change).label, code, name, masked, payee, previous, amount))
    for code, amount, name, masked, payee in stopped_payments(batch).order_by("division_code").values_list(
        "division_code", "amount_fen", "enrolment__payee__name", "enrolment__payee__id_number_masked", "enrolment__payee_id"
    ):
        out.append(("停发", code, name, masked, payee, amount, None))
    return out


def changes_rows(batch: PaymentBatch) -> list[list]:
    """The month's changes: new, changed amount, stopped (masked ID numbers, amounts as text)."""
    directory = get_directory()
    out = []
    for change, code, name, masked, _payee, previous, amount in _change_records(batch):
        town = directory.town_of(code)
        out.append([
            change, town.name if town else "", directory.name(code), name, masked,
            format_yuan(previous, grouping=False) if previous is not None else "", format_yuan(amount, grouping=False) if amount is not None else "",
        ])
    return out


def changes_xlsx(actor: Actor, batch: PaymentBatch) -> tuple[bytes, int]:
    """本月变化 as a download: every new, changed, stopped and 补发 row with numeric amounts;
    a month without changes says so in the file instead of leaving only the header."""
    directory = get_directory()
    records = _change_records(batch)
    id_numbers = export_id_numbers(actor, [r[4] for r in records])
    rows = []
    for change, code, name, masked, payee, previous, amount in records:
        town = directory.town_of(code)
        rows.append([change, town.name if town else "", directory.name(code), name, id_numbers.get(payee, masked), previous, amount])
    continuing = Payment.objects.filter(batch=batch, change_kind=PaymentChange.CONTINUING).count()
    content, count = write_export(
        CHANGE_COLUMNS, rows, sheet_name="本月变化",
        empty_note=f"本月无变化：{continuing} 笔与上月相同" if continuing else "本月发放表没有发放对象",
    )
    audit_export(
        actor, what=f"本月变化名单：{Program(batch.program).label}{batch.period}", count=count,
        object_type="payment_batch", object_id=batch.pk, division_code=district_code(),
        full_id_numbers=exports_full_id_numbers(actor),
    )
    return content, count


def payable_enrolments(program: str, month: dt.date):
    """The ORM form of the INSERT's WHERE clause (to count and to show)."""
    return payable_enrolments_of((program,), month)


def payable_enrolments_of(programs: tuple[str, ...], month: dt.date):
    return Enrolment.objects.filter(program__in=programs, start_month__lte=month, amount_fen__gt=0).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month),
        Q(status="active") | Q(status="exited", end_month__isnull=False),
    )
