"""Every write of the 低收入人口 line: named, atomic, audited actions (docs/lowincome.md).

- the district's annual figures (``do_enter_district_figure``) — dated, cited rules parameters;
- the month's price indices (``do_record_price_index``) and the 价格临时补贴 batch
  (``do_prepare_price_subsidy_batch``) through assistance's payroll;
- the recognition of 低保边缘 / 刚性支出困难 households (``do_create_recognition`` …);
- the departments' rosters (``do_import_department_roster``: 防止返贫监测对象, 困难重点优抚对象);
- the monthly dynamic monitoring is ``monitoring.do_run_monitoring``.
Bad input raises ``ValidationFailed`` naming each field in Chinese; nothing is written then.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.assistance import services as assistance_services
from minzheng.assistance.enums import Level
from minzheng.cases.actions import Step, actor_name_of, do_transition, record_event
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.money import MoneyFormatError, format_yuan, to_decimal, yuan_to_fen
from minzheng.core.numbers import placeholder_number
from minzheng.lowincome.enums import (
    KIND_PROGRAM,
    PRICE_SUBSIDY_RECIPIENT_PROGRAMS,
    LISTING_DEPARTMENT,
    FigureName,
    ListingKind,
    Origin,
    Outcome,
    RecognitionKind,
    Status,
)
from minzheng.lowincome.models import DepartmentListing, DistrictFigure, PriceIndexMonth, Recognition
from minzheng.lowincome.monitoring import (
    enter_listed_people,
    enter_recognised_household,
    leave_listings,
    leave_recognised_household,
)
from minzheng.lowincome.parameters import effective_from
from minzheng.lowincome.permissions import LowIncomePerm
from minzheng.lowincome.workflow import RECOGNITION
from minzheng.registry.models import Household, Person
from minzheng.rules import FactsValidationError, evaluate_household, price_subsidy

# Plausible bounds: a figure outside them is a typing error, not a statistic.
FIGURE_MAX_YUAN = Decimal("1000000")
FIRST_FIGURE_YEAR = 2017  # the rules' coverage starts 2018-01: the 2017 figure is its first "previous year"
INDEX_MIN, INDEX_MAX = Decimal("-50"), Decimal("100")
# The same bounds as the API document states them: -50 … 100, at most two decimals.
INDEX_PATTERN = r"^(-(50(\.0{1,2})?|[1-4]?[0-9](\.[0-9]{1,2})?)|100(\.0{1,2})?|[1-9]?[0-9](\.[0-9]{1,2})?)$"
RIGID_VALID_MONTHS = 12  # 刚性支出困难: recognition valid 12 months at most (policy-facts §4)


def _require_district(actor: Actor, perm, what: str) -> None:
    actor.require(perm)
    if not actor.is_system and actor.level != Level.DISTRICT:
        raise PermissionDenied(f"{what}须由区民政局办理")


def _text(value, field: str, message: str, *, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({field: message})
    if len(text) > max_length:
        raise ValidationFailed({field: f"不能超过{max_length}个字"})
    return text


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------
# 区年度统计数据
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_enter_district_figure(
    actor: Actor,
    *,
    parameter: str,
    year,
    value,
    document_number: str,
    document_date,
    correction_reason: str = "",
) -> DistrictFigure:
    """录入区年度统计数据: one figure for one statistical year, with the document that
    published it. The rules engine uses it from 1 January of the next year. A second entry for
    the same year is a correction: it needs a reason and supersedes the first (kept)."""
    _require_district(actor, LowIncomePerm.ENTER_DISTRICT_FIGURES, "区年度统计数据")
    errors: dict[str, str] = {}
    if parameter not in FigureName.values:
        errors["parameter"] = "请选择指标"
    label = FigureName(parameter).label if parameter in FigureName.values else "数值"
    today = clock.today()
    try:
        year_int = int(str(year).strip())
    except ValueError:
        year_int = None
    if year_int is None or not FIRST_FIGURE_YEAR <= year_int <= today.year - 1:
        errors["year"] = f"统计年度应为{FIRST_FIGURE_YEAR}年至{today.year - 1}年之间的年份"
    value_fen = None
    try:
        amount = to_decimal(str(value).strip().replace(",", "").replace("，", "") if value is not None else "")
        if amount <= 0 or amount > FIGURE_MAX_YUAN:
            raise MoneyFormatError("out of range")
        value_fen = yuan_to_fen(amount)
    except (MoneyFormatError, InvalidOperation, ValueError):
        errors["value"] = f"{label}（元/人·年）应为大于0且不超过1000000的金额，最多两位小数"
    number = (document_number or "").strip()
    if not number:
        errors["document_number"] = "请填写发布该数据的文件文号"
    elif len(number) > 100:
        errors["document_number"] = "文号不能超过100个字"
    doc_date = _parse_date(document_date)
    if doc_date is None:
        errors["document_date"] = "请填写文件发布日期（年-月-日）"
    elif doc_date > today:
        errors["document_date"] = "文件发布日期不能晚于今天"
    elif year_int is not None and doc_date.year <= year_int - 1:
        errors["document_date"] = "文件发布日期应在统计年度开始之后"
    if errors:
        raise ValidationFailed(errors)
    previous = (
        DistrictFigure.objects.select_for_update().filter(parameter=parameter, year=year_int, superseded=False).first()
    )
    reason = (correction_reason or "").strip()
    if previous is not None:
        if not reason:
            raise ValidationFailed(
                {"correction_reason": f"{year_int}年{label}已录入（{format_yuan(previous.value_fen)}元），更正请填写更正说明"}
            )
        DistrictFigure.objects.filter(pk=previous.pk).update(superseded=True)
    figure = DistrictFigure.objects.create(
        parameter=parameter,
        year=year_int,
        value_fen=value_fen,
        document_number=number,
        document_date=doc_date,
        effective_from=effective_from(year_int),
        correction_reason=reason[:200],
        entered_by_id=actor.user_id,
        entered_by_name=actor_name_of(actor),
        division_code=district_code(),
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE if previous else AuditAction.CREATE,
        object_type="district_figure",
        object_id=figure.pk,
        division_code=district_code(),
        summary=f"{'更正' if previous else '录入'}{year_int}年{label}：{format_yuan(value_fen)}元（{number}）",
        changed_fields={"value_fen": [previous.value_fen if previous else None, value_fen]},
        extra={"parameter": parameter, "effective_from": figure.effective_from.isoformat(), "reason": reason},
    )
    return figure


# ----------------------------------------------------------------------------------------------
# 物价指数 and 价格临时补贴
# ----------------------------------------------------------------------------------------------

INDEX_LABELS = {"cpi_yoy": "居民消费价格指数（CPI）同比涨幅", "food_cpi_yoy": "食品价格指数同比涨幅"}


def _index(value, field: str, errors: dict) -> Decimal | None:
    label = INDEX_LABELS[field]
    raw = str(value if value is not None else "").strip().replace("％", "").replace("%", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors[field] = f"{label}应为数字（百分数，如 3.5）"
        return None
    if not number.is_finite() or number.as_tuple().exponent < -2:
        errors[field] = f"{label}最多两位小数"
        return None
    if not INDEX_MIN <= number <= INDEX_MAX:
        errors[field] = f"{label}应在 -50% 至 100% 之间（填写的是 {raw}%）"
        return None
    return number


def _subsidy_verdicts(period: str, cpi: Decimal, food: Decimal) -> tuple[dict, dict]:
    try:
        urban = price_subsidy(period, cpi, food, "urban")
        rural = price_subsidy(period, cpi, food, "rural")
    except FactsValidationError as exc:
        messages = {e["field"]: e["message"] for e in exc.errors}
        if "period" in messages:
            raise ValidationFailed({"period": f"指数月份不在政策参数覆盖范围内：{messages['period']}"}) from None
        raise ValidationFailed({k: v for k, v in messages.items()}) from None
    return urban, rural


@transaction.atomic
def do_record_price_index(actor: Actor, *, period: str, cpi_yoy, food_cpi_yoy, source: str) -> PriceIndexMonth:
    """录入当月物价指数: the month's CPI and food CPI (year on year, percent) with their source;
    the rules engine says whether the linkage triggers and the amount per person by zone. A
    month may be re-entered until its batch is approved (the verdict is recomputed)."""
    _require_district(actor, LowIncomePerm.ENTER_PRICE_INDEX, "物价指数")
    errors: dict[str, str] = {}
    period = (period or "").strip()
    try:
        month = dt.date.fromisoformat(f"{period}-01")
        if f"{month:%Y-%m}" != period:
            raise ValueError
    except ValueError:
        month = None
        errors["period"] = "指数月份格式应为 YYYY-MM"
    if month is not None and month > clock.today().replace(day=1):
        errors["period"] = "指数月份不能晚于本月"
    cpi = _index(cpi_yoy, "cpi_yoy", errors)
    food = _index(food_cpi_yoy, "food_cpi_yoy", errors)
    src = (source or "").strip()
    if not src:
        errors["source"] = "请填写数据来源（如：重庆市统计局 2026年11月居民消费价格数据）"
    elif len(src) > 200:
        errors["source"] = "数据来源不能超过200个字"
    if errors:
        raise ValidationFailed(errors)
    urban, rural = _subsidy_verdicts(period, cpi, food)
    existing = PriceIndexMonth.objects.select_for_update().filter(period=period).first()
    batch = assistance_services.price_subsidy_batch(period)
    if batch is not None and batch.status == "approved":
        raise DomainError(f"{period}价格临时补贴发放表已审批，物价指数不能再修改", code="batch_approved")
    values = dict(
        cpi_yoy=cpi,
        food_cpi_yoy=food,
        source=src,
        triggered=bool(urban["triggered"]),
        triggered_by=list(urban["triggered_by"]),
        applied_rise=urban["applied_rise"] or "",
        urban_amount_fen=yuan_to_fen(to_decimal(urban["amount"])) if urban["eligible"] else 0,
        rural_amount_fen=yuan_to_fen(to_decimal(rural["amount"])) if rural["eligible"] else 0,
        result={"urban": urban, "rural": rural},
        provisional=bool(urban.get("provisional") or rural.get("provisional")),
        entered_by_id=actor.user_id,
        entered_by_name=actor_name_of(actor),
    )
    if existing is None:
        record = PriceIndexMonth.objects.create(period=period, **values)
        before = None
    else:
        before = [str(existing.cpi_yoy), str(existing.food_cpi_yoy)]
        PriceIndexMonth.objects.filter(pk=existing.pk).update(version=F("version") + 1, **values)
        record = PriceIndexMonth.objects.get(pk=existing.pk)
    verdict = (
        f"达到启动条件，城镇每人{format_yuan(record.urban_amount_fen)}元、农村每人{format_yuan(record.rural_amount_fen)}元"
        if record.triggered
        else "未达到启动条件"
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        object_type="price_index",
        object_id=record.pk,
        division_code=district_code(),
        summary=f"{'修改' if before else '录入'}{period}物价指数：CPI {cpi}%，食品 {food}%（{src}）；{verdict}",
        changed_fields={"cpi_food": [before, [str(cpi), str(food)]]} if before else None,
    )
    return record


@transaction.atomic
def do_prepare_price_subsidy_batch(actor: Actor, *, period: str):
    """生成价格临时补贴发放表: when the month triggers, the payroll's batch of program
    ``price_subsidy`` for that month — the same batch however often it is run (unique per
    program and month; a rerun of a prepared batch replaces its payments, an approved batch is
    never changed); maker-checker and the bank file are the payroll's."""
    _require_district(actor, Perm.PREPARE_PAYROLL, "生成发放表")
    record = PriceIndexMonth.objects.filter(period=(period or "").strip()).first()
    if record is None:
        raise NotFound(f"{(period or "").strip()[:7]}的物价指数尚未录入，请先录入该月物价指数")
    if not record.triggered:
        raise DomainError(f"{record.period}物价指数未达到联动机制启动条件，不发放价格临时补贴", code="not_triggered")
    summary = assistance_services.prepare_price_subsidy_batch(
        actor,
        period=record.period,
        urban_fen=record.urban_amount_fen,
        rural_fen=record.rural_amount_fen,
        recipient_programs=PRICE_SUBSIDY_RECIPIENT_PROGRAMS,
    )
    PriceIndexMonth.objects.filter(pk=record.pk).update(batch_id=summary.batch_id)
    return summary


# ----------------------------------------------------------------------------------------------
# 低保边缘 / 刚性支出困难 recognition
# ----------------------------------------------------------------------------------------------


def _new_number(recognition: Recognition) -> str:
    return f"DSR{recognition.submitted_on:%Y%m}{recognition.pk:06d}"


@transaction.atomic
def do_create_recognition(actor: Actor, *, household_id, kind: str, origin: str, reason: str = "") -> Recognition:
    """登记: an application by the household or a household found by screening or a discovery
    alert (the village or the town)."""
    actor.require(LowIncomePerm.REGISTER_LOW_INCOME)
    errors: dict[str, str] = {}
    if kind not in RecognitionKind.values:
        errors["kind"] = "请选择认定类别"
    if origin not in Origin.values:
        errors["origin"] = "请选择来源"
    household = Household.objects.filter(pk=household_id).first() if str(household_id or "").isdigit() else None
    if household is None or not actor.covers(household.division_code):
        errors["household"] = "请选择本辖区内的家庭"
    text = (reason or "").strip()
    if len(text) > 1000:
        errors["reason"] = "不能超过1000个字"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, household.division_code)
    today = clock.today()
    try:
        with transaction.atomic():
            recognition = Recognition.objects.create(
                number=placeholder_number(),
                kind=kind,
                household=household,
                division_code=household.division_code,
                zone=household.zone,
                origin=origin,
                reason=text,
                status=Status.SUBMITTED,
                submitted_on=today,
                submitted_by_id=actor.user_id,
                step_started_on=today,
            )
    except IntegrityError:
        raise ValidationFailed({"kind": f"该家庭已有{RecognitionKind(kind).label}认定正在办理或在有效期内"}) from None
    recognition.number = _new_number(recognition)
    Recognition.objects.filter(pk=recognition.pk).update(number=recognition.number)
    record_event(actor, RECOGNITION, recognition, action="create", label="登记", from_status="", to_status=Status.SUBMITTED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type=RECOGNITION.object_type,
        object_id=recognition.pk,
        division_code=recognition.division_code,
        summary=f"登记{recognition.get_kind_display()}认定：{recognition.number}（{Origin(origin).label}）",
    )
    return recognition


def _verdict(facts: dict, kind: str) -> tuple[dict, dict, bool | None]:
    try:
        output = evaluate_household(facts)
    except FactsValidationError as exc:
        detail = "；".join(f"{e['field']}：{e['message']}" for e in exc.errors[:5])
        raise DomainError(f"家庭信息不完整，规则引擎无法计算：{detail}", code="engine_input") from None
    program = KIND_PROGRAM[kind]
    wanted = {program, "dibao", "low_income_edge", "rigid_spending_hardship"}
    kept = [r for r in output["results"] if r["program"] in wanted]
    main = next(r for r in kept if r["program"] == program)
    missing = any(c.get("missing_parameter") for c in main["conditions"])
    eligible = None if missing and not main["eligible"] else bool(main["eligible"])
    return {"period": output["period"], "results": kept}, output.get("parameters", {}), eligible


@transaction.atomic
def do_check_recognition(actor: Actor, recognition: Recognition, *, expected_version: int, notes: str = "") -> Recognition:
    """家庭经济状况核对 with assistance's facilities (declared figures overlaid with the
    departments' data, each with its source); the engine's verdict for the kind is stored."""

    def prepare(current: Recognition, transition) -> Step:
        period = f"{clock.today():%Y-%m}"
        report, facts = assistance_services.economic_check(
            household=current.household, zone=current.zone, division_code=current.division_code, period=period
        )
        if report.member_count == 0:
            raise DomainError("该家庭没有在世的成员，无法核对", code="no_members")
        result, parameters, eligible = _verdict(facts, current.kind)
        rigid = current.household.rigid_spending_12m_fen
        updates = dict(
            checked_on=clock.today(),
            checked_by_id=actor.user_id,
            household_income_fen=report.household_income_fen,
            per_capita_income_fen=report.per_capita_income_fen,
            financial_assets_fen=report.financial_assets_fen,
            rigid_spending_12m_fen=rigid,
            check_sources=report.sources,
            facts=facts,
            parameters=parameters,
            result=result,
            engine_eligible=eligible,
        )
        verdict = {True: "符合", False: "不符合", None: "无法判定（参数未设置）"}[eligible]
        return Step(updates=updates, reason=(notes or "").strip()[:200] or f"规则引擎：{verdict}", extra={"engine_eligible": eligible})

    return do_transition(actor, RECOGNITION, recognition, "check", expected_version=expected_version, prepare=prepare)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@transaction.atomic
def do_decide_recognition(
    actor: Actor, recognition: Recognition, *, expected_version: int, outcome: str, note: str
) -> Recognition:
    """乡镇认定: 认定 (only when the engine found the household eligible on the checked facts)
    or 不予认定 with reasons. A recognised household enters the register at once."""
    def prepare(current: Recognition, transition) -> Step:
        if outcome not in Outcome.values:
            raise ValidationFailed({"outcome": "请选择认定意见"})
        text = _text(note, "note", "请填写认定意见" if outcome == Outcome.APPROVE else "请填写不予认定的理由", max_length=1000)
        today = clock.today()
        updates = {"decided_on": today, "decided_by_id": actor.user_id, "decision_note": text}
        if outcome == Outcome.REFUSE:
            return Step(target=Status.REFUSED, updates=updates, reason=text, extra={"outcome": outcome})
        if current.engine_eligible is not True:
            raise ValidationFailed(
                {"outcome": "家庭经济状况核对结果不符合认定条件，不能认定（可退回重新核对，或不予认定）"}
                if current.engine_eligible is False
                else {"outcome": "认定所需参数未设置（区上年度居民人均可支配收入），暂不能认定"}
            )
        if current.kind == RecognitionKind.RIGID:
            updates["valid_until"] = _add_months(today, RIGID_VALID_MONTHS)
        return Step(target=Status.RECOGNISED, updates=updates, reason=text, extra={"outcome": outcome})

    decided = do_transition(actor, RECOGNITION, recognition, "decide", expected_version=expected_version, prepare=prepare)
    if decided.status == Status.RECOGNISED:
        enter_recognised_household(actor, decided)
    return decided


@transaction.atomic
def do_return_recognition(actor: Actor, recognition: Recognition, *, expected_version: int, reason: str) -> Recognition:
    return do_transition(actor, RECOGNITION, recognition, "return", expected_version=expected_version, reason=reason)


@transaction.atomic
def do_end_recognition(actor: Actor, recognition: Recognition, *, expected_version: int, reason: str) -> Recognition:
    """终止认定 (the household's situation changed); its members leave the register's tier at the
    next monthly monitoring, or at once here."""
    def prepare(current: Recognition, transition) -> Step:
        return Step(updates={"ended_on": clock.today(), "end_reason": (reason or "").strip()[:200]})

    ended = do_transition(actor, RECOGNITION, recognition, "end", expected_version=expected_version, reason=reason, prepare=prepare)
    leave_recognised_household(actor, ended)
    return ended


# ----------------------------------------------------------------------------------------------
# Departments' rosters: 防止返贫监测对象 (乡村振兴), 困难重点优抚对象 (退役军人事务局)
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One line of a department's roster: the person is on it from ``listed_on``; with
    ``ended_on`` the department has lifted them (or reports a listing already over)."""

    row: int  # the row number the user sees (for the messages)
    person_id: int
    listed_on: dt.date
    ended_on: dt.date | None = None
    note: str = ""


def roster_problems(kind: str, rows: list[RosterRow]) -> list[tuple[int, str, str]]:
    """Every reason a roster's rows cannot be taken: (row, column key, Chinese reason). The
    import's preview and the action ask the same question (one definition)."""
    problems: list[tuple[int, str, str]] = []
    today = clock.today()
    seen: dict[int, int] = {}
    ids = [r.person_id for r in rows]
    deceased = set(Person.objects.filter(pk__in=ids, is_deceased=True).values_list("pk", flat=True))
    open_since = dict(
        DepartmentListing.objects.filter(kind=kind, person_id__in=ids, ended_on__isnull=True).values_list("person_id", "listed_on")
    )
    for r in rows:
        if r.person_id in seen:
            problems.append((r.row, "id_number", f"与第{seen[r.person_id]}行是同一人"))
            continue
        seen[r.person_id] = r.row
        if r.listed_on > today:
            problems.append((r.row, "listed_on", "纳入日期不能晚于今天"))
        elif r.ended_on is not None and r.ended_on > today:
            problems.append((r.row, "ended_on", "解除日期不能晚于今天"))
        elif r.ended_on is not None and r.ended_on < r.listed_on:
            problems.append((r.row, "ended_on", "解除日期不能早于纳入日期"))
        elif r.ended_on is not None and r.person_id in open_since and r.ended_on < open_since[r.person_id]:
            problems.append((r.row, "ended_on", f"解除日期早于该人员在名单中的纳入日期（{open_since[r.person_id]:%Y-%m-%d}）"))
        elif r.ended_on is None and r.person_id in deceased:
            problems.append((r.row, "id_number", "该人员已登记死亡，不能纳入名单"))
        elif len(r.note) > 200:
            problems.append((r.row, "note", "备注不能超过200个字"))
    return problems


class RosterRefused(ValidationFailed):
    """A roster with rows that cannot be taken: ``rows`` names each (row, column, reason)."""

    def __init__(self, rows: list[tuple[int, str, str]]):
        self.rows = rows
        super().__init__({"rows": "；".join(f"第{n}行 {m}" for n, _, m in rows[:20])})


@transaction.atomic
def do_import_department_roster(actor: Actor, *, kind: str, rows: list[RosterRow], source_label: str) -> dict:
    """A department's roster, whole or not at all: new people are listed from their date, lifted
    people's listings end, people already listed stay as they are (a roster sent again changes
    nothing). The register takes the changes at once (monitoring.enter_listed_people /
    leave_listings, in bulk); the monthly monitoring reads the same listings."""
    _require_district(actor, LowIncomePerm.IMPORT_DEPARTMENT_ROSTERS, "部门困难人员名单")
    if kind not in ListingKind.values:
        raise ValidationFailed({"kind": "请选择名单类别"})
    kind = ListingKind(kind)
    problems = roster_problems(kind, rows)
    if problems:
        raise RosterRefused(problems)
    persons = Person.objects.in_bulk([r.person_id for r in rows])
    for r in rows:
        check_division_in_scope(actor, persons[r.person_id].division_code)
    current = {
        listing.person_id: listing
        for listing in DepartmentListing.objects.select_for_update().filter(kind=kind, person_id__in=list(persons), ended_on__isnull=True)
    }
    past = set(
        DepartmentListing.objects.filter(kind=kind, person_id__in=list(persons), ended_on__isnull=False).values_list(
            "person_id", "listed_on", "ended_on"
        )
    )
    label = source_label[:120]
    new: list[DepartmentListing] = []
    lifted: list[DepartmentListing] = []
    unchanged = 0
    for r in rows:
        person = persons[r.person_id]
        listing = current.get(r.person_id)
        if r.ended_on is None:
            if listing is not None:
                unchanged += 1
            else:
                new.append(DepartmentListing(person=person, division_code=person.division_code, kind=kind, listed_on=r.listed_on, note=r.note, source_label=label))
        elif listing is not None:
            listing.ended_on, listing.ended_source_label = r.ended_on, label
            lifted.append(listing)
        elif (r.person_id, r.listed_on, r.ended_on) in past:
            unchanged += 1
        else:  # a listing that began and ended before the platform knew of it: kept as history
            new.append(DepartmentListing(
                person=person, division_code=person.division_code, kind=kind, listed_on=r.listed_on, ended_on=r.ended_on,
                note=r.note, source_label=label, ended_source_label=label,
            ))  # fmt: skip
    created = DepartmentListing.objects.bulk_create(new)
    if lifted:
        DepartmentListing.objects.bulk_update(lifted, ["ended_on", "ended_source_label"])
    opened = [listing.pk for listing in created if listing.ended_on is None and listing.listed_on <= clock.today()]
    entered = enter_listed_people(actor, opened) if opened else {"new": 0, "moved": 0, "left": 0}
    if lifted:
        leave_listings(actor, kind, [listing.person_id for listing in lifted], label)
    counts = {"listed": len(opened), "history": len(created) - len(opened), "lifted": len(lifted), "unchanged": unchanged,
              "register_new": entered["new"], "register_moved": entered["moved"]}  # fmt: skip
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="lowincome.department_roster",
        division_code=district_code(),
        summary=(
            f"{LISTING_DEPARTMENT[kind]}{kind.label}名单（{label}）：纳入{len(opened)}人、解除{len(lifted)}人、"
            f"未变{unchanged}人"
        ),
        extra=counts,
    )
    return counts
