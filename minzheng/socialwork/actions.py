"""Every write of the social-work line: named, atomic, audited; Chinese refusals naming the
field (``ValidationFailed({field: message})``), nothing written on bad input."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.cases.actions import Step, do_transition, record_event
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.money import format_yuan
from minzheng.divisions.directory import get_directory
from minzheng.socialwork.enums import (
    CertLevel,
    Education,
    PaymentStatus,
    ProjectStatus,
    ServiceKind,
    StationLevel,
    TargetGroup,
)
from minzheng.socialwork.models import (
    Agency,
    Payment,
    Professional,
    Project,
    ServiceRecord,
    Station,
)
from minzheng.socialwork.permissions import SocialworkPerm
from minzheng.socialwork.workflow import PROJECT_WORKFLOW
from minzheng.sociorgs.enums import ListKind, OrgStatus
from minzheng.sociorgs.selectors import find_registered, is_listed

P = SocialworkPerm
STATION_CODE_LENGTH = {StationLevel.CENTRE: 6, StationLevel.TOWN: 9, StationLevel.VILLAGE: 12}
FIRST_CERT_YEAR = 2008  # the first national 社会工作者职业水平考试 (人事部·民政部 2006 规定) was held in 2008


def _audit(actor: Actor, action: str, obj, object_type: str, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=obj.division_code, summary=summary)


def _division(actor: Actor, code: str, errors: dict, field: str = "division_code") -> None:
    if not code or get_directory().get(code) is None:
        errors[field] = "请选择区划"
    elif not actor.covers(code):
        errors[field] = "该区划不在您的管辖范围内"


# --- agencies and the three-level network ----------------------------------------------------


def organisation_refusal(org) -> str:
    """Why an agency may not be linked to this organisation of the register ("" when it may)."""
    if org.status == OrgStatus.DEREGISTERED:
        return f"该社会组织已注销登记（{org.name}），不能关联"
    if org.status == OrgStatus.REVOKED:
        return f"该社会组织已被撤销登记（{org.name}），不能关联"
    if is_listed(org.pk) == ListKind.SERIOUS.label:
        return f"该社会组织已列入严重违法失信名单（{org.name}），不能关联"
    return ""


@transaction.atomic
def do_link_agency(actor: Actor, agency: Agency, *, query: str) -> Agency:
    """关联社会组织: the agency's registered social organisation, found by its 统一社会信用代码 or
    exact name in the register; one deregistered, revoked or on the 严重违法失信名单 is refused."""
    actor.require(P.MANAGE_SOCIAL_WORK)
    check_division_in_scope(actor, agency.division_code)
    query = (query or "").strip()
    if not query:
        raise ValidationFailed({"query": "请填写统一社会信用代码或社会组织名称"})
    org = find_registered(credit_code=query, name=query)
    if org is None:
        raise ValidationFailed({"query": "社会组织登记中没有该统一社会信用代码或名称"})
    refusal = organisation_refusal(org)
    if refusal:
        raise ValidationFailed({"query": refusal})
    if Agency.objects.filter(organisation=org).exclude(pk=agency.pk).exists():
        raise ValidationFailed({"query": "该社会组织已关联其他社工服务机构"})
    agency.organisation = org
    agency.save(update_fields=["organisation"])
    _audit(actor, AuditAction.UPDATE, agency, "socialwork.agency", f"社工服务机构关联社会组织登记：{agency.name} → {org.name}（{org.credit_code}）")
    return agency


@transaction.atomic
def do_register_agency(actor: Actor, *, name: str, registration_no: str, division_code: str, registered_on: dt.date | None,
                       private: bool = True) -> Agency:  # fmt: skip
    actor.require(P.MANAGE_SOCIAL_WORK)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写机构名称"
    if not (registration_no or "").strip():
        errors["registration_no"] = "请填写登记证号（统一社会信用代码）"
    elif Agency.objects.filter(registration_no=registration_no.strip()).exists():
        errors["registration_no"] = "该登记证号的机构已登记"
    org = find_registered(credit_code=registration_no) if (registration_no or "").strip() else None
    if org is not None and "registration_no" not in errors and organisation_refusal(org):
        errors["registration_no"] = organisation_refusal(org)
    if registered_on is None:
        errors["registered_on"] = "请填写登记日期"
    elif registered_on > clock.today():
        errors["registered_on"] = "登记日期不能晚于今天"
    _division(actor, division_code, errors)
    if errors:
        raise ValidationFailed(errors)
    agency = Agency.objects.create(name=name.strip(), registration_no=registration_no.strip(), division_code=division_code,
                                   registered_on=registered_on, private=private, organisation=org)  # fmt: skip
    _audit(actor, AuditAction.CREATE, agency, "socialwork.agency", f"登记社工服务机构：{agency.name}")
    return agency


@transaction.atomic
def do_register_station(actor: Actor, *, level: str, name: str, division_code: str, premises_sqm: int | None,
                        opened_on: dt.date | None, address: str = "", agency: Agency | None = None) -> Station:  # fmt: skip
    actor.require(P.MANAGE_SOCIAL_WORK)
    errors: dict[str, str] = {}
    if level not in StationLevel.values:
        errors["level"] = "请选择站点层级"
    if not (name or "").strip():
        errors["name"] = "请填写站点名称"
    if premises_sqm is None or premises_sqm <= 0:
        errors["premises_sqm"] = "场地面积应为正整数（平方米）"
    if opened_on is None:
        errors["opened_on"] = "请填写建成运行日期"
    elif opened_on > clock.today():
        errors["opened_on"] = "建成运行日期不能晚于今天"
    _division(actor, division_code, errors)
    if "level" not in errors and "division_code" not in errors and len(division_code) != STATION_CODE_LENGTH[StationLevel(level)]:
        errors["division_code"] = {"centre": "区社会工作指导中心应设在区级", "town": "社会工作站应设在乡镇（街道）",
                                   "village": "社会工作室应设在村（社区）"}[level]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    station = Station.objects.create(level=level, name=name.strip(), division_code=division_code, premises_sqm=premises_sqm,
                                     opened_on=opened_on, address=address.strip(), agency=agency)  # fmt: skip
    _audit(actor, AuditAction.CREATE, station, "socialwork.station", f"登记{station.get_level_display()}：{station.name}")
    return station


# --- professionals -------------------------------------------------------------------------


def _validate_professional(data: dict, errors: dict) -> None:
    today = clock.today()
    if not (data.get("employer") or "").strip():
        errors["employer"] = "请填写工作单位"
    if not (data.get("post") or "").strip():
        errors["post"] = "请填写岗位"
    if data.get("education") not in Education.values:
        errors["education"] = "请选择学历"
    level = data.get("cert_level") or CertLevel.NONE
    year = data.get("cert_year")
    if level not in CertLevel.values:
        errors["cert_level"] = "请选择职业资格等级"
    elif level != CertLevel.NONE:
        if not (data.get("cert_number") or "").strip():
            errors["cert_number"] = "请填写职业资格证书编号"
        if year is None:
            errors["cert_year"] = "请填写取得证书年份"
        elif year > today.year:
            errors["cert_year"] = f"取得证书年份不能晚于今年（{today.year}年）"
        elif year < FIRST_CERT_YEAR:
            errors["cert_year"] = f"取得证书年份不能早于首次全国社会工作者职业水平考试（{FIRST_CERT_YEAR}年）"
    hours = data.get("training_hours")
    if hours is None or hours < 0:
        errors["training_hours"] = "培训学时不能为负数"
    joined = data.get("joined_on")
    if joined is None:
        errors["joined_on"] = "请填写入职日期"
    elif joined > today:
        errors["joined_on"] = "入职日期不能晚于今天"


@transaction.atomic
def do_register_professional(actor: Actor, *, person, division_code: str, employer: str, post: str, education: str,
                             cert_level: str = CertLevel.NONE, cert_number: str = "", cert_year: int | None = None,
                             training_hours: int | None = 0, joined_on: dt.date | None = None,
                             agency: Agency | None = None, station: Station | None = None) -> Professional:  # fmt: skip
    """入库: a person of the registry joins the talent register (one active entry a person)."""
    actor.require(P.MANAGE_SOCIAL_WORK)
    errors: dict[str, str] = {}
    if person is None:
        errors["person"] = "请从人口登记中选择人员"
    elif person.is_deceased:
        errors["person"] = "该人员已登记死亡"
    elif Professional.objects.filter(person=person, left_on__isnull=True).exists():
        errors["person"] = "该人员已在社会工作专业人才库中"
    _division(actor, division_code, errors)
    data = dict(employer=employer, post=post, education=education, cert_level=cert_level, cert_number=cert_number,
                cert_year=cert_year, training_hours=training_hours, joined_on=joined_on)  # fmt: skip
    _validate_professional(data, errors)
    if errors:
        raise ValidationFailed(errors)
    if cert_level == CertLevel.NONE:
        cert_number, cert_year = "", None
    pro = Professional.objects.create(
        person=person, division_code=division_code, employer=employer.strip(), post=post.strip(), education=education,
        cert_level=cert_level, cert_number=cert_number.strip(), cert_year=cert_year, training_hours=training_hours,
        joined_on=joined_on, agency=agency, station=station,
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, pro, "socialwork.professional", f"社会工作专业人才入库：{person.name}（{pro.get_cert_level_display()}）")
    return pro


@transaction.atomic
def do_record_leaving(actor: Actor, pro: Professional, *, left_on: dt.date | None, reason: str) -> Professional:
    actor.require(P.MANAGE_SOCIAL_WORK)
    errors: dict[str, str] = {}
    if pro.left_on is not None:
        raise DomainError("该人员已登记离职", code="already_left")
    if left_on is None:
        errors["left_on"] = "请填写离职日期"
    elif left_on > clock.today():
        errors["left_on"] = "离职日期不能晚于今天"
    elif left_on < pro.joined_on:
        errors["left_on"] = "离职日期不能早于入职日期"
    if not (reason or "").strip():
        errors["leave_reason"] = "请填写离职原因"
    if errors:
        raise ValidationFailed(errors)
    pro.left_on, pro.leave_reason = left_on, reason.strip()
    pro.save(update_fields=["left_on", "leave_reason"])
    _audit(actor, AuditAction.UPDATE, pro, "socialwork.professional", f"社会工作专业人才离职：{pro.person.name}")
    return pro


# --- purchased services ------------------------------------------------------------------------


def _next_number(division_code: str) -> str:
    year = clock.today().year
    n = Project.objects.filter(number__startswith=f"GM{year}").count() + 1
    return f"GM{year}{n:04d}"


@transaction.atomic
def do_create_project(actor: Actor, *, title: str, division_code: str, budget_fen: int | None, starts_on: dt.date | None,
                      ends_on: dt.date | None, target_groups: list[str], indicators: str = "") -> Project:  # fmt: skip
    """招标: the district or a town opens a project (its own division)."""
    actor.require(P.MANAGE_SOCIAL_WORK)
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "请填写项目名称"
    _division(actor, division_code, errors)
    if "division_code" not in errors and len(division_code) not in (6, 9):
        errors["division_code"] = "购买方应为区民政局或乡镇（街道）"
    if budget_fen is None or budget_fen <= 0:
        errors["budget_fen"] = "项目预算应大于0元"
    if starts_on is None:
        errors["starts_on"] = "请填写服务开始日期"
    if ends_on is None:
        errors["ends_on"] = "请填写服务结束日期"
    elif starts_on and ends_on <= starts_on:
        errors["ends_on"] = "服务结束日期应晚于开始日期"
    groups = [g for g in target_groups or [] if g]
    if not groups or any(g not in TargetGroup.values for g in groups):
        errors["target_groups"] = "请选择服务对象"
    if errors:
        raise ValidationFailed(errors)
    project = Project.objects.create(
        number=_next_number(division_code), title=title.strip(), division_code=division_code, budget_fen=budget_fen,
        starts_on=starts_on, ends_on=ends_on, target_groups=",".join(groups), indicators=indicators.strip(),
        status=ProjectStatus.TENDER, step_started_on=clock.today(),
    )  # fmt: skip
    record_event(actor, _wf(), project, action="create", label="发布招标", from_status="", to_status=ProjectStatus.TENDER)
    _audit(actor, AuditAction.CREATE, project, "socialwork.project", f"发布购买服务项目：{project.title}，预算{format_yuan(budget_fen)}元")
    return project


def _wf():
    return PROJECT_WORKFLOW


def do_contract_project(actor: Actor, project: Project, *, expected_version: int, agency: Agency | None) -> Project:
    def prepare(current, transition) -> Step:
        if agency is None:
            raise ValidationFailed({"agency": "请选择承接机构"})
        return Step(updates={"agency": agency}, reason=agency.name)

    return do_transition(actor, _wf(), project, "contract", expected_version=expected_version, prepare=prepare)


def do_start_project(actor: Actor, project: Project, *, expected_version: int) -> Project:
    return do_transition(actor, _wf(), project, "start", expected_version=expected_version)


def _score_step(score: int | None, on: dt.date | None, prefix: str, label: str, after: dt.date | None) -> Step:
    errors: dict[str, str] = {}
    if score is None or not 0 <= score <= 100:
        errors["score"] = f"{label}得分应为0至100的整数"
    if on is None:
        errors["evaluated_on"] = f"请填写{label}日期"
    elif on > clock.today():
        errors["evaluated_on"] = f"{label}日期不能晚于今天"
    elif after and on < after:
        errors["evaluated_on"] = f"{label}日期不能早于中期评估日期"
    if errors:
        raise ValidationFailed(errors)
    return Step(updates={f"{prefix}_score": score, f"{prefix}_on": on}, reason=f"得分{score}")


def do_evaluate_project(actor: Actor, project: Project, *, expected_version: int, stage: str, score: int | None,
                        evaluated_on: dt.date | None) -> Project:  # fmt: skip
    """中期评估 / 终期评估 with a score (0–100)."""
    if stage == "midterm":
        prepare = lambda current, t: _score_step(score, evaluated_on, "midterm", "中期评估", None)  # noqa: E731
    elif stage == "final":
        prepare = lambda current, t: _score_step(score, evaluated_on, "final", "终期评估", current.midterm_on)  # noqa: E731
    else:
        raise ValidationFailed({"stage": "请选择评估阶段"})
    return do_transition(actor, _wf(), project, stage, expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_record_service(actor: Actor, project: Project, *, kind: str, held_on: dt.date | None, people_served: int | None,
                      summary: str) -> ServiceRecord:  # fmt: skip
    actor.require(P.MANAGE_SOCIAL_WORK)
    check_division_in_scope(actor, project.division_code)
    errors: dict[str, str] = {}
    if project.status not in (ProjectStatus.IN_SERVICE, ProjectStatus.MIDTERM):
        raise DomainError("项目开始服务后方可登记服务记录", code="wrong_state")
    if kind not in ServiceKind.values:
        errors["kind"] = "请选择服务类型"
    if held_on is None:
        errors["held_on"] = "请填写服务日期"
    elif held_on > clock.today():
        errors["held_on"] = "服务日期不能晚于今天"
    elif not project.starts_on <= held_on <= project.ends_on:
        errors["held_on"] = "服务日期应在项目服务期内"
    if people_served is None or people_served <= 0:
        errors["people_served"] = "服务人数应为正整数"
    if not (summary or "").strip():
        errors["summary"] = "请填写服务内容"
    if errors:
        raise ValidationFailed(errors)
    record = ServiceRecord.objects.create(project=project, division_code=project.division_code, kind=kind, held_on=held_on,
                                          people_served=people_served, summary=summary.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, record, "socialwork.service", f"登记服务记录：{project.title} {record.get_kind_display()}{people_served}人")
    return record


@transaction.atomic
def do_propose_payment(actor: Actor, project: Project, *, milestone: str, amount_fen: int | None) -> Payment:
    """The maker: a milestone payment within the budget, awaiting another user's check."""
    actor.require(P.MANAGE_SOCIAL_WORK)
    check_division_in_scope(actor, project.division_code)
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, str] = {}
    if project.status in (ProjectStatus.TENDER,) or project.agency_id is None:
        raise DomainError("项目签约后方可拨付", code="wrong_state")
    if not (milestone or "").strip():
        errors["milestone"] = "请填写拨付节点"
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "拨付金额应大于0元"
    else:
        paid = sum(project.payments.values_list("amount_fen", flat=True))
        if paid + amount_fen > project.budget_fen:
            errors["amount_fen"] = f"累计拨付不能超过项目预算（已拨付及待复核{format_yuan(paid)}元，预算{format_yuan(project.budget_fen)}元）"
    if errors:
        raise ValidationFailed(errors)
    payment = Payment.objects.create(project=project, division_code=project.division_code, milestone=milestone.strip(),
                                     amount_fen=amount_fen, proposed_by_id=actor.user_id, proposed_on=clock.today())  # fmt: skip
    _audit(actor, AuditAction.CREATE, payment, "socialwork.payment", f"提出拨付：{project.title} {payment.milestone} {format_yuan(amount_fen)}元")
    return payment


@transaction.atomic
def do_approve_payment(actor: Actor, payment: Payment) -> Payment:
    """The checker: another user of the buyer's division (never the one who proposed it)."""
    actor.require(P.APPROVE_SERVICE_PAYMENTS)
    check_division_in_scope(actor, payment.division_code)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.PROPOSED:
        raise DomainError("该拨付已复核", code="wrong_state")
    if payment.proposed_by_id is not None and payment.proposed_by_id == actor.user_id:
        raise PermissionDenied("拨付须由提出人以外的人员复核")
    payment.status, payment.approved_by_id, payment.approved_on = PaymentStatus.APPROVED, actor.user_id, clock.today()
    payment.save(update_fields=["status", "approved_by", "approved_on"])
    _audit(actor, AuditAction.UPDATE, payment, "socialwork.payment",
           f"复核拨付：{payment.project.title} {payment.milestone} {format_yuan(payment.amount_fen)}元")  # fmt: skip
    return payment
