"""Every write of plan monitoring: named, atomic, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from minzheng.accounts.models import User
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.photos import PhotoRejected, clean_photo
from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.core.audit import AuditAction, diff_fields, record_audit_event
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.planning.computations import MEASURES, REGISTRY, run_computations
from minzheng.planning.enums import (
    ANNUAL,
    Aggregation,
    ReportKind,
    Source,
    SubmissionStatus,
    TargetRule,
)
from minzheng.planning.models import (
    GeneratedReport,
    Indicator,
    IndicatorValue,
    KeyProject,
    PeriodLock,
    Plan,
    ProgressPhoto,
    ProgressReport,
    ReferenceSeries,
    ReferenceValue,
    ReportNarrative,
    ValueSubmission,
)
from minzheng.planning.reports import SECTION_KEYS, render_docx, render_pdf, report_context, report_year

COUNT_UNITS = {"个", "人", "张", "家", "名", "对", "所"}
EVIDENCE_MIN = 4
VALUE_TOLERANCE = Decimal("0.05")  # a stated value may differ from numerator÷denominator by rounding only


# --- locks -----------------------------------------------------------------------------------


def lock_of(plan: Plan, year: int) -> PeriodLock | None:
    return PeriodLock.objects.filter(plan=plan, year=year).first()


def is_locked(plan: Plan, year: int, today: dt.date | None = None) -> bool:
    lock = lock_of(plan, year)
    today = today or clock.today()
    return lock is not None and today > lock.locks_on


def require_unlocked(plan: Plan, year: int) -> None:
    lock = lock_of(plan, year)
    if lock is not None and clock.today() > lock.locks_on:
        raise DomainError(f"{year}年度数据已于{lock.locks_on:%Y年%m月%d日}后锁定，不能再修改", code="locked")


@transaction.atomic
def do_set_period_lock(actor: Actor, plan: Plan, *, year: int, locks_on: dt.date, note: str = "") -> PeriodLock:
    actor.require(Perm.APPROVE_INDICATORS)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("只有区级人员可以设置数据锁定")
    if not plan.baseline_year <= year <= plan.end_year + 5:
        raise ValidationFailed({"year": f"年度应在{plan.baseline_year}—{plan.end_year + 5}之间"})
    if locks_on.year < year:
        raise ValidationFailed({"locks_on": "锁定日期不能早于该年度"})
    lock = lock_of(plan, year)
    before = {"locks_on": lock.locks_on.isoformat()} if lock else {}
    lock, _ = PeriodLock.objects.update_or_create(
        plan=plan, year=year, defaults={"locks_on": locks_on, "set_by_id": actor.user_id, "note": note[:200]}
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="planning_lock",
        object_id=lock.pk,
        division_code=district_code(),
        summary=f"设置{plan.code}规划{year}年度数据锁定日期为{locks_on.isoformat()}",
        changed_fields=diff_fields(before, {"locks_on": locks_on.isoformat()}),
    )
    return lock


# --- validating a hand-entered value -----------------------------------------------------------


@dataclass
class ValueInput:
    indicator_code: str
    year: int
    division_code: str
    as_of: dt.date | None
    evidence: str
    month: int = ANNUAL
    value: Decimal | str | None = None
    numerator: Decimal | str | None = None
    denominator: Decimal | str | None = None


def _parse_decimal(raw, field_name: str, errors: dict[str, str]) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        errors[field_name] = "请填写数字"
        return None
    if not value.is_finite():
        errors[field_name] = "请填写数字"
        return None
    return value


def computation_blocks_entry(indicator: Indicator, year: int | None = None) -> str | None:
    """Why a value of this indicator (for ``year``) cannot be entered by hand (None: it can).

    A computed indicator is entered by hand only for periods its computation cannot produce:
    while its data source is not there, or — for a computation of the current state only —
    for past years (back-filled from the annual statistics)."""
    if indicator.mirror_of_id:
        return f"该目标与主要指标{indicator.mirror_of.code}“{indicator.mirror_of.name}”口径相同，请填报主要指标"
    if indicator.computation:
        info = MEASURES.get(indicator.computation)
        if info is not None and info[0].unavailable_reason() is None:
            computation = info[0]
            if year is None or year >= clock.today().year or computation.covers_year(year):
                return f"该指标由系统计算（{computation.title}），不接受手工填报"
    return None


def scale_of(indicator: Indicator) -> Decimal:
    return Decimal(100) if indicator.unit == "%" else Decimal(1)


def validate_value_input(actor: Actor, plan: Plan, data: ValueInput) -> tuple[Indicator, dict]:
    """Check a hand-entered value. Returns the indicator and the cleaned fields, or raises
    ValidationFailed with Chinese messages keyed by field."""
    errors: dict[str, str] = {}
    indicator = (
        Indicator.objects.select_related("plan", "mirror_of").filter(plan=plan, code=str(data.indicator_code).strip()).first()
    )
    if indicator is None:
        raise ValidationFailed({"indicator": f"指标编号“{data.indicator_code}”不存在"})
    blocked = computation_blocks_entry(indicator, data.year if isinstance(data.year, int) else None)
    if blocked:
        errors["indicator"] = blocked

    today = clock.today()
    year, month = data.year, data.month
    if not isinstance(year, int) or not plan.start_year <= year <= plan.end_year:
        errors["year"] = f"年度应在{plan.start_year}—{plan.end_year}之间"
    elif year > today.year:
        errors["year"] = "不能填报未来年度"
    if not isinstance(month, int) or not 0 <= month <= 12:
        errors["month"] = "月份应为1—12，年度值留空"
    elif isinstance(year, int) and year == today.year and month > today.month:
        errors["month"] = "不能填报未来月份"

    code = (data.division_code or "").strip()
    directory = get_directory()
    info = directory.get(code)
    if info is None or len(code) not in (6, 9):
        errors["division_code"] = "请选择全区或乡镇（街道）"
    elif indicator.aggregation == Aggregation.DISTRICT and code != district_code():
        errors["division_code"] = "该指标为全区统一数值，只能按全区填报"
    elif not actor.covers(code):
        errors["division_code"] = "区划不存在或不在您的管辖范围内"

    value = _parse_decimal(data.value, "value", errors)
    numerator = _parse_decimal(data.numerator, "numerator", errors)
    denominator = _parse_decimal(data.denominator, "denominator", errors)
    scale = scale_of(indicator)
    if (numerator is None) != (denominator is None):
        errors["denominator" if numerator is not None else "numerator"] = "分子和分母须同时填写"
    elif numerator is not None and denominator is not None:
        if indicator.aggregation != Aggregation.RATIO:
            errors["numerator"] = "该指标不是比率，不填分子分母"
        elif denominator <= 0:
            errors["denominator"] = "分母应大于0"
        elif numerator < 0:
            errors["numerator"] = "分子不能为负数"
        elif indicator.unit == "%" and numerator > denominator:
            errors["numerator"] = "分子不能大于分母"
        else:
            derived = (numerator / denominator * scale).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            if value is not None and abs(value - derived) > VALUE_TOLERANCE:
                errors["value"] = f"数值与分子÷分母（{derived.normalize():f}）不一致"
            value = derived
    if (
        indicator.aggregation == Aggregation.RATIO
        and code != district_code()
        and numerator is None
        and "division_code" not in errors
    ):
        errors["numerator"] = "乡镇（街道）的比率指标须填写分子和分母，以便全区按合计计算"
    if value is None and "value" not in errors and "numerator" not in errors and "denominator" not in errors:
        errors["value"] = "请填写数值"
    if value is not None and "value" not in errors:
        if indicator.unit == "%" and indicator.target_rule != TargetRule.GROWTH_VS_REFERENCE:
            if not Decimal(0) <= value <= Decimal(100):
                errors["value"] = "百分比应在0—100之间"
        elif indicator.target_rule == TargetRule.GROWTH_VS_REFERENCE:
            if not Decimal(-100) <= value <= Decimal(1000):
                errors["value"] = "增速应在−100%—1000%之间"
        elif value < 0:
            errors["value"] = "数值不能为负数"
        if indicator.unit in COUNT_UNITS and value != value.to_integral_value():
            errors["value"] = f"单位为“{indicator.unit}”，应为整数"
        if abs(value) >= Decimal("1e15"):
            errors["value"] = "数值过大"

    if data.as_of is None:
        errors["as_of"] = "请填写数据截至日期"
    elif data.as_of > today:
        errors["as_of"] = "数据截至日期不能晚于今天"
    elif isinstance(year, int) and data.as_of < dt.date(year, 1, 1):
        errors["as_of"] = "数据截至日期不能早于所填年度"

    evidence = (data.evidence or "").strip()
    if len(evidence) < EVIDENCE_MIN:
        errors["evidence"] = f"请填写佐证说明（数据来源、统计口径等，不少于{EVIDENCE_MIN}个字）"

    if errors:
        raise ValidationFailed(errors)
    return indicator, {
        "year": year,
        "month": month,
        "division_code": code,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "as_of": data.as_of,
        "evidence": evidence,
    }


@transaction.atomic
def do_submit_value(actor: Actor, plan: Plan, data: ValueInput, *, attachment=None, batch=None) -> ValueSubmission:
    """A hand-entered value, pending approval by district staff."""
    actor.require(Perm.EDIT_INDICATORS)
    indicator, clean = validate_value_input(actor, plan, data)
    require_unlocked(plan, clean["year"])
    check_division_in_scope(actor, clean["division_code"])
    pending = ValueSubmission.objects.filter(
        indicator=indicator,
        year=clean["year"],
        month=clean["month"],
        division_code=clean["division_code"],
        status=SubmissionStatus.PENDING,
    ).exists()
    if pending:
        raise ValidationFailed({"indicator": "该指标同一期、同一区划已有待审核的填报，请先审核或退回"})
    submission = ValueSubmission.objects.create(
        indicator=indicator, submitted_by_id=actor.user_id, import_batch=batch, **clean
    )
    if attachment is not None:
        submission.attachment.save(attachment.name, attachment, save=True)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="planning_submission",
        object_id=submission.pk,
        division_code=submission.division_code,
        summary=f"填报指标{indicator.code}“{indicator.name}”{_period_text(clean['year'], clean['month'])}数值 {clean['value'].normalize():f}",
        extra={"import_batch": batch.pk if batch else None},
    )
    return submission


def _period_text(year: int, month: int) -> str:
    return f"{year}年" + (f"{month}月" if month else "度")


def _as_of_datetime(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def _require_checker(actor: Actor, submission: ValueSubmission) -> None:
    actor.require(Perm.APPROVE_INDICATORS)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("只有区级人员可以审核指标数据")
    if submission.submitted_by_id is not None and submission.submitted_by_id == actor.user_id:
        raise DomainError("不能审核本人填报的数据（填报与审核须由不同人员完成）", code="maker_checker")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError(f"该填报已{submission.get_status_display()}，不能重复处理", code="not_pending")


@transaction.atomic
def do_approve_submission(actor: Actor, submission_id: object, *, note: str = "") -> IndicatorValue:
    submission = access_by_id(
        ValueSubmission.objects.select_related("indicator__plan", "indicator__mirror_of"), actor, submission_id,
        for_update=True,
    )
    _require_checker(actor, submission)
    indicator = submission.indicator
    require_unlocked(indicator.plan, submission.year)
    blocked = computation_blocks_entry(indicator, submission.year)
    if blocked:
        raise DomainError(blocked, code="computed")
    now = timezone.now()
    existing = IndicatorValue.objects.filter(
        indicator=indicator, year=submission.year, month=submission.month, division_code=submission.division_code
    ).first()
    before = {"value": str(existing.value), "source": existing.source} if existing else {}
    value, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        year=submission.year,
        month=submission.month,
        division_code=submission.division_code,
        defaults={
            "value": submission.value,
            "numerator": submission.numerator,
            "denominator": submission.denominator,
            "source": Source.MANUAL,
            "computation": "",
            "evidence": submission.evidence,
            "as_of": _as_of_datetime(submission.as_of),
            "submission": submission,
            "approved_by_id": actor.user_id,
        },
    )
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_by_id = actor.user_id
    submission.reviewed_at = now
    submission.review_note = note[:300]
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="planning_submission",
        object_id=submission.pk,
        division_code=submission.division_code,
        summary=f"审核通过指标{indicator.code}{_period_text(submission.year, submission.month)}数值 {submission.value.normalize():f}",
        changed_fields=diff_fields(before, {"value": str(submission.value), "source": Source.MANUAL}),
    )
    return value


@transaction.atomic
def do_return_submission(actor: Actor, submission_id: object, *, note: str) -> ValueSubmission:
    submission = access_by_id(ValueSubmission.objects.select_related("indicator"), actor, submission_id, for_update=True)
    _require_checker(actor, submission)
    note = (note or "").strip()
    if len(note) < 2:
        raise ValidationFailed({"note": "退回须填写原因"})
    submission.status = SubmissionStatus.RETURNED
    submission.reviewed_by_id = actor.user_id
    submission.reviewed_at = timezone.now()
    submission.review_note = note[:300]
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="planning_submission",
        object_id=submission.pk,
        division_code=submission.division_code,
        summary=f"退回指标{submission.indicator.code}填报：{note[:100]}",
    )
    return submission


# --- reference series --------------------------------------------------------------------------


@transaction.atomic
def do_set_reference_value(
    actor: Actor, series: ReferenceSeries, *, year: int, value, evidence: str
) -> ReferenceValue:
    actor.require(Perm.APPROVE_INDICATORS)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("只有区级人员可以录入参照序列")
    errors: dict[str, str] = {}
    number = _parse_decimal(value, "value", errors)
    if number is None and "value" not in errors:
        errors["value"] = "请填写数值"
    if not 2000 <= year <= clock.today().year:
        errors["year"] = "年度不正确"
    if len((evidence or "").strip()) < EVIDENCE_MIN:
        errors["evidence"] = "请填写来源（如统计公报名称）"
    if errors:
        raise ValidationFailed(errors)
    existing = ReferenceValue.objects.filter(series=series, year=year).first()
    before = {"value": str(existing.value)} if existing else {}
    row, _ = ReferenceValue.objects.update_or_create(
        series=series, year=year,
        defaults={"value": number, "evidence": evidence.strip()[:300], "entered_by_id": actor.user_id},
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE if existing else AuditAction.CREATE,
        object_type="planning_reference",
        object_id=row.pk,
        division_code=district_code(),
        summary=f"录入参照序列“{series.name}”{year}年 {number.normalize():f}",
        changed_fields=diff_fields(before, {"value": str(number)}),
    )
    return row


# --- recomputing computed indicators -------------------------------------------------------------


@dataclass
class RecomputeSummary:
    year: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def do_recompute_indicators(
    actor: Actor,
    plan: Plan,
    *,
    year: int,
    names: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> RecomputeSummary:
    """Run the computations of a year and publish their figures for every indicator of the plan
    that shows them. Reads first, then writes everything in one transaction. A locked year is
    refused; a computation whose data source is not there yet is skipped and reported."""
    actor.require(Perm.EDIT_INDICATORS)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("只有区级人员可以重新计算全区指标")
    require_unlocked(plan, year)
    started = time.perf_counter()
    wanted = list(names) if names else [
        n for n in REGISTRY if any(m.name in _plan_measures(plan) for m in REGISTRY[n].measures)
    ]
    result = run_computations(year, names=wanted, now=now)
    summary = RecomputeSummary(year=year, skipped=result.skipped, timings=result.timings)

    by_measure: dict[str, list[Indicator]] = {}
    for ind in Indicator.objects.filter(plan=plan).exclude(computation=""):
        by_measure.setdefault(ind.computation, []).append(ind)

    with transaction.atomic():
        indicator_ids = [i.pk for inds in by_measure.values() for i in inds]
        existing = {
            (v.indicator_id, v.month, v.division_code): v
            for v in IndicatorValue.objects.select_for_update().filter(indicator_id__in=indicator_ids, year=year)
        }
        to_create, to_update, produced = [], [], set()
        for fig in result.figures:
            for ind in by_measure.get(fig.measure, []):
                key = (ind.pk, fig.month, fig.division_code)
                produced.add(key)
                row = existing.get(key)
                fields = {
                    "value": fig.value,
                    "numerator": fig.numerator,
                    "denominator": fig.denominator,
                    "source": Source.COMPUTED,
                    "computation": fig.measure,
                    "evidence": fig.evidence,
                    "as_of": fig.as_of,
                    "submission": None,
                    "approved_by": None,
                }
                if row is None:
                    to_create.append(IndicatorValue(indicator=ind, year=year, month=fig.month, division_code=fig.division_code, **fields))
                    continue
                if (row.value, row.numerator, row.denominator, row.source, row.evidence) == (
                    fig.value, fig.numerator, fig.denominator, Source.COMPUTED, fig.evidence
                ) and row.as_of == fig.as_of:
                    summary.unchanged += 1
                    continue
                for k, v in fields.items():
                    setattr(row, k, v)
                to_update.append(row)
        # A computed figure the run no longer produces (e.g. a town whose denominator fell to 0).
        produced_periods = {(k[0], k[1]) for k in produced}
        stale = [
            v.pk for key, v in existing.items()
            if v.source == Source.COMPUTED and (key[0], key[1]) in produced_periods and key not in produced
        ]
        IndicatorValue.objects.bulk_create(to_create, batch_size=500)
        _update_in_bulk(to_update)
        if stale:
            IndicatorValue.objects.filter(pk__in=stale).delete()
        summary.created, summary.updated, summary.removed = len(to_create), len(to_update), len(stale)
        summary.seconds = time.perf_counter() - started
        record_audit_event(
            actor,
            AuditAction.SYSTEM if actor.is_system else AuditAction.UPDATE,
            object_type="planning_recompute",
            object_id=plan.pk,
            division_code=district_code(),
            summary=(
                f"重新计算{plan.code}规划{year}年度指标：新增{summary.created}，更新{summary.updated}，"
                f"未变{summary.unchanged}，移除{summary.removed}，跳过{len(summary.skipped)}项计算"
            ),
            extra={"skipped": summary.skipped, "seconds": round(summary.seconds, 3)},
        )
    return summary


UPDATED_FIELDS = ("value", "numerator", "denominator", "source", "computation", "evidence", "as_of", "submission",
                  "approved_by")


def _update_in_bulk(rows: list[IndicatorValue]) -> None:
    """One UPDATE per row through executemany: Django's bulk_update builds a CASE per field and
    row, which costs seconds for a few hundred rows; this costs milliseconds on both databases."""
    if not rows:
        return

    meta = IndicatorValue._meta
    fields = [meta.get_field(name) for name in UPDATED_FIELDS]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(f.column)} = %s" for f in fields)
        + ", " + qn(meta.get_field("recorded_at").column) + " = %s"
        + f" WHERE {qn(meta.pk.column)} = %s"
    )
    now = meta.get_field("recorded_at").get_db_prep_save(timezone.now(), connection)
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [now, row.pk] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _plan_measures(plan: Plan) -> set[str]:
    return set(Indicator.objects.filter(plan=plan).exclude(computation="").values_list("computation", flat=True))


# --- key projects ----------------------------------------------------------------------------------

PHOTOS_MAX = 6


@dataclass
class ProgressInput:
    reported_on: dt.date | None
    percent_complete: Decimal | str | None
    spent_wan: Decimal | str | None
    milestones: str = ""
    issues: str = ""


@transaction.atomic
def do_record_progress(actor: Actor, project_id: object, data: ProgressInput, *, photos=()) -> ProgressReport:
    actor.require(Perm.EDIT_INDICATORS)
    project = access_by_id(KeyProject.objects.all(), actor, project_id, for_update=True)
    errors: dict[str, str] = {}
    percent = _parse_decimal(data.percent_complete, "percent_complete", errors)
    spent = _parse_decimal(data.spent_wan, "spent_wan", errors)
    if percent is None and "percent_complete" not in errors:
        errors["percent_complete"] = "请填写完成进度"
    elif percent is not None and not Decimal(0) <= percent <= Decimal(100):
        errors["percent_complete"] = "完成进度应在0—100之间"
    elif percent is not None and percent < project.latest_percent and project.latest_report_on:
        errors["percent_complete"] = f"完成进度不能低于上次报告的 {project.latest_percent.normalize():f}%"
    if spent is None and "spent_wan" not in errors:
        errors["spent_wan"] = "请填写累计完成投资"
    elif spent is not None and spent < 0:
        errors["spent_wan"] = "累计完成投资不能为负数"
    elif spent is not None and spent.as_tuple().exponent < -2:
        errors["spent_wan"] = "累计完成投资最多保留两位小数（万元）"
    if data.reported_on is None:
        errors["reported_on"] = "请填写报告日期"
    elif data.reported_on > clock.today():
        errors["reported_on"] = "报告日期不能晚于今天"
    elif project.latest_report_on and data.reported_on < project.latest_report_on:
        errors["reported_on"] = f"报告日期不能早于上次报告（{project.latest_report_on.isoformat()}）"
    photos = list(photos)
    if len(photos) > PHOTOS_MAX:
        errors["photos"] = f"每次最多上传{PHOTOS_MAX}张照片"
    checked = []
    for f in photos:
        try:
            # re-encoded without EXIF: a site photo's GPS and device data stay on the phone
            clean = clean_photo(f.name, f.read())
        except PhotoRejected as e:
            errors["photos"] = str(e)
        else:
            checked.append((f.name, clean.content, (clean.content_type, clean.extension)))
    if errors:
        raise ValidationFailed(errors)
    report = ProgressReport.objects.create(
        project=project,
        division_code=project.division_code,
        reported_on=data.reported_on,
        percent_complete=percent,
        spent_wan=spent,
        milestones=(data.milestones or "").strip(),
        issues=(data.issues or "").strip(),
        reported_by_id=actor.user_id,
    )
    for name, content, (ctype, ext) in checked:
        digest = hashlib.sha256(content).hexdigest()
        photo = ProgressPhoto(
            report=report, division_code=project.division_code, caption=name[:100], content_type=ctype,
            size=len(content), sha256=digest,
        )
        photo.file.save(f"{digest[:16]}{ext}", ContentFile(content), save=False)
        photo.save()
    before = {"percent": str(project.latest_percent), "spent_wan": str(project.latest_spent_wan)}
    project.latest_percent = percent
    project.latest_spent_wan = spent
    project.latest_report_on = data.reported_on
    project.save(update_fields=["latest_percent", "latest_spent_wan", "latest_report_on"])
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="planning_progress",
        object_id=report.pk,
        division_code=project.division_code,
        summary=f"报告重点项目“{project.name}”进度 {percent.normalize():f}%，累计完成投资 {spent.normalize():f} 万元",
        changed_fields=diff_fields(before, {"percent": str(percent), "spent_wan": str(spent)}),
        extra={"photos": len(checked)},
    )
    return report


# --- evaluation report narratives ------------------------------------------------------------------


@transaction.atomic
def do_save_narrative(
    actor: Actor, plan: Plan, kind: str, sections: dict[str, str], *, expected_version: int | None = None
) -> ReportNarrative:
    actor.require(Perm.EDIT_INDICATORS)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("只有区级人员可以编辑评估报告")
    if kind not in ReportKind.values:
        raise ValidationFailed({"kind": "报告类型不正确"})
    clean = {k: (sections.get(k) or "").strip()[:5000] for k in SECTION_KEYS}
    narrative, created = ReportNarrative.objects.select_for_update().get_or_create(plan=plan, kind=kind)
    if expected_version is not None and not created and narrative.version != expected_version:
        raise DomainError("报告文字已被他人修改，请刷新页面后再编辑", code="stale")
    before = dict(narrative.sections)
    narrative.sections = clean
    narrative.updated_by_id = actor.user_id
    narrative.version = 1 if created else narrative.version + 1
    narrative.save()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="planning_narrative",
        object_id=narrative.pk,
        division_code=district_code(),
        summary=f"编辑{plan.code}规划{ReportKind(kind).label}文字（第{narrative.version}版）",
        changed_fields={k: ["…", "…"] for k in clean if before.get(k) != clean[k]},
    )
    return narrative


# --- evaluation reports ------------------------------------------------------------------------


@transaction.atomic
def do_generate_report(actor: Actor, plan: Plan, *, kind: str, fmt: str, now: dt.datetime | None = None):
    """Generate the mid-term or final evaluation report and keep it (file, date, author)."""
    actor.require(Perm.VIEW_DASHBOARD)
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("评估报告仅限区级人员生成")
    if kind not in ReportKind.values:
        raise ValidationFailed({"kind": "报告类型不正确"})
    if fmt not in ("pdf", "docx"):
        raise ValidationFailed({"fmt": "格式应为 PDF 或 DOCX"})
    now = now or timezone.now()
    author = actor.username
    if actor.user_id:
        user = User.objects.filter(pk=actor.user_id).first()
        author = str(user) if user else author
    context = report_context(actor, plan, kind, author=author, now=now)
    content = render_pdf(context) if fmt == "pdf" else render_docx(context)
    digest = hashlib.sha256(content).hexdigest()
    year = report_year(plan, kind)
    report = GeneratedReport(
        plan=plan,
        division_code=district_code(),
        kind=kind,
        year=year,
        fmt=fmt,
        size=len(content),
        sha256=digest,
        narrative=context["narrative"],
        narrative_version=context["narrative_version"],
        generated_by_id=actor.user_id,
        generated_by_name=author,
    )
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    report.file.save(f"{plan.code}-{kind}-{year}-{stamp}-{digest[:8]}.{fmt}", ContentFile(content), save=False)
    report.save()
    record_audit_event(
        actor,
        AuditAction.EXPORT,
        object_type="planning_report",
        object_id=report.pk,
        division_code=district_code(),
        summary=f"生成{plan.code}规划{ReportKind(kind).label}（{fmt.upper()}，{len(content)}字节）",
        extra={"sha256": digest, "narrative_version": context["narrative_version"]},
    )
    return report
