"""Every write of the adoption line: named, atomic, audited actions. The case's status moves
only through ``cases.actions.do_transition`` (workflow.ADOPTION).

On registration (民法典 第1105条: the relation exists from the registration date) the registry
follows: the child joins the adopter's household as a child (子女), is no longer in an
institution's care, and a recognition of the child as 孤儿 / 事实无人抚养儿童 ends with the
reason 被依法收养 through ``children.actions.do_end_recognition`` (its allowance exits this month).
The follow-up visits (回访) are scheduled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.adoption import services
from minzheng.adoption.enums import (
    ASSESSMENT_SECTIONS,
    OPEN_STATUSES,
    AssessmentBody,
    Conclusion,
    DissolutionGround,
    DocumentKind,
    Kind,
    Placer,
    Status,
    VisitStatus,
)
from minzheng.adoption.models import (
    Adoption,
    AdoptionDocument,
    Assessment,
    FollowUpVisit,
)
from minzheng.adoption.params import value
from minzheng.adoption.permissions import AdoptionPerm
from minzheng.adoption.workflow import ADOPTION
from minzheng.cases.actions import Step, do_transition, lock_case, record_event
from minzheng.children.actions import do_end_recognition
from minzheng.children.enums import EndReason
from minzheng.children.enums import Status as RecognitionStatus
from minzheng.children.selectors import recognitions_of_person
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.periods import add_months
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.registry.access import access_person_by_id
from minzheng.registry.actions import (
    do_add_household_member,
    do_move_household_member,
    do_update_person,
)
from minzheng.registry.enums import Relation
from minzheng.registry.models import HouseholdMembership, Person

NOT_FOUND = "请从列表中选择本辖区内的在册人员"


def _text(value: str | None, key: str, message: str, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[key] = message
    return text


def _require_registrar(actor: Actor) -> None:
    actor.require(AdoptionPerm.REGISTER_ADOPTION)
    if actor.level != "district":
        raise PermissionDenied("收养登记须由区民政局办理")


def _audit(actor: Actor, adoption: Adoption, action: str, summary: str, **extra) -> None:
    record_audit_event(
        actor, action, object_type=ADOPTION.object_type, object_id=adoption.pk,
        division_code=adoption.division_code, summary=summary, extra=extra or None,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# 申请
# ----------------------------------------------------------------------------------------------


@dataclass
class AdoptionInput:
    child_id: int | None
    adopter_id: int | None
    kind: str
    placer: str
    placer_name: str
    co_adopter_id: int | None = None
    adopter_has_spouse: bool = False
    birth_children: int = 0
    adopted_children: int = 0
    unsuitable_disease: bool = False
    criminal_record: bool = False
    child_consents: bool = False
    placer_agrees: bool = True
    situation: str = ""
    documents: list[str] = field(default_factory=list)


def _person(actor: Actor, person_id, key: str, errors: dict) -> Person | None:
    if not person_id:
        errors[key] = "请选择人员"
        return None
    try:
        person = access_person_by_id(actor, person_id, audit=False)
    except DomainError:
        errors[key] = NOT_FOUND
        return None
    if person.is_deceased:
        errors[key] = f"{person.name}已登记死亡，不能选择"
        return None
    return person


@transaction.atomic
def do_apply_adoption(actor: Actor, data: AdoptionInput) -> Adoption:
    """收养申请: the adopters and the child from the registry, the child's situation, the
    placing party, the facts the conditions read; the papers handed in are checked in."""
    _require_registrar(actor)
    errors: dict[str, str] = {}
    child = _person(actor, data.child_id, "child", errors)
    adopter = _person(actor, data.adopter_id, "adopter", errors)
    co_adopter = _person(actor, data.co_adopter_id, "co_adopter", errors) if data.co_adopter_id else None
    if data.kind not in Kind.values:
        errors["kind"] = "请选择被收养人情形"
    if data.placer not in Placer.values:
        errors["placer"] = "请选择送养人"
    placer_name = _text(data.placer_name, "placer_name", "请填写送养人或儿童福利机构名称", errors)
    if not 0 <= int(data.birth_children) <= 20:
        errors["birth_children"] = "请填写收养人现有子女数"
    if not 0 <= int(data.adopted_children) <= 20:
        errors["adopted_children"] = "请填写收养人已收养子女数"
    bad_docs = [d for d in data.documents if d not in DocumentKind.values]
    if bad_docs:
        errors["documents"] = "请从列表中选择材料"
    if child and adopter and child.pk == adopter.pk:
        errors["adopter"] = "收养人与被收养人不能是同一人"
    if co_adopter and (co_adopter.pk in {getattr(adopter, "pk", None), getattr(child, "pk", None)}):
        errors["co_adopter"] = "共同收养人须为收养人的配偶，不能与收养人或被收养人相同"
    if co_adopter and not data.adopter_has_spouse:
        errors["co_adopter"] = "共同收养人须为收养人的配偶；收养人无配偶时请勿填写"
    if child and Adoption.objects.filter(child=child, status__in=(*OPEN_STATUSES, Status.REGISTERED)).exists():
        errors["child"] = f"{child.name}已有办理中或已登记的收养"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, child.division_code)
    today = clock.today()
    adoption = Adoption.objects.create(
        number=placeholder_number(), division_code=child.division_code, child=child, adopter=adopter,
        co_adopter=co_adopter, kind=data.kind, placer=data.placer, placer_name=placer_name[:100],
        adopter_has_spouse=bool(data.adopter_has_spouse), birth_children=int(data.birth_children),
        adopted_children=int(data.adopted_children), unsuitable_disease=bool(data.unsuitable_disease),
        criminal_record=bool(data.criminal_record), child_consents=bool(data.child_consents),
        placer_agrees=bool(data.placer_agrees), situation=(data.situation or "").strip(),
        status=Status.APPLIED, applied_on=today, step_started_on=today, created_by_id=actor.user_id,
    )  # fmt: skip
    adoption.number = f"SY{today.year}{adoption.pk:06d}"
    Adoption.objects.filter(pk=adoption.pk).update(number=adoption.number)
    for kind in dict.fromkeys(data.documents):
        AdoptionDocument.objects.create(
            adoption=adoption, division_code=adoption.division_code, kind=kind, received_on=today, received_by_id=actor.user_id
        )
    record_event(actor, ADOPTION, adoption, action="create", label="收养申请", from_status="", to_status=Status.APPLIED)
    _audit(actor, adoption, AuditAction.CREATE, f"收养申请 {adoption.number}（被收养人{mask_name(child.name)}）")
    return adoption


@transaction.atomic
def do_check_in_document(actor: Actor, adoption: Adoption, *, kind: str, note: str = "") -> AdoptionDocument:
    """A paper handed in later (补正): checked in while the case waits for 受理, or the
    dissolution agreement once registered."""
    _require_registrar(actor)
    current = access_by_id(Adoption.objects.all(), actor, adoption.pk, for_update=True)
    if kind not in DocumentKind.values:
        raise ValidationFailed({"kind": "请选择材料"})
    if current.status not in (Status.APPLIED, Status.REGISTERED):
        raise DomainError(f"收养登记申请当前处于“{Status(current.status).label}”环节，不能补交材料", code="wrong_state")
    try:
        with transaction.atomic():
            doc = AdoptionDocument.objects.create(
                adoption=current, division_code=current.division_code, kind=kind, received_on=clock.today(),
                note=(note or "").strip()[:200], received_by_id=actor.user_id,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationFailed({"kind": f"{DocumentKind(kind).label}已收件"}) from None
    _audit(actor, current, AuditAction.UPDATE, f"收件：{DocumentKind(kind).label}（{current.number}）", kind=kind)
    return doc


# ----------------------------------------------------------------------------------------------
# 受理, 公告, 评估
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_accept_adoption(actor: Actor, adoption: Adoption, *, expected_version: int) -> Adoption:
    """受理 once the papers are complete: a child whose birth parents cannot be found goes to
    the 寻亲公告 first; a step-parent is not assessed (民发〔2020〕144号) and goes to review."""

    def prepare(current: Adoption, transition) -> Step:
        today = clock.today()
        updates: dict = {"accepted_on": today}
        if current.kind == Kind.FOUNDLING:
            days = value("procedure.notice_days", today)
            updates.update(notice_start=today, notice_end=today + dt.timedelta(days=days))
            return Step(target=Status.NOTICE, updates=updates, reason=f"寻亲公告{days}日，至{updates['notice_end']:%Y-%m-%d}期满")
        if current.kind == Kind.STEPCHILD:
            return Step(target=Status.REVIEW, updates=updates, reason="继父母收养继子女，无需收养评估")
        return Step(target=Status.ASSESSMENT, updates=updates)

    return do_transition(actor, ADOPTION, adoption, "accept", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_close_notice(actor: Actor, adoption: Adoption, *, expected_version: int) -> Adoption:
    def prepare(current: Adoption, transition) -> Step:
        if current.notice_end and clock.today() < current.notice_end:
            raise DomainError(f"寻亲公告期至{current.notice_end:%Y-%m-%d}届满，届满后方可进入收养评估", code="notice_running")
        return Step(reason="公告期满，生父母未认领")

    return do_transition(actor, ADOPTION, adoption, "close_notice", expected_version=expected_version, prepare=prepare)


@dataclass
class AssessmentInput:
    body: str
    conclusion: str
    summary: str
    started_on: dt.date | None
    reported_on: dt.date | None
    organisation: str = ""
    assessors: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def do_record_assessment(actor: Actor, adoption: Adoption, *, expected_version: int, data: AssessmentInput) -> Adoption:
    """收养评估: the report of the bureau's team (≥ the parameter's number of established
    staff) or of the entrusted organisation, with its content and conclusion. An unsuitable
    conclusion still goes to review, where it is a reason of 不予登记."""

    def prepare(current: Adoption, transition) -> Step:
        errors: dict[str, str] = {}
        today = clock.today()
        if data.body not in AssessmentBody.values:
            errors["body"] = "请选择评估主体"
        assessors = [a.strip() for a in data.assessors if a and a.strip()]
        minimum = value("procedure.min_bureau_assessors", today)
        if data.body == AssessmentBody.BUREAU and len(assessors) < minimum:
            errors["assessors"] = f"登记机关自行评估的，评估人员应不少于{minimum}名"
        if data.body == AssessmentBody.ENTRUSTED and not (data.organisation or "").strip():
            errors["organisation"] = "请填写受委托机构名称"
        if data.conclusion not in Conclusion.values:
            errors["conclusion"] = "请选择评估结论"
        summary = _text(data.summary, "summary", "请填写评估意见", errors)
        sections = {key: (data.sections.get(key) or "").strip() for key, _ in ASSESSMENT_SECTIONS}
        for key, label in ASSESSMENT_SECTIONS:
            if not sections[key]:
                errors[key] = f"请填写{label}"
        if data.started_on is None:
            errors["started_on"] = "请填写评估开始日期"
        if data.reported_on is None:
            errors["reported_on"] = "请填写报告日期"
        elif data.reported_on > today:
            errors["reported_on"] = "报告日期不能晚于今天"
        elif data.started_on and data.reported_on < data.started_on:
            errors["reported_on"] = "报告日期不能早于评估开始日期"
        if errors:
            raise ValidationFailed(errors)
        Assessment.objects.create(
            adoption=current, division_code=current.division_code, body=data.body,
            organisation=(data.organisation or "").strip()[:100], assessors=assessors, started_on=data.started_on,
            reported_on=data.reported_on, sections=sections, conclusion=data.conclusion, summary=summary,
            recorded_by_id=actor.user_id,
        )  # fmt: skip
        return Step(reason=f"{Conclusion(data.conclusion).label}：{summary}", extra={"conclusion": data.conclusion})

    return do_transition(actor, ADOPTION, adoption, "assess", expected_version=expected_version, prepare=prepare)


# ----------------------------------------------------------------------------------------------
# 登记 / 不予登记 / 退回 / 解除
# ----------------------------------------------------------------------------------------------


def certificate_number(adoption: Adoption, on: dt.date) -> str:
    name = get_directory().name(district_code()) or ""
    return f"{name[:2]}收字（{on.year}）第{adoption.pk:05d}号"


def _join_household(actor: Actor, current: Adoption, on: dt.date) -> list[str]:
    """The child joins the adopter's household as a child (子女); the registry's institution
    flag is cleared. Returns what was done, in Chinese."""
    child = Person.objects.get(pk=current.child_id)
    adopter = Person.objects.select_related("household").get(pk=current.adopter_id)
    household = adopter.household
    done: list[str] = []
    if household is None:
        done.append("收养人未在本区登记家庭，被收养人的家庭关系待户籍迁入后更新")
    elif child.household_id != household.pk:
        heads = {current.adopter_id, current.co_adopter_id}
        relation = Relation.CHILD if household.head_id in heads else Relation.OTHER
        member = HouseholdMembership.objects.filter(person=child, valid_to__isnull=True).exists()
        if member:
            do_move_household_member(actor, child, household, relation=relation, on=on)
        else:
            do_add_household_member(actor, household, child, relation=relation, since=on)
        done.append(f"被收养人迁入收养人家庭（与户主关系：{Relation(relation).label}）")
    child.refresh_from_db()
    if child.in_institution:
        do_update_person(actor, child, expected_version=child.version, changes={"in_institution": False})
        done.append("被收养人不再由机构集中养育")
    return done


def _end_recognitions(actor: Actor, current: Adoption) -> list[str]:
    done = []
    for recognition in recognitions_of_person(actor, current.child).filter(status=RecognitionStatus.RECOGNISED):
        do_end_recognition(
            actor, recognition, expected_version=recognition.version, end_reason=EndReason.ADOPTED,
            note=f"收养登记 {current.number}",
        )  # fmt: skip
        done.append(f"儿童认定 {recognition.number} 终止（被依法收养），基本生活费本月停发")
    return done


@transaction.atomic
def do_register_adoption(actor: Actor, adoption: Adoption, *, expected_version: int) -> Adoption:
    """准予登记: every condition met on the day (else refused naming every unmet one); the
    certificate number; the registry and the children line follow; 回访 scheduled."""

    def prepare(current: Adoption, transition) -> Step:
        today = clock.today()
        conditions = services.evaluate(current, today)
        failed = services.unmet(conditions)
        if failed:
            raise ValidationFailed({"conditions": f"不符合收养条件，不能登记：{services.refusal_text(conditions)}"})
        effects = _join_household(actor, current, today) + _end_recognitions(actor, current)
        for sequence, name in enumerate(("visits.first_months", "visits.second_months"), start=1):
            FollowUpVisit.objects.create(
                adoption=current, division_code=current.division_code, sequence=sequence,
                due_on=add_months(today, value(name, today)),
            )  # fmt: skip
        number = certificate_number(current, today)
        return Step(
            updates={
                "registered_on": today, "certificate_number": number, "decided_by_id": actor.user_id,
                "conditions": [c.as_dict() for c in conditions],
            },
            reason="；".join([f"收养登记证 {number}", *effects]),
            extra={"certificate_number": number},
        )  # fmt: skip

    return do_transition(actor, ADOPTION, adoption, "register", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_refuse_adoption(actor: Actor, adoption: Adoption, *, expected_version: int, opinion: str = "") -> Adoption:
    """不予登记: the decision names every unmet condition with its reason (and the registrar's
    opinion); with every condition met a written reason is required."""

    def prepare(current: Adoption, transition) -> Step:
        today = clock.today()
        conditions = services.evaluate(current, today)
        failed = services.unmet(conditions)
        text = (opinion or "").strip()
        if not failed and not text:
            raise ValidationFailed({"opinion": "各项收养条件均符合，不予登记须写明理由"})
        reasons = [{"label": c.label, "article": c.article, "detail": c.detail} for c in failed]
        if text:
            reasons.append({"label": "登记机关意见", "article": "", "detail": text})
        summary = "；".join(f"{r['label']}（{r['detail']}）" for r in reasons)
        return Step(
            updates={
                "refused_on": today, "refusal_reasons": reasons, "decided_by_id": actor.user_id,
                "conditions": [c.as_dict() for c in conditions],
            },
            reason=summary, extra={"unmet": [c.code for c in failed]},
        )  # fmt: skip

    return do_transition(actor, ADOPTION, adoption, "refuse", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_return_adoption(actor: Actor, adoption: Adoption, *, expected_version: int, reason: str) -> Adoption:
    """退回补正: refused once the review limit has passed (the registrar must then decide)."""
    return do_transition(actor, ADOPTION, adoption, "return", expected_version=expected_version, reason=reason)


@transaction.atomic
def do_dissolve_adoption(actor: Actor, adoption: Adoption, *, expected_version: int, ground: str, reason: str) -> Adoption:
    """解除收养登记 by agreement (民法典 第1114–1116条; a court's judgment needs no registration).
    The household record is left to the 户籍 change the police make (第1106条)."""

    def prepare(current: Adoption, transition) -> Step:
        if ground not in DissolutionGround.values:
            raise ValidationFailed({"ground": "请选择解除情形"})
        FollowUpVisit.objects.filter(adoption=current, status=VisitStatus.DUE).delete()
        return Step(updates={"dissolved_on": clock.today(), "dissolution_ground": ground}, extra={"ground": ground})

    return do_transition(actor, ADOPTION, adoption, "dissolve", expected_version=expected_version, reason=reason, prepare=prepare)


# ----------------------------------------------------------------------------------------------
# 回访
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_visit(actor: Actor, visit: FollowUpVisit, *, visited_on: dt.date | None, note: str) -> FollowUpVisit:
    actor.require(AdoptionPerm.VISIT_ADOPTION)
    if actor.level not in ("town", "district"):
        raise PermissionDenied("回访须由乡镇（街道）或区民政局办理")
    current = access_by_id(FollowUpVisit.objects.select_related("adoption"), actor, visit.pk, for_update=True)
    errors: dict[str, str] = {}
    text = _text(note, "note", "请填写回访情况", errors)
    today = clock.today()
    if current.status == VisitStatus.DONE:
        errors["visited_on"] = "该次回访已登记"
    elif visited_on is None:
        errors["visited_on"] = "请填写回访日期"
    elif visited_on > today:
        errors["visited_on"] = "回访日期不能晚于今天"
    elif current.adoption.registered_on and visited_on < current.adoption.registered_on:
        errors["visited_on"] = "回访日期不能早于收养登记日期"
    if errors:
        raise ValidationFailed(errors)
    current.visited_on, current.note, current.status, current.visited_by_id = visited_on, text, VisitStatus.DONE, actor.user_id
    current.save(update_fields=["visited_on", "note", "status", "visited_by"])
    _audit(actor, current.adoption, AuditAction.UPDATE, f"收养回访（第{current.sequence}次）：{current.adoption.number}")
    return current


__all__ = [
    "AdoptionInput", "AssessmentInput", "do_accept_adoption", "do_apply_adoption", "do_check_in_document",
    "do_close_notice", "do_dissolve_adoption", "do_record_assessment", "do_record_visit", "do_refuse_adoption",
    "do_register_adoption", "do_return_adoption", "lock_case",
]
