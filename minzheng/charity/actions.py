"""Every write of the charity line: named, atomic, audited ``do_*`` actions; a refusal is a
Chinese ``ValidationFailed({field: message})`` and writes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.charity import rules
from minzheng.charity.enums import CharityStatus, DonorKind, DutyKind
from minzheng.charity.models import (
    Campaign,
    Charity,
    DisclosureDuty,
    Donation,
    FundraisingQualification,
    Project,
    Spending,
    Trust,
)
from minzheng.charity.permissions import CharityPerm
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import ValidationFailed
from minzheng.core.money import (
    format_yuan,
    read_typed_yuan,
)
from minzheng.core.periods import add_months
from minzheng.divisions.directory import get_directory
from minzheng.sociorgs.selectors import is_listed

MANAGE = CharityPerm.MANAGE_CHARITY


def _audit(actor: Actor, action: str, object_type: str, obj, division_code: str, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=division_code, summary=summary)


def _not_future(day: dt.date | None, field: str, label: str, errors: dict[str, str]) -> None:
    if day is None:
        errors[field] = f"请填写{label}"
    elif day > clock.today():
        errors[field] = f"{label}不能晚于今天"


@transaction.atomic
def do_recognise_charity(actor: Actor, organisation, *, applied_on: dt.date | None, recognised_on: dt.date | None,
                         decision_no: str) -> Charity:  # fmt: skip
    """认定 an organisation of the register as a 慈善组织: refused while it is on the 活动异常名录
    or the 严重违法失信名单 (民政部令第73号), or when it is not in operation."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    _not_future(applied_on, "applied_on", "申请日期", errors)
    _not_future(recognised_on, "recognised_on", "认定日期", errors)
    if applied_on and recognised_on and recognised_on < applied_on:
        errors["recognised_on"] = "认定日期不能早于申请日期"
    if not (decision_no or "").strip():
        errors["decision_no"] = "请填写认定文号"
    if organisation.status != "active":
        errors["organisation"] = "该社会组织已注销或被撤销登记，不能认定为慈善组织"
    elif listed := is_listed(organisation.pk):
        errors["organisation"] = f"该组织在{listed}中，不予认定为慈善组织"
    elif Charity.objects.filter(organisation_id=organisation.pk).exists():
        errors["organisation"] = "该组织已认定为慈善组织"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, organisation.division_code)
    charity = Charity.objects.create(organisation_id=organisation.pk, division_code=organisation.division_code, name=organisation.name,
                                     applied_on=applied_on, recognised_on=recognised_on, decision_no=decision_no.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.charity", charity, charity.division_code, f"认定慈善组织：{charity.name}（{charity.decision_no}）")
    return charity


@transaction.atomic
def do_grant_qualification(actor: Actor, charity: Charity, *, granted_on: dt.date | None, valid_until: dt.date | None,
                           certificate_no: str) -> FundraisingQualification:  # fmt: skip
    """公开募捐资格: a charity of at least one year (民政部令第74号), with the validity on its certificate."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    _not_future(granted_on, "granted_on", "取得日期", errors)
    if granted_on and granted_on < add_months(charity.recognised_on, 12 * rules.QUALIFICATION_MIN_YEARS):
        errors["granted_on"] = f"认定为慈善组织满1年（{add_months(charity.recognised_on, 12):%Y-%m-%d}）后方可取得公开募捐资格"
    if valid_until is None or (granted_on and valid_until <= granted_on):
        errors["valid_until"] = "请填写有效期（晚于取得日期）"
    if not (certificate_no or "").strip():
        errors["certificate_no"] = "请填写证书编号"
    if errors:
        raise ValidationFailed(errors)
    row = FundraisingQualification.objects.create(charity=charity, division_code=charity.division_code, granted_on=granted_on,
                                                  valid_until=valid_until, certificate_no=certificate_no.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.qualification", row, charity.division_code, f"公开募捐资格：{charity.name} 至{valid_until}")
    return row


def qualified_on(charity: Charity, day: dt.date) -> bool:
    return charity.qualifications.filter(granted_on__lte=day, valid_until__gte=day).exists()


@transaction.atomic
def do_file_campaign(actor: Actor, charity: Charity, *, name: str, filed_on: dt.date | None, starts_on: dt.date | None,
                     ends_on: dt.date | None, emergency: bool = False, target_yuan=None) -> Campaign:  # fmt: skip
    """A fundraising plan filed 10 days before it starts (an emergency one within 10 days after);
    the organiser must hold a valid qualification. Files its disclosure duties."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写募捐活动名称"
    _not_future(filed_on, "filed_on", "备案日期", errors)
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期"
    if ends_on is None or (starts_on and ends_on < starts_on):
        errors["ends_on"] = "请填写结束日期（不早于开始日期）"
    target = read_typed_yuan(target_yuan, field="target", label="募捐目标（元）", errors=errors, required=False, missing=0)
    if filed_on and starts_on:
        if emergency and filed_on > starts_on + dt.timedelta(days=rules.CAMPAIGN_FILING_DAYS):
            errors["filed_on"] = f"应急募捐应在开始后{rules.CAMPAIGN_FILING_DAYS}日内备案（{starts_on + dt.timedelta(days=rules.CAMPAIGN_FILING_DAYS):%Y-%m-%d}前）"
        elif not emergency and filed_on > starts_on - dt.timedelta(days=rules.CAMPAIGN_FILING_DAYS):
            errors["filed_on"] = f"募捐方案应在开始前{rules.CAMPAIGN_FILING_DAYS}日备案（{starts_on - dt.timedelta(days=rules.CAMPAIGN_FILING_DAYS):%Y-%m-%d}前）"
        if not qualified_on(charity, starts_on):
            errors["starts_on"] = "该慈善组织在开始日期没有有效的公开募捐资格"
    if errors:
        raise ValidationFailed(errors)
    campaign = Campaign.objects.create(charity=charity, division_code=charity.division_code, name=name.strip(), filed_on=filed_on,
                                       starts_on=starts_on, ends_on=ends_on, emergency=emergency, target_fen=target)  # fmt: skip
    duties = []
    if add_months(starts_on, rules.LONG_CAMPAIGN_MONTHS) < ends_on:
        due = add_months(starts_on, rules.PROGRESS_MONTHS)
        while due < ends_on:
            duties.append((DutyKind.CAMPAIGN_PROGRESS, f"{campaign.name} 进展公开（截至{due:%Y-%m-%d}）", due))
            due = add_months(due, rules.PROGRESS_MONTHS)
    duties.append((DutyKind.CAMPAIGN_FINAL, f"{campaign.name} 结束后全面公开", add_months(ends_on, rules.FINAL_REPORT_MONTHS)))
    DisclosureDuty.objects.bulk_create([DisclosureDuty(charity=charity, campaign=campaign, division_code=charity.division_code, kind=k,
                                                       title=t, due_on=d) for k, t, d in duties])  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.campaign", campaign, charity.division_code, f"募捐方案备案：{charity.name} {campaign.name}")
    return campaign


@transaction.atomic
def do_record_donation(actor: Actor, charity: Charity, *, received_on: dt.date | None, donor_kind: str, donor_name: str = "",
                       amount_yuan=None, in_kind_yuan=None, in_kind_description: str = "", receipt_no: str = "",
                       receipt_declined: bool = False, campaign: Campaign | None = None) -> Donation:  # fmt: skip
    """A donation received: cash and/or goods at their value, the receipt number (unique) unless
    the donor declined one; an anonymous donor has no name recorded."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    _not_future(received_on, "received_on", "接受日期", errors)
    if donor_kind not in DonorKind.values:
        errors["donor_kind"] = "请选择捐赠人类型"
    donor_name = (donor_name or "").strip()
    if donor_kind and donor_kind != DonorKind.ANONYMOUS and not donor_name:
        errors["donor_name"] = "请填写捐赠人名称（匿名捐赠请选择“匿名”）"
    amount = read_typed_yuan(amount_yuan, field="amount", label="货币捐赠金额（元）", errors=errors, required=False, missing=0)
    goods = read_typed_yuan(in_kind_yuan, field="in_kind_value", label="物资折价（元）", errors=errors, required=False, missing=0)
    if not errors and amount + goods == 0:
        errors["amount"] = "请填写货币捐赠金额或物资折价"
    if goods and not (in_kind_description or "").strip():
        errors["in_kind_description"] = "请填写捐赠物资名称和数量"
    receipt_no = (receipt_no or "").strip()
    if not receipt_no and not receipt_declined:
        errors["receipt_no"] = "请填写捐赠票据号（捐赠人不要票据的请勾选）"
    elif receipt_no and Donation.objects.filter(receipt_no=receipt_no).exists():
        errors["receipt_no"] = f"捐赠票据号“{receipt_no}”已使用"
    if campaign is not None:
        if campaign.charity_id != charity.pk:
            errors["campaign"] = "所选募捐活动不属于该慈善组织"
        elif received_on and not campaign.starts_on <= received_on <= campaign.ends_on:
            errors["received_on"] = f"接受日期不在募捐活动期间（{campaign.starts_on}至{campaign.ends_on}）"
    if charity.status != CharityStatus.ACTIVE:
        errors["charity"] = "该慈善组织已终止"
    if errors:
        raise ValidationFailed(errors)
    row = Donation.objects.create(charity=charity, campaign=campaign, division_code=charity.division_code, received_on=received_on,
                                  donor_kind=donor_kind, donor_name="" if donor_kind == DonorKind.ANONYMOUS else donor_name,
                                  amount_fen=amount, in_kind_value_fen=goods, in_kind_description=(in_kind_description or "").strip()[:200],
                                  receipt_no=receipt_no, receipt_declined=receipt_declined and not receipt_no)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.donation", row, charity.division_code,
           f"接受捐赠：{charity.name} {format_yuan(amount + goods)}元（票据{receipt_no or '无'}）")
    return row


@transaction.atomic
def do_add_project(actor: Actor, charity: Charity, *, name: str, starts_on: dt.date | None, ends_on: dt.date | None = None,
                   budget_yuan=None) -> Project:  # fmt: skip
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写项目名称"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期"
    if ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    budget = read_typed_yuan(budget_yuan, field="budget", label="项目预算（元）", errors=errors, required=False, missing=0)
    if errors:
        raise ValidationFailed(errors)
    row = Project.objects.create(charity=charity, division_code=charity.division_code, name=name.strip(), starts_on=starts_on,
                                 ends_on=ends_on, budget_fen=budget)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.project", row, charity.division_code, f"慈善项目：{charity.name} {row.name}")
    return row


@transaction.atomic
def do_record_spending(actor: Actor, project: Project, *, spent_on: dt.date | None, amount_yuan, purpose: str) -> Spending:
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    _not_future(spent_on, "spent_on", "支出日期", errors)
    amount = read_typed_yuan(amount_yuan, field="amount", label="支出金额（元）", errors=errors, missing=0)
    if not errors.get("amount") and amount == 0:
        errors["amount"] = "支出金额应大于0"
    if not (purpose or "").strip():
        errors["purpose"] = "请填写用途"
    if errors:
        raise ValidationFailed(errors)
    row = Spending.objects.create(project=project, division_code=project.division_code, spent_on=spent_on, amount_fen=amount,
                                  purpose=purpose.strip()[:200])  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.spending", row, project.division_code, f"项目支出：{project.name} {format_yuan(amount)}元")
    return row


@transaction.atomic
def do_file_trust(actor: Actor, *, name: str, trustee: str, settlor: str, signed_on: dt.date | None, filed_on: dt.date | None,
                  property_yuan, purpose: str, division_code: str = "") -> Trust:  # fmt: skip
    """慈善信托备案: filed within 7 days of signing (a later filing is refused: the trustee must
    explain to the bureau outside the platform)."""
    actor.require(MANAGE)
    division_code = division_code or district_code()
    errors: dict[str, str] = {}
    for field, label, value in (("name", "信托名称", name), ("trustee", "受托人", trustee), ("settlor", "委托人", settlor), ("purpose", "信托目的", purpose)):
        if not (value or "").strip():
            errors[field] = f"请填写{label}"
    _not_future(signed_on, "signed_on", "合同签订日期", errors)
    _not_future(filed_on, "filed_on", "备案日期", errors)
    if signed_on and filed_on and not signed_on <= filed_on <= signed_on + dt.timedelta(days=rules.TRUST_FILING_DAYS):
        errors["filed_on"] = f"慈善信托应自合同签订之日起{rules.TRUST_FILING_DAYS}日内备案（{signed_on + dt.timedelta(days=rules.TRUST_FILING_DAYS):%Y-%m-%d}前）"
    prop = read_typed_yuan(property_yuan, field="property", label="信托财产（元）", errors=errors, missing=0)
    if division_code != district_code() and get_directory().get(division_code) is None:
        errors["division_code"] = "请选择受托人住所所在地"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    row = Trust.objects.create(name=name.strip(), trustee=trustee.strip(), settlor=settlor.strip(), signed_on=signed_on, filed_on=filed_on,
                               property_fen=prop, purpose=purpose.strip()[:200], division_code=division_code)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "charity.trust", row, division_code, f"慈善信托备案：{row.name}")
    return row


@transaction.atomic
def do_open_annual_duties(actor: Actor, *, year: int) -> int:
    """The annual duties of every charity in operation for reports on ``year``: work and
    financial reports, and the related-party list, by 31 May of the next year. Idempotent."""
    actor.require(MANAGE)
    due = rules.annual_due(year)
    made = 0
    for charity in Charity.objects.visible_to(actor).filter(status=CharityStatus.ACTIVE, recognised_on__lte=dt.date(year, 12, 31)):
        for kind in (DutyKind.ANNUAL_REPORT, DutyKind.RELATED_PARTIES):
            _, created = DisclosureDuty.objects.get_or_create(
                charity=charity, trust=None, campaign=None, kind=kind, due_on=due,
                defaults={"division_code": charity.division_code, "title": f"{year}年度{DutyKind(kind).label}"},
            )  # fmt: skip
            made += created
    record_audit_event(actor, AuditAction.CREATE, object_type="charity.duty", object_id="", division_code=district_code(),
                       summary=f"生成{year}年度慈善组织信息公开事项 {made} 项")  # fmt: skip
    return made


@transaction.atomic
def do_complete_duty(actor: Actor, duty: DisclosureDuty, *, done_on: dt.date | None) -> DisclosureDuty:
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    _not_future(done_on, "done_on", "公开日期", errors)
    if duty.done_on:
        errors["done_on"] = "该事项已公开"
    if errors:
        raise ValidationFailed(errors)
    duty.done_on = done_on
    duty.save(update_fields=["done_on"])
    _audit(actor, AuditAction.UPDATE, "charity.duty", duty, duty.division_code, f"信息公开：{duty.title}（{done_on}）")
    return duty
