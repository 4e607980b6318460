"""Every write of the elderly-care line: a named, atomic, audited ``do_*`` action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.assistance.selectors import active_programs_of
from minzheng.cases.actions import Step, do_transition, record_event
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.money import format_yuan
from minzheng.core.periods import (
    PeriodError,
    add_months,
    month_start,
    parse_period,
    record_date_error,
)
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.enums import (
    INSTITUTION_KINDS,
    AssessmentReason,
    CapabilityLevel,
    CheckOutReason,
    FacilityKind,
    FacilityStatus,
    FamilyBedStatus,
    LicenceKind,
    MedicalCapability,
    OrderStatus,
    Ownership,
    RiskLevel,
    ServiceKind,
    SubsidyCategory,
    VisitGroup,
)
from minzheng.eldercare.models import (
    Assessment,
    CareOrder,
    Facility,
    FamilyBedService,
    FamilyCareBed,
    Provider,
    ProviderSettlement,
    Residency,
    VisitRecord,
    VisitTarget,
)
from minzheng.eldercare.params import ParameterNotSet, fen, param
from minzheng.eldercare.scoring import ScoringInputError, score
from minzheng.eldercare.workflow import ORDER_WORKFLOW
from minzheng.registry.models import Person

# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)



def _require_elder(person: Person, on: dt.date, errors: dict[str, str], field: str = "person") -> None:
    if person.is_deceased:
        errors[field] = "该人员已登记死亡"
        return
    min_age = param("elderly.min_age", on).value
    if age_on(person.birth_date, on) < min_age:
        errors[field] = f"服务对象须年满{min_age}周岁"


def _in_scope(actor: Actor, division_code: str) -> None:
    check_division_in_scope(actor, division_code)


# --------------------------------------------------------------------------- assessment
@transaction.atomic
def do_record_assessment(
    actor: Actor,
    person: Person,
    *,
    assessed_on: dt.date,
    reason: str,
    assessors: Sequence[str],
    items: Mapping[str, object],
    coma: bool = False,
    dementia_or_mental_disorder: bool = False,
    risk_events_30d: int = 0,
) -> Assessment:
    """Score and store one GB/T 42195-2022 assessment; the next due date follows the
    reassessment interval (a parameter)."""
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, person.division_code)
    errors: dict[str, str] = {}
    today = clock.today()
    if assessed_on is None:
        errors["assessed_on"] = "请填写评估日期"
    elif assessed_on > today:
        errors["assessed_on"] = "评估日期不能晚于今天"
    if reason not in AssessmentReason.values:
        errors["reason"] = "请选择评估原因"
    names = [a.strip() for a in assessors if a and a.strip()]
    if not names:
        errors["assessors"] = "请填写评估员姓名"
    elif any(len(n) > 50 for n in names):
        errors["assessors"] = "评估员姓名过长"
    if assessed_on is not None and "assessed_on" not in errors:
        _require_elder(person, assessed_on, errors)
    result = None
    try:
        result = score(
            items, coma=coma, dementia_or_mental_disorder=dementia_or_mental_disorder, risk_events_30d=risk_events_30d
        )
    except ScoringInputError as e:
        errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors)
    interval = param("assessment.reassessment_interval", assessed_on).value
    assessment = Assessment.objects.create(
        person=person,
        division_code=person.division_code,
        assessed_on=assessed_on,
        reason=reason,
        assessors=names,
        items=result.items,
        coma=coma,
        dementia_or_mental_disorder=dementia_or_mental_disorder,
        risk_events_30d=risk_events_30d,
        dimension_scores=result.dimension_scores,
        total=result.total,
        preliminary_level=result.preliminary_level,
        final_level=result.final_level,
        adjustments=list(result.adjustments),
        next_due_on=add_months(assessed_on, interval),
        recorded_by_id=actor.user_id,
    )
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="eldercare.assessment",
        object_id=assessment.pk,
        division_code=person.division_code,
        summary=f"录入老年人能力评估：{person.name}（{person.id_number_masked}）{result.total}分，{result.final_label}",
        extra={"person_id": person.pk, "reason": reason},
    )
    return assessment


# --------------------------------------------------------------------------- facilities
FACILITY_FIELDS = (
    "name", "kind", "ownership", "operator_name", "division_code", "address", "lon", "lat", "beds_total",
    "beds_nursing", "star_rating", "medical_capability", "medical_partner", "has_rehab", "licence_kind",
    "licence_number", "staff_managers", "staff_carers", "staff_qualified_carers", "staff_professionals", "status",
    "key_project_ref", "planned_period", "opened_on",
)  # fmt: skip


def validate_facility(data: Mapping[str, object]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = "请填写设施名称"
    if data.get("kind") not in FacilityKind.values:
        errors["kind"] = "请选择设施类型"
    if data.get("ownership") not in Ownership.values:
        errors["ownership"] = "请选择举办性质"
    code = str(data.get("division_code") or "")
    if get_directory().get(code) is None or len(code) < 9:
        errors["division_code"] = "请选择所在乡镇（街道）或村（社区）"
    for f, lo, hi, label in (("lon", 105.0, 110.5, "经度"), ("lat", 28.0, 32.5, "纬度")):
        try:
            v = float(data.get(f))  # type: ignore[arg-type]
            if not lo <= v <= hi:
                errors[f] = f"{label}应在重庆市范围内（{lo}–{hi}）"
        except (TypeError, ValueError):
            errors[f] = f"请填写{label}"
    beds = int(data.get("beds_total") or 0)
    nursing = int(data.get("beds_nursing") or 0)
    if beds < 0 or nursing < 0:
        errors["beds_total"] = "床位数不能为负数"
    elif nursing > beds:
        errors["beds_nursing"] = "护理型床位不能多于床位总数"
    if not 0 <= int(data.get("star_rating") or 0) <= 5:
        errors["star_rating"] = "星级应为0–5"
    if data.get("medical_capability") not in MedicalCapability.values:
        errors["medical_capability"] = "请选择医疗服务能力"
    elif data.get("medical_capability") == MedicalCapability.AGREEMENT and not str(data.get("medical_partner") or "").strip():
        errors["medical_partner"] = "签约合作时请填写签约医疗机构"
    if data.get("licence_kind") not in LicenceKind.values:
        errors["licence_kind"] = "请选择许可/备案情况"
    if data.get("status") not in FacilityStatus.values:
        errors["status"] = "请选择状态"
    if data.get("status") == FacilityStatus.UNDER_CONSTRUCTION and not str(data.get("key_project_ref") or "").strip():
        errors["key_project_ref"] = "在建设施请填写对应的重点项目"
    return errors


@transaction.atomic
def do_create_facility(actor: Actor, data: Mapping[str, object], *, is_demo: bool = False) -> Facility:
    actor.require(Perm.MANAGE_ELDERCARE)
    errors = validate_facility(data)
    if errors:
        raise ValidationFailed(errors)
    _in_scope(actor, str(data["division_code"]))
    facility = Facility.objects.create(is_demo=is_demo, **{k: data[k] for k in FACILITY_FIELDS if k in data})
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="eldercare.facility",
        object_id=facility.pk,
        division_code=facility.division_code,
        summary=f"新增养老服务设施：{facility.name}",
    )
    return facility


@transaction.atomic
def do_update_facility(actor: Actor, facility: Facility, *, expected_version: int, changes: Mapping[str, object]) -> Facility:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, facility.division_code)
    before = {k: getattr(facility, k) for k in FACILITY_FIELDS}
    merged = {**before, **{k: v for k, v in changes.items() if k in FACILITY_FIELDS}}
    errors = validate_facility(merged)
    if int(merged["beds_total"] or 0) < facility.occupied_beds:
        errors["beds_total"] = f"床位总数不能少于在住人数（{facility.occupied_beds}）"
    if errors:
        raise ValidationFailed(errors)
    _in_scope(actor, str(merged["division_code"]))
    updated = Facility.objects.filter(pk=facility.pk, version=expected_version).update(
        **{k: merged[k] for k in FACILITY_FIELDS}, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise DomainError("该设施已被他人修改，请刷新后重试", code="stale")
    facility.refresh_from_db()
    diff = {k: [str(before[k]), str(merged[k])] for k in FACILITY_FIELDS if before[k] != merged[k]}
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="eldercare.facility",
        object_id=facility.pk,
        division_code=facility.division_code,
        summary=f"修改养老服务设施：{facility.name}",
        changed_fields=diff,
    )
    return facility


# --------------------------------------------------------------------------- residents
@transaction.atomic
def do_check_in_resident(
    actor: Actor,
    facility: Facility,
    person: Person,
    *,
    checked_in_on: dt.date,
    is_tekun_concentrated: bool = False,
    bed_number: str = "",
) -> Residency:
    """Admit a registry person to an institution: one open stay per person, beds not exceeded."""
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, facility.division_code)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    errors: dict[str, str] = {}
    if facility.kind not in INSTITUTION_KINDS:
        errors["facility"] = "只有养老机构、特困供养设施和集中照护中心可办理入住"
    if facility.status != FacilityStatus.OPERATING:
        errors["facility"] = "该设施未在运营，不能办理入住"
    if facility.occupied_beds >= facility.beds_total:
        errors["facility"] = "床位已满"
    if checked_in_on is None:
        errors["checked_in_on"] = "请填写入住日期"
    elif checked_in_on > clock.today():
        errors["checked_in_on"] = "入住日期不能晚于今天"
    if person.is_deceased:
        errors["person"] = "该人员已登记死亡"
    if Residency.objects.filter(person=person, checked_out_on__isnull=True).exists():
        errors["person"] = "该人员已在机构入住，请先办理退住"
    if len(bed_number) > 20:
        errors["bed_number"] = "床号不超过20个字符"
    if errors:
        raise ValidationFailed(errors)
    residency = Residency.objects.create(
        facility=facility,
        person=person,
        division_code=facility.division_code,
        checked_in_on=checked_in_on,
        is_tekun_concentrated=is_tekun_concentrated,
        bed_number=bed_number,
    )
    Facility.objects.filter(pk=facility.pk).update(occupied_beds=F("occupied_beds") + 1)
    if is_tekun_concentrated and not person.in_institution:
        Person.objects.filter(pk=person.pk).update(in_institution=True, version=F("version") + 1)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="eldercare.residency",
        object_id=residency.pk,
        division_code=facility.division_code,
        summary=f"办理入住：{person.name}（{person.id_number_masked}）入住{facility.name}"
        + ("，特困集中供养" if is_tekun_concentrated else ""),
        extra={"person_id": person.pk, "facility_id": facility.pk},
    )
    return residency


@transaction.atomic
def do_check_out_resident(actor: Actor, residency: Residency, *, checked_out_on: dt.date, reason: str) -> Residency:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, residency.division_code)
    residency = Residency.objects.select_for_update().get(pk=residency.pk)
    errors: dict[str, str] = {}
    if residency.checked_out_on is not None:
        raise DomainError("该人员已办理退住", code="already_checked_out")
    if checked_out_on is None:
        errors["checked_out_on"] = "请填写退住日期"
    elif checked_out_on < residency.checked_in_on:
        errors["checked_out_on"] = "退住日期不能早于入住日期"
    elif checked_out_on > clock.today():
        errors["checked_out_on"] = "退住日期不能晚于今天"
    if reason not in CheckOutReason.values:
        errors["reason"] = "请选择退住原因"
    if errors:
        raise ValidationFailed(errors)
    residency.checked_out_on = checked_out_on
    residency.check_out_reason = reason
    residency.save(update_fields=["checked_out_on", "check_out_reason"])
    Facility.objects.filter(pk=residency.facility_id, occupied_beds__gt=0).update(occupied_beds=F("occupied_beds") - 1)
    if residency.is_tekun_concentrated:
        Person.objects.filter(pk=residency.person_id).update(in_institution=False, version=F("version") + 1)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="eldercare.residency",
        object_id=residency.pk,
        division_code=residency.division_code,
        summary=f"办理退住：{residency.person.name}（{CheckOutReason(reason).label}）",
        extra={"person_id": residency.person_id, "facility_id": residency.facility_id},
    )
    return residency


# --------------------------------------------------------------------------- orders
def latest_assessment(person: Person) -> Assessment | None:
    return Assessment.objects.filter(person=person).order_by("-assessed_on", "-id").first()


def check_category(person: Person, category: str, *, actor: Actor | None = None) -> str | None:
    """The reason a subsidy category cannot apply, or None. 特困 and 低保 must be current
    enrolments in social assistance; assessed-disability categories need an assessment at that
    level. 低收入 has no register yet, so the worker vouches for it."""
    if category not in SubsidyCategory.values:
        return "请选择补贴类别"
    if category in (SubsidyCategory.TEKUN, SubsidyCategory.DIBAO):
        checker = actor or Actor.system("核对养老服务补贴类别")
        if category not in active_programs_of(checker, person):
            label = "特困人员" if category == SubsidyCategory.TEKUN else "低保对象"
            return f"该老人目前不是在保的{label}，请核对后选择补贴类别"
    if category in (SubsidyCategory.DISABLED_SEVERE, SubsidyCategory.DISABLED_MODERATE):
        a = latest_assessment(person)
        wanted = (
            {CapabilityLevel.SEVERE, CapabilityLevel.COMPLETE}
            if category == SubsidyCategory.DISABLED_SEVERE
            else {CapabilityLevel.MODERATE}
        )
        if a is None or a.final_level not in wanted:
            return "该类别须有相应等级的老年人能力评估结果"
    return None


@transaction.atomic
def do_request_order(
    actor: Actor,
    person: Person,
    *,
    service_kind: str,
    category: str,
    requested_on: dt.date,
    quantity: int = 1,
    note: str = "",
) -> CareOrder:
    """Register a request: the order is created in 已申请 and its history starts (服务申请)."""
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, person.division_code)
    errors: dict[str, str] = {}
    if service_kind not in ServiceKind.values:
        errors["service_kind"] = "请选择服务项目"
    if not isinstance(quantity, int) or not 1 <= quantity <= 60:
        errors["quantity"] = "数量应为1–60"
    if requested_on is None:
        errors["requested_on"] = "请填写申请日期"
    elif reason := record_date_error(requested_on, today=clock.today(), label="申请日期"):
        errors["requested_on"] = reason  # 0001-01-01 answered 500 further down (issue 20)
    else:
        _require_elder(person, requested_on, errors)
    problem = check_category(person, category, actor=actor)
    if problem:
        errors["category"] = problem
    if len(note) > 200:
        errors["note"] = "需求说明不超过200字"
    if errors:
        raise ValidationFailed(errors)
    order = CareOrder.objects.create(
        person=person,
        division_code=person.division_code,
        service_kind=service_kind,
        category=category,
        quantity=quantity,
        requested_on=requested_on,
        note=note,
        status=OrderStatus.REQUESTED,
        step_started_on=clock.today(),
        created_by_id=actor.user_id,
    )
    record_event(actor, ORDER_WORKFLOW, order, action="create", label="服务申请", from_status="", to_status=OrderStatus.REQUESTED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type=ORDER_WORKFLOW.object_type,
        object_id=order.pk,
        division_code=order.division_code,
        summary=f"居家养老服务申请：{person.name} {ServiceKind(service_kind).label}×{quantity}",
        extra={"status": order.status},
    )
    return order


def _check_coordinates(lon, lat, errors: dict[str, str], prefix: str) -> None:
    if lon is None or lat is None:
        errors[f"{prefix}_location"] = "请提供定位（经纬度）"
        return
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        errors[f"{prefix}_location"] = "定位格式不正确"
        return
    if not (105.0 <= lon <= 110.5 and 28.0 <= lat <= 32.5):
        errors[f"{prefix}_location"] = "定位不在重庆市范围内"


# The steps of an order go through the case kit (workflow.py): do_transition re-reads the order
# within the actor's divisions (NotFound otherwise), refuses a stale version, a wrong state, a
# role without the permission; then ``prepare`` validates the step's own input and returns the
# fields it writes; nothing is written on any refusal.


@transaction.atomic
def do_dispatch_order(
    actor: Actor, order: CareOrder, *, expected_version: int, provider: Provider, worker_name: str = ""
) -> CareOrder:
    def prepare(current: CareOrder, transition) -> Step:
        if not provider.is_active:
            raise ValidationFailed({"provider": "该服务商已停用"})
        if not current.division_code.startswith(provider.division_code):
            raise ValidationFailed({"provider": "该服务商不服务此村（社区）"})
        worker = worker_name.strip()[:50]
        return Step(
            updates={"provider": provider, "worker_name": worker, "dispatched_at": clock.now()},
            reason=f"{provider.name}{'，服务人员' + worker if worker else ''}",
            extra={"provider_id": provider.pk},
        )

    return do_transition(actor, ORDER_WORKFLOW, order, "dispatch", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_check_in_order(
    actor: Actor, order: CareOrder, *, expected_version: int, at: dt.datetime, lon: float, lat: float
) -> CareOrder:
    def prepare(current: CareOrder, transition) -> Step:
        errors: dict[str, str] = {}
        _check_coordinates(lon, lat, errors, "check_in")
        if at is None:
            errors["check_in_at"] = "请填写签到时间"
        elif current.dispatched_at and at < current.dispatched_at:
            errors["check_in_at"] = "签到时间不能早于派单时间"
        elif at > clock.now() + CLOCK_TOLERANCE:
            errors["check_in_at"] = "签到时间不能晚于当前时间"
        if errors:
            raise ValidationFailed(errors)
        return Step(updates={"check_in_at": at, "check_in_lon": float(lon), "check_in_lat": float(lat)})

    return do_transition(actor, ORDER_WORKFLOW, order, "check_in", expected_version=expected_version, prepare=prepare)


def price_order(order: CareOrder, on: dt.date, *, already_subsidised_fen: int) -> dict:
    """Price and subsidy of one order from the dated parameters (integer fen, rounded down)."""
    unit = param(f"service.price.{order.service_kind}", on)
    share = param(f"subsidy.share.{order.category}", on)
    cap = param("subsidy.monthly_cap", on)
    price = fen(unit) * order.quantity
    wanted = int(price * share.value)  # share ≤ 1: floor to whole fen
    subsidy = max(0, min(wanted, fen(cap) - already_subsidised_fen))
    return {
        "unit_price_fen": fen(unit),
        "price_fen": price,
        "subsidy_fen": subsidy,
        "self_pay_fen": price - subsidy,
        "pricing": {
            "date": on.isoformat(),
            "unit_price": {"reference": unit.reference, "provisional": unit.provisional},
            "share": {"value": str(share.value), "reference": share.reference, "provisional": share.provisional},
            "monthly_cap_fen": fen(cap),
            "cap_applied": subsidy < wanted,
        },
    }


def subsidised_in_month(person_id: int, month: str, *, exclude_id: int | None = None) -> int:
    qs = CareOrder.objects.filter(
        person_id=person_id, service_month=month, status__in=[OrderStatus.COMPLETED, OrderStatus.SETTLED]
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.aggregate(s=Sum("subsidy_fen"))["s"] or 0


@transaction.atomic
def do_complete_order(
    actor: Actor,
    order: CareOrder,
    *,
    expected_version: int,
    at: dt.datetime,
    lon: float,
    lat: float,
    rating: int | None = None,
    rating_comment: str = "",
) -> CareOrder:
    """Check-out ends the visit and completes the order: priced and subsidised on the service
    date, within the person's monthly cap."""

    def prepare(current: CareOrder, transition) -> Step:
        errors: dict[str, str] = {}
        _check_coordinates(lon, lat, errors, "check_out")
        if at is None:
            errors["check_out_at"] = "请填写签退时间"
        elif at <= current.check_in_at:
            errors["check_out_at"] = "签退时间须晚于签到时间"
        elif at > clock.now() + CLOCK_TOLERANCE:
            errors["check_out_at"] = "签退时间不能晚于当前时间"
        if rating is not None and not (isinstance(rating, int) and 1 <= rating <= 5):
            errors["rating"] = "评价应为1–5星"
        if len(rating_comment) > 200:
            errors["rating_comment"] = "评价意见不超过200字"
        if errors:
            raise ValidationFailed(errors)
        service_day = timezone.localtime(at).date()
        month = service_day.strftime("%Y-%m")
        # Lock the person's other orders of the month so two completions cannot both use the cap.
        list(CareOrder.objects.select_for_update().filter(person_id=current.person_id, service_month=month).values("pk"))
        try:
            priced = price_order(current, service_day, already_subsidised_fen=subsidised_in_month(current.person_id, month))
        except ParameterNotSet as e:
            raise DomainError(f"服务价格或补贴参数在{service_day}未设定（{e.name}）", code="parameter_not_set") from None
        return Step(
            updates={
                "check_out_at": at, "check_out_lon": float(lon), "check_out_lat": float(lat),
                "completed_at": clock.now(), "service_month": month, "rating": rating,
                "rating_comment": rating_comment, **priced,
            },
            reason=f"金额{format_yuan(priced['price_fen'])}元，补贴{format_yuan(priced['subsidy_fen'])}元",
        )  # fmt: skip

    return do_transition(actor, ORDER_WORKFLOW, order, "complete", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_cancel_order(actor: Actor, order: CareOrder, *, expected_version: int, reason: str) -> CareOrder:
    """取消: only before the service starts (the workflow), with a reason (kept, ≤ 100 characters)."""
    reason = (reason or "").strip()
    if len(reason) > 100:
        raise ValidationFailed({"reason": "取消原因不超过100字"})
    return do_transition(actor, ORDER_WORKFLOW, order, "cancel", expected_version=expected_version, reason=reason)


@transaction.atomic
def do_settle_provider_month(actor: Actor, provider: Provider, *, month: str) -> ProviderSettlement:
    """Close a provider's month: every completed order of the month is settled, once (each
    order takes the workflow's 结算 step)."""
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, provider.division_code)
    try:
        first = parse_period(month)
    except PeriodError:
        raise ValidationFailed({"month": "月份格式应为 YYYY-MM"}) from None
    if first > month_start(clock.today()):
        raise ValidationFailed({"month": "不能结算未来月份"})
    if ProviderSettlement.objects.filter(provider=provider, month=month).exists():
        raise DomainError(f"{provider.name} {month} 已结算", code="already_settled")
    orders = CareOrder.objects.select_for_update().filter(
        provider=provider, service_month=month, status=OrderStatus.COMPLETED
    )
    totals = orders.aggregate(n=Count("id"), total=Sum("price_fen"), subsidy=Sum("subsidy_fen"), own=Sum("self_pay_fen"))
    if not totals["n"]:
        raise DomainError("该月没有待结算的已完成工单", code="nothing_to_settle")
    settlement = ProviderSettlement.objects.create(
        provider=provider,
        division_code=provider.division_code,
        month=month,
        order_count=totals["n"],
        total_fen=totals["total"],
        subsidy_fen=totals["subsidy"],
        self_pay_fen=totals["own"],
        created_by_id=actor.user_id,
    )
    for pk, version in orders.order_by("id").values_list("pk", "version"):
        do_transition(
            actor, ORDER_WORKFLOW, pk, "settle", expected_version=version, reason=f"{provider.name} {month}",
            prepare=lambda current, transition: Step(updates={"settlement": settlement}),
        )  # fmt: skip
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="eldercare.settlement",
        object_id=settlement.pk,
        division_code=provider.division_code,
        summary=f"服务商结算：{provider.name} {month}，{settlement.order_count}单，补贴{format_yuan(settlement.subsidy_fen)}元",
    )
    return settlement


@transaction.atomic
def do_register_provider(actor: Actor, *, name: str, division_code: str, facility: Facility | None = None, credit_code: str = "") -> Provider:
    actor.require(Perm.MANAGE_ELDERCARE)
    errors = {}
    if not name.strip():
        errors["name"] = "请填写服务商名称"
    if get_directory().get(division_code) is None:
        errors["division_code"] = "请选择服务区域"
    if credit_code and len(credit_code) != 18:
        errors["credit_code"] = "统一社会信用代码应为18位"
    if errors:
        raise ValidationFailed(errors)
    _in_scope(actor, division_code)
    provider = Provider.objects.create(name=name.strip(), division_code=division_code, facility=facility, credit_code=credit_code)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="eldercare.provider", object_id=provider.pk,
        division_code=division_code, summary=f"登记服务商：{provider.name}",
    )  # fmt: skip
    return provider


# --------------------------------------------------------------------------- visits
@transaction.atomic
def do_register_visit_target(
    actor: Actor, person: Person, *, group: str, risk_level: str, registered_on: dt.date, responsible_user_id: int | None = None, note: str = ""
) -> VisitTarget:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, person.division_code)
    errors: dict[str, str] = {}
    if group not in VisitGroup.values:
        errors["group"] = "请选择对象类别"
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = "请选择风险等级"
    if registered_on is None:
        errors["registered_on"] = "请填写纳入日期"
    else:
        _require_elder(person, registered_on, errors)
    if VisitTarget.objects.filter(person=person, group=group, is_active=True).exists():
        errors["group"] = "该人员已在此类探访对象名单中"
    if errors:
        raise ValidationFailed(errors)
    target = VisitTarget.objects.create(
        person=person, division_code=person.division_code, group=group, risk_level=risk_level,
        registered_on=registered_on, responsible_user_id=responsible_user_id, note=note[:200],
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="eldercare.visit_target", object_id=target.pk,
        division_code=target.division_code, summary=f"纳入探访关爱：{person.name}（{VisitGroup(group).label}，{RiskLevel(risk_level).label}）",
    )  # fmt: skip
    return target


@transaction.atomic
def do_record_visit(
    actor: Actor,
    target: VisitTarget,
    *,
    visited_on: dt.date,
    visitor_name: str,
    findings: str,
    needs_follow_up: bool = False,
    follow_up: str = "",
    risk_level: str | None = None,
    lon: float | None = None,
    lat: float | None = None,
) -> VisitRecord:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, target.division_code)
    target = VisitTarget.objects.select_for_update().get(pk=target.pk)
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = "请填写探访日期"
    elif visited_on > clock.today():
        errors["visited_on"] = "探访日期不能晚于今天"
    elif visited_on < target.registered_on:
        errors["visited_on"] = "探访日期不能早于纳入日期"
    if not visitor_name.strip():
        errors["visitor_name"] = "请填写探访人"
    if not findings.strip():
        errors["findings"] = "请填写探访情况"
    if needs_follow_up and not follow_up.strip():
        errors["follow_up"] = "需要跟进时请填写跟进措施"
    if risk_level and risk_level not in RiskLevel.values:
        errors["risk_level"] = "请选择风险等级"
    if (lon is None) != (lat is None):
        errors["location"] = "定位不完整"
    if not target.is_active:
        errors["target"] = "该对象已不在探访名单中"
    if errors:
        raise ValidationFailed(errors)
    record = VisitRecord.objects.create(
        target=target, division_code=target.division_code, visited_on=visited_on, visitor_id=actor.user_id,
        visitor_name=visitor_name.strip()[:50], findings=findings.strip(), needs_follow_up=needs_follow_up,
        follow_up=follow_up.strip()[:200], lon=lon, lat=lat,
    )  # fmt: skip
    fields = []
    if target.last_visited_on is None or visited_on > target.last_visited_on:
        target.last_visited_on = visited_on
        fields.append("last_visited_on")
    if risk_level and risk_level != target.risk_level:
        target.risk_level = risk_level
        fields.append("risk_level")
    if fields:
        target.save(update_fields=fields)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="eldercare.visit", object_id=record.pk,
        division_code=target.division_code, summary=f"探访记录：{target.person.name} {visited_on}",
        extra={"target_id": target.pk, "needs_follow_up": needs_follow_up},
    )  # fmt: skip
    return record


# --------------------------------------------------------------------------- family care beds
@transaction.atomic
def do_register_family_bed(
    actor: Actor, person: Person, *, provider: Provider, registered_on: dt.date, care_plan: str = ""
) -> FamilyCareBed:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, person.division_code)
    errors: dict[str, str] = {}
    if registered_on is None:
        errors["registered_on"] = "请填写建床日期"
    else:
        _require_elder(person, registered_on, errors)
    if not provider.is_active or not person.division_code.startswith(provider.division_code):
        errors["provider"] = "请选择服务此村（社区）的有效服务商"
    if FamilyCareBed.objects.filter(person=person, status=FamilyBedStatus.ACTIVE).exists():
        errors["person"] = "该人员已有家庭养老床位"
    if errors:
        raise ValidationFailed(errors)
    bed = FamilyCareBed.objects.create(
        person=person, division_code=person.division_code, provider=provider, registered_on=registered_on,
        care_plan=care_plan.strip()[:200],
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="eldercare.family_bed", object_id=bed.pk,
        division_code=bed.division_code, summary=f"家庭养老床位建床：{person.name}（{provider.name}）",
    )  # fmt: skip
    return bed


@transaction.atomic
def do_record_family_bed_service(
    actor: Actor, bed: FamilyCareBed, *, served_on: dt.date, content: str, minutes: int, staff_name: str
) -> FamilyBedService:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, bed.division_code)
    errors: dict[str, str] = {}
    if bed.status != FamilyBedStatus.ACTIVE:
        errors["bed"] = "该床位已撤床"
    if served_on is None:
        errors["served_on"] = "请填写服务日期"
    elif served_on < bed.registered_on or served_on > clock.today():
        errors["served_on"] = "服务日期应在建床日期与今天之间"
    if not content.strip():
        errors["content"] = "请填写服务内容"
    if not isinstance(minutes, int) or not 1 <= minutes <= 720:
        errors["minutes"] = "服务时长应为1–720分钟"
    if not staff_name.strip():
        errors["staff_name"] = "请填写服务人员"
    if errors:
        raise ValidationFailed(errors)
    service = FamilyBedService.objects.create(
        bed=bed, division_code=bed.division_code, served_on=served_on, content=content.strip()[:200],
        minutes=minutes, staff_name=staff_name.strip()[:50],
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="eldercare.family_bed_service", object_id=service.pk,
        division_code=bed.division_code, summary=f"家庭养老床位服务：{bed.person.name} {served_on} {minutes}分钟",
    )  # fmt: skip
    return service


@transaction.atomic
def do_end_family_bed(actor: Actor, bed: FamilyCareBed, *, ended_on: dt.date) -> FamilyCareBed:
    actor.require(Perm.MANAGE_ELDERCARE)
    _in_scope(actor, bed.division_code)
    if bed.status != FamilyBedStatus.ACTIVE:
        raise DomainError("该床位已撤床", code="already_ended")
    if ended_on is None or ended_on < bed.registered_on:
        raise ValidationFailed({"ended_on": "撤床日期不能早于建床日期"})
    bed.status, bed.ended_on = FamilyBedStatus.ENDED, ended_on
    bed.save(update_fields=["status", "ended_on"])
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="eldercare.family_bed", object_id=bed.pk,
        division_code=bed.division_code, summary=f"家庭养老床位撤床：{bed.person.name}",
    )  # fmt: skip
    return bed


