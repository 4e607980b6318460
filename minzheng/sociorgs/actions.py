"""Every write of the social-organisation line: a named, atomic, audited ``do_*`` action. A
refusal is a Chinese ``ValidationFailed({field: message})`` (or the kit's refusal) and writes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.cases.actions import Step, actor_name_of, do_transition, record_event
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.credit_code import credit_code_error, normalise_credit_code
from minzheng.core.district import district_code
from minzheng.core.errors import ValidationFailed
from minzheng.core.money import (
    format_yuan,
    read_typed_yuan,
    yuan_to_fen,
)
from minzheng.divisions.directory import get_directory
from minzheng.sociorgs.enums import (
    CREDIT_CODE_PREFIX,
    Authority,
    Grade,
    InspectionResult,
    ListKind,
    OrgStatus,
    OrgType,
    PartyStatus,
    PenaltyKind,
    PenaltyStatus,
    ProcedureKind,
    ProcedureStatus,
    RefusalGround,
    Sanction,
    Sector,
)
from minzheng.sociorgs.models import (
    AnnualInspection,
    Assessment,
    CreditListing,
    Organisation,
    OrganisationChange,
    PenaltyCase,
    Procedure,
    ProcedureDocument,
)
from minzheng.sociorgs.params import add_months, int_param, param
from minzheng.sociorgs.permissions import SociorgPerm
from minzheng.sociorgs.workflow import (
    DOCUMENT_LABELS,
    PENALTY_WORKFLOW,
    PROCEDURE_WORKFLOW,
    penalty_days,
)

REGISTER = SociorgPerm.REGISTER_SOCIORGS
SUPERVISE = SociorgPerm.SUPERVISE_SOCIORGS

# The registration items a 变更登记 may change, with their labels (the history's 事项).
CHANGEABLE = {
    "name": "名称",
    "sector": "行业类别",
    "division_code": "住所所在地",
    "address": "住所",
    "legal_representative": "法定代表人",
    "supervising_unit": "业务主管单位",
    "registered_capital_fen": "注册资金",
    "party_status": "党建情况",
}


def _audit(actor: Actor, action: str, object_type: str, obj, division_code: str, summary: str, **extra) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=division_code, summary=summary,
                       extra=extra or None)  # fmt: skip


def _domicile_error(code: str) -> str:
    if not code or not code.startswith(district_code()) or (code != district_code() and get_directory().get(code) is None):
        return "请选择住所所在的乡镇（街道）或村（社区）"
    return ""


def _check_credit_code(code: str, org_type: str, errors: dict[str, str], *, exclude: int | None = None) -> str:
    code = normalise_credit_code(code)
    message = credit_code_error(code)
    if not message and org_type in CREDIT_CODE_PREFIX and not code.startswith(CREDIT_CODE_PREFIX[org_type]):
        message = f"统一社会信用代码前两位应为“{CREDIT_CODE_PREFIX[org_type]}”（{OrgType(org_type).label}）"
    if not message:
        clash = Organisation.objects.filter(credit_code=code)
        if exclude:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            message = "该统一社会信用代码已登记"
    if message:
        errors["credit_code"] = message
    return code


def _validate_items(data: dict, errors: dict[str, str], *, partial: bool = False) -> dict:
    """The registration items (name, type, sector, domicile, representative, supervisor, capital,
    party-building) as stored: capital in integer fen. ``partial``: only the items given (变更)."""
    out: dict = {}

    def given(key: str) -> bool:
        return not partial or key in data

    if given("name"):
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = "请填写组织名称"
        elif any(word in name for word in ("中国", "全国", "中华")):
            errors["name"] = "区级登记的社会组织名称不得冠以“中国”“全国”“中华”等字样"
        out["name"] = name
    if not partial:
        org_type = data.get("org_type") or ""
        if org_type not in OrgType.values:
            errors["org_type"] = "请选择组织类型"
        out["org_type"] = org_type
    if given("sector"):
        if data.get("sector") not in Sector.values:
            errors["sector"] = "请选择行业类别"
        out["sector"] = data.get("sector") or ""
    if given("division_code"):
        code = (data.get("division_code") or "").strip()
        if message := _domicile_error(code):
            errors["division_code"] = message
        out["division_code"] = code
    if given("address"):
        out["address"] = (data.get("address") or "").strip()[:200]
    if given("legal_representative"):
        rep = (data.get("legal_representative") or "").strip()
        if not rep:
            errors["legal_representative"] = "请填写法定代表人姓名"
        out["legal_representative"] = rep
    if given("supervising_unit"):
        out["supervising_unit"] = (data.get("supervising_unit") or "").strip()[:100]
    if given("registered_capital_fen") or given("registered_capital"):
        if "registered_capital_fen" in data and data["registered_capital_fen"] not in (None, ""):
            fen = data["registered_capital_fen"]
            if not isinstance(fen, int) or isinstance(fen, bool) or fen < 0:
                errors["registered_capital"] = "注册资金不能为负数"
                fen = None
        else:
            fen = read_typed_yuan(data.get("registered_capital"), field="registered_capital", label="注册资金（元）", errors=errors)
        out["registered_capital_fen"] = fen
    if given("party_status"):
        if data.get("party_status") not in PartyStatus.values:
            errors["party_status"] = "请选择党建情况"
        out["party_status"] = data.get("party_status") or ""
    return out


def _min_funds_error(org_type: str, fen: int | None, on: dt.date) -> str:
    if org_type == OrgType.ASSOCIATION and fen is not None:
        minimum = yuan_to_fen(Decimal(param("procedure.association_min_funds", on).value))
        if fen < minimum:
            return f"社会团体的活动资金不得少于{format_yuan(minimum)}元"
    return ""


# =========================================================================== the register
@transaction.atomic
def do_register_organisation(
    actor: Actor, *, credit_code: str, registered_on: dt.date | None, authority: str = Authority.DISTRICT,
    certificate_no: str = "", **items,
) -> Organisation:
    """Enter an organisation already registered (the register's opening entries, a foundation
    registered by the municipality and domiciled here). New organisations come through 成立登记."""
    actor.require(REGISTER)
    errors: dict[str, str] = {}
    data = _validate_items(items, errors)
    code = _check_credit_code(credit_code, data.get("org_type", ""), errors)
    if registered_on is None:
        errors["registered_on"] = "请填写成立登记日期"
    elif registered_on > clock.today():
        errors["registered_on"] = "成立登记日期不能晚于今天"
    if authority not in Authority.values:
        errors["authority"] = "请选择登记管理机关"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, data["division_code"])
    org = Organisation.objects.create(credit_code=code, registered_on=registered_on, authority=authority,
                                      certificate_no=certificate_no.strip(), **data)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "sociorgs.organisation", org, org.division_code, f"录入社会组织：{org.name}（{code}）")
    return org


def _display(field: str, value) -> str:
    if field == "registered_capital_fen":
        return f"{format_yuan(value)}元" if value is not None else ""
    if field == "sector":
        return Sector(value).label if value in Sector.values else str(value or "")
    if field == "party_status":
        return PartyStatus(value).label if value in PartyStatus.values else str(value or "")
    if field == "division_code":
        return get_directory().name(value) if value else ""
    if field == "status":
        return OrgStatus(value).label
    return str(value or "")


def _apply(actor: Actor, org: Organisation, changes: dict, *, on: dt.date, source: str) -> list[OrganisationChange]:
    """Write changed items to the organisation and one history row per item."""
    rows = []
    for field, new in changes.items():
        old = getattr(org, field)
        if old == new:
            continue
        label = CHANGEABLE.get(field, {"status": "状态", "credit_code": "统一社会信用代码"}.get(field, field))
        rows.append(OrganisationChange(organisation=org, division_code=org.division_code if field != "division_code" else new,
                                       field=field, label=label, old_value=_display(field, old)[:200], new_value=_display(field, new)[:200],
                                       changed_on=on, source=source[:100], actor_name=actor_name_of(actor)))  # fmt: skip
        setattr(org, field, new)
    if rows:
        org.version += 1
        org.save()
        OrganisationChange.objects.filter(organisation=org).update(division_code=org.division_code)  # history follows the domicile
        OrganisationChange.objects.bulk_create(rows)
    return rows


# =========================================================================== procedures (cases)
def _next_number(prefix: str, model) -> str:
    year = clock.today().year
    head = f"{prefix}{year}"
    last = model.objects.filter(number__startswith=head).aggregate(m=Max("number"))["m"]
    n = int(last[len(head):]) + 1 if last else 1
    return f"{head}{n:04d}"


@transaction.atomic
def do_submit_procedure(
    actor: Actor, *, kind: str, data: dict | None = None, organisation: Organisation | None = None, submitted_on: dt.date | None = None,
) -> Procedure:
    """A 成立登记 (筹备申请 with the proposed items), 变更登记 (the items to change) or 注销登记."""
    actor.require(REGISTER)
    errors: dict[str, str] = {}
    data = dict(data or {})
    day = submitted_on or clock.today()
    if day > clock.today():
        errors["submitted_on"] = "申请日期不能晚于今天"
    if kind not in ProcedureKind.values:
        raise ValidationFailed({"kind": "请选择登记事项"})
    if kind == ProcedureKind.ESTABLISH:
        items = _validate_items(data, errors)
        if items.get("org_type") == OrgType.FOUNDATION:
            errors["org_type"] = "基金会由重庆市民政局或民政部登记，区民政局不受理基金会成立登记"
        if not errors and (message := _min_funds_error(items["org_type"], items["registered_capital_fen"], day)):
            errors["registered_capital"] = message
        if errors:
            raise ValidationFailed(errors)
        if Organisation.objects.filter(name=items["name"], status=OrgStatus.ACTIVE).exists():
            raise ValidationFailed({"name": "已有同名社会组织登记，请更换名称"})
        division, applicant, stored = items["division_code"], items["name"], items
    else:
        if organisation is None:
            raise ValidationFailed({"organisation": "请选择社会组织"})
        if organisation.status != OrgStatus.ACTIVE:
            raise ValidationFailed({"organisation": f"该社会组织{organisation.get_status_display()}，不能办理{ProcedureKind(kind).label}"})
        if organisation.authority != Authority.DISTRICT:
            raise ValidationFailed({"organisation": f"该组织由{organisation.get_authority_display()}登记，请向其登记管理机关申请"})
        if Procedure.objects.filter(organisation=organisation, status__in=[ProcedureStatus.SUBMITTED, ProcedureStatus.REVIEW]).exists():
            raise ValidationFailed({"organisation": "该社会组织已有办理中的登记申请"})
        stored = {}
        if kind == ProcedureKind.CHANGE:
            changes = {k: v for k, v in data.items() if k in CHANGEABLE or k == "registered_capital"}
            stored = _validate_items(changes, errors, partial=True)
            stored = {k: v for k, v in stored.items() if v != getattr(organisation, k)}
            if not stored and not errors:
                errors["changes"] = "请填写至少一项变更事项"
            if errors:
                raise ValidationFailed(errors)
            if "registered_capital_fen" in stored and (message := _min_funds_error(organisation.org_type, stored["registered_capital_fen"], day)):
                raise ValidationFailed({"registered_capital": message})
        elif errors:
            raise ValidationFailed(errors)
        division, applicant = organisation.division_code, organisation.name
    check_division_in_scope(actor, division)
    case = Procedure.objects.create(number=_next_number({"establish": "CL", "change": "BG", "deregister": "ZX"}[kind], Procedure),
                                    kind=kind, division_code=division, organisation=organisation, applicant=applicant, data=stored,
                                    submitted_on=day, created_by_id=actor.user_id)  # fmt: skip
    record_event(actor, PROCEDURE_WORKFLOW, case, action="create", label=ProcedureKind(kind).label, from_status="",
                 to_status=ProcedureStatus.SUBMITTED)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "sociorgs.procedure", case, division, f"登记申请：{case.get_kind_display()} {applicant}")
    return case


@transaction.atomic
def do_receive_document(actor: Actor, procedure: Procedure, *, kind: str, received_on: dt.date | None = None, note: str = "") -> ProcedureDocument:
    actor.require(REGISTER)
    if kind not in DOCUMENT_LABELS:
        raise ValidationFailed({"kind": "请选择材料"})
    if procedure.status in (ProcedureStatus.APPROVED, ProcedureStatus.REFUSED):
        raise ValidationFailed({"kind": "该登记申请已办结，不能再收取材料"})
    day = received_on or clock.today()
    if day > clock.today():
        raise ValidationFailed({"received_on": "收到日期不能晚于今天"})
    doc, created = ProcedureDocument.objects.get_or_create(procedure=procedure, kind=kind,
                                                           defaults={"division_code": procedure.division_code, "received_on": day, "note": note[:200]})  # fmt: skip
    if created:
        _audit(actor, AuditAction.UPDATE, "sociorgs.procedure", procedure, procedure.division_code, f"收取材料：{DOCUMENT_LABELS[kind]}（{procedure.number}）")
    return doc


def do_accept_procedure(actor: Actor, procedure: Procedure, *, expected_version: int) -> Procedure:
    target = ProcedureStatus.PREP_REVIEW if procedure.kind == ProcedureKind.ESTABLISH else ProcedureStatus.REVIEW
    return do_transition(actor, PROCEDURE_WORKFLOW, procedure, "accept", expected_version=expected_version, target=target)


def do_approve_preparation(actor: Actor, procedure: Procedure, *, expected_version: int, opinion: str = "") -> Procedure:
    return do_transition(actor, PROCEDURE_WORKFLOW, procedure, "approve_prep", expected_version=expected_version, reason=opinion)


def do_submit_registration(actor: Actor, procedure: Procedure, *, expected_version: int) -> Procedure:
    return do_transition(actor, PROCEDURE_WORKFLOW, procedure, "submit_registration", expected_version=expected_version)


@transaction.atomic
def do_refuse_procedure(actor: Actor, procedure: Procedure, *, expected_version: int, ground: str, detail: str) -> Procedure:
    """不予筹备 / 不予登记: the legal ground named, the reason written (the notice says both)."""

    def prepare(current, transition):
        if ground not in RefusalGround.values:
            raise ValidationFailed({"ground": "请选择不予登记的法定事由"})
        return Step(updates={"refusal_ground": ground, "refusal_detail": detail.strip()[:300], "decided_on": clock.today()},
                    reason=f"{RefusalGround(ground).label}：{detail.strip()}")  # fmt: skip

    return do_transition(actor, PROCEDURE_WORKFLOW, procedure, "refuse", expected_version=expected_version, reason=detail, prepare=prepare)


def _cert_seq(prefix: str) -> str:
    year = clock.today().year
    head = f"{prefix}〔{year}〕第"
    taken = Organisation.objects.filter(certificate_no__startswith=head).count()
    return f"{head}{taken + 1:03d}号"


@transaction.atomic
def do_approve_procedure(actor: Actor, procedure: Procedure, *, expected_version: int, credit_code: str = "") -> Procedure:
    """准予登记: 成立登记 creates the organisation (with the credit code given by the registry and
    a certificate number), 变更登记 writes the changes with their history, 注销登记 ends it."""
    today = clock.today()

    def prepare(current, transition):
        updates: dict = {"decided_on": today}
        if current.kind == ProcedureKind.ESTABLISH:
            errors: dict[str, str] = {}
            items = dict(current.data)
            code = _check_credit_code(credit_code, items["org_type"], errors)
            if errors:
                raise ValidationFailed(errors)
            cert = _cert_seq({"association": "涪社证字", "service": "涪民证字"}[items["org_type"]])
            org = Organisation.objects.create(credit_code=code, registered_on=today, certificate_no=cert, authority=Authority.DISTRICT, **items)
            OrganisationChange.objects.create(organisation=org, division_code=org.division_code, field="status", label="成立登记",
                                              old_value="", new_value=f"准予成立登记，证书{cert}", changed_on=today,
                                              source=current.number, actor_name=actor_name_of(actor))  # fmt: skip
            updates.update({"organisation_id": org.pk, "certificate_no": cert})
        else:
            org = Organisation.objects.select_for_update().get(pk=current.organisation_id)
            if current.kind == ProcedureKind.CHANGE:
                _apply(actor, org, dict(current.data), on=today, source=f"变更登记 {current.number}")
                updates["certificate_no"] = org.certificate_no
            else:
                _apply(actor, org, {"status": OrgStatus.DEREGISTERED, "ended_on": today}, on=today, source=f"注销登记 {current.number}")
        return Step(updates=updates)

    return do_transition(actor, PROCEDURE_WORKFLOW, procedure, "approve", expected_version=expected_version, prepare=prepare)


# =========================================================================== supervision
def _require_active(org: Organisation, field: str = "organisation") -> None:
    if org.status != OrgStatus.ACTIVE:
        raise ValidationFailed({field: f"该社会组织{org.get_status_display()}"})


@transaction.atomic
def do_record_inspection(actor: Actor, org: Organisation, *, year: int | None, result: str, submitted_on: dt.date | None = None,
                         note: str = "") -> AnnualInspection:  # fmt: skip
    """年检 of a year: organisations registered at least six months by 31 December of the year;
    one conclusion per year (合格 / 基本合格 / 不合格, or 未参加年检)."""
    actor.require(SUPERVISE)
    errors: dict[str, str] = {}
    today = clock.today()
    if not year or year < 2000 or year >= today.year + (1 if today.month > 1 else 0):
        errors["year"] = "请填写已结束的年检年度"
    elif org.registered_on > add_months(dt.date(year, 12, 31), -6):
        errors["year"] = f"该组织于{org.registered_on:%Y-%m-%d}成立，至{year}年末不满6个月，不参加{year}年度年检"
    if result not in InspectionResult.values:
        errors["result"] = "请选择年检结论"
    if submitted_on and submitted_on > today:
        errors["submitted_on"] = "报送日期不能晚于今天"
    if result != InspectionResult.MISSING and not submitted_on:
        errors["submitted_on"] = "请填写年检报告报送日期"
    if not errors and AnnualInspection.objects.filter(organisation=org, year=year).exists():
        errors["year"] = f"{year}年度年检结论已录入"
    if errors:
        raise ValidationFailed(errors)
    row = AnnualInspection.objects.create(organisation=org, division_code=org.division_code, year=year, result=result,
                                          submitted_on=submitted_on if result != InspectionResult.MISSING else None,
                                          note=note.strip()[:300], recorded_by_id=actor.user_id)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "sociorgs.inspection", row, org.division_code, f"年检：{org.name} {year}年度 {row.get_result_display()}")
    return row


@transaction.atomic
def do_record_assessment(actor: Actor, org: Organisation, *, grade: str, assessed_on: dt.date | None, score: int | None = None) -> Assessment:
    """评估等级 1A–5A, valid for the parameter's years (5) from the day it was conferred."""
    actor.require(SUPERVISE)
    _require_active(org)
    errors: dict[str, str] = {}
    if grade not in Grade.values:
        errors["grade"] = "请选择评估等级"
    if assessed_on is None:
        errors["assessed_on"] = "请填写评定日期"
    elif assessed_on > clock.today():
        errors["assessed_on"] = "评定日期不能晚于今天"
    elif assessed_on < add_months(org.registered_on, 24):
        errors["assessed_on"] = "成立登记满2年方可参加评估"
    if score is not None and not 0 <= score <= 1000:
        errors["score"] = "评估得分应在0至1000分之间"
    if errors:
        raise ValidationFailed(errors)
    years = int_param("supervision.assessment_valid_years", assessed_on)
    valid_until = add_months(assessed_on, 12 * years) - dt.timedelta(days=1)
    row = Assessment.objects.create(organisation=org, division_code=org.division_code, grade=grade, score=score, assessed_on=assessed_on,
                                    valid_until=valid_until, recorded_by_id=actor.user_id)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "sociorgs.assessment", row, org.division_code, f"评估等级：{org.name} {grade}（有效期至{valid_until}）")
    return row


@transaction.atomic
def do_list_organisation(actor: Actor, org: Organisation, *, kind: str, reason: str, listed_on: dt.date | None = None) -> CreditListing:
    actor.require(SUPERVISE)
    errors: dict[str, str] = {}
    if kind not in ListKind.values:
        errors["kind"] = "请选择名单"
    if not (reason or "").strip():
        errors["reason"] = "请填写列入事由"
    day = listed_on or clock.today()
    if day > clock.today():
        errors["listed_on"] = "列入日期不能晚于今天"
    if not errors and CreditListing.objects.filter(organisation=org, kind=kind, removed_on__isnull=True).exists():
        errors["kind"] = f"该组织已在{ListKind(kind).label}中"
    if errors:
        raise ValidationFailed(errors)
    row = CreditListing.objects.create(organisation=org, division_code=org.division_code, kind=kind, reason=reason.strip()[:300], listed_on=day)
    _audit(actor, AuditAction.CREATE, "sociorgs.listing", row, org.division_code, f"列入{row.get_kind_display()}：{org.name}")
    return row


@transaction.atomic
def do_remove_listing(actor: Actor, listing: CreditListing, *, reason: str, removed_on: dt.date | None = None) -> CreditListing:
    """移出: from the 严重违法失信名单 only after two years on it (令第60号)."""
    actor.require(SUPERVISE)
    day = removed_on or clock.today()
    errors: dict[str, str] = {}
    if listing.removed_on:
        errors["reason"] = "该记录已移出"
    if not (reason or "").strip():
        errors["reason"] = "请填写移出事由"
    if day > clock.today() or day < listing.listed_on:
        errors["removed_on"] = "移出日期应在列入日期之后且不晚于今天"
    elif listing.kind == ListKind.SERIOUS and day < add_months(listing.listed_on, 24):
        errors["removed_on"] = f"列入严重违法失信名单满2年（{add_months(listing.listed_on, 24):%Y-%m-%d}）后方可移出"
    if errors:
        raise ValidationFailed(errors)
    listing.removed_on, listing.removal_reason = day, reason.strip()[:300]
    listing.save(update_fields=["removed_on", "removal_reason"])
    _audit(actor, AuditAction.UPDATE, "sociorgs.listing", listing, listing.division_code, f"移出{listing.get_kind_display()}：{listing.organisation.name}")
    return listing


# =========================================================================== penalty and 取缔
@transaction.atomic
def do_file_penalty_case(actor: Actor, *, kind: str, facts: str, organisation: Organisation | None = None, subject_name: str = "",
                         division_code: str = "", filed_on: dt.date | None = None) -> PenaltyCase:  # fmt: skip
    """立案: against a registered organisation (行政处罚) or an unregistered body (取缔, where the
    conduct occurs). The case's limit runs from the day it is filed."""
    actor.require(SUPERVISE)
    errors: dict[str, str] = {}
    day = filed_on or clock.today()
    if kind not in PenaltyKind.values:
        errors["kind"] = "请选择案件类型"
    if not (facts or "").strip():
        errors["facts"] = "请填写违法事实"
    if day > clock.today():
        errors["filed_on"] = "立案日期不能晚于今天"
    if kind == PenaltyKind.PENALTY:
        if organisation is None:
            errors["organisation"] = "请选择被处罚的社会组织"
        else:
            subject_name, division_code = organisation.name, organisation.division_code
    elif kind == PenaltyKind.BAN:
        organisation = None
        if not (subject_name or "").strip():
            errors["subject_name"] = "请填写非法社会组织名称"
        if message := _domicile_error(division_code or ""):
            errors["division_code"] = "请选择违法行为发生地"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    deadline = day + dt.timedelta(days=penalty_days(day))
    case = PenaltyCase.objects.create(number=_next_number("ZF", PenaltyCase), kind=kind, organisation=organisation,
                                      subject_name=subject_name.strip(), division_code=division_code, facts=facts.strip(),
                                      filed_on=day, deadline_on=deadline, step_started_on=day)  # fmt: skip
    record_event(actor, PENALTY_WORKFLOW, case, action="create", label="立案", from_status="", to_status=PenaltyStatus.FILED)
    _audit(actor, AuditAction.CREATE, "sociorgs.penalty", case, division_code, f"立案：{case.get_kind_display()} {case.subject_name}")
    return case


def do_investigate(actor: Actor, case: PenaltyCase, *, expected_version: int, findings: str = "") -> PenaltyCase:
    return do_transition(actor, PENALTY_WORKFLOW, case, "investigate", expected_version=expected_version, reason=findings)


def do_notify(actor: Actor, case: PenaltyCase, *, expected_version: int, findings: str) -> PenaltyCase:
    """告知: the findings of the investigation and the intended decision told to the party."""

    def prepare(current, transition):
        if not (findings or "").strip():
            raise ValidationFailed({"findings": "请填写调查结论和拟作出的处理"})
        return Step(updates={"findings": findings.strip(), "notified_on": clock.today()})

    return do_transition(actor, PENALTY_WORKFLOW, case, "notify", expected_version=expected_version, prepare=prepare)


def do_decide(actor: Actor, case: PenaltyCase, *, expected_version: int, sanction: str, decision_no: str, fine_yuan=None) -> PenaltyCase:
    """决定, once the party's period to state its case after 告知 has run (取缔 decides 取缔 or
    no action; a penalty decides 警告、罚款、限期停止活动、撤销登记 or 不予处罚)."""
    today = clock.today()

    def prepare(current, transition):
        errors: dict[str, str] = {}
        allowed = (Sanction.BAN, Sanction.NONE) if current.kind == PenaltyKind.BAN else (
            Sanction.WARNING, Sanction.FINE, Sanction.SUSPEND, Sanction.REVOKE, Sanction.NONE)
        if sanction not in allowed:
            errors["sanction"] = "请选择处理决定"
        fine = read_typed_yuan(fine_yuan, field="fine", label="罚款金额（元）", errors=errors, required=sanction == Sanction.FINE) or 0
        if sanction == Sanction.FINE and not errors and fine <= 0:
            errors["fine"] = "罚款金额应大于0"
        if not (decision_no or "").strip():
            errors["decision_no"] = "请填写决定书文号"
        wait = int_param("supervision.notice_days", current.notified_on)
        if current.notified_on and today <= current.notified_on + dt.timedelta(days=wait):
            errors["sanction"] = f"告知后{wait}日陈述、申辩期未满（{current.notified_on + dt.timedelta(days=wait):%Y-%m-%d}届满），暂不能作出决定"
        if errors:
            raise ValidationFailed(errors)
        return Step(updates={"sanction": sanction, "fine_fen": fine if sanction == Sanction.FINE else 0, "decision_no": decision_no.strip(),
                             "decided_on": today}, reason=Sanction(sanction).label)  # fmt: skip

    return do_transition(actor, PENALTY_WORKFLOW, case, "decide", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_execute(actor: Actor, case: PenaltyCase, *, expected_version: int) -> PenaltyCase:
    """执行完毕: a revocation ends the organisation's registration (with its history); a fine of
    50,000 yuan or more lists it on the 严重违法失信名单, a warning or smaller fine on the
    活动异常名录 (令第60号)."""
    today = clock.today()

    def prepare(current, transition):
        org = current.organisation
        if org is not None:
            if current.sanction == Sanction.REVOKE:
                _apply(actor, org, {"status": OrgStatus.REVOKED, "ended_on": today}, on=today, source=f"撤销登记 {current.decision_no}")
            kind = None
            if current.sanction in (Sanction.REVOKE, Sanction.SUSPEND) or (current.sanction == Sanction.FINE and current.fine_fen >= 5_000_000):
                kind = ListKind.SERIOUS
            elif current.sanction in (Sanction.WARNING, Sanction.FINE):
                kind = ListKind.ABNORMAL
            if kind and not CreditListing.objects.filter(organisation=org, kind=kind, removed_on__isnull=True).exists():
                CreditListing.objects.create(organisation=org, division_code=org.division_code, kind=kind, listed_on=today,
                                             reason=f"受到行政处罚：{current.get_sanction_display()}（{current.decision_no}）")  # fmt: skip
        return Step(updates={"executed_on": today})

    return do_transition(actor, PENALTY_WORKFLOW, case, "execute", expected_version=expected_version, prepare=prepare)


def do_drop_case(actor: Actor, case: PenaltyCase, *, expected_version: int, reason: str) -> PenaltyCase:
    return do_transition(actor, PENALTY_WORKFLOW, case, "drop", expected_version=expected_version, reason=reason)
