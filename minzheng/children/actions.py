"""Every write of the child-welfare line: named, atomic, audited.

Steps of a recognition go through the case kit's ``do_transition`` with ``workflow.RECOGNITION``
(state, permission, level, optimistic locking, the history and the audit row). The allowance
of a recognised 孤儿 or 事实无人抚养儿童 is an enrolment of assistance's program, started,
adjusted and ended through assistance's own actions (docs/adr/0005-child-allowances.md): the
same payroll pays it, the same death handler suspends it (ADR 0004), and the engine's
exclusion keeps the child out of 特困 — a live 特困 enrolment is ended when the allowance starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.assistance.actions import (
    NewEnrolment,
    do_adjust_enrolment,
    do_create_enrolment,
    do_exit_enrolment,
)
from minzheng.assistance.enums import LIVE_ENROLMENT_STATUSES, Channel, EnrolmentSource, ExitReason
from minzheng.assistance.selectors import list_enrolments_for
from minzheng.cases.actions import Step, do_transition, lock_case, record_event, update_case
from minzheng.cases.levels import Level
from minzheng.children import params
from minzheng.children.allowances import ChildVerdict, evaluate_child, last_paid_month
from minzheng.children.enums import (
    ALLOWANCE_PROGRAM,
    GROUNDS_OF,
    OPEN_STATUSES,
    RECOGNITION_DOCUMENTS,
    AdmissionReason,
    CareMeasure,
    Category,
    Condition,
    DischargeReason,
    DocumentKind,
    EndReason,
    GuardianStatus,
    Outcome,
    Placement,
    ReviewOutcome,
    RiskLevel,
    Schooling,
    Source,
    Status,
    WorkerRole,
)
from minzheng.children.models import (
    CarePlan,
    ChildProfile,
    ChildWorker,
    InstitutionResident,
    LeftBehindAssessment,
    ProtectionStation,
    Recognition,
    RecognitionDecision,
    RecognitionPhoto,
    RecognitionReview,
    WelfareInstitution,
)
from minzheng.children.documents import add_documents
from minzheng.children.permissions import ChildrenPerm
# 强制报告 is filed by other lines too (a minor at the rescue station's intake): the report and its
# input are part of children's public actions.
from minzheng.children.protection import ReportInput, access_protection_case_by_id, do_report_minor  # noqa: F401
from minzheng.children.workflow import RECOGNITION
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.money import format_yuan
from minzheng.core.periods import add_months, month_start, next_month, period_of
from minzheng.core.photos import PhotoRejected, clean_photo
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.children.selectors import occupancy, recognition_of_family
from minzheng.discovery.selectors import list_left_behind_for
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.registry.access import person_for_field
from minzheng.registry.models import Person
from minzheng.registry.selectors import household_member

EXIT_REASON = {
    EndReason.DEATH: ExitReason.DEATH,
    EndReason.MOVED_AWAY: ExitReason.MOVED_AWAY,
    EndReason.NO_LONGER_ELIGIBLE: ExitReason.REVIEW_NOT_ELIGIBLE,
}


def _text(value: str | None, key: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({key: message})
    return text



def _set_child_status(actor: Actor, person: Person, *, child_status: str, in_institution: bool | None = None) -> None:
    """The registry's child status (what the rules engine reads) follows the recognition."""
    updates: dict = {"child_status": child_status}
    if in_institution is not None:
        updates["in_institution"] = in_institution
    before = {"child_status": person.child_status, "in_institution": person.in_institution}
    Person.objects.filter(pk=person.pk).update(**updates, version=F("version") + 1)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"儿童类别变更：{person.name}（{Category(child_status).label if child_status else '无'}）",
        changed_fields={k: [before[k], v] for k, v in updates.items() if before[k] != v},
    )


# ----------------------------------------------------------------------------------------------
# 登记
# ----------------------------------------------------------------------------------------------


@dataclass
class RecognitionInput:
    person_id: int
    category: str
    source: str
    grounds: list[str] = field(default_factory=list)
    placement: str = Placement.SCATTERED
    guardian_id: int | None = None
    guardian_relation: str = ""
    guardian_status: str = ""
    situation: str = ""
    documents: list[str] = field(default_factory=list)  # 已收取材料 (DocumentKind)


def _validate(
    actor: Actor, data: RecognitionInput, *, roster: bool = False, person: Person | None = None, guardian: Person | None = None
) -> tuple[Person, Person | None]:
    """The checks of every registration. Staff name the child and the guardian within their
    divisions; online (``do_submit_online_recognition``) both come from the citizen's own
    household and are passed in."""
    errors: dict[str, str] = {}
    if data.category not in Category.values:
        errors["category"] = "请选择儿童类别"
    if data.source not in Source.values or (data.source == Source.ROSTER and not roster):
        errors["source"] = "请选择来源"
    if data.placement not in Placement.values:
        errors["placement"] = "请选择养育方式"
    if data.guardian_status and data.guardian_status not in GuardianStatus.values:
        errors["guardian_status"] = "请选择监护人状况"
    if set(data.documents) - {d.value for d in RECOGNITION_DOCUMENTS}:
        errors["documents"] = "请选择已收取的材料"
    if data.category in Category.values:
        allowed = {g.value for g in GROUNDS_OF[Category(data.category)]}
        if not data.grounds:
            errors["grounds"] = "请至少选择一项认定情形"
        elif set(data.grounds) - allowed:
            errors["grounds"] = f"所选情形不属于{Category(data.category).label}的认定情形"
    if errors:
        raise ValidationFailed(errors)
    person = person if person is not None else person_for_field(actor, data.person_id, "person_id")
    if person.is_deceased:
        raise ValidationFailed({"person_id": "该人员已登记死亡"})
    if age_on(person.birth_date, clock.today()) >= 18:
        raise ValidationFailed({"person_id": "该人员已年满18周岁，不属于儿童"})
    if guardian is not None or data.guardian_id:
        guardian = guardian if guardian is not None else person_for_field(actor, data.guardian_id, "guardian_id")
        if guardian.pk == person.pk:
            raise ValidationFailed({"guardian_id": "监护人不能是儿童本人"})
        if guardian.is_deceased:
            raise ValidationFailed({"guardian_id": "监护人已登记死亡"})
    elif data.category in ALLOWANCE_PROGRAM and data.placement == Placement.SCATTERED:
        raise ValidationFailed({"guardian_id": "散居儿童须填写监护人（基本生活费的领款人）"})
    if data.category in ALLOWANCE_PROGRAM:
        other = [c for c in ALLOWANCE_PROGRAM if c != data.category]
        live = Recognition.objects.filter(person=person, category__in=other, status__in=[*_LIVE]).first()
        if live is not None:
            raise ValidationFailed({"category": f"该儿童已有{live.get_category_display()}认定（{live.number}），不能同时认定为{Category(data.category).label}"})
    return person, guardian


_LIVE = (Status.SUBMITTED, Status.PUBLICITY, Status.DECISION, Status.RECOGNISED)


def _new_number(recognition: Recognition) -> str:
    return f"ET{recognition.submitted_on:%Y}{recognition.pk:06d}"


def _create(actor: Actor, data: RecognitionInput, person: Person, guardian: Person | None, *, status: str, **extra) -> Recognition:
    today = clock.today()
    try:
        with transaction.atomic():
            recognition = Recognition.objects.create(
                number=placeholder_number(),
                person=person,
                division_code=person.division_code,
                category=data.category,
                placement=data.placement,
                grounds=list(dict.fromkeys(data.grounds)),
                source=data.source,
                guardian=guardian,
                guardian_relation=data.guardian_relation.strip()[:20],
                guardian_status=data.guardian_status,
                situation=data.situation.strip(),
                documents=list(dict.fromkeys(data.documents)),
                status=status,
                submitted_on=today,
                submitted_by_id=actor.user_id,
                step_started_on=today,
                **extra,
            )
    except IntegrityError:
        raise ValidationFailed({"category": f"该儿童已有{Category(data.category).label}认定或正在办理"}) from None
    recognition.number = _new_number(recognition)
    Recognition.objects.filter(pk=recognition.pk).update(number=recognition.number)
    return recognition


@transaction.atomic
def do_register_child(actor: Actor, data: RecognitionInput) -> Recognition:
    """登记: an application by the guardian or a child found on a village visit."""
    actor.require(ChildrenPerm.REGISTER_CHILD)
    person, guardian = _validate(actor, data)
    return _register(actor, data, person, guardian, channel=Channel.COUNTER)


def _register(actor: Actor, data: RecognitionInput, person: Person, guardian: Person | None, *, channel: str) -> Recognition:
    """The one way a recognition is made, by staff or online: the same checks (``_validate``
    before), the same case, waiting for the town's review."""
    online = channel == Channel.ONLINE
    recognition = _create(actor, data, person, guardian, status=Status.SUBMITTED, channel=channel)
    label = "网上申请" if online else "登记"
    record_event(actor, RECOGNITION, recognition, action="create", label=label, from_status="", to_status=Status.SUBMITTED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type=RECOGNITION.object_type,
        object_id=recognition.pk,
        division_code=recognition.division_code,
        summary=f"{label}{recognition.get_category_display()}认定：{recognition.number}（{Source(data.source).label}）",
    )
    return recognition


# What a guardian applies for online: the categories with an allowance (孤儿, 事实无人抚养儿童).
ONLINE_CATEGORIES = tuple(ALLOWANCE_PROGRAM)


@transaction.atomic
def do_submit_online_recognition(actor: Actor, data: RecognitionInput, *, applicant: Person) -> Recognition:
    """网上申请 (issue 22): a real-name citizen (``Actor.citizen``) applies, as the guardian who
    would receive the allowance, for a child of their current household (registry), with the
    questions the village worker asks. The child lives with them (散居); no paper counts as
    received until the village has seen it. Same checks, same workflow; the 待办 says 网上申请."""
    if actor.role != "citizen":
        raise PermissionDenied()
    if data.category not in ONLINE_CATEGORIES:
        raise ValidationFailed({"category": "请选择儿童类别"})
    child = household_member(applicant, data.person_id)
    if child is None or child.pk == applicant.pk:
        raise ValidationFailed({"person_id": "只能为本户家庭中的儿童申请"})
    data = replace(data, person_id=child.pk, source=Source.APPLICATION, placement=Placement.SCATTERED,
                   guardian_id=applicant.pk, documents=[])  # fmt: skip
    if not data.guardian_relation.strip():
        raise ValidationFailed({"guardian_relation": "请填写您与儿童的关系"})
    person, guardian = _validate(actor, data, person=child, guardian=applicant)
    return _register(actor, data, person, guardian, channel=Channel.ONLINE)


@transaction.atomic
def do_add_online_photo(actor: Actor, recognition_id: object, *, applicant: Person, kind: str, filename: str, content: bytes) -> RecognitionPhoto:
    """A photo of one of the recognition's papers from the guardian's phone, for their family's
    open case: type and size checked by content, re-encoded without metadata (core.photos)."""
    if actor.role != "citizen":
        raise PermissionDenied()
    recognition = recognition_of_family(applicant, recognition_id)
    if kind not in {d.value for d in RECOGNITION_DOCUMENTS}:
        raise ValidationFailed({"kind": "请选择材料类型"})
    if recognition.status not in OPEN_STATUSES:
        raise DomainError("申请已办结，不能再上传材料", code="wrong_state")
    try:
        photo = clean_photo(filename, content)
    except PhotoRejected as e:
        raise ValidationFailed({"file": str(e)}) from None
    row = RecognitionPhoto.store(photo, division_code=recognition.division_code, recognition=recognition, kind=kind)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="child_recognition_photo", object_id=row.pk, division_code=recognition.division_code,
        summary=f"网上上传认定材料照片（{DocumentKind(kind).label[:20]}）：{recognition.number}",
        extra={"sha256": photo.sha256, "size": len(photo.content)},
    )  # fmt: skip
    return row


# ----------------------------------------------------------------------------------------------
# 乡镇审核, 公示, 区级认定, 退回
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_review_recognition(actor: Actor, recognition: Recognition, *, expected_version: int, outcome: str, opinion: str) -> Recognition:
    """乡镇审核: agree (on to 公示 where the category publicises, else to 区级认定) or refuse."""

    def prepare(current: Recognition, transition) -> Step:
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择审核意见"})
        text = _text(opinion, "opinion", "请填写审核意见" if outcome == Outcome.APPROVE else "请填写不予认定的理由")
        updates = {"town_opinion": text, "reviewed_by_id": actor.user_id}
        if outcome == Outcome.REFUSE:
            return Step(target=Status.REFUSED, updates={**updates, "refusal_reasons": text}, reason=text, extra={"outcome": outcome})
        days = params.publicity_days(current.category)
        if days:
            today = clock.today()
            updates.update(publicity_start=today, publicity_end=today + dt.timedelta(days=days))
            return Step(target=Status.PUBLICITY, updates=updates, reason=text, extra={"outcome": outcome, "publicity_days": days})
        return Step(target=Status.DECISION, updates=updates, reason=text, extra={"outcome": outcome})

    return do_transition(actor, RECOGNITION, recognition, "review", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_close_publicity(actor: Actor, recognition: Recognition, *, expected_version: int, note: str = "") -> Recognition:
    def prepare(current: Recognition, transition) -> Step:
        if current.publicity_end and clock.today() <= current.publicity_end:
            raise DomainError(f"公示期至{current.publicity_end:%Y年%m月%d日}，期满后方可办理", code="publicity_running")
        return Step(reason=note.strip() or "公示期满无异议")

    return do_transition(actor, RECOGNITION, recognition, "close_publicity", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_add_documents(actor: Actor, recognition: Recognition, *, expected_version: int, documents: list[str]) -> Recognition:
    """补充材料 of an open recognition (the village or town that registers, the town and
    district that review): the papers received are added to the case."""
    if not (actor.has(ChildrenPerm.REGISTER_CHILD) or actor.has(ChildrenPerm.REVIEW_RECOGNITION)):
        raise PermissionDenied("您的角色无权补充认定材料")
    return add_documents(
        actor, RECOGNITION, recognition, expected_version=expected_version, documents=documents,
        allowed={d.value for d in RECOGNITION_DOCUMENTS}, open_states=OPEN_STATUSES, label="补充材料",
        closed_message="认定已办结，不能补充材料",
    )


@transaction.atomic
def do_return_recognition(actor: Actor, recognition: Recognition, *, expected_version: int, reason: str) -> Recognition:
    return do_transition(actor, RECOGNITION, recognition, "return", expected_version=expected_version, reason=reason)


def _store_decision(actor: Actor, recognition: Recognition, *, outcome: str, reasons: str, verdict: ChildVerdict | None) -> RecognitionDecision:
    return RecognitionDecision.objects.create(
        recognition=recognition,
        division_code=recognition.division_code,
        outcome=outcome,
        program=verdict.program if verdict else "",
        period=verdict.period if verdict else "",
        facts=verdict.facts if verdict else {},
        parameters=verdict.parameters if verdict else {},
        result=verdict.result if verdict else {},
        engine_eligible=verdict.eligible if verdict else None,
        amount_fen=verdict.amount_fen if verdict else 0,
        reasons=reasons,
        decided_by_id=actor.user_id,
    )


def _end_tekun(actor: Actor, person: Person, category: str) -> None:
    """A minor recognised as an orphan or de-facto unsupported child is not also 特困
    (policy-facts §1: who choose the child scheme are not also 特困): the 特困 enrolment ends
    this month, the allowance starts next month."""
    live = list_enrolments_for(actor, program="tekun").filter(
        subject_kind="person", subject_id=person.pk, status__in=LIVE_ENROLMENT_STATUSES
    )
    for enrolment in live:
        do_exit_enrolment(
            actor, enrolment, expected_version=None, exit_reason=ExitReason.OTHER,
            note=f"认定为{Category(category).label}，转入儿童基本生活保障",
        )


def _start_allowance(actor: Actor, current: Recognition, verdict: ChildVerdict, start: dt.date, today: dt.date) -> int:
    person = current.person
    _end_tekun(actor, person, current.category)
    info = get_directory().get(current.division_code)
    enrolment = do_create_enrolment(
        actor,
        NewEnrolment(
            program=verdict.program,
            person=person,
            payee=current.guardian or person,
            division_code=current.division_code,
            zone=(info.zone if info and info.zone else "rural"),
            amount_fen=verdict.amount_fen,
            start_month=start,
            end_month=last_paid_month(person.birth_date),
            decided_on=today,
            reason=f"{current.number} {Category(current.category).label}认定",
            source=EnrolmentSource.ROSTER if current.source == Source.ROSTER else EnrolmentSource.APPLICATION,
        ),
    )
    return enrolment.pk


@transaction.atomic
def do_decide_recognition(
    actor: Actor, recognition: Recognition, *, expected_version: int, outcome: str, reasons: str = ""
) -> Recognition:
    """区级认定. 认定: the engine's verdict for the first month paid (next month) is stored on
    the decision; a verdict the engine refuses (e.g. the child is 18 by then) refuses the step
    with its failed conditions. The child's registry status is set and the allowance enrolled
    in assistance's program from next month to the month the child turns 18."""

    def prepare(current: Recognition, transition) -> Step:
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择认定结论"})
        today = clock.today()
        if outcome == Outcome.REFUSE:
            text = _text(reasons, "reasons", "请填写不予认定的理由")
            _store_decision(actor, current, outcome=outcome, reasons=text, verdict=None)
            return Step(
                target=Status.REFUSED,
                updates={"decided_on": today, "decided_by_id": actor.user_id, "refusal_reasons": text},
                reason=text,
                extra={"outcome": outcome},
            )
        person = current.person
        if person.is_deceased:
            raise DomainError("该儿童已登记死亡，不能认定", code="deceased")
        updates = {
            "decided_on": today,
            "decided_by_id": actor.user_id,
            "next_review_on": add_months(today, params.REVIEW_CYCLE_MONTHS),
        }
        verdict = None
        if current.category in ALLOWANCE_PROGRAM:
            start = next_month(today)
            # The standard in force in the month of the decision (the rules parameters cover
            # the months up to the current one); paid from next month.
            verdict = evaluate_child(person, current.category, current.placement, period_of(today))
            if last_paid_month(person.birth_date) < start:
                raise DomainError("该儿童下月起已年满18周岁，不再发放基本生活费", code="aged_out")
            if not verdict.eligible:
                failed = "；".join(c.get("label", "") for c in verdict.failed_conditions) or "不符合条件"
                raise DomainError(f"规则引擎判定不符合{verdict.result['results'][0].get('label', '')}条件：{failed}", code="not_eligible")
            updates["amount_fen"] = verdict.amount_fen
            _set_child_status(actor, person, child_status=current.category, in_institution=current.placement == Placement.INSTITUTIONAL)
            person.refresh_from_db()
            updates["enrolment_id"] = _start_allowance(actor, current, verdict, start, today)
        _store_decision(actor, current, outcome=outcome, reasons=(reasons or "").strip(), verdict=verdict)
        extra = {"outcome": outcome}
        if verdict is not None:
            extra["amount_fen"] = verdict.amount_fen
        return Step(target=Status.RECOGNISED, updates=updates, reason=(reasons or "").strip(), extra=extra)

    return do_transition(actor, RECOGNITION, recognition, "decide", expected_version=expected_version, prepare=prepare)


# ----------------------------------------------------------------------------------------------
# Changes of a recognised child: placement and guardian, 复核, 终止
# ----------------------------------------------------------------------------------------------


def _require_manage(actor: Actor) -> None:
    actor.require(ChildrenPerm.REVIEW_RECOGNITION)
    if not actor.is_system and actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("已认定儿童的变更须由乡镇（街道）或区民政局办理")


def _live_enrolment(actor: Actor, recognition: Recognition):
    if recognition.enrolment_id is None:
        return None
    return (
        list_enrolments_for(actor)
        .filter(pk=recognition.enrolment_id, status__in=LIVE_ENROLMENT_STATUSES)
        .first()
    )


@transaction.atomic
def do_change_placement(
    actor: Actor,
    recognition: Recognition,
    *,
    expected_version: int,
    placement: str,
    guardian_id: int | None,
    guardian_relation: str = "",
    guardian_status: str = "",
    reason: str,
) -> Recognition:
    """养育方式或监护人变更: the engine's amount for next month; the enrolment adjusted from
    next month when it changes (assistance's 调整金额)."""
    _require_manage(actor)
    current = lock_case(actor, RECOGNITION, recognition, expected_version)
    if current.status != Status.RECOGNISED:
        raise DomainError("只有已认定的儿童可以办理变更", code="wrong_state")
    if placement not in Placement.values:
        raise ValidationFailed({"placement": "请选择养育方式"})
    if guardian_status and guardian_status not in GuardianStatus.values:
        raise ValidationFailed({"guardian_status": "请选择监护人状况"})
    text = _text(reason, "reason", "请填写变更原因")
    guardian = person_for_field(actor, guardian_id, "guardian_id") if guardian_id else None
    if guardian is None and placement == Placement.SCATTERED and current.category in ALLOWANCE_PROGRAM:
        raise ValidationFailed({"guardian_id": "散居儿童须填写监护人（基本生活费的领款人）"})
    updates = {
        "placement": placement,
        "guardian_id": guardian.pk if guardian else None,
        "guardian_relation": guardian_relation.strip()[:20],
        "guardian_status": guardian_status,
    }
    person = current.person
    if current.category in ALLOWANCE_PROGRAM:
        _set_child_status(actor, person, child_status=current.category, in_institution=placement == Placement.INSTITUTIONAL)
        person.refresh_from_db()
        verdict = evaluate_child(person, current.category, placement, period_of(clock.today()))
        enrolment = _live_enrolment(actor, current)
        if verdict.eligible and enrolment is not None and verdict.amount_fen != enrolment.amount_fen:
            do_adjust_enrolment(actor, enrolment, expected_version=None, amount_fen=verdict.amount_fen, reason=f"{current.number} {text}")
            updates["amount_fen"] = verdict.amount_fen
            _store_decision(actor, current, outcome=Outcome.APPROVE, reasons=f"变更：{text}", verdict=verdict)
    update_case(actor, RECOGNITION, current, action="change", label="变更", reason=text, updates=updates)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type=RECOGNITION.object_type,
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"变更养育方式或监护人：{current.number}（{Placement(placement).label}）",
    )
    current.refresh_from_db()
    return current


@transaction.atomic
def do_end_recognition(
    actor: Actor,
    recognition: Recognition,
    *,
    expected_version: int,
    end_reason: str,
    note: str = "",
    last_month: dt.date | None = None,
) -> Recognition:
    """终止: the allowance's last month is this month (age 18: the month the engine last pays;
    death: assistance's ADR 0004 flow ends the payments, the month of death is the last); the
    registry's child status is cleared."""

    def prepare(current: Recognition, transition) -> Step:
        if end_reason not in EndReason.values:
            raise ValidationFailed({"end_reason": "请选择终止原因"})
        if end_reason in (EndReason.OTHER, EndReason.PARENT_RETURNED, EndReason.NO_LONGER_ELIGIBLE):
            _text(note, "note", "请填写终止说明")
        person = current.person
        last = last_month
        if last is None:
            last = last_paid_month(person.birth_date) if end_reason == EndReason.AGED_OUT else month_start(clock.today())
        enrolment = _live_enrolment(actor, current)
        label = EndReason(end_reason).label
        if enrolment is not None:
            do_exit_enrolment(
                actor,
                enrolment,
                expected_version=None,
                exit_reason=EXIT_REASON.get(end_reason, ExitReason.OTHER),
                note=f"{current.number} {label}{('：' + note.strip()) if note.strip() else ''}",
                last_month=last,
            )
        if person.child_status == current.category:
            _set_child_status(actor, person, child_status="")
        return Step(
            updates={"ended_on": clock.today(), "end_reason": end_reason, "end_note": note.strip()[:200]},
            reason=f"{label}{('：' + note.strip()) if note.strip() else ''}",
            extra={"end_reason": end_reason, "last_month": last.isoformat()},
        )

    return do_transition(actor, RECOGNITION, recognition, "end", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_review_child(actor: Actor, recognition: Recognition, *, expected_version: int, outcome: str, note: str) -> Recognition:
    """复核 of a recognised child: continue (next review a cycle later) or end (不再符合条件)."""
    _require_manage(actor)
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed({"outcome": "请选择复核结果"})
    text = _text(note, "note", "请填写复核意见")
    current = lock_case(actor, RECOGNITION, recognition, expected_version)
    if current.status != Status.RECOGNISED:
        raise DomainError("只有已认定的儿童可以复核", code="wrong_state")
    today = clock.today()
    RecognitionReview.objects.create(
        recognition=current, division_code=current.division_code, reviewed_on=today, outcome=outcome, note=text,
        reviewed_by_id=actor.user_id,
    )
    record_audit_event(
        actor, AuditAction.UPDATE, object_type=RECOGNITION.object_type, object_id=current.pk,
        division_code=current.division_code, summary=f"复核：{current.number}（{ReviewOutcome(outcome).label}）",
    )
    if outcome == ReviewOutcome.END:
        return do_end_recognition(actor, current, expected_version=current.version, end_reason=EndReason.NO_LONGER_ELIGIBLE, note=text)
    update_case(
        actor, RECOGNITION, current, action="review_child", label="复核", reason=text,
        updates={"next_review_on": add_months(today, params.REVIEW_CYCLE_MONTHS)},
    )
    current.refresh_from_db()
    return current


def end_aged_out(*, today: dt.date | None = None) -> int:
    """The monthly sweep (system): recognitions of children whose last paid month has passed
    end as 年满18周岁. Their enrolments already stop paying (end_month set at the start)."""
    actor = Actor.system("儿童福利：年满18周岁终止")
    day = today or clock.today()
    ended = 0
    recognised = Recognition.objects.visible_to(actor).filter(status=Status.RECOGNISED).select_related("person")
    for recognition in recognised:
        if last_paid_month(recognition.person.birth_date) < month_start(day):
            with transaction.atomic():
                do_end_recognition(actor, recognition, expected_version=recognition.version, end_reason=EndReason.AGED_OUT)
            ended += 1
    return ended


# ----------------------------------------------------------------------------------------------
# Roster import (imports.py): a child already recognised before the platform
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_import_recognised_child(
    actor: Actor, data: RecognitionInput, *, recognised_on: dt.date, start_month: dt.date, amount_fen: int, reference: str
) -> Recognition:
    """A row of the existing allowance list: the recognition as decided before, the engine's
    verdict for next month stored (it must agree with the amount on the list: the check does
    that at preview), the allowance enrolled (source 存量名册) from the later of its start and
    next month (months before were paid outside the platform)."""
    actor.require(ChildrenPerm.REVIEW_RECOGNITION)
    _require_manage(actor)
    person, guardian = _validate(actor, data, roster=True)
    today = clock.today()
    recognition = _create(
        actor, data, person, guardian, status=Status.RECOGNISED,
        decided_on=recognised_on, decided_by_id=actor.user_id,
        next_review_on=add_months(today, params.REVIEW_CYCLE_MONTHS),
    )
    record_event(actor, RECOGNITION, recognition, action="import", label="存量名单导入", from_status="", to_status=Status.RECOGNISED, reason=reference)
    first = max(start_month, next_month(today))
    if last_paid_month(person.birth_date) < first:
        raise ValidationFailed({"id_number": "该儿童下月起已年满18周岁，不再发放基本生活费"})
    verdict = evaluate_child(person, data.category, data.placement, period_of(today))
    if not verdict.eligible:
        failed = "；".join(c.get("label", "") for c in verdict.failed_conditions) or "不符合条件"
        raise ValidationFailed({"id_number": f"规则引擎判定不符合条件：{failed}"})
    if verdict.amount_fen != amount_fen:
        raise ValidationFailed({"amount": f"与现行标准（{format_yuan(verdict.amount_fen, grouping=False)}元）不符"})
    _set_child_status(actor, person, child_status=data.category, in_institution=data.placement == Placement.INSTITUTIONAL)
    person.refresh_from_db()
    recognition.person = person
    enrolment_id = _start_allowance(actor, recognition, verdict, first, today)
    _store_decision(actor, recognition, outcome=Outcome.APPROVE, reasons=reference, verdict=verdict)
    Recognition.objects.filter(pk=recognition.pk).update(amount_fen=verdict.amount_fen, enrolment_id=enrolment_id)
    record_audit_event(
        actor, AuditAction.IMPORT, object_type=RECOGNITION.object_type, object_id=recognition.pk,
        division_code=recognition.division_code,
        summary=f"导入{Category(data.category).label}：{mask_name(person.name)}，{reference}",
    )
    recognition.refresh_from_db()
    return recognition


# ----------------------------------------------------------------------------------------------
# 未成年人保护工作站 (indicator 11)
# ----------------------------------------------------------------------------------------------


@dataclass
class StationInput:
    division_code: str
    name: str
    established_on: dt.date | None
    staff_count: int = 0
    premises_m2: int = 0
    address: str = ""


@transaction.atomic
def do_save_station(actor: Actor, data: StationInput) -> ProtectionStation:
    """Register (or update) a town's station: one per town."""
    actor.require(ChildrenPerm.MANAGE_STATIONS)
    errors: dict[str, str] = {}
    info = get_directory().get(data.division_code or "")
    if info is None or info.level != DivisionLevel.TOWN:
        errors["division_code"] = "请选择乡镇（街道）"
    if not (data.name or "").strip():
        errors["name"] = "请填写工作站名称"
    if data.established_on is None:
        errors["established_on"] = "请填写设立日期"
    elif data.established_on > clock.today():
        errors["established_on"] = "设立日期不能晚于今天"
    if data.staff_count is None or data.staff_count < 0:
        errors["staff_count"] = "请填写工作人员数"
    if data.premises_m2 is None or data.premises_m2 < 0:
        errors["premises_m2"] = "请填写场所面积"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, data.division_code)
    values = dict(
        name=data.name.strip()[:80], established_on=data.established_on, staff_count=data.staff_count,
        premises_m2=data.premises_m2, address=(data.address or "").strip()[:120],
    )
    station, created = ProtectionStation.objects.update_or_create(division_code=data.division_code, defaults=values)
    record_audit_event(
        actor, AuditAction.CREATE if created else AuditAction.UPDATE, object_type="protection_station",
        object_id=station.pk, division_code=station.division_code,
        summary=f"{'登记' if created else '修改'}未成年人保护工作站：{station.name}",
    )
    return station


# ----------------------------------------------------------------------------------------------
# 一人一档: the child's own profile (school, health)
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_child_profile(
    actor: Actor, person: Person, *, school: str = "", grade: str = "", schooling: str = "unknown", health: str = "", notes: str = ""
) -> ChildProfile:
    """Create or update a child's profile: the village and town registering children."""
    actor.require(ChildrenPerm.REGISTER_CHILD)
    current = person_for_field(actor, person.pk, "person_id")
    errors = {}
    if schooling not in Schooling.values:
        errors["schooling"] = "请选择就学状况"
    if age_on(current.birth_date, clock.today()) >= 18:
        errors["person_id"] = "该人员已年满18周岁，不属于儿童"
    if len(school or "") > 80:
        errors["school"] = "不超过80个字"
    if len(health or "") > 200:
        errors["health"] = "不超过200个字"
    if errors:
        raise ValidationFailed(errors)
    values = dict(
        division_code=current.division_code, school=(school or "").strip(), grade=(grade or "").strip()[:20],
        schooling=schooling, health=(health or "").strip(), notes=(notes or "").strip(), updated_by_name=actor.display_name,
    )
    profile = ChildProfile.objects.filter(person=current).first()
    if profile is None:
        profile = ChildProfile.objects.create(person=current, **values)
        kind = AuditAction.CREATE
    else:
        ChildProfile.objects.filter(pk=profile.pk).update(**values, version=F("version") + 1)
        profile.refresh_from_db()
        kind = AuditAction.UPDATE
    record_audit_event(
        actor, kind, object_type="child_profile", object_id=profile.pk, division_code=profile.division_code,
        summary=f"更新儿童档案：{mask_name(current.name)}",
    )
    return profile


# ----------------------------------------------------------------------------------------------
# 儿童督导员 (town) and 儿童主任 (village), with training
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_appoint_child_worker(actor: Actor, *, role: str, name: str, division_code: str, appointed_on: dt.date | None) -> ChildWorker:
    """One active worker per role and division: a new appointment replaces the previous one."""
    actor.require(ChildrenPerm.MANAGE_STATIONS)
    errors: dict[str, str] = {}
    info = get_directory().get(division_code or "")
    if role not in WorkerRole.values:
        errors["role"] = "请选择类别"
    elif info is None or info.level != (DivisionLevel.TOWN if role == WorkerRole.SUPERVISOR else DivisionLevel.VILLAGE):
        errors["division_code"] = "儿童督导员请选择乡镇（街道），儿童主任请选择村（社区）"
    if not (name or "").strip():
        errors["name"] = "请填写姓名"
    if appointed_on is None or appointed_on > clock.today():
        errors["appointed_on"] = "请填写任职日期（不晚于今天）"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    ChildWorker.objects.filter(role=role, division_code=division_code, active=True).update(active=False)
    worker = ChildWorker.objects.create(role=role, name=name.strip()[:50], division_code=division_code, appointed_on=appointed_on)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="child_worker", object_id=worker.pk, division_code=division_code,
        summary=f"任命{WorkerRole(role).label}：{mask_name(worker.name)}",
    )
    return worker


@transaction.atomic
def do_record_training(actor: Actor, worker: ChildWorker, *, on: dt.date | None, topic: str, hours: int | None) -> ChildWorker:
    actor.require(ChildrenPerm.MANAGE_STATIONS)
    current = access_by_id(ChildWorker.objects.all(), actor, worker.pk, for_update=True)
    errors = {}
    if on is None or on > clock.today():
        errors["on"] = "请填写培训日期（不晚于今天）"
    if not (topic or "").strip():
        errors["topic"] = "请填写培训内容"
    if hours is None or hours <= 0:
        errors["hours"] = "培训学时应大于0"
    if errors:
        raise ValidationFailed(errors)
    trainings = [*current.trainings, {"on": on.isoformat(), "topic": topic.strip()[:100], "hours": hours}]
    ChildWorker.objects.filter(pk=current.pk).update(trainings=trainings)
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="child_worker", object_id=current.pk, division_code=current.division_code,
        summary=f"记录培训：{WorkerRole(current.role).label} {mask_name(current.name)}",
    )
    current.refresh_from_db()
    return current


# ----------------------------------------------------------------------------------------------
# 儿童福利院: the facility, admission and discharge
# ----------------------------------------------------------------------------------------------


@dataclass
class InstitutionInput:
    name: str
    division_code: str
    beds: int | None
    floor_area_m2: int | None = 0
    address: str = ""
    opened_on: dt.date | None = None
    source: str = ""


@transaction.atomic
def do_save_institution(actor: Actor, data: InstitutionInput, *, institution: WelfareInstitution | None = None) -> WelfareInstitution:
    """Register (or change) a child welfare institution with its capacity: the district bureau."""
    actor.require(ChildrenPerm.MANAGE_INSTITUTION)
    errors: dict[str, str] = {}
    info = get_directory().get(data.division_code or "")
    if info is None or info.level != DivisionLevel.VILLAGE:
        errors["division_code"] = "请选择机构所在村（社区）"
    if not (data.name or "").strip():
        errors["name"] = "请填写机构名称"
    if data.beds is None or data.beds <= 0:
        errors["beds"] = "床位数应大于0"
    if data.floor_area_m2 is not None and data.floor_area_m2 < 0:
        errors["floor_area_m2"] = "建筑面积不能小于0"
    if data.opened_on and data.opened_on > clock.today():
        errors["opened_on"] = "投入使用日期不能晚于今天"
    living = occupancy(institution)["residents"] if institution is not None else 0
    if institution is not None and data.beds and data.beds < living:
        errors["beds"] = f"床位数不能少于在院儿童数（{living}人）"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, data.division_code)
    values = dict(
        name=data.name.strip()[:80], division_code=data.division_code, beds=data.beds, floor_area_m2=data.floor_area_m2 or 0,
        address=(data.address or "").strip()[:120], opened_on=data.opened_on, source=(data.source or "").strip()[:120],
    )
    try:
        with transaction.atomic():
            if institution is None:
                institution = WelfareInstitution.objects.create(**values)
                kind = AuditAction.CREATE
            else:
                WelfareInstitution.objects.filter(pk=institution.pk).update(**values)
                institution.refresh_from_db()
                kind = AuditAction.UPDATE
    except IntegrityError:
        raise ValidationFailed({"name": "已有同名机构"}) from None
    record_audit_event(
        actor, kind, object_type="welfare_institution", object_id=institution.pk, division_code=institution.division_code,
        summary=f"{'登记' if kind == AuditAction.CREATE else '修改'}儿童福利机构：{institution.name}（床位{institution.beds}张）",
    )
    return institution


_ADMISSION_CATEGORY = {AdmissionReason.ORPHAN: Category.ORPHAN, AdmissionReason.DE_FACTO: Category.DE_FACTO_UNSUPPORTED}


@transaction.atomic
def do_admit_child(
    actor: Actor,
    institution: WelfareInstitution,
    *,
    person_id: int | None,
    admitted_on: dt.date | None,
    reason: str,
    note: str = "",
    protection_case_id: int | None = None,
) -> InstitutionResident:
    """入院: within the beds; an orphan or de-facto unsupported child must be recognised
    first, and is linked to the recognition, whose placement becomes 集中供养 (the allowance
    at the institutional standard from next month, through do_change_placement)."""
    actor.require(ChildrenPerm.MANAGE_INSTITUTION)
    current_inst = access_by_id(WelfareInstitution.objects.all(), Actor.system("儿童福利院床位"), institution.pk, for_update=True)
    errors: dict[str, str] = {}
    if reason not in AdmissionReason.values:
        errors["admission_reason"] = "请选择入院原因"
    if admitted_on is None or admitted_on > clock.today():
        errors["admitted_on"] = "请填写入院日期（不晚于今天）"
    note = (note or "").strip()
    if reason == AdmissionReason.OTHER and not note:
        errors["admission_note"] = "请填写入院说明"
    if not person_id:
        errors["person_id"] = "请选择入院儿童"
    if errors:
        raise ValidationFailed(errors)
    person = person_for_field(actor, person_id, "person_id")
    if person.is_deceased:
        raise ValidationFailed({"person_id": "该人员已登记死亡"})
    if age_on(person.birth_date, admitted_on) >= 18:
        raise ValidationFailed({"person_id": "该人员已年满18周岁，不属于儿童"})
    if InstitutionResident.objects.filter(person=person, discharged_on__isnull=True).exists():
        raise ValidationFailed({"person_id": "该儿童已在院，不能重复入院"})
    occupied = occupancy(current_inst)["residents"]
    if occupied >= current_inst.beds:
        raise ValidationFailed({"person_id": f"床位已满（{current_inst.beds}张床位，在院{occupied}人），不能收住"})
    recognition = None
    category = _ADMISSION_CATEGORY.get(reason)
    if category is not None:
        recognition = Recognition.objects.filter(person=person, category=category, status=Status.RECOGNISED).first()
        if recognition is None:
            raise ValidationFailed({"admission_reason": f"该儿童尚无已认定的{Category(category).label}认定，请先办理认定"})
    case = None
    if protection_case_id:
        case = access_protection_case_by_id(actor, protection_case_id)
    resident = InstitutionResident.objects.create(
        institution=current_inst, person=person, division_code=person.division_code, admitted_on=admitted_on,
        admission_reason=reason, admission_note=note[:300], recognition=recognition, protection_case=case,
        admitted_by_name=actor.display_name,
    )
    if recognition is not None and recognition.placement != Placement.INSTITUTIONAL:
        do_change_placement(
            actor, recognition, expected_version=recognition.version, placement=Placement.INSTITUTIONAL, guardian_id=None,
            reason=f"入住{current_inst.name}（{admitted_on:%Y-%m-%d}）",
        )
    record_audit_event(
        actor, AuditAction.CREATE, object_type="institution_resident", object_id=resident.pk, division_code=resident.division_code,
        summary=f"入院：{mask_name(person.name)}（{AdmissionReason(reason).label}），{current_inst.name}",
        extra={"institution_id": current_inst.pk, "reason": reason},
    )
    return resident


@transaction.atomic
def do_discharge_child(
    actor: Actor, resident: InstitutionResident, *, expected_version: int, discharged_on: dt.date | None, reason: str, note: str = ""
) -> InstitutionResident:
    """离院 with a reason. Adopted: the linked recognition ends (被依法收养) and so does its
    allowance; 年满18周岁: the monthly sweep ends it; other reasons leave the recognition for the
    town to change (a guardian takes the child: 养育方式变更)."""
    actor.require(ChildrenPerm.MANAGE_INSTITUTION)
    current = access_by_id(InstitutionResident.objects.select_related("person", "institution"), actor, resident.pk, for_update=True)
    if current.version != expected_version:
        raise DomainError("该入院记录已被其他用户处理，请刷新后重试", code="stale")
    if current.discharged_on is not None:
        raise DomainError("该儿童已离院", code="wrong_state")
    errors: dict[str, str] = {}
    if reason not in DischargeReason.values:
        errors["discharge_reason"] = "请选择离院原因"
    if discharged_on is None or discharged_on > clock.today() or discharged_on < current.admitted_on:
        errors["discharged_on"] = "离院日期应在入院日期至今天之间"
    note = (note or "").strip()
    if reason == DischargeReason.OTHER and not note:
        errors["discharge_note"] = "请填写离院说明"
    if errors:
        raise ValidationFailed(errors)
    InstitutionResident.objects.filter(pk=current.pk).update(
        discharged_on=discharged_on, discharge_reason=reason, discharge_note=note[:300], discharged_by_name=actor.display_name,
        version=F("version") + 1,
    )
    if reason == DischargeReason.ADOPTED and current.recognition_id:
        recognition = Recognition.objects.filter(pk=current.recognition_id, status=Status.RECOGNISED).first()
        if recognition is not None:
            do_end_recognition(actor, recognition, expected_version=recognition.version, end_reason=EndReason.ADOPTED,
                               note=f"{current.institution.name}离院")
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="institution_resident", object_id=current.pk, division_code=current.division_code,
        summary=f"离院：{mask_name(current.person.name)}（{DischargeReason(reason).label}），{current.institution.name}",
        changed_fields={"discharged_on": [None, discharged_on.isoformat()]}, extra={"reason": reason},
    )
    current.refresh_from_db()
    return current


# ----------------------------------------------------------------------------------------------
# 农村留守儿童: assessment and 关爱服务 plan (beside discovery's visits)
# ----------------------------------------------------------------------------------------------


def _left_behind_child(actor: Actor, person_id) -> Person:
    person = person_for_field(actor, person_id, "person_id")
    on_registry = list_left_behind_for(actor, category="child").filter(person_id=person.pk).exists()
    if not on_registry:
        raise ValidationFailed({"person_id": "该儿童不在农村留守儿童名册中，请先在三留守名册登记"})
    return person


@transaction.atomic
def do_assess_left_behind_child(
    actor: Actor,
    person: Person,
    *,
    assessed_on: dt.date | None,
    safety: str,
    guardianship: str,
    health: str,
    risk_level: str,
    findings: str,
) -> LeftBehindAssessment:
    """评估 of a left-behind child: its 安全处境, 监护情况 and 身心健康, and a risk level."""
    actor.require(ChildrenPerm.REGISTER_CHILD)
    errors: dict[str, str] = {}
    for key, value in (("safety", safety), ("guardianship", guardianship), ("health", health)):
        if value not in Condition.values:
            errors[key] = "请选择评估结果"
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = "请选择风险等级"
    if assessed_on is None or assessed_on > clock.today():
        errors["assessed_on"] = "请填写评估日期（不晚于今天）"
    if not (findings or "").strip():
        errors["findings"] = "请填写评估情况"
    if errors:
        raise ValidationFailed(errors)
    child = _left_behind_child(actor, person.pk)
    assessment = LeftBehindAssessment.objects.create(
        person=child, division_code=child.division_code, assessed_on=assessed_on, safety=safety, guardianship=guardianship,
        health=health, risk_level=risk_level, findings=findings.strip(), assessed_by_name=actor.display_name,
    )
    record_audit_event(
        actor, AuditAction.CREATE, object_type="left_behind_assessment", object_id=assessment.pk, division_code=child.division_code,
        summary=f"留守儿童评估：{mask_name(child.name)}（风险{RiskLevel(risk_level).label}）",
    )
    return assessment


@transaction.atomic
def do_save_care_plan(
    actor: Actor,
    person: Person,
    *,
    measures: list[str],
    responsible: str,
    review_on: dt.date | None,
    detail: str = "",
    assessment_id: int | None = None,
) -> CarePlan:
    """关爱服务计划: the measures, who is responsible, when it is reviewed. It replaces the
    child's current plan."""
    actor.require(ChildrenPerm.REGISTER_CHILD)
    errors: dict[str, str] = {}
    if not measures or set(measures) - set(CareMeasure.values):
        errors["measures"] = "请至少选择一项关爱服务措施"
    if not (responsible or "").strip():
        errors["responsible"] = "请填写责任人"
    today = clock.today()
    if review_on is None or review_on <= today:
        errors["review_on"] = "复评日期应晚于今天"
    if errors:
        raise ValidationFailed(errors)
    child = _left_behind_child(actor, person.pk)
    assessment = None
    if assessment_id:
        assessment = LeftBehindAssessment.objects.filter(pk=assessment_id, person=child).first()
    if assessment is None:
        assessment = LeftBehindAssessment.objects.filter(person=child).order_by("-assessed_on", "-id").first()
    CarePlan.objects.filter(person=child, current=True).update(current=False)
    plan = CarePlan.objects.create(
        person=child, division_code=child.division_code, assessment=assessment, measures=list(dict.fromkeys(measures)),
        detail=(detail or "").strip(), responsible=responsible.strip()[:50], review_on=review_on, made_on=today,
        made_by_name=actor.display_name,
    )
    record_audit_event(
        actor, AuditAction.CREATE, object_type="care_plan", object_id=plan.pk, division_code=child.division_code,
        summary=f"制定关爱服务计划：{mask_name(child.name)}（{'、'.join(CareMeasure(m).label for m in plan.measures)}）",
    )
    return plan
