"""Every write of the welfare-lottery line: a named, atomic, audited ``do_*`` action. A refusal
is a Chinese ``ValidationFailed({field: message})`` (or the kit's refusal) and writes nothing.
Outlets, inspections, sales and 公益金 are the district's work (``lottery.manage``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.cases.actions import Step, do_transition, record_event
from minzheng.cases.workflow import Stale
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DuplicateValue, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.money import format_yuan
from minzheng.core.periods import month_end, period_of
from minzheng.divisions.directory import get_directory
from minzheng.lottery.enums import FundArea, InspectionStatus, OutletKind, OutletStatus
from minzheng.lottery.models import (
    FundProject,
    FundYear,
    MonthlySales,
    Outlet,
    OutletInspection,
)
from minzheng.lottery.permissions import LotteryPerm
from minzheng.lottery.workflow import INSPECTION_WORKFLOW
from minzheng.registry.selectors import find_person_by_id_number

MANAGE = LotteryPerm.MANAGE_LOTTERY


def _audit(actor: Actor, action: str, object_type: str, obj, division_code: str, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=division_code, summary=summary)


def _date(value: dt.date | None, field: str, label: str, errors: dict[str, str], *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[field] = f"请填写{label}"
    elif value > clock.today():
        errors[field] = f"{label}不能晚于今天"


def _coordinate(value, field: str, label: str, low: int, high: int, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为数字"
        return None
    if not low <= d <= high:
        errors[field] = f"{label}超出范围"
    return d


# =========================================================================== outlets
@transaction.atomic
def do_register_outlet(
    actor: Actor,
    *,
    licence_no: str,
    name: str,
    kind: str,
    division_code: str,
    address: str,
    opened_on: dt.date | None,
    operator_person=None,
    operator_name: str = "",
    operator_id_number: str = "",
    closed_on: dt.date | None = None,
    lon=None,
    lat=None,
) -> Outlet:
    """A 投注站 of the register: licence number, village and point, operator (a person of the
    registry, or a named operator with an ID number kept masked only), opening (and, for an
    outlet registered after the fact, closing) date."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    licence_no = (licence_no or "").strip()
    if not licence_no:
        errors["licence_no"] = "请填写投注站编号"
    elif len(licence_no) > 20:
        errors["licence_no"] = "投注站编号不能超过20个字符"
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写投注站名称"
    if kind not in OutletKind.values:
        errors["kind"] = "请选择投注站类型"
    division = get_directory().get(division_code or "")
    if division is None or len(division_code) != 12:
        errors["division_code"] = "请选择所在村（社区）"
    if not (address or "").strip():
        errors["address"] = "请填写地址"
    _date(opened_on, "opened_on", "开业日期", errors)
    _date(closed_on, "closed_on", "关闭日期", errors, required=False)
    if opened_on and closed_on and closed_on < opened_on:
        errors["closed_on"] = "关闭日期不能早于开业日期"
    lon_d = _coordinate(lon, "lon", "经度", -180, 180, errors)
    lat_d = _coordinate(lat, "lat", "纬度", -90, 90, errors)
    if (lon_d is None) != (lat_d is None) and "lon" not in errors and "lat" not in errors:
        errors["lon" if lon_d is None else "lat"] = "经度和纬度应同时填写"
    masked = ""
    if operator_person is not None:
        operator_name, masked = operator_person.name, operator_person.id_number_masked
    else:
        operator_name = (operator_name or "").strip()
        if not (operator_id_number or "").strip():
            errors["operator_id_number"] = "请填写业主身份证号码"
        else:
            try:
                number = parse_id_number(operator_id_number).value
            except InvalidIdNumber as e:
                errors["operator_id_number"] = e.message
            else:
                masked = mask_id_number(number)
                # An operator who is in the registry is linked to the person, under the registry's name.
                person = find_person_by_id_number(actor, number)
                if person is not None and operator_name and operator_name != person.name:
                    errors["operator_name"] = "业主姓名与人口库登记的姓名不一致，请核对"
                elif person is not None:
                    operator_person, operator_name = person, person.name
        if not operator_name and "operator_name" not in errors:
            errors["operator_name"] = "请填写业主姓名"
    if errors:
        raise ValidationFailed(errors)
    if Outlet.objects.filter(licence_no=licence_no).exists():
        raise DuplicateValue({"licence_no": f"投注站编号“{licence_no}”已登记"})
    check_division_in_scope(actor, division_code)
    outlet = Outlet.objects.create(
        licence_no=licence_no, name=name[:100], kind=kind, division_code=division_code, address=address.strip()[:200],
        lon=lon_d, lat=lat_d, operator_person=operator_person, operator_name=operator_name[:60], operator_id_masked=masked,
        opened_on=opened_on, closed_on=closed_on, status=OutletStatus.CLOSED if closed_on else OutletStatus.OPEN,
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, "lottery.outlet", outlet, division_code, f"登记福彩投注站：{licence_no} {outlet.name}")
    return outlet


@transaction.atomic
def do_close_outlet(actor: Actor, outlet: Outlet, *, expected_version: int, closed_on: dt.date | None, reason: str) -> Outlet:
    """An outlet stops selling (contract ended, cancelled): from the closing date it no longer
    counts for indicator 5."""
    actor.require(MANAGE)
    check_division_in_scope(actor, outlet.division_code)
    current = Outlet.objects.select_for_update().get(pk=outlet.pk)
    if current.version != expected_version:
        raise Stale("投注站")
    errors: dict[str, str] = {}
    if current.status == OutletStatus.CLOSED:
        errors["closed_on"] = "该投注站已关闭"
    _date(closed_on, "closed_on", "关闭日期", errors)
    if closed_on and closed_on < current.opened_on:
        errors["closed_on"] = "关闭日期不能早于开业日期"
    if closed_on and "closed_on" not in errors:
        later = MonthlySales.objects.filter(outlet=current, month__gt=closed_on).order_by("month").first()
        if later is not None:
            errors["closed_on"] = f"该投注站{period_of(later.month)}仍有销售额，关闭日期不能早于该月"
    if not (reason or "").strip():
        errors["reason"] = "请填写关闭原因"
    if errors:
        raise ValidationFailed(errors)
    Outlet.objects.filter(pk=current.pk).update(
        closed_on=closed_on, closing_reason=reason.strip()[:200], status=OutletStatus.CLOSED, version=F("version") + 1
    )
    current.refresh_from_db()
    _audit(actor, AuditAction.UPDATE, "lottery.outlet", current, current.division_code,
           f"福彩投注站关闭：{current.licence_no}，{closed_on:%Y-%m-%d}，{current.closing_reason}")  # fmt: skip
    return current


# =========================================================================== inspections
@transaction.atomic
def do_record_inspection(
    actor: Actor, outlet: Outlet, *, inspected_on: dt.date | None, findings: str = "", deadline_on: dt.date | None = None
) -> OutletInspection:
    """An inspection: no findings → 未发现问题; findings → 整改中 with the inspector's deadline,
    on the workbench until 整改销号."""
    actor.require(MANAGE)
    check_division_in_scope(actor, outlet.division_code)
    errors: dict[str, str] = {}
    _date(inspected_on, "inspected_on", "检查日期", errors)
    if inspected_on and inspected_on < outlet.opened_on:
        errors["inspected_on"] = "检查日期不能早于开业日期"
    findings = (findings or "").strip()
    if findings:
        if deadline_on is None:
            errors["deadline_on"] = "发现问题时请填写整改期限"
        elif inspected_on and deadline_on <= inspected_on:
            errors["deadline_on"] = "整改期限应晚于检查日期"
    elif deadline_on is not None:
        errors["findings"] = "填写了整改期限，请填写发现的问题"
    if errors:
        raise ValidationFailed(errors)
    status = InspectionStatus.RECTIFYING if findings else InspectionStatus.PASSED
    inspection = OutletInspection.objects.create(
        outlet=outlet, division_code=outlet.division_code, status=status, inspected_on=inspected_on, findings=findings[:1000],
        step_started_on=inspected_on, deadline_on=deadline_on if findings else None,
    )  # fmt: skip
    reason = f"整改期限 {deadline_on:%Y-%m-%d}" if findings else "未发现问题"
    record_event(actor, INSPECTION_WORKFLOW, inspection, action="create", label="检查登记", from_status="",
                 to_status=status, reason=reason)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "lottery.inspection", inspection, outlet.division_code,
           f"投注站检查：{outlet.licence_no}，{reason}")  # fmt: skip
    return inspection


@transaction.atomic
def do_close_inspection(actor: Actor, inspection: OutletInspection, *, expected_version: int, rectification: str) -> OutletInspection:
    def prepare(current, transition) -> Step:
        if not (rectification or "").strip():
            raise ValidationFailed({"rectification": "请填写整改情况"})
        return Step(updates={"rectification": rectification.strip()[:1000]}, reason=rectification.strip()[:200])

    return do_transition(actor, INSPECTION_WORKFLOW, inspection, "close", expected_version=expected_version, prepare=prepare)


# =========================================================================== sales
def outlet_open_in(outlet: Outlet, month: dt.date) -> bool:
    """Open on at least one day of the month."""
    return outlet.opened_on <= month_end(month) and (outlet.closed_on is None or outlet.closed_on >= month)


def validate_sales(outlet: Outlet | None, month: dt.date | None, sales_fen: int | None) -> dict[str, str]:
    """The row's checks, shared by the action and the import's preview: {field: message}."""
    errors: dict[str, str] = {}
    if outlet is None:
        errors["licence_no"] = "请填写投注站编号"
    if month is None:
        errors["month"] = "请填写销售月份"
    elif month.replace(day=1) > clock.today().replace(day=1):
        errors["month"] = "销售月份不能晚于本月"
    if sales_fen is None:
        errors["sales"] = "请填写销售额"
    elif sales_fen < 0:
        errors["sales"] = "销售额不能为负数"
    if outlet is not None and month is not None and "month" not in errors:
        month = month.replace(day=1)
        if not outlet_open_in(outlet, month):
            errors["month"] = f"投注站{outlet.licence_no}在{period_of(month)}未营业（开业{outlet.opened_on:%Y-%m-%d}" + (
                f"，关闭{outlet.closed_on:%Y-%m-%d}）" if outlet.closed_on else "）"
            )
        elif MonthlySales.objects.filter(outlet=outlet, month=month).exists():
            errors["month"] = f"投注站{outlet.licence_no}的{period_of(month)}销售额已导入，不能重复导入"
    return errors


@transaction.atomic
def do_record_sales(actor: Actor, outlet: Outlet, *, month: dt.date, sales_fen: int, batch_id: int | None = None) -> MonthlySales:
    """One outlet's sales of one month (a row of the lottery centre's file). A month already
    recorded for the outlet is refused: corrections are not overwritten silently."""
    actor.require(MANAGE)
    check_division_in_scope(actor, outlet.division_code)
    errors = validate_sales(outlet, month, sales_fen)
    if errors:
        raise ValidationFailed(errors)
    row = MonthlySales.objects.create(
        outlet=outlet, division_code=outlet.division_code, month=month.replace(day=1), sales_fen=sales_fen, batch_id=batch_id
    )
    _audit(actor, AuditAction.CREATE, "lottery.sales", row, outlet.division_code,
           f"福彩销售额：{outlet.licence_no} {period_of(row.month)} {format_yuan(sales_fen)}元")  # fmt: skip
    return row


# =========================================================================== 公益金
@transaction.atomic
def do_record_fund_year(actor: Actor, *, year: int | None, retained_fen: int | None, reference: str, received_on: dt.date | None) -> FundYear:
    """The retained 公益金 the district received for a year, as the allocation document says."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    if year is None or not 2000 <= year <= clock.today().year:
        errors["year"] = "请填写正确的年度（不晚于今年）"
    elif FundYear.objects.filter(year=year).exists():
        errors["year"] = f"{year}年度地方留存公益金已登记"
    if retained_fen is None:
        errors["retained"] = "请填写公益金金额"
    elif retained_fen < 0:
        errors["retained"] = "公益金金额不能为负数"
    if not (reference or "").strip():
        errors["reference"] = "请填写下达文件"
    _date(received_on, "received_on", "下达日期", errors)
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, district_code())
    fund = FundYear.objects.create(year=year, division_code=district_code(), retained_fen=retained_fen,
                                   reference=reference.strip()[:200], received_on=received_on)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "lottery.fund", fund, fund.division_code,
           f"登记{year}年度地方留存公益金 {format_yuan(retained_fen)}元")  # fmt: skip
    return fund


@transaction.atomic
def do_add_project(actor: Actor, fund: FundYear, *, name: str, area: str, unit: str, budget_fen: int | None) -> FundProject:
    """A project of a year's 公益金. Budgets of the year's projects may not exceed the year's amount."""
    actor.require(MANAGE)
    check_division_in_scope(actor, fund.division_code)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写项目名称"
    if area not in FundArea.values:
        errors["area"] = "请选择资助方向"
    if not (unit or "").strip():
        errors["unit"] = "请填写实施单位"
    if budget_fen is None:
        errors["budget"] = "请填写项目预算"
    elif budget_fen < 0:
        errors["budget"] = "项目预算不能为负数"
    else:
        used = sum(FundProject.objects.filter(fund_year=fund).values_list("budget_fen", flat=True))
        if used + budget_fen > fund.retained_fen:
            errors["budget"] = (f"{fund.year}年度项目预算合计将超过当年地方留存公益金"
                                f"（剩余可安排{format_yuan(fund.retained_fen - used)}元）")  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    project = FundProject.objects.create(fund_year=fund, division_code=fund.division_code, name=name.strip()[:100], area=area,
                                         unit=unit.strip()[:100], budget_fen=budget_fen)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "lottery.project", project, fund.division_code,
           f"公益金资助项目：{fund.year}年度 {project.name}，预算{format_yuan(budget_fen)}元")  # fmt: skip
    return project


@transaction.atomic
def do_update_project(
    actor: Actor,
    project: FundProject,
    *,
    spent_fen: int | None,
    evaluation_score: Decimal | None = None,
    evaluated_on: dt.date | None = None,
    disclosed_on: dt.date | None = None,
) -> FundProject:
    """Spending to date, the performance evaluation (score 0–100 and its date) and the public
    disclosure date."""
    actor.require(MANAGE)
    check_division_in_scope(actor, project.division_code)
    errors: dict[str, str] = {}
    if spent_fen is None:
        errors["spent"] = "请填写已支出金额"
    elif spent_fen < 0:
        errors["spent"] = "已支出金额不能为负数"
    elif spent_fen > project.budget_fen:
        errors["spent"] = f"已支出金额不能超过项目预算（{format_yuan(project.budget_fen)}元）"
    if evaluation_score is not None and not Decimal(0) <= evaluation_score <= Decimal(100):
        errors["evaluation_score"] = "绩效评价得分应在0—100之间"
    if (evaluation_score is None) != (evaluated_on is None):
        errors["evaluated_on" if evaluated_on is None else "evaluation_score"] = "绩效评价得分和评价日期应同时填写"
    _date(evaluated_on, "evaluated_on", "绩效评价日期", errors, required=False)
    _date(disclosed_on, "disclosed_on", "公开日期", errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    FundProject.objects.filter(pk=project.pk).update(spent_fen=spent_fen, evaluation_score=evaluation_score,
                                                     evaluated_on=evaluated_on, disclosed_on=disclosed_on)  # fmt: skip
    project.refresh_from_db()
    _audit(actor, AuditAction.UPDATE, "lottery.project", project, project.division_code,
           f"公益金资助项目执行：{project.name}，已支出{format_yuan(spent_fen)}元")  # fmt: skip
    return project
