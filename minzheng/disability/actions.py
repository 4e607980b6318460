"""Every write of the 两项补贴 line: named, atomic, audited.

Steps of an application go through the case kit's ``do_transition`` with
``workflow.APPLICATION`` (state, permission, level, time limit, documents, optimistic locking,
the history and the audit row). The payment is an enrolment of assistance's program, started,
adjusted and ended through assistance's own actions (the pattern of
docs/adr/0005-child-allowances.md): the same payroll pays it, the same death handler suspends
and ends it (ADR 0004).

Months (params.py): paid from the month after the decision; a stop is paid through the month
of its event (the certificate change, the last month of 低保/特困, the death) and stopped from
the next.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.assistance.actions import (
    NewEnrolment,
    do_adjust_enrolment,
    do_create_enrolment,
    do_exit_enrolment,
)
from minzheng.assistance.enums import (
    LIVE_ENROLMENT_STATUSES,
    Channel,
    EnrolmentSource,
    ExitReason,
)
from minzheng.assistance.selectors import list_enrolments_for
from minzheng.cases.actions import (
    Step,
    do_transition,
    lock_case,
    record_event,
    update_case,
)
from minzheng.cases.levels import Level
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import FieldCipher, decrypt_text
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.money import format_yuan
from minzheng.core.periods import add_months, month_start, next_month
from minzheng.core.photos import PhotoRejected, clean_photo
from minzheng.core.uploads import MAX_UPLOAD_BYTES
from minzheng.core.numbers import placeholder_number
from minzheng.disability import params
from minzheng.disability.enums import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    EndReason,
    Outcome,
    ReviewOutcome,
    Source,
    Status,
    Subsidy,
)
from minzheng.disability.models import (
    SubsidyApplication,
    SubsidyDecision,
    SubsidyPhoto,
    SubsidyReview,
)
from minzheng.disability.permissions import DisabilityPerm
from minzheng.disability.verdict import Verdict, evaluate, period_for
from minzheng.disability.selectors import application_of_family
from minzheng.disability.workflow import APPLICATION
from minzheng.discovery.selectors import access_alert_by_id, access_signal_by_id
from minzheng.divisions.directory import get_directory
from minzheng.registry.enums import DisabilityCategory
from minzheng.registry.access import person_for_field
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.registry.selectors import household_member

EXIT_REASON = {
    EndReason.DEATH: ExitReason.DEATH,
    EndReason.MOVED_AWAY: ExitReason.MOVED_AWAY,
    EndReason.REVIEW_NOT_ELIGIBLE: ExitReason.REVIEW_NOT_ELIGIBLE,
    EndReason.GRADE_OUT_OF_RANGE: ExitReason.REVIEW_NOT_ELIGIBLE,
    EndReason.CERTIFICATE_REVOKED: ExitReason.REVIEW_NOT_ELIGIBLE,
}

# 第二代残疾人证号: the holder's 18-character ID number, then the category digit and the grade digit.
CATEGORY_DIGIT = {
    DisabilityCategory.VISUAL: "1",
    DisabilityCategory.HEARING: "2",
    DisabilityCategory.SPEECH: "3",
    DisabilityCategory.PHYSICAL: "4",
    DisabilityCategory.INTELLECTUAL: "5",
    DisabilityCategory.MENTAL: "6",
    DisabilityCategory.MULTIPLE: "7",
}
CERTIFICATE_RE = re.compile(r"^\d{17}[\dX]\d{2}$")
GRADE_ERROR = "残疾等级须为一级至四级"


def _text(value: str | None, key: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({key: message})
    return text



def mask_certificate(number: str) -> str:
    return f"{number[:6]}**********{number[-4:]}" if number else ""


@dataclass(frozen=True)
class Certificate:
    """The 残疾人证 as presented: number, category, grade, date of issue (or of the last change)."""

    number: str
    category: str
    grade: int | None
    issued_on: dt.date | None


def check_grade(grade) -> int:
    """The certificate's grade as an int 1–4, or ValidationFailed naming the field."""
    try:
        value = int(grade)
    except (TypeError, ValueError):
        raise ValidationFailed({"certificate_grade": GRADE_ERROR}) from None
    if not 1 <= value <= 4:
        raise ValidationFailed({"certificate_grade": GRADE_ERROR})
    return value


def validate_certificate(cert: Certificate) -> Certificate:
    """Every field of the certificate checked; all errors at once, each under its field."""
    errors: dict[str, str] = {}
    number = (cert.number or "").strip().upper()
    if not number:
        errors["certificate_number"] = "请填写残疾人证号"
    elif not CERTIFICATE_RE.match(number):
        errors["certificate_number"] = "残疾人证号应为20位：18位身份证号码加残疾类别、残疾等级各1位"
    if cert.category not in DisabilityCategory.values:
        errors["certificate_category"] = "请选择残疾类别"
    grade = None
    try:
        grade = check_grade(cert.grade)
    except ValidationFailed as e:
        errors.update(e.errors)
    if cert.issued_on is None:
        errors["certificate_issued_on"] = "请填写发证日期"
    elif cert.issued_on > clock.today():
        errors["certificate_issued_on"] = "发证日期不能晚于今天"
    if not errors and number:
        if number[18] != CATEGORY_DIGIT[DisabilityCategory(cert.category)]:
            errors["certificate_number"] = "残疾人证号第19位（残疾类别）与所选残疾类别不一致"
        elif number[19] != str(grade):
            errors["certificate_number"] = "残疾人证号第20位（残疾等级）与所填残疾等级不一致"
    if errors:
        raise ValidationFailed(errors)
    return Certificate(number, cert.category, grade, cert.issued_on)


def _certificate_fields(cert: Certificate) -> dict:
    return {
        "certificate_number_encrypted": FieldCipher().encrypt(cert.number),
        "certificate_number_masked": mask_certificate(cert.number),
        "certificate_category": cert.category,
        "certificate_grade": cert.grade,
        "certificate_issued_on": cert.issued_on,
    }


def _set_person_disability(actor: Actor, person: Person, cert: Certificate) -> None:
    """The registry's disability (what screening and the engine read) follows the checked
    certificate of a decided case."""
    updates = {
        "disability_category": cert.category,
        "disability_grade": cert.grade,
        "disability_certificate_encrypted": FieldCipher().encrypt(cert.number),
    }
    before = {"disability_category": person.disability_category, "disability_grade": person.disability_grade}
    Person.objects.filter(pk=person.pk).update(**updates, version=F("version") + 1)
    changed = {k: [before[k], updates[k]] for k in before if before[k] != updates[k]}
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"残疾人证信息更新：{mask_name(person.name)}（{DisabilityCategory(cert.category).label}{cert.grade}级）",
        changed_fields=changed,
    )


# ----------------------------------------------------------------------------------------------
# 登记
# ----------------------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    person_id: int
    subsidy: str
    source: str = Source.APPLICATION
    source_ref: int | None = None  # the discovery alert, or the 残联 feed row (Signal)
    certificate_number: str = ""
    certificate_category: str = ""
    certificate_grade: int | None = None
    certificate_issued_on: dt.date | None = None
    certificate_checked: bool = False  # the officer has seen the original certificate
    situation: str = ""


def _check_source(actor: Actor, data: ApplicationInput, person: Person) -> None:
    if data.source not in (Source.ALERT, Source.FEED):
        return
    try:
        row = (access_alert_by_id if data.source == Source.ALERT else access_signal_by_id)(actor, data.source_ref)
    except DomainError:
        raise ValidationFailed({"source_ref": "未找到该预警或残联数据，或不在您的管辖范围内"}) from None
    if row.person_id != person.pk:
        raise ValidationFailed({"source_ref": "该预警或残联数据不是此人的"})


def _validate(actor: Actor, data: ApplicationInput, *, roster: bool = False, person: Person | None = None) -> tuple[Person, Certificate | None]:
    errors: dict[str, str] = {}
    if data.subsidy not in Subsidy.values:
        errors["subsidy"] = "请选择补贴项目"
    if data.source not in Source.values or (data.source == Source.ROSTER and not roster):
        errors["source"] = "请选择来源"
    if data.source in (Source.ALERT, Source.FEED) and not data.source_ref:
        errors["source_ref"] = "请指明预警或残联数据"
    cert = None
    given = any([data.certificate_number, data.certificate_category, data.certificate_grade is not None, data.certificate_issued_on])
    if given or data.certificate_checked or roster:
        try:
            cert = validate_certificate(
                Certificate(data.certificate_number, data.certificate_category, data.certificate_grade, data.certificate_issued_on)
            )
        except ValidationFailed as e:
            errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors)
    # Staff name the person within their divisions; online, the person comes from the
    # citizen's own household (``do_submit_online_application``).
    person = person if person is not None else person_for_field(actor, data.person_id)
    if person.is_deceased:
        raise ValidationFailed({"person_id": "该人员已登记死亡"})
    _check_source(actor, data, person)
    return person, cert


def _new_number(application: SubsidyApplication) -> str:
    return f"CB{application.submitted_on:%Y}{application.pk:06d}"


def _create(actor: Actor, data: ApplicationInput, person: Person, cert: Certificate | None, *, status: str, **extra) -> SubsidyApplication:
    today = clock.today()
    try:
        with transaction.atomic():
            application = SubsidyApplication.objects.create(
                number=placeholder_number(),
                person=person,
                division_code=person.division_code,
                subsidy=data.subsidy,
                source=data.source,
                source_ref=data.source_ref if data.source in (Source.ALERT, Source.FEED) else None,
                certificate_checked=bool(cert) and (data.certificate_checked or data.source == Source.ROSTER),
                situation=(data.situation or "").strip(),
                decide_level=params.DECISION_LEVEL,
                status=status,
                submitted_on=today,
                submitted_by_id=actor.user_id,
                step_started_on=today,
                **(_certificate_fields(cert) if cert else {}),
                **extra,
            )
    except IntegrityError:
        raise ValidationFailed({"subsidy": f"该人员已有{Subsidy(data.subsidy).label}申请正在办理或正在享受"}) from None
    application.number = _new_number(application)
    SubsidyApplication.objects.filter(pk=application.pk).update(number=application.number)
    return application


@transaction.atomic
def do_register_application(actor: Actor, data: ApplicationInput) -> SubsidyApplication:
    """登记: an application taken at the village or town (from the person page, a 残联 feed row
    or a discovery alert)."""
    actor.require(DisabilityPerm.REGISTER_SUBSIDY)
    person, cert = _validate(actor, data)
    return _register(actor, data, person, cert, channel=Channel.COUNTER)


def _register(actor: Actor, data: ApplicationInput, person: Person, cert: Certificate | None, *, channel: str,
              applicant: Person | None = None) -> SubsidyApplication:  # fmt: skip
    """The one way an application is made, by staff or online: the same checks (``_validate``
    before), the same case, waiting for the town's 受理."""
    online = channel == Channel.ONLINE
    application = _create(actor, data, person, cert, status=Status.SUBMITTED, channel=channel, applicant=applicant)
    label = "网上申请" if online else "登记申请"
    record_event(actor, APPLICATION, application, action="create", label=label, from_status="", to_status=Status.SUBMITTED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type=APPLICATION.object_type,
        object_id=application.pk,
        division_code=application.division_code,
        summary=f"{label if online else '登记'}{application.get_subsidy_display()}申请：{application.number}（{Source(data.source).label}）",
    )
    return application


@transaction.atomic
def do_submit_online_application(actor: Actor, data: ApplicationInput, *, applicant: Person) -> SubsidyApplication:
    """网上申请 (issue 22): a real-name citizen (``Actor.citizen``) applies for themselves or for
    a disabled member of their current household, with the same questions the staff form asks.
    The certificate they type is not yet checked: the town sees the original before 受理, as for
    any other case. Same checks, same workflow; the 待办 says 网上申请."""
    if actor.role != "citizen":
        raise PermissionDenied()
    person = household_member(applicant, data.person_id)
    if person is None:
        raise ValidationFailed({"person_id": "只能为本人或本户家庭成员申请"})
    data = replace(data, person_id=person.pk, source=Source.APPLICATION, source_ref=None, certificate_checked=False)
    person, cert = _validate(actor, data, person=person)
    return _register(actor, data, person, cert, channel=Channel.ONLINE, applicant=applicant)


@transaction.atomic
def do_add_online_photo(actor: Actor, application_id: object, *, applicant: Person, filename: str, content: bytes) -> SubsidyPhoto:
    """A photo of the 残疾人证 from the family's phone, for their open case: type and size
    checked by content, re-encoded without metadata (core.photos)."""
    if actor.role != "citizen":
        raise PermissionDenied()
    application = application_of_family(applicant, application_id)
    if application.status not in OPEN_STATUSES:
        raise DomainError("申请已办结，不能再上传材料", code="wrong_state")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed({"file": "文件不能超过5MB"})
    try:
        photo = clean_photo(filename, content)
    except PhotoRejected as e:
        raise ValidationFailed({"file": str(e)}) from None
    row = SubsidyPhoto.store(photo, division_code=application.division_code, application=application)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="disability_photo", object_id=row.pk, division_code=application.division_code,
        summary=f"网上上传残疾人证照片：{application.number}", extra={"sha256": photo.sha256, "size": len(photo.content)},
    )  # fmt: skip
    return row


@transaction.atomic
def do_record_certificate(
    actor: Actor, application: SubsidyApplication, *, expected_version: int, certificate: Certificate
) -> SubsidyApplication:
    """核验残疾人证: the certificate seen and recorded on an open case (the evidence 受理 needs)."""
    actor.require(DisabilityPerm.REGISTER_SUBSIDY)
    cert = validate_certificate(certificate)
    current = lock_case(actor, APPLICATION, application, expected_version)
    if current.status not in (Status.SUBMITTED, Status.REVIEW):
        raise DomainError("只有待受理或审核中的申请可以核验残疾人证", code="wrong_state")
    update_case(
        actor, APPLICATION, current, action="certificate", label="核验残疾人证",
        reason=f"{DisabilityCategory(cert.category).label}{cert.grade}级，{cert.issued_on:%Y-%m-%d}发证",
        updates={**_certificate_fields(cert), "certificate_checked": True},
    )
    current.refresh_from_db()
    return current


# ----------------------------------------------------------------------------------------------
# 受理, 乡镇审核, 审批, 退回, 延期
# ----------------------------------------------------------------------------------------------


def _cert_of(application: SubsidyApplication) -> tuple[str | None, int | None]:
    return application.certificate_category or None, application.certificate_grade


def _verdict(application: SubsidyApplication, period: str) -> Verdict:
    category, grade = _cert_of(application)
    return evaluate(application.person, application.subsidy, period, category=category, grade=grade)


def _store_decision(actor: Actor, application, *, stage: str, outcome: str, reasons: str, verdict: Verdict | None) -> SubsidyDecision:
    return SubsidyDecision.objects.create(
        application=application,
        division_code=application.division_code,
        stage=stage,
        outcome=outcome,
        period=verdict.period if verdict else "",
        facts=verdict.facts if verdict else {},
        parameters=verdict.parameters if verdict else {},
        result=verdict.result if verdict else {},
        engine_eligible=verdict.eligible if verdict else None,
        amount_fen=verdict.amount_fen if verdict else 0,
        reasons=reasons,
        decided_by_id=actor.user_id,
    )


@transaction.atomic
def do_accept_application(actor: Actor, application: SubsidyApplication, *, expected_version: int) -> SubsidyApplication:
    """受理: the town (the 残疾人证 checked — the kit refuses otherwise); the time limit starts."""
    return do_transition(actor, APPLICATION, application, "accept", expected_version=expected_version)


def _assistance_basis(actor: Actor, person: Person) -> bool:
    """The living subsidy's basis in payment: the person's household is in 低保, or the person in
    特困 (a live enrolment of either)."""
    household_ids = list(
        HouseholdMembership.objects.filter(person_id=person.pk, valid_to__isnull=True).values_list("household_id", flat=True)
    )
    system = Actor.system("两项补贴：低保、特困在保核对")
    live = list_enrolments_for(system).filter(status__in=LIVE_ENROLMENT_STATUSES)
    return (
        live.filter(program="dibao", subject_kind="household", subject_id__in=household_ids).exists()
        or live.filter(program="tekun", subject_kind="person", subject_id=person.pk).exists()
    )


BASIS_MISSING = "所在家庭不在低保、本人也不在特困供养，不能享受困难残疾人生活补贴"


@transaction.atomic
def do_review_application(
    actor: Actor, application: SubsidyApplication, *, expected_version: int, outcome: str, opinion: str
) -> SubsidyApplication:
    """乡镇审核: the engine's verdict for this month is stored with the opinion; 同意 only when
    the engine finds the person eligible (and, for the living subsidy, the household is in
    低保 or the person in 特困); 不同意 ends the case with the written reasons."""

    def prepare(current: SubsidyApplication, transition) -> Step:
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择审核意见"})
        text = _text(opinion, "opinion", "请填写审核意见" if outcome == Outcome.APPROVE else "请填写不同意的理由")
        verdict = _verdict(current, period_for(clock.today()))
        updates = {"town_opinion": text, "reviewed_by_id": actor.user_id}
        if outcome == Outcome.APPROVE:
            if not verdict.eligible:
                raise DomainError(f"规则引擎判定不符合条件：{verdict.failed_text}", code="not_eligible")
            if current.subsidy == Subsidy.LIVING and not _assistance_basis(actor, current.person):
                raise DomainError(BASIS_MISSING, code="no_basis")
        _store_decision(actor, current, stage="review", outcome=outcome, reasons=text, verdict=verdict)
        if outcome == Outcome.REFUSE:
            return Step(target=Status.REFUSED, updates={**updates, "refusal_reasons": text}, reason=text, extra={"outcome": outcome})
        return Step(target=Status.DECISION, updates=updates, reason=text, extra={"outcome": outcome, "amount_fen": verdict.amount_fen})

    return do_transition(actor, APPLICATION, application, "review", expected_version=expected_version, prepare=prepare)


def _start_payment(actor: Actor, current: SubsidyApplication, verdict: Verdict, start: dt.date, today: dt.date, *, source: str) -> int:
    person = current.person
    info = get_directory().get(current.division_code)
    enrolment = do_create_enrolment(
        actor,
        NewEnrolment(
            program=current.subsidy,
            person=person,
            payee=person,
            division_code=current.division_code,
            zone=(info.zone if info and info.zone else "rural"),
            amount_fen=verdict.amount_fen,
            start_month=start,
            decided_on=today,
            reason=f"{current.number} {Subsidy(current.subsidy).label}",
            source=source,
        ),
    )
    return enrolment.pk


@transaction.atomic
def do_decide_application(
    actor: Actor, application: SubsidyApplication, *, expected_version: int, outcome: str, reasons: str = ""
) -> SubsidyApplication:
    """审批. 批准: the engine's verdict for this month is stored on the decision (the amount
    paid and its explanation); the registry's disability is set from the certificate; the
    subsidy is enrolled in assistance's program from next month. 不予批准: written reasons."""

    def prepare(current: SubsidyApplication, transition) -> Step:
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择审批结论"})
        today = clock.today()
        if outcome == Outcome.REFUSE:
            text = _text(reasons, "reasons", "请填写不予批准的理由")
            _store_decision(actor, current, stage="final", outcome=outcome, reasons=text, verdict=None)
            return Step(
                target=Status.REFUSED,
                updates={"decided_on": today, "decided_by_id": actor.user_id, "refusal_reasons": text},
                reason=text,
                extra={"outcome": outcome},
            )
        if current.reviewed_by_id is not None and current.reviewed_by_id == actor.user_id:
            raise DomainError("审批人不能是乡镇审核人", code="same_person")
        person = current.person
        if person.is_deceased:
            raise DomainError("该人员已登记死亡，不能批准", code="deceased")
        verdict = _verdict(current, period_for(today))
        if not verdict.eligible:
            raise DomainError(f"规则引擎判定不符合条件：{verdict.failed_text}", code="not_eligible")
        if current.subsidy == Subsidy.LIVING and not _assistance_basis(actor, person):
            raise DomainError(BASIS_MISSING, code="no_basis")
        start = next_month(today)
        cert = Certificate("", current.certificate_category, current.certificate_grade, current.certificate_issued_on)
        _set_person_disability_from_case(actor, current, cert)
        enrolment_id = _start_payment(actor, current, verdict, start, today, source=EnrolmentSource.APPLICATION)
        _store_decision(actor, current, stage="final", outcome=outcome, reasons=(reasons or "").strip(), verdict=verdict)
        return Step(
            target=Status.APPROVED,
            updates={
                "decided_on": today,
                "decided_by_id": actor.user_id,
                "amount_fen": verdict.amount_fen,
                "start_month": start,
                "enrolment_id": enrolment_id,
                "next_review_on": add_months(today, params.REVIEW_CYCLE_MONTHS),
            },
            reason=(reasons or "").strip(),
            extra={"outcome": outcome, "amount_fen": verdict.amount_fen, "start_month": start.isoformat()},
        )

    return do_transition(actor, APPLICATION, application, "decide", expected_version=expected_version, prepare=prepare)


def _set_person_disability_from_case(actor: Actor, application: SubsidyApplication, cert: Certificate) -> None:
    number = decrypt_text(application.certificate_number_encrypted) if application.certificate_number_encrypted else ""
    _set_person_disability(actor, application.person, Certificate(number, cert.category, cert.grade, cert.issued_on))


@transaction.atomic
def do_return_application(actor: Actor, application: SubsidyApplication, *, expected_version: int, reason: str) -> SubsidyApplication:
    return do_transition(actor, APPLICATION, application, "return", expected_version=expected_version, reason=reason)


@transaction.atomic
def do_extend_application(actor: Actor, application: SubsidyApplication, *, expected_version: int, reason: str) -> SubsidyApplication:
    return do_transition(actor, APPLICATION, application, "extend", expected_version=expected_version, reason=reason)


# ----------------------------------------------------------------------------------------------
# Changes of a subsidised person: 停发, 等级变更, 复核
# ----------------------------------------------------------------------------------------------


def _require_manage(actor: Actor) -> None:
    actor.require(DisabilityPerm.REVIEW_SUBSIDY)
    if not actor.is_system and actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("享受补贴人员的变更须由乡镇（街道）或区民政局办理")


def _live_enrolment(actor: Actor, application: SubsidyApplication):
    if application.enrolment_id is None:
        return None
    return list_enrolments_for(actor).filter(pk=application.enrolment_id, status__in=LIVE_ENROLMENT_STATUSES).first()


@transaction.atomic
def do_end_subsidy(
    actor: Actor,
    application: SubsidyApplication,
    *,
    expected_version: int,
    end_reason: str,
    note: str = "",
    last_month: dt.date | None = None,
) -> SubsidyApplication:
    """停发: the enrolment's last paid month is ``last_month`` (default: this month), stopped
    from the next (assistance's 退出)."""

    def prepare(current: SubsidyApplication, transition) -> Step:
        if end_reason not in EndReason.values:
            raise ValidationFailed({"end_reason": "请选择停发原因"})
        if end_reason in (EndReason.MOVED_AWAY, EndReason.REVIEW_NOT_ELIGIBLE):
            _text(note, "note", "请填写停发说明")
        last = month_start(last_month or clock.today())
        label = EndReason(end_reason).label
        enrolment = _live_enrolment(actor, current)
        if enrolment is not None:
            do_exit_enrolment(
                actor, enrolment, expected_version=None, exit_reason=EXIT_REASON.get(end_reason, ExitReason.OTHER),
                note=f"{current.number} {label}{('：' + note.strip()) if note.strip() else ''}", last_month=last,
            )
        return Step(
            updates={"ended_on": clock.today(), "end_reason": end_reason, "end_note": (note or "").strip()[:200], "last_paid_month": last},
            reason=f"{label}{('：' + note.strip()) if note.strip() else ''}",
            extra={"end_reason": end_reason, "last_month": last.isoformat()},
        )

    return do_transition(actor, APPLICATION, application, "end", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_record_grade_change(
    actor: Actor, application: SubsidyApplication, *, expected_version: int, certificate: Certificate, note: str = ""
) -> SubsidyApplication:
    """等级变更 (a new or changed 残疾人证 of a subsidised person): the certificate and the
    registry updated; the engine asked for this month with the new grade — still eligible: the
    amount adjusted from next month when it changed; no longer eligible (e.g. grade 3 for the
    care subsidy): stopped, paid through the month of the change. A grade out of 1–4 is refused
    naming the field, and nothing is written."""
    _require_manage(actor)
    cert = validate_certificate(certificate)
    current = lock_case(actor, APPLICATION, application, expected_version)
    if current.status != Status.APPROVED:
        raise DomainError("只有正在享受补贴的人员可以登记等级变更", code="wrong_state")
    update_case(
        actor, APPLICATION, current, action="grade_change", label="残疾等级变更",
        reason=f"{DisabilityCategory(cert.category).label}{cert.grade}级（{cert.issued_on:%Y-%m-%d}）{('：' + note.strip()) if note.strip() else ''}",
        updates=_certificate_fields(cert),
    )
    current.refresh_from_db()
    _set_person_disability(actor, current.person, cert)
    current.person.refresh_from_db()
    verdict = _verdict(current, period_for(clock.today()))
    if not verdict.eligible:
        _store_decision(actor, current, stage="change", outcome=Outcome.REFUSE, reasons=verdict.failed_text, verdict=verdict)
        return do_end_subsidy(
            actor, current, expected_version=current.version, end_reason=EndReason.GRADE_OUT_OF_RANGE,
            note=verdict.failed_text, last_month=month_start(max(cert.issued_on, current.start_month or cert.issued_on)),
        )
    enrolment = _live_enrolment(actor, current)
    if enrolment is not None and enrolment.amount_fen != verdict.amount_fen:
        _store_decision(actor, current, stage="change", outcome=Outcome.APPROVE, reasons="等级变更后调整金额", verdict=verdict)
        do_adjust_enrolment(actor, enrolment, expected_version=None, amount_fen=verdict.amount_fen, reason=f"{current.number} 残疾等级变更")
        SubsidyApplication.objects.filter(pk=current.pk).update(amount_fen=verdict.amount_fen)
    current.refresh_from_db()
    return current


@transaction.atomic
def do_review_subsidy(actor: Actor, application: SubsidyApplication, *, expected_version: int, outcome: str, note: str) -> SubsidyApplication:
    """复核: continue (next review a cycle later) or stop (复核不再符合条件, paid through this month)."""
    _require_manage(actor)
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed({"outcome": "请选择复核结果"})
    text = _text(note, "note", "请填写复核意见")
    current = lock_case(actor, APPLICATION, application, expected_version)
    if current.status != Status.APPROVED:
        raise DomainError("只有正在享受补贴的人员可以复核", code="wrong_state")
    today = clock.today()
    SubsidyReview.objects.create(
        application=current, division_code=current.division_code, reviewed_on=today, outcome=outcome, note=text,
        reviewed_by_id=actor.user_id,
    )
    if outcome == ReviewOutcome.END:
        return do_end_subsidy(actor, current, expected_version=current.version, end_reason=EndReason.REVIEW_NOT_ELIGIBLE, note=text)
    update_case(
        actor, APPLICATION, current, action="review_subsidy", label="复核", reason=text,
        updates={"next_review_on": add_months(today, params.REVIEW_CYCLE_MONTHS)},
    )
    current.refresh_from_db()
    return current


def end_living_subsidies_without_basis(*, today: dt.date | None = None) -> list[str]:
    """The sweep (system, after each payroll preparation or by ``minzheng disability sync``):
    a living subsidy whose household has left 低保 (and whose holder is not in 特困) stops,
    paid through the last month 低保/特困 was paid (that enrolment's end month; this month when
    none is recorded). Returns the numbers stopped."""
    actor = Actor.system("两项补贴：退出低保、特困后停发生活补贴")
    day = today or clock.today()
    stopped = []
    approved = SubsidyApplication.objects.visible_to(actor).filter(status=Status.APPROVED, subsidy=Subsidy.LIVING).select_related("person")
    for application in approved:
        if _assistance_basis(actor, application.person):
            continue
        last = _last_assistance_month(actor, application.person) or month_start(day)
        with transaction.atomic():
            do_end_subsidy(
                actor, application, expected_version=application.version, end_reason=EndReason.LEFT_ASSISTANCE,
                note="低保、特困已停发", last_month=last,
            )
        stopped.append(application.number)
    return stopped


def end_living_subsidies_on_exit(enrolment) -> list[str]:
    """Assistance's exit handler (registered in ready()): when a household's 低保 or a person's
    特困 exits, the living subsidies of the people who thereby lose their basis stop in the same
    transaction, paid through that enrolment's last month (its ``end_month``). A death exit is
    left to the death handler (停发: 死亡)."""
    if enrolment.program not in ("dibao", "tekun") or enrolment.exit_reason == "death":
        return []
    if enrolment.subject_kind == "household":
        person_ids = list(
            HouseholdMembership.objects.filter(household_id=enrolment.subject_id, valid_to__isnull=True).values_list("person_id", flat=True)
        )
    else:
        person_ids = [enrolment.subject_id]
    actor = Actor.system("两项补贴：退出低保、特困后停发生活补贴")
    stopped = []
    live = SubsidyApplication.objects.filter(status=Status.APPROVED, subsidy=Subsidy.LIVING, person_id__in=person_ids).select_related("person")
    for application in live:
        if _assistance_basis(actor, application.person):
            continue
        do_end_subsidy(
            actor, application, expected_version=application.version, end_reason=EndReason.LEFT_ASSISTANCE,
            note="低保、特困已停发", last_month=enrolment.end_month or month_start(clock.today()),
        )
        stopped.append(application.number)
    return stopped


def act_on_feed_rows(kind: str, signals: list) -> dict:
    """Discovery's feed handler for the 残联 feed (registered in ready()): a row of a person
    in payment whose certificate changed is that person's 等级变更 — out of the subsidy's range
    (e.g. grade 3 for the care subsidy) it stops by itself, paid through the month of the
    change; in range with another amount, the amount is adjusted; a 注销 row stops it in the
    month of the 注销. A change into range is the feed rule's alert (新增一、二级残疾), the
    prompt to apply. Returns counts for the import report (only when something happened)."""
    actor = Actor.system("区残联数据：残疾等级变更、注销")
    stopped = adjusted = 0
    by_person: dict[int, list] = {}
    for s in sorted(signals, key=lambda s: (s.event_date, s.id)):
        by_person.setdefault(s.person_id, []).append(s)
    live = SubsidyApplication.objects.filter(status=Status.APPROVED, person_id__in=list(by_person)).select_related("person")
    for application in live.order_by("pk"):
        for s in by_person[application.person_id]:
            application.refresh_from_db()
            if application.status != Status.APPROVED:
                break
            category = (s.detail or {}).get("category") or application.certificate_category
            if s.code == "revoked":
                do_end_subsidy(
                    actor, application, expected_version=application.version, end_reason=EndReason.CERTIFICATE_REVOKED,
                    note=f"区残联{s.event_date:%Y-%m-%d}注销残疾人证", last_month=month_start(max(s.event_date, application.start_month or s.event_date)),
                )
                stopped += 1
                continue
            if (s.grade, category) == (application.certificate_grade, application.certificate_category):
                continue
            id_number = decrypt_text(application.person.id_number_encrypted)
            cert = Certificate(f"{id_number}{CATEGORY_DIGIT[DisabilityCategory(category)]}{s.grade}", category, s.grade, s.event_date)
            before = application.amount_fen
            after = do_record_grade_change(actor, application, expected_version=application.version, certificate=cert, note="区残联数据推送")
            if after.status != Status.APPROVED:
                stopped += 1
            elif after.amount_fen != before:
                adjusted += 1
    return {k: v for k, v in {"subsidies_stopped": stopped, "subsidies_adjusted": adjusted}.items() if v}


def _last_assistance_month(actor: Actor, person: Person) -> dt.date | None:
    household_ids = list(HouseholdMembership.objects.filter(person_id=person.pk).values_list("household_id", flat=True))
    qs = list_enrolments_for(actor).filter(status="exited", end_month__isnull=False)
    months = list(qs.filter(program="dibao", subject_kind="household", subject_id__in=household_ids).values_list("end_month", flat=True))
    months += list(qs.filter(program="tekun", subject_kind="person", subject_id=person.pk).values_list("end_month", flat=True))
    return max(months) if months else None


# ----------------------------------------------------------------------------------------------
# Deaths (ADR 0004): assistance's handler suspends the payment on the report and ends it with
# the month of death on confirmation; this line ends its cases then.
# ----------------------------------------------------------------------------------------------


def end_on_confirmed_death(actor: Actor, report) -> list[str]:
    actor = Actor.system("死亡核实：两项补贴停发")
    person = report.person
    out = []
    month = month_start(person.death_date or report.death_date)
    for application in SubsidyApplication.objects.filter(person_id=person.pk, status=Status.APPROVED):
        do_end_subsidy(actor, application, expected_version=application.version, end_reason=EndReason.DEATH, last_month=month)
        out.append(f"{Subsidy(application.subsidy).label}停发（{application.number}），发放至{month:%Y年%m月}")
    return out


# ----------------------------------------------------------------------------------------------
# Roster import (imports.py): a person already receiving the subsidy before the platform
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_import_subsidised_person(
    actor: Actor, data: ApplicationInput, *, approved_on: dt.date, start_month: dt.date, amount_fen: int, reference: str
) -> SubsidyApplication:
    """A row of the existing subsidy list: the case as approved before, the engine's verdict
    for this month stored (it must agree with the amount on the list), the subsidy enrolled
    (source 存量名册) from the later of its start and next month (months before were paid
    outside the platform)."""
    actor.require(DisabilityPerm.REVIEW_SUBSIDY)
    _require_manage(actor)
    person, cert = _validate(actor, data, roster=True)
    today = clock.today()
    application = _create(
        actor, data, person, cert, status=Status.APPROVED,
        decided_on=approved_on, decided_by_id=actor.user_id,
        next_review_on=add_months(today, params.REVIEW_CYCLE_MONTHS),
    )
    record_event(actor, APPLICATION, application, action="import", label="存量名单导入", from_status="", to_status=Status.APPROVED, reason=reference)
    verdict = _verdict(application, period_for(today))
    if not verdict.eligible:
        raise ValidationFailed({"id_number": f"规则引擎判定不符合条件：{verdict.failed_text}"})
    if verdict.amount_fen != amount_fen:
        raise ValidationFailed({"amount": f"与现行标准（{format_yuan(verdict.amount_fen, grouping=False)}元）不符"})
    if application.subsidy == Subsidy.LIVING and not _assistance_basis(actor, person):
        raise ValidationFailed({"id_number": BASIS_MISSING})
    _set_person_disability(actor, person, cert)
    first = max(month_start(start_month), next_month(today))
    enrolment_id = _start_payment(actor, application, verdict, first, today, source=EnrolmentSource.ROSTER)
    _store_decision(actor, application, stage="final", outcome=Outcome.APPROVE, reasons=reference, verdict=verdict)
    SubsidyApplication.objects.filter(pk=application.pk).update(amount_fen=verdict.amount_fen, enrolment_id=enrolment_id, start_month=first)
    record_audit_event(
        actor, AuditAction.IMPORT, object_type=APPLICATION.object_type, object_id=application.pk,
        division_code=application.division_code,
        summary=f"导入{Subsidy(data.subsidy).label}：{mask_name(person.name)}，{reference}",
    )
    application.refresh_from_db()
    return application


def live_applications_of(person_id: int):
    return SubsidyApplication.objects.filter(person_id=person_id, status__in=LIVE_STATUSES)

