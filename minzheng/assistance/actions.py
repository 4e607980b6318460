"""Every write of the casework line: named, atomic, audited, optimistically locked.

Each workflow step goes through the case kit's `do_transition` (minzheng/cases/actions.py)
with the line's declaration (workflow.WORKFLOW): the kit re-reads the case inside the
transaction through the scoped access path, checks state, role, level and time limit, runs
the step's own work (`prepare`) and writes with `UPDATE … WHERE id = … AND version =
expected_version`: of two users acting on the same case, exactly one succeeds and the other is
told "该申请已被其他用户处理，请刷新后重试".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.assistance.ceilings import ceiling_error
from minzheng.core.money import amount_error
from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.models import User
from minzheng.core.uploads import MAX_UPLOAD_BYTES, sniff_file_type
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.assistance import workflow
from minzheng.core.clock import today
from minzheng.core.periods import month_start_after, next_month
from minzheng.assistance.economic import build_check_report
from minzheng.assistance.engine import Verdict, evaluate_program, evaluate_temporary, parameter
from minzheng.assistance.enums import (
    Channel,
    OPEN_STATUSES,
    ApprovalTier,
    AttachmentKind,
    ChangeKind,
    DecisionStage,
    EnrolmentSource,
    EnrolmentStatus,
    ExitReason,
    ImportKind,
    Level,
    Outcome,
    Program,
    Severity,
    Status,
    SubjectKind,
    SuspensionKind,
    SuspensionStatus,
    TemporaryType,
    WithheldStatus,
)
from minzheng.assistance.exits import run_exit_handlers
from minzheng.assistance.facts import household_facts, snapshot
from minzheng.assistance.models import (
    AdjustmentRequest,
    AdjustmentStatus,
    Application,
    Attachment,
    DeathSuspension,
    Decision,
    DepartmentRecord,
    EconomicCheck,
    Enrolment,
    EnrolmentChange,
    InvestigationRecord,
    NoticeObjection,
    ProgramConfig,
    WithheldPayment,
)
from minzheng.assistance.workflow import WORKFLOW
from minzheng.cases.actions import Step, actor_name_of, answer_correction, do_request_correction as kit_request_correction, do_transition, lock_case, record_event, update_case
from minzheng.cases.calendar import work_calendar
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import encrypt_text
from minzheng.core import clock
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_account
from minzheng.core.money import format_yuan
from minzheng.registry.enums import WorkCapacity
from minzheng.registry.models import Household, Person
from minzheng.registry.selectors import current_household_of, current_members
from minzheng.assistance.selectors import application_of_family, current_notice
from minzheng.core.photos import PhotoRejected, clean_photo
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.assistance.enums import ReviewKind

PROGRAM_PREFIX = {Program.DIBAO: "DB", Program.TEKUN: "TK", Program.TEMPORARY: "LS"}
PROCEDURE = workflow.PROCEDURE


# ----------------------------------------------------------------------------------------------
# Configuration
# ----------------------------------------------------------------------------------------------


def program_config(program: str) -> dict:
    config = dict(workflow.DEFAULT_PROGRAM_CONFIG.get(program, workflow.OTHER_PROGRAM_CONFIG))
    config.update(mask_names_in_notice=True, complaint_phone="12345（政务服务便民热线）")
    row = ProgramConfig.objects.filter(program=program).first()
    if row is not None:
        config.update(
            confirm_level=row.confirm_level,
            requires_publicity=row.requires_publicity,
            mask_names_in_notice=row.mask_names_in_notice,
        )
        if row.complaint_phone:
            config["complaint_phone"] = row.complaint_phone
    return config


@transaction.atomic
def do_set_program_config(
    actor: Actor,
    program: str,
    *,
    confirm_level: str,
    requires_publicity: bool,
    mask_names_in_notice: bool,
    complaint_phone: str,
) -> ProgramConfig:
    """District staff decide per program whether the town or the district confirms."""
    actor.require(Perm.APPROVE_APPLICATION)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied("救助项目设置须由区民政局办理")
    if confirm_level not in (Level.TOWN, Level.DISTRICT):
        raise ValidationFailed({"confirm_level": "审核确认层级应为乡镇（街道）或区民政局"})
    before = program_config(program)
    row, _ = ProgramConfig.objects.update_or_create(
        program=program,
        defaults={
            "confirm_level": confirm_level,
            "requires_publicity": requires_publicity,
            "mask_names_in_notice": mask_names_in_notice,
            "complaint_phone": complaint_phone.strip(),
        },
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="assistance_config",
        object_id=row.pk,
        summary=f"修改救助项目设置：{Program(program).label}",
        changed_fields={
            k: [before.get(k), v]
            for k, v in {
                "confirm_level": confirm_level,
                "requires_publicity": requires_publicity,
                "mask_names_in_notice": mask_names_in_notice,
            }.items()
            if before.get(k) != v
        },
    )
    return row


# ----------------------------------------------------------------------------------------------
# Intake
# ----------------------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    program: str
    applicant_id: int
    household_id: int | None = None
    person_id: int | None = None
    reason: str = ""
    temporary_type: str = ""
    severity: str = ""
    requested_months: int | None = None
    authorization_signed: bool = False
    authorization_signed_on: dt.date | None = None
    bank_name: str = ""
    bank_account: str = ""


def _scoped_person(actor: Actor, person_id) -> Person:
    return access_by_id(Person.objects.all(), actor, person_id)


def _scoped_household(actor: Actor, household_id) -> Household:
    return access_by_id(Household.objects.select_related("head"), actor, household_id)


@transaction.atomic
def do_create_application(actor: Actor, data: ApplicationInput) -> Application:
    """登记: staff take the application on the applicant's behalf (village or town)."""
    actor.require(Perm.ACCEPT_APPLICATION)
    if data.program not in workflow.CASEWORK_PROGRAMS:
        raise ValidationFailed({"program": "请选择救助项目"})
    program = Program(data.program)
    errors: dict[str, str] = {}
    household = person = None
    applicant = _scoped_person(actor, data.applicant_id)
    if program == Program.DIBAO:
        if not data.household_id:
            errors["household_id"] = "低保以家庭为单位申请，请选择家庭"
        else:
            household = _scoped_household(actor, data.household_id)
    elif program == Program.TEKUN:
        person = _scoped_person(actor, data.person_id or data.applicant_id)
    elif data.household_id:
        household = _scoped_household(actor, data.household_id)
    else:
        person = _scoped_person(actor, data.person_id or data.applicant_id)
    return _create_application(actor, data, program, applicant, household, person, errors, channel=Channel.COUNTER)


# Programs a family applies for online (issue 22): the casework programs, each with its subject.
ONLINE_PROGRAMS = (Program.DIBAO, Program.TEKUN, Program.TEMPORARY)


@transaction.atomic
def do_submit_online_application(actor: Actor, data: ApplicationInput, *, applicant: Person) -> Application:
    """网上申请: a citizen (``Actor.citizen``) applies for themselves — 低保 and 临时救助 for their
    current household, 特困 for themselves — the authorization signed on screen today. The
    case is the same workflow's: it waits in the village's 待办 marked 网上申请."""
    if actor.role != "citizen":
        raise PermissionDenied()
    if data.program not in ONLINE_PROGRAMS:
        raise ValidationFailed({"program": "请选择救助项目"})
    program = Program(data.program)
    household = current_household_of(applicant)
    person = None
    errors: dict[str, str] = {}
    if program == Program.TEKUN:
        household, person = None, applicant
    elif household is None:
        errors["program"] = "未查到您的家庭登记信息，请到所在村（社区）办理"
    data = replace(data, applicant_id=applicant.pk, household_id=household.pk if household else None,
                   person_id=person.pk if person else None, authorization_signed_on=today())  # fmt: skip
    return _create_application(actor, data, program, applicant, household, person, errors, channel=Channel.ONLINE)


def _create_application(
    actor: Actor, data: ApplicationInput, program: Program, applicant: Person, household: Household | None,
    person: Person | None, errors: dict[str, str], *, channel: str,
) -> Application:
    """The one way an application is made, by staff or online: the same checks, the same case."""
    if program == Program.TEMPORARY:
        if data.temporary_type not in TemporaryType.values:
            errors["temporary_type"] = "请选择临时救助类型（急难型或支出型）"
        if data.severity not in Severity.values:
            errors["severity"] = "请选择困难程度"
        if not data.requested_months or data.requested_months < 1:
            errors["requested_months"] = "请填写申请救助月数（不少于1个月）"
    if not data.authorization_signed:
        errors["authorization_signed"] = "须签署《家庭经济状况核查授权书》后方可登记"
    elif data.authorization_signed_on is None:
        errors["authorization_signed_on"] = "请填写授权书签署日期"
    elif data.authorization_signed_on > today():
        errors["authorization_signed_on"] = "签署日期不能晚于今天"
    if len(data.reason) > 2000:
        errors["reason"] = "申请理由不能超过2000字"
    account = data.bank_account.replace(" ", "")
    if account and not (account.isdigit() and 8 <= len(account) <= 30):
        errors["bank_account"] = "银行账号应为8至30位数字"
    if applicant.is_deceased:
        errors["applicant_id"] = "申请人已登记死亡"
    subject = household or person
    if subject is not None and not errors:
        kind = SubjectKind.HOUSEHOLD if household else SubjectKind.PERSON
        open_case = Application.objects.filter(
            program=program, status__in=(Status.SUBMITTED, *OPEN_STATUSES)
        ).filter(**({"household": household} if household else {"person": person}))
        if open_case.exists():
            errors["program"] = f"该对象已有正在办理的{program.label}申请"
        elif program != Program.TEMPORARY and Enrolment.objects.filter(
            program=program, subject_kind=kind, subject_id=subject.pk, status__in=("active", "suspended")
        ).exists():
            errors["program"] = f"该对象已在{program.label}保障中"
    if errors:
        raise ValidationFailed(errors)
    division_code = subject.division_code
    zone = household.zone if household else _zone_of(person)
    application = Application.objects.create(
        number=placeholder_number(),  # replaced by the numbered form below
        program=program,
        subject_kind=SubjectKind.HOUSEHOLD if household else SubjectKind.PERSON,
        household=household,
        person=person,
        applicant=applicant,
        division_code=division_code,
        zone=zone,
        reason=data.reason.strip(),
        temporary_type=data.temporary_type if program == Program.TEMPORARY else "",
        severity=data.severity if program == Program.TEMPORARY else "",
        requested_months=data.requested_months if program == Program.TEMPORARY else None,
        household_snapshot=snapshot(household, person),
        authorization_signed=True,
        authorization_signed_on=data.authorization_signed_on,
        bank_name=data.bank_name.strip(),
        bank_account_encrypted=encrypt_text(account) if account else "",
        bank_account_masked=mask_account(account),
        status=Status.SUBMITTED,
        submitted_on=today(),
        submitted_by_id=actor.user_id,
        confirm_level=program_config(program)["confirm_level"],
        channel=channel,
    )
    application.number = f"{PROGRAM_PREFIX[program]}{application.submitted_on.year}{application.pk:07d}"
    Application.objects.filter(pk=application.pk).update(number=application.number)
    label = "网上申请" if channel == Channel.ONLINE else "登记申请"
    record_event(actor, WORKFLOW, application, action="create", label=label, from_status="", to_status=Status.SUBMITTED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="application",
        object_id=application.pk,
        division_code=division_code,
        summary=f"{'网上申请' if channel == Channel.ONLINE else '登记'}{program.label}申请 {application.number}，申请人 {applicant.name}（{applicant.id_number_masked}）",
    )
    return application


def _zone_of(person: Person) -> str:
    info = get_directory().get(person.division_code)
    return info.zone if info is not None and info.zone else "rural"


# ----------------------------------------------------------------------------------------------
# Attachments
# ----------------------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES


@transaction.atomic
def do_add_attachment(actor: Actor, application: Application, *, kind: str, filename: str, content: bytes) -> Attachment:
    application = access_by_id(Application.objects.all(), actor, application.pk)
    if not (actor.has(Perm.ACCEPT_APPLICATION) or actor.has(Perm.INVESTIGATE) or actor.has(Perm.REVIEW_APPLICATION)):
        raise PermissionDenied()
    return _store_attachment(actor, application, kind=kind, filename=filename, content=content)


# What a family uploads online: their own papers (a home-visit photo is the village's).
ONLINE_ATTACHMENT_KINDS = tuple(k for k in AttachmentKind.values if k != AttachmentKind.VISIT_PHOTO)


@transaction.atomic
def do_add_online_attachment(actor: Actor, application_id: object, *, applicant: Person, kind: str, filename: str, content: bytes) -> Attachment:
    """A citizen uploads a paper to their family's open application: a photo from the phone is
    re-encoded without its metadata (place, device, time); a PDF is kept as sent."""
    if actor.role != "citizen":
        raise PermissionDenied()
    application = application_of_family(applicant, application_id)
    if kind not in ONLINE_ATTACHMENT_KINDS:
        raise ValidationFailed({"kind": "请选择材料类型"})
    if application.status not in (Status.SUBMITTED, *OPEN_STATUSES):
        raise workflow.WrongState("申请已办结，不能再上传材料")
    if content[:4] != b"%PDF" and content:
        try:
            photo = clean_photo(filename, content)
        except PhotoRejected as e:
            raise ValidationFailed({"file": str(e)}) from None
        content = photo.content
    return _store_attachment(actor, application, kind=kind, filename=filename, content=content)


# ----------------------------------------------------------------------------------------------
# 补正 (the kit keeps the request and the answer; this line says who may do what)
# ----------------------------------------------------------------------------------------------


def do_request_correction(actor: Actor, application: Application, *, expected_version: int, items: str) -> Application:
    """补正告知 to the family: what to hand in or explain. They are told by SMS when they have
    an account and answer on the citizens' site; otherwise the village tells them."""
    return kit_request_correction(actor, WORKFLOW, application, expected_version=expected_version, items=items, today=today())


@transaction.atomic
def do_answer_correction_online(
    actor: Actor, application_id: object, *, applicant: Person, answer: str, paper: tuple[str, str, bytes] | None = None
) -> Application:
    """网上补正: the family answers the open request, with a paper (kind, file name, content) or
    without; both land together or not at all."""
    if actor.role != "citizen":
        raise PermissionDenied()
    application = application_of_family(applicant, application_id)
    if application.status not in (Status.SUBMITTED, *OPEN_STATUSES):
        raise workflow.WrongState("申请已办结，无需补正")
    # The answer first: a refused answer must not leave a stored file behind.
    answer_correction(actor, WORKFLOW, application, answer=answer, answered_by=f"申请人{applicant.name}（网上）", online=True)
    if paper is not None:
        kind, filename, content = paper
        do_add_online_attachment(actor, application.pk, applicant=applicant, kind=kind, filename=filename, content=content)
    return application


@transaction.atomic
def do_record_correction(actor: Actor, application: Application, *, answer: str) -> Application:
    """补正 handed in at the village or town office, recorded by the staff who took it."""
    application = access_by_id(Application.objects.all(), actor, application.pk)
    if not (actor.has(Perm.ACCEPT_APPLICATION) or actor.has(Perm.INVESTIGATE) or actor.has(Perm.REVIEW_APPLICATION)):
        raise PermissionDenied()
    if application.status not in (Status.SUBMITTED, *OPEN_STATUSES):
        raise workflow.WrongState("申请已办结，无需补正")
    answer_correction(actor, WORKFLOW, application, answer=answer, answered_by=actor_name_of(actor), online=False)
    return application


def _store_attachment(actor: Actor, application: Application, *, kind: str, filename: str, content: bytes) -> Attachment:
    if application.status == Status.ARCHIVED:
        raise workflow.WrongState("申请已存档，不能再上传材料")
    if kind not in AttachmentKind.values:
        raise ValidationFailed({"kind": "请选择材料类型"})
    if len(content) == 0:
        raise ValidationFailed({"file": "文件为空"})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed({"file": "文件不能超过5MB"})
    sniffed = sniff_file_type(content[:16])
    if sniffed is None:
        raise ValidationFailed({"file": "只能上传PDF、JPG或PNG文件（按文件内容识别）"})
    content_type, extension = sniffed
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        application=application,
        division_code=application.division_code,
        kind=kind,
        original_name=filename[:200],
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=digest,
        uploaded_by_id=actor.user_id,
    )
    attachment.file.save(f"{digest[:16]}.{extension}", ContentFile(content), save=False)
    attachment.save()
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="attachment",
        object_id=attachment.pk,
        division_code=application.division_code,
        summary=f"上传申请材料（{AttachmentKind(kind).label}）{application.number}",
        extra={"sha256": digest, "size": len(content), "content_type": content_type},
    )
    return attachment


# ----------------------------------------------------------------------------------------------
# Workflow machinery
# ----------------------------------------------------------------------------------------------


def _fresh(actor: Actor, application: Application | int, expected_version: int) -> Application:
    """Re-read the case inside the transaction (locked on PostgreSQL); the loser of a race
    finds a newer version and is told so."""
    return lock_case(actor, WORKFLOW, application, expected_version)


def _step(actor: Actor, application: Application, action: str, *, expected_version: int, reason: str = "", prepare=None) -> Application:
    return do_transition(
        actor, WORKFLOW, application, action, expected_version=expected_version, reason=reason, prepare=prepare, today=today()
    )


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: message})
    return value


# ----------------------------------------------------------------------------------------------
# The steps
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_accept_application(actor: Actor, application: Application, *, expected_version: int) -> Application:
    """受理: the time limit starts (working days after today, from the parameters)."""

    def prepare(current: Application, transition) -> Step:
        return Step(updates={"confirm_level": program_config(current.program)["confirm_level"]})

    return _step(actor, application, "accept", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_extend_deadline(actor: Actor, application: Application, *, expected_version: int, reason: str) -> Application:
    """延期: once, to the extended limit counted from acceptance, and only before the limit
    passes (the kit's extension rule, workflow.TIME_LIMIT)."""

    def prepare(current: Application, transition) -> Step:
        return Step(updates={"extension_reason": reason.strip()[:200]})

    return _step(actor, application, "extend", expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_record_investigation(
    actor: Actor,
    application: Application,
    *,
    expected_version: int,
    second_investigator_id: int,
    visited_on: dt.date,
    living_conditions: str,
    findings: str,
    recommendation: str,
) -> Application:
    """入户调查: two staff visit; the acting user is the first, the second must be another
    staff member who may investigate in this village."""

    def prepare(current: Application, transition) -> Step:
        errors: dict[str, str] = {}
        second = User.objects.filter(pk=second_investigator_id, is_active=True).first() if second_investigator_id else None
        if second is None:
            errors["second_investigator_id"] = "请选择第二名调查人员"
        elif second.pk == actor.user_id:
            errors["second_investigator_id"] = "入户调查须由两名工作人员共同进行，第二调查人不能是本人"
        else:
            other = build_actor(second)
            if not (other.has(Perm.INVESTIGATE) and other.covers(current.division_code)):
                errors["second_investigator_id"] = "第二调查人须为该村（社区）所属辖区内有调查权限的工作人员"
        if visited_on is None:
            errors["visited_on"] = "请填写调查日期"
        elif visited_on > today() or (current.accepted_on and visited_on < current.accepted_on):
            errors["visited_on"] = "调查日期应在受理日期与今天之间"
        if not (living_conditions or "").strip():
            errors["living_conditions"] = "请填写居住及生活状况"
        if not (findings or "").strip():
            errors["findings"] = "请填写调查结论"
        if recommendation not in Outcome.values:
            errors["recommendation"] = "请选择调查意见"
        if errors:
            raise ValidationFailed(errors)
        InvestigationRecord.objects.create(
            application=current,
            division_code=current.division_code,
            visited_on=visited_on,
            investigator_1_id=actor.user_id,
            investigator_2=second,
            living_conditions=living_conditions.strip(),
            findings=findings.strip(),
            recommendation=recommendation,
        )
        return Step(reason=findings.strip()[:200])

    return _step(actor, application, "investigate", expected_version=expected_version, prepare=prepare)


def _subject_people(application: Application) -> tuple[Household | None, Person | None]:
    household = application.household
    person = application.person
    if application.program in (Program.TEKUN, Program.TEMPORARY) and person is not None and household is None:
        household = person.household if person.household_id else None
    return household, person


@transaction.atomic
def do_complete_economic_check(actor: Actor, application: Application, *, expected_version: int, notes: str = "") -> Application:
    """家庭经济状况核对: the report from the registry and the departments' data."""

    def prepare(current: Application, transition) -> Step:
        household, person = _subject_people(current)
        rate = parameter("dibao.income.employment_cost_deduction_rate", today())
        report = build_check_report(household=household, person=person, deduction_rate=rate)
        if report.member_count == 0:
            raise DomainError("核对对象家庭成员均已死亡，请退回处理", code="no_members")
        facts = household_facts(
            period=f"{today():%Y-%m}",
            household=household,
            person=person,
            zone=current.zone,
            division_code=current.division_code,
            overrides=report.overrides,
        )
        check = EconomicCheck.objects.create(
            application=current,
            division_code=current.division_code,
            completed_on=today(),
            checked_by_id=actor.user_id,
            member_count=report.member_count,
            household_income_fen=report.household_income_fen,
            per_capita_income_fen=report.per_capita_income_fen,
            financial_assets_fen=report.financial_assets_fen,
            vehicle_value_max_fen=max(report.vehicle_values_fen, default=0),
            vehicle_count=len(report.vehicle_values_fen),
            real_estate_count=report.real_estate_count,
            business_count=report.business_count,
            sources=report.sources,
            facts=facts,
            notes=(notes or "").strip(),
        )
        return Step(extra={"economic_check": check.pk})

    return _step(actor, application, "check_economy", expected_version=expected_version, prepare=prepare)


def latest_check(application: Application) -> EconomicCheck | None:
    return application.economic_checks.order_by("-id").first()


def evaluate_application(application: Application, *, period: str | None = None) -> tuple[Verdict, dict]:
    """The engine's verdict on the checked facts (for the month given, default this month)."""
    check = latest_check(application)
    if check is None:
        raise DomainError("尚未完成家庭经济状况核对", code="no_check")
    facts = dict(check.facts)
    facts["period"] = period or f"{today():%Y-%m}"
    if application.program == Program.TEMPORARY:
        persons = len(facts["household"]["members"])
        verdict = evaluate_temporary(
            period=facts["period"],
            severity=application.severity,
            persons=persons,
            months=application.requested_months or 1,
            urgent=application.temporary_type == TemporaryType.URGENT,
        )
        return verdict, {**facts, "request": {"severity": application.severity, "persons": persons, "months": application.requested_months, "urgent": application.temporary_type == TemporaryType.URGENT}}
    ids = [int(m["id"]) for m in facts["household"]["members"]]
    names = {str(pk): name for pk, name in Person.objects.filter(pk__in=ids).values_list("pk", "name")}
    verdict = evaluate_program(application.program, facts, subject_person_id=application.person_id, names=names)
    return verdict, facts


def _store_decision(actor: Actor, application: Application, verdict: Verdict, facts: dict, *, stage: str, outcome: str, reasons: str, amount_fen: int) -> Decision:
    return Decision.objects.create(
        application=application,
        division_code=application.division_code,
        stage=stage,
        outcome=outcome,
        period=facts["period"],
        facts=facts,
        parameters=verdict.parameters,
        result={**verdict.result, "conditions": verdict.conditions, "lines": verdict.lines},
        engine_eligible=verdict.eligible,
        amount_fen=amount_fen,
        approval_tier=verdict.approval_tier,
        reasons=reasons,
        decided_by_id=actor.user_id,
    )


@transaction.atomic
def do_review_application(
    actor: Actor, application: Application, *, expected_version: int, outcome: str, opinion: str = ""
) -> Application:
    """审核: the town's opinion on the rules engine's verdict. 同意 needs the engine to find the
    case eligible; 不同意 needs reasons. 同意 goes to 公示 where the program publishes first."""

    def prepare(current: Application, transition) -> Step:
        nonlocal opinion
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择审核意见"})
        verdict, facts = evaluate_application(current)
        if outcome == Outcome.APPROVE and not verdict.eligible:
            raise ValidationFailed({"outcome": "规则引擎判定不符合条件，不能提出同意意见；如有特殊情况请退回重新调查核对"})
        if outcome == Outcome.REFUSE:
            opinion = _require_text(opinion, "opinion", "请填写不同意的理由")
        amount = verdict.amount_fen if outcome == Outcome.APPROVE else 0
        _store_decision(actor, current, verdict, facts, stage=DecisionStage.REVIEW, outcome=outcome, reasons=opinion.strip(), amount_fen=amount)
        config = program_config(current.program)
        updates: dict = {"reviewed_by_id": actor.user_id, "proposed_outcome": outcome, "proposed_amount_fen": amount}
        if current.program == Program.TEMPORARY and outcome == Outcome.APPROVE:
            tier = verdict.approval_tier or ApprovalTier.DISTRICT
            updates["approval_tier"] = tier
            updates["confirm_level"] = Level.TOWN if tier == ApprovalTier.TOWN else Level.DISTRICT
        target = Status.CONFIRMATION
        if outcome == Outcome.APPROVE and config["requires_publicity"]:
            target = Status.PUBLICITY
            days = parameter(f"{PROCEDURE}.publicity_days", today())
            updates["publicity_start"] = today()
            updates["publicity_end"] = today() + dt.timedelta(days=days - 1)
        return Step(
            target=target,
            reason=opinion.strip(),
            updates=updates,
            extra={"outcome": outcome, "amount_fen": amount, "engine_eligible": verdict.eligible},
        )

    return _step(actor, application, "review", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_close_publicity(actor: Actor, application: Application, *, expected_version: int, note: str = "") -> Application:
    """公示期满无异议: on to 审核确认. Objections go back through 退回 instead."""

    def prepare(current: Application, transition) -> Step:
        if today() <= current.publicity_end:
            raise workflow.TimeLimitPassed(f"公示期未满（公示至{current.publicity_end:%Y-%m-%d}），期满后方可办理")
        return Step(reason=(note or "公示期满，无异议").strip())

    return _step(actor, application, "close_publicity", expected_version=expected_version, prepare=prepare)


def _not_the_reviewer(actor: Actor, current: Application) -> None:
    if current.reviewed_by_id and current.reviewed_by_id == actor.user_id:
        raise PermissionDenied("审核人与确认人不能为同一人")


@transaction.atomic
def do_approve_application(
    actor: Actor, application: Application, *, expected_version: int, opinion: str = "", case_by_case_note: str = ""
) -> Application:
    """确认: the decision is stored with the engine's record; the enrolment starts paying from
    the month after the decision."""
    decided: dict = {}

    def prepare(current: Application, transition) -> Step:
        nonlocal case_by_case_note
        _not_the_reviewer(actor, current)
        if current.proposed_outcome != Outcome.APPROVE:
            raise ValidationFailed({"opinion": "审核意见为不同意，不能直接确认；请退回重新审核或作出不予保障决定"})
        if current.approval_tier == ApprovalTier.CASE_BY_CASE:
            case_by_case_note = _require_text(case_by_case_note, "case_by_case_note", "一事一议须填写集体研究意见")
        verdict, facts = evaluate_application(current)
        if not verdict.eligible:
            raise ValidationFailed({"opinion": "按当前参数重新计算不符合条件，请退回重新审核"})
        amount = verdict.amount_fen
        _store_decision(actor, current, verdict, facts, stage=DecisionStage.FINAL, outcome=Outcome.APPROVE, reasons=opinion.strip(), amount_fen=amount)
        decided.update(amount=amount, people=len(facts["household"]["members"]))
        return Step(
            reason=opinion.strip(),
            updates={
                "approved_amount_fen": amount,
                "decided_on": today(),
                "decided_by_id": actor.user_id,
                "case_by_case_note": case_by_case_note.strip(),
            },
            extra={"amount_fen": amount},
        )

    updated = _step(actor, application, "approve", expected_version=expected_version, prepare=prepare)
    _start_enrolment(actor, updated, amount_fen=decided["amount"], people=decided["people"])
    return updated


def review_cycle_months(household: Household | None, on: dt.date) -> int:
    """Yearly; every 6 months where income is irregular and a member can work (parameters)."""
    if household is not None and household.income_irregular:
        able = any(m.person.work_capacity != WorkCapacity.NONE for m in current_members(household))
        if able:
            return parameter("dibao.review.irregular_income_cycle_months", on)
    return parameter("dibao.review.regular_cycle_months", on)


def _start_enrolment(actor: Actor, application: Application, *, amount_fen: int, people: int) -> Enrolment | None:
    start = next_month(application.decided_on)
    household, person = application.household, application.person
    if application.program == Program.TEMPORARY:
        amount_fen -= application.advance_paid_fen or 0
        if amount_fen <= 0:
            return None
    subject_kind = application.subject_kind
    subject_id = household.pk if subject_kind == SubjectKind.HOUSEHOLD else person.pk
    payee = household.head if household is not None and household.head_id else (person or application.applicant)
    one_off = application.program == Program.TEMPORARY
    if one_off:
        # Payments are unique per subject and month: a second one-off grant goes a month later.
        while Enrolment.objects.filter(program=Program.TEMPORARY, subject_kind=subject_kind, subject_id=subject_id, start_month=start).exists():
            start = month_start_after(start, 1)
    return do_create_enrolment(
        actor,
        NewEnrolment(
            program=application.program,
            household=household if subject_kind == SubjectKind.HOUSEHOLD else None,
            person=person if subject_kind == SubjectKind.PERSON else None,
            payee=payee,
            division_code=application.division_code,
            zone=application.zone,
            people_covered=people,
            amount_fen=amount_fen,
            start_month=start,
            decided_on=application.decided_on,
            reason=f"{application.number} 审核确认",
            source=EnrolmentSource.APPLICATION,
            application=application,
            bank_name=application.bank_name,
            bank_account_encrypted=application.bank_account_encrypted,
            bank_account_masked=application.bank_account_masked,
            one_off=one_off,
        ),
    )


@dataclass(frozen=True)
class NewEnrolment:
    """What starts an enrolment: an approved application, or a row of an existing roster
    (imported through exchange, see imports.py)."""

    program: str
    payee: Person
    division_code: str
    zone: str
    amount_fen: int
    start_month: dt.date
    decided_on: dt.date
    reason: str
    source: str
    household: Household | None = None  # a household's enrolment (低保) …
    person: Person | None = None  # … or one person's (特困, 临时救助 of a person)
    people_covered: int = 1
    application: Application | None = None
    bank_name: str = ""
    bank_account_encrypted: str = ""
    bank_account_masked: str = ""
    one_off: bool = False  # 临时救助: paid once, in the start month
    # The last month paid, when known at the start (a child's allowance ends in the month the
    # child turns 18: children.allowances); None = open.
    end_month: dt.date | None = None


def next_review_on(start: dt.date, cycle: int) -> dt.date:
    """The first review ``cycle`` months after the start, rolled forward past today (an enrolment
    of an existing roster may have started years ago)."""
    review = month_start_after(start, cycle)
    while review <= today():
        review = month_start_after(review, cycle)
    return review


@transaction.atomic
def do_create_enrolment(actor: Actor, data: NewEnrolment) -> Enrolment:
    """The one way an enrolment starts (审核确认 of an application, or a roster import): the
    review cycle from the ``dibao.review.*`` parameters, the START change with who did it, the
    audit event."""
    actor.require(Perm.REVIEW_APPLICATION)  # every role that confirms a case, or imports a roster, has it
    if not actor.covers(data.division_code):
        raise PermissionDenied("不在您的管辖范围内")
    household, person = data.household, data.person
    subject_kind = SubjectKind.HOUSEHOLD if household is not None else SubjectKind.PERSON
    subject_id = household.pk if household is not None else person.pk
    start = data.start_month
    people = data.people_covered if household is not None else 1
    if error := ceiling_error(data.program, zone=data.zone, people_covered=people, amount_fen=data.amount_fen, on=start, label="月保障金额"):
        raise ValidationFailed({"amount_fen": error})
    cycle = review_cycle_months(household if data.program == Program.DIBAO else None, start)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                program=data.program,
                subject_kind=subject_kind,
                subject_id=subject_id,
                household=household,
                person=person,
                payee=data.payee,
                division_code=data.division_code,
                zone=data.zone,
                people_covered=data.people_covered if household is not None else 1,
                amount_fen=data.amount_fen,
                start_month=start,
                end_month=start if data.one_off else data.end_month,
                status=EnrolmentStatus.ACTIVE,
                status_changed_on=data.decided_on,
                status_reason=data.reason,
                source=data.source,
                application=data.application,
                bank_name=data.bank_name,
                bank_account_encrypted=data.bank_account_encrypted,
                bank_account_masked=data.bank_account_masked,
                review_cycle_months=cycle,
                next_review_on=None if data.one_off else next_review_on(start, cycle),
            )
    except IntegrityError:
        raise DomainError("该对象已在保，不能重复纳入", code="already_enrolled") from None
    EnrolmentChange.objects.create(
        enrolment=enrolment,
        division_code=enrolment.division_code,
        kind=ChangeKind.START,
        effective_month=start,
        new_amount_fen=data.amount_fen,
        new_status=EnrolmentStatus.ACTIVE,
        reason=data.reason[:200],
        actor_id=actor.user_id,
        actor_name=actor.display_name,
    )
    payee = data.payee
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="enrolment",
        object_id=enrolment.pk,
        division_code=enrolment.division_code,
        summary=f"纳入{Program(enrolment.program).label}：{payee.name}，自{start:%Y年%m月}起每月{format_yuan(data.amount_fen, grouping=False)}元"
        if not data.one_off
        else f"临时救助发放：{payee.name}，{start:%Y年%m月}发放{format_yuan(data.amount_fen, grouping=False)}元",
    )
    return enrolment


@transaction.atomic
def do_refuse_application(actor: Actor, application: Application, *, expected_version: int, reasons: str) -> Application:
    """不予保障: written reasons (they go into the refusal letter)."""

    def prepare(current: Application, transition) -> Step:
        text = _require_text(reasons, "reasons", "请填写不予保障的理由")
        _not_the_reviewer(actor, current)
        verdict, facts = evaluate_application(current)
        _store_decision(actor, current, verdict, facts, stage=DecisionStage.FINAL, outcome=Outcome.REFUSE, reasons=text, amount_fen=0)
        return Step(
            reason=text,
            updates={"refusal_reasons": text, "decided_on": today(), "decided_by_id": actor.user_id, "approved_amount_fen": 0},
        )

    return _step(actor, application, "refuse", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_archive_application(actor: Actor, application: Application, *, expected_version: int) -> Application:
    def prepare(current: Application, transition) -> Step:
        return Step(updates={"archived_on": today()})

    return _step(actor, application, "archive", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_return_application(actor: Actor, application: Application, *, expected_version: int, reason: str) -> Application:
    """退回 to the step before, with a reason (公示 objections go back to 入户调查)."""

    def prepare(current: Application, transition) -> Step:
        updates: dict = {}
        if current.status in (Status.PUBLICITY, Status.CONFIRMATION):
            updates.update(proposed_outcome="", proposed_amount_fen=None, publicity_start=None, publicity_end=None)
        return Step(updates=updates)

    return _step(actor, application, "return", expected_version=expected_version, reason=reason, prepare=prepare)


# ----------------------------------------------------------------------------------------------
# 临时救助: 先行救助 (paid first, papers within N working days)
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_grant_advance_relief(actor: Actor, application: Application, *, expected_version: int, amount_fen: int) -> Application:
    """急难型: the town pays first, up to the engine's 先行救助 limit; papers due within the
    parameter's working days, flagged when late."""
    current = _fresh(actor, application, expected_version)
    actor.require(Perm.ACCEPT_APPLICATION)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("先行救助须由乡镇（街道）或区民政局办理")
    if current.program != Program.TEMPORARY or current.temporary_type != TemporaryType.URGENT:
        raise workflow.WrongState("只有急难型临时救助可以先行救助")
    if current.status not in (Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW):
        raise workflow.WrongState(f"申请当前处于“{Status(current.status).label}”环节，不能办理先行救助（须先受理）")
    if current.advance_paid_fen:
        raise ValidationFailed({"amount_fen": "已办理过先行救助"})
    household, person = _subject_people(current)
    persons = len([m for m in current.household_snapshot.get("members", [])]) or 1
    verdict = evaluate_temporary(
        period=f"{today():%Y-%m}",
        severity=current.severity,
        persons=persons,
        months=current.requested_months or 1,
        urgent=True,
    )
    limit = verdict.advance_amount_fen
    if amount_fen is None or amount_fen <= 0:
        raise ValidationFailed({"amount_fen": "请填写先行救助金额"})
    if amount_fen > limit:
        raise ValidationFailed({"amount_fen": f"先行救助金额不能超过{format_yuan(limit, grouping=False)}元（规则引擎测算上限）"})
    days = parameter("temporary_assistance.advance_relief.paperwork_working_days", today())
    due = work_calendar().add_working_days(today(), days)
    current = update_case(
        actor, WORKFLOW, current, action="advance_relief", label="先行救助",
        reason=f"先行救助 {format_yuan(amount_fen, grouping=False)} 元，{due:%Y-%m-%d}前补齐手续",
        updates={"advance_paid_fen": amount_fen, "advance_paid_on": today(), "advance_paperwork_due_on": due},
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="application",
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"先行救助：{current.number} {format_yuan(amount_fen, grouping=False)}元",
        changed_fields={"advance_paid_fen": [None, amount_fen]},
        extra={"paperwork_due_on": due.isoformat(), "limit_fen": limit},
    )
    return current


@transaction.atomic
def do_complete_advance_paperwork(actor: Actor, application: Application, *, expected_version: int) -> Application:
    current = _fresh(actor, application, expected_version)
    actor.require(Perm.ACCEPT_APPLICATION)
    if not current.advance_paid_fen:
        raise workflow.WrongState("该申请未办理先行救助")
    if current.advance_paperwork_done_on:
        raise workflow.WrongState("手续已补齐")
    if not current.attachments.exists():
        raise ValidationFailed({"attachments": "请先上传申请材料"})
    late = today() > current.advance_paperwork_due_on
    current = update_case(
        actor, WORKFLOW, current, action="paperwork", label="补齐手续",
        reason="逾期补齐" if late else "按期补齐", updates={"advance_paperwork_done_on": today()},
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="application",
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"先行救助补齐手续：{current.number}{'（逾期）' if late else ''}",
        extra={"late": late},
    )
    return current


# ----------------------------------------------------------------------------------------------
# Enrolment changes
# ----------------------------------------------------------------------------------------------


def _fresh_enrolment(actor: Actor, enrolment: Enrolment, expected_version: int | None) -> Enrolment:
    current = access_by_id(Enrolment.objects.all(), actor, enrolment.pk, for_update=True)
    if expected_version is not None and current.version != expected_version:
        raise DomainError("该保障记录已被其他用户修改，请刷新后重试", code="stale")
    return current


def _change(
    actor: Actor,
    enrolment: Enrolment,
    *,
    kind: str,
    effective_month: dt.date,
    updates: dict,
    reason: str,
) -> Enrolment:
    old_amount, old_status = enrolment.amount_fen, enrolment.status
    rows = Enrolment.objects.filter(pk=enrolment.pk, version=enrolment.version).update(
        version=F("version") + 1, **updates
    )
    if rows != 1:
        raise DomainError("该保障记录已被其他用户修改，请刷新后重试", code="stale")
    enrolment.refresh_from_db()
    EnrolmentChange.objects.create(
        enrolment=enrolment,
        division_code=enrolment.division_code,
        kind=kind,
        effective_month=effective_month,
        old_amount_fen=old_amount,
        new_amount_fen=enrolment.amount_fen,
        old_status=old_status,
        new_status=enrolment.status,
        reason=reason[:200],
        actor_id=actor.user_id,
        actor_name=actor.display_name,
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="enrolment",
        object_id=enrolment.pk,
        division_code=enrolment.division_code,
        summary=f"{ChangeKind(kind).label}：{Program(enrolment.program).label}，自{effective_month:%Y年%m月}起（{reason[:80]}）",
        changed_fields={
            k: v
            for k, v in {"amount_fen": [old_amount, enrolment.amount_fen], "status": [old_status, enrolment.status]}.items()
            if v[0] != v[1]
        },
    )
    return enrolment


def _require_manage(actor: Actor) -> None:
    actor.require(Perm.REVIEW_APPLICATION)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("保障对象变更须由乡镇（街道）或区民政局办理")


@transaction.atomic
def do_adjust_enrolment(
    actor: Actor, enrolment: Enrolment, *, expected_version: int | None, amount_fen: int, reason: str
) -> Enrolment:
    """调整金额 from next month (this month's payroll is not changed after the fact). Called by
    the engine's recalculations (reviews, children, disability) and by a confirmed or lowering
    manual adjustment; a typed raise goes through ``do_request_adjustment``."""
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    if current.status != EnrolmentStatus.ACTIVE:
        raise workflow.WrongState("只有在保对象可以调整金额")
    _checked_amount(current, amount_fen, next_month(today()))
    reason = _require_text(reason, "reason", "请填写调整原因")
    return _change(actor, current, kind=ChangeKind.ADJUST, effective_month=next_month(today()), updates={"amount_fen": amount_fen}, reason=reason)


def _checked_amount(current: Enrolment, amount_fen: int | None, on: dt.date) -> None:
    """A typed monthly amount: positive, within the general ceiling and the program's policy bound."""
    if amount_fen is None or amount_fen <= 0:
        raise ValidationFailed({"amount_fen": "调整后金额应大于0；不再符合条件的请办理退出"})
    if error := amount_error(amount_fen, label="调整后月保障金额"):
        raise ValidationFailed({"amount_fen": error})
    if error := ceiling_error(current.program, zone=current.zone, people_covered=current.people_covered, amount_fen=amount_fen,
                              on=on, label="调整后月保障金额"):  # fmt: skip
        raise ValidationFailed({"amount_fen": error})


@transaction.atomic
def do_request_adjustment(
    actor: Actor, enrolment: Enrolment, *, expected_version: int | None, amount_fen: int, reason: str
) -> AdjustmentRequest | Enrolment:
    """A caseworker's typed 调整: a lowering applies from next month (``do_adjust_enrolment``); a
    raise waits for another officer's confirmation (``do_confirm_adjustment``) and is not paid
    before it — so no one person can raise what the bureau pays. Returns the request or the
    adjusted enrolment."""
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    if current.status != EnrolmentStatus.ACTIVE:
        raise workflow.WrongState("只有在保对象可以调整金额")
    _checked_amount(current, amount_fen, next_month(today()))
    reason = _require_text(reason, "reason", "请填写调整原因")
    if amount_fen <= current.amount_fen:
        return do_adjust_enrolment(actor, current, expected_version=None, amount_fen=amount_fen, reason=reason)
    if AdjustmentRequest.objects.filter(enrolment=current, status=AdjustmentStatus.PENDING).exists():
        raise ValidationFailed({"amount_fen": "已有一笔调增待确认，请先由另一名工作人员确认或退回"})
    request = AdjustmentRequest.objects.create(
        enrolment=current, division_code=current.division_code, old_amount_fen=current.amount_fen, amount_fen=amount_fen,
        reason=reason[:200], proposed_by_id=actor.user_id, proposed_by_name=actor.display_name, proposed_on=today(),
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="adjustment_request", object_id=request.pk, division_code=current.division_code,
        summary=f"提出调增：{Program(current.program).label}，{format_yuan(current.amount_fen)}元 → {format_yuan(amount_fen)}元，待另一人确认",
        changed_fields={"amount_fen": [current.amount_fen, amount_fen]},
    )  # fmt: skip
    return request


def _pending_request(actor: Actor, request_id: object) -> AdjustmentRequest:
    _require_manage(actor)
    request = access_by_id(AdjustmentRequest.objects.select_related("enrolment"), actor, request_id, for_update=True)
    if request.status != AdjustmentStatus.PENDING:
        raise workflow.WrongState(f"该调增已{AdjustmentStatus(request.status).label}，不能再办理")
    return request


@transaction.atomic
def do_confirm_adjustment(actor: Actor, request_id: object, *, note: str = "") -> Enrolment:
    """确认调增 by a second person: the new amount from next month, checked again against the bounds."""
    request = _pending_request(actor, request_id)
    if request.proposed_by_id == actor.user_id:
        raise PermissionDenied("调增须由提出人以外的另一名工作人员确认")
    current = _fresh_enrolment(actor, request.enrolment, None)
    if current.status != EnrolmentStatus.ACTIVE or current.amount_fen != request.old_amount_fen:
        raise workflow.WrongState("提出调增后保障状态或金额已变化，请退回后重新提出")
    _checked_amount(current, request.amount_fen, next_month(today()))
    enrolment = do_adjust_enrolment(actor, current, expected_version=None, amount_fen=request.amount_fen,
                                    reason=f"{request.reason}（{request.proposed_by_name}提出，{actor.display_name}确认）")  # fmt: skip
    request.status, request.decided_by_id, request.decided_by_name = AdjustmentStatus.CONFIRMED, actor.user_id, actor.display_name
    request.decided_on, request.decision_note = today(), (note or "").strip()[:200]
    request.save(update_fields=["status", "decided_by", "decided_by_name", "decided_on", "decision_note"])
    return enrolment


@transaction.atomic
def do_return_adjustment(actor: Actor, request_id: object, *, note: str) -> AdjustmentRequest:
    """退回 a pending raise (the proposer may withdraw it too): nothing is paid."""
    request = _pending_request(actor, request_id)
    note = _require_text(note, "note", "请填写退回原因")
    request.status, request.decided_by_id, request.decided_by_name = AdjustmentStatus.RETURNED, actor.user_id, actor.display_name
    request.decided_on, request.decision_note = today(), note[:200]
    request.save(update_fields=["status", "decided_by", "decided_by_name", "decided_on", "decision_note"])
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="adjustment_request", object_id=request.pk, division_code=request.division_code,
        summary=f"退回调增：{format_yuan(request.old_amount_fen)}元 → {format_yuan(request.amount_fen)}元（{note[:80]}）",
    )  # fmt: skip
    return request


@transaction.atomic
def do_suspend_enrolment(actor: Actor, enrolment: Enrolment, *, expected_version: int | None, reason: str) -> Enrolment:
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    if current.status != EnrolmentStatus.ACTIVE:
        raise workflow.WrongState("只有在保对象可以暂停")
    reason = _require_text(reason, "reason", "请填写暂停原因")
    return _change(
        actor, current, kind=ChangeKind.SUSPEND, effective_month=next_month(today()),
        updates={"status": EnrolmentStatus.SUSPENDED, "status_changed_on": today(), "status_reason": reason[:200]},
        reason=reason,
    )


@transaction.atomic
def do_resume_enrolment(actor: Actor, enrolment: Enrolment, *, expected_version: int | None, reason: str) -> Enrolment:
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    if current.status != EnrolmentStatus.SUSPENDED:
        raise workflow.WrongState("只有暂停的对象可以恢复")
    death = DeathSuspension.objects.filter(enrolment=current)
    if death.filter(status=SuspensionStatus.ACTIVE, kind=SuspensionKind.SUSPEND).exists():
        # ADR 0004: only the village's check (确认死亡 / 核实有误) ends this suspension.
        raise workflow.WrongState("该对象因死亡信息待核实暂停发放，须由村（社区）核实后处理")
    reason = _require_text(reason, "reason", "请填写恢复原因")
    resumed = _change(
        actor, current, kind=ChangeKind.RESUME, effective_month=next_month(today()),
        updates={"status": EnrolmentStatus.ACTIVE, "status_changed_on": today(), "status_reason": reason[:200]},
        reason=reason,
    )
    # A household whose payee died, resumed after its review: the months withheld are paid.
    for suspension in death.filter(status=SuspensionStatus.REVIEW):
        WithheldPayment.objects.filter(suspension=suspension, status=WithheldStatus.WITHHELD).update(status=WithheldStatus.PAYABLE)
        DeathSuspension.objects.filter(pk=suspension.pk).update(status=SuspensionStatus.ENDED)
    return resumed


@transaction.atomic
def do_exit_enrolment(
    actor: Actor,
    enrolment: Enrolment,
    *,
    expected_version: int | None,
    exit_reason: str,
    note: str = "",
    last_month: dt.date | None = None,
) -> Enrolment:
    """退出: the last paid month is this month unless given (payment stops from the next)."""
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    return _exit(actor, current, exit_reason=exit_reason, note=note, last_month=last_month)


def _exit(actor: Actor, current: Enrolment, *, exit_reason: str, note: str, last_month: dt.date | None) -> Enrolment:
    if current.status == EnrolmentStatus.EXITED:
        raise workflow.WrongState("该对象已退出保障")
    if exit_reason not in ExitReason.values:
        raise ValidationFailed({"exit_reason": "请选择退出原因"})
    last = (last_month or today()).replace(day=1)
    if last < current.start_month:
        last = current.start_month - dt.timedelta(days=1)
        last = last.replace(day=1)
    reason = f"{ExitReason(exit_reason).label}{('：' + note.strip()) if note.strip() else ''}"
    exited = _change(
        actor,
        current,
        kind=ChangeKind.EXIT,
        effective_month=month_start_after(last, 1),
        updates={
            "status": EnrolmentStatus.EXITED,
            "status_changed_on": today(),
            "status_reason": reason[:200],
            "exit_reason": exit_reason,
            "end_month": last,
        },
        reason=reason,
    )
    run_exit_handlers(exited)  # lines paid on this basis stop in the same month (exits.py)
    return exited


@transaction.atomic
def do_start_gradual_exit(actor: Actor, enrolment: Enrolment, *, expected_version: int | None, reason: str) -> Enrolment:
    """渐退期: income rose above the standard through work — keep paying the old amount for the
    parameter's months, then a review task closes the case."""
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, expected_version)
    if current.program != Program.DIBAO or current.status != EnrolmentStatus.ACTIVE:
        raise workflow.WrongState("只有在保的低保对象可以进入渐退期")
    if current.gradual_exit_until:
        raise workflow.WrongState("该对象已在渐退期")
    reason = _require_text(reason, "reason", "请填写进入渐退期的原因（如：家庭成员就业后收入超过标准）")
    months = parameter("dibao.gradual_exit.months", today())
    last = month_start_after(next_month(today()), months - 1)
    updated = _change(
        actor,
        current,
        kind=ChangeKind.GRADUAL_EXIT,
        effective_month=next_month(today()),
        updates={"gradual_exit_until": last, "end_month": last, "next_review_on": month_start_after(last, 1)},
        reason=f"{reason}（渐退期{months}个月，发放至{last:%Y年%m月}）",
    )
    # local import: assistance.reviews imports this module at its top (a cycle).
    from minzheng.assistance.reviews import open_review_task

    open_review_task(updated, kind=ReviewKind.GRADUAL_EXIT_END, due_on=last, note=f"渐退期至{last:%Y年%m月}届满")
    return updated


@transaction.atomic
def do_set_bank_account(actor: Actor, enrolment: Enrolment, *, bank_name: str, bank_account: str) -> Enrolment:
    _require_manage(actor)
    current = _fresh_enrolment(actor, enrolment, None)
    account = (bank_account or "").replace(" ", "")
    if not (account.isdigit() and 8 <= len(account) <= 30):
        raise ValidationFailed({"bank_account": "银行账号应为8至30位数字"})
    bank_name = _require_text(bank_name, "bank_name", "请填写开户银行")
    return _change(
        actor,
        current,
        kind=ChangeKind.BANK,
        effective_month=next_month(today()),
        updates={"bank_name": bank_name, "bank_account_encrypted": encrypt_text(account), "bank_account_masked": mask_account(account)},
        reason=f"变更银行账户为 {bank_name} {mask_account(account)}",
    )


# ----------------------------------------------------------------------------------------------
# Departments' data for the economic check (imported through exchange, see imports.py)
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    person_id: int
    division_code: str
    row_number: int
    item: str = ""
    monthly_income_fen: int = 0
    asset_value_fen: int = 0
    quantity: int = 0
    as_of: dt.date | None = None


@transaction.atomic
def do_record_department_data(actor: Actor, *, batch_id: int, department: str, rows: list[DepartmentRow]) -> int:
    """Keep a department's records of matched people, for every later economic check. The
    district imports them (whoever may read the check may not write its sources)."""
    actor.require(Perm.REVIEW_APPLICATION)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied("部门核对数据须由区民政局导入")
    if department not in ImportKind.values or department in (ImportKind.ROSTER_DIBAO, ImportKind.ROSTER_TEKUN):
        raise ValidationFailed({"department": "数据类别不正确"})
    records = DepartmentRecord.objects.bulk_create(
        [
            DepartmentRecord(
                batch_id=batch_id,
                department=department,
                person_id=r.person_id,
                division_code=r.division_code,
                row_number=r.row_number,
                item=r.item[:100],
                monthly_income_fen=r.monthly_income_fen,
                asset_value_fen=r.asset_value_fen,
                quantity=r.quantity,
                as_of=r.as_of,
            )
            for r in rows
        ],
        batch_size=2000,
    )
    record_audit_event(
        actor, AuditAction.CREATE, object_type="department_record", division_code="",
        summary=f"记录{ImportKind(department).label}{len(records)}条（导入批次 {batch_id}）",
    )  # fmt: skip
    return len(records)


# ----------------------------------------------------------------------------------------------
# 公示异议 (raised on the citizens' site, answered by the town)
# ----------------------------------------------------------------------------------------------

MAX_OBJECTIONS_PER_NOTICE = 3  # per citizen: enough to correct oneself, not to flood a village


@transaction.atomic
def do_raise_objection(
    actor: Actor, notice_id: object, *, entry_index: object, text: str, raised_by: str, account_id: int
) -> NoticeObjection:
    """异议 by a signed-in, real-name citizen (``account_id``, shown to staff as ``raised_by``) to
    one entry of a current notice; it reaches the case behind the entry and the town's 待办."""
    if actor.role != "citizen":
        raise PermissionDenied()
    notice = current_notice(notice_id)
    errors: dict[str, str] = {}
    try:
        index = int(str(entry_index))
    except ValueError:
        index = -1
    if not 0 <= index < len(notice.entries):
        errors["entry_index"] = "请选择对哪一条公示内容提出异议"
    body = (text or "").strip()
    if len(body) < 5:
        errors["text"] = "请写明异议的事实和理由（至少5个字）"
    elif len(body) > 500:
        errors["text"] = "异议内容不能超过500字"
    if errors:
        raise ValidationFailed(errors)
    if NoticeObjection.objects.filter(notice=notice, raised_by_account_id=account_id).count() >= MAX_OBJECTIONS_PER_NOTICE:
        raise ValidationFailed({"text": f"同一公示最多提出{MAX_OBJECTIONS_PER_NOTICE}条异议，如需补充请联系监督电话"})
    case = notice.entry_cases[index] if index < len(notice.entry_cases) else {}
    objection = NoticeObjection.objects.create(
        notice=notice, entry_index=index, application_id=case.get("application"), enrolment_id=case.get("enrolment"),
        division_code=notice.division_code, text=body, raised_by=raised_by[:60], raised_by_account_id=account_id,
        raised_at=clock.now(),
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="notice_objection", object_id=objection.pk, division_code=notice.division_code,
        summary=f"群众对公示 {notice.number} 第{index + 1}条提出异议",
    )  # fmt: skip
    return objection


@transaction.atomic
def do_answer_objection(actor: Actor, objection_id: object, *, answer: str) -> NoticeObjection:
    """The town (or district) records what it found (核实处理情况)."""
    actor.require(Perm.REVIEW_APPLICATION)
    objection = access_by_id(NoticeObjection.objects.all(), actor, objection_id, for_update=True)
    if objection.answered_at is not None:
        raise DomainError("该异议已处理", code="answered")
    body = (answer or "").strip()
    if len(body) < 5:
        raise ValidationFailed({"answer": "请填写核实处理情况（至少5个字）"})
    if len(body) > 1000:
        raise ValidationFailed({"answer": "核实处理情况不能超过1000字"})
    objection.answer, objection.answered_by_name, objection.answered_at = body, actor.display_name or actor.username, clock.now()
    objection.save(update_fields=["answer", "answered_by_name", "answered_at"])
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="notice_objection", object_id=objection.pk,
        division_code=objection.division_code, summary=f"处理公示异议（{objection.notice.number}）",
    )  # fmt: skip
    return objection
