"""Elderly-care screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import parse_division_param
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.periods import month_start_after, period_of
from minzheng.eldercare import actions, selectors
from minzheng.eldercare.access import (
    access_assessment_by_id,
    access_facility_by_id,
    access_family_bed_by_id,
    access_order_by_id,
    access_provider_by_id,
    access_residency_by_id,
    access_settlement_by_id,
    access_visit_target_by_id,
)
from minzheng.eldercare.dashboard import dashboard_data
from minzheng.eldercare.enums import (
    INSTITUTION_KINDS,
    FacilityKind,
    FacilityStatus,
    OrderStatus,
    ServiceKind,
)
from minzheng.eldercare.exports import settlement_xlsx
from minzheng.eldercare.forms import (
    AssessmentForm,
    CancelOrderForm,
    CheckInForm,
    CheckOutForm,
    CompleteForm,
    DispatchForm,
    FacilityForm,
    FamilyBedForm,
    FamilyBedServiceForm,
    LocationForm,
    OrderRequestForm,
    SettleForm,
    VisitRecordForm,
    VisitTargetForm,
)
from minzheng.eldercare.mapdata import map_page
from minzheng.eldercare.params import ParameterNotSet, param
from minzheng.eldercare.reports import assessment_pdf, assessment_report_context
from minzheng.eldercare.scoring import ITEMS_BY_CODE as _ITEM_CODES
from minzheng.eldercare.selectors import providers_serving
from minzheng.eldercare.workflow import ORDER_WORKFLOW
from minzheng.registry.access import access_person_by_id
from minzheng.registry.selectors import search_persons
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import XLSX, attachment
from minzheng.web.form_errors import posted_version

PAGE_SIZE = 20


def _division_param(request) -> str | None:
    code = parse_division_param(request.GET.get("division"))
    return code if code and len(code) in (6, 9, 12) else None


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator}


# --------------------------------------------------------------------------- elders
@staff_view(Perm.VIEW_REGISTRY)
def elder_search(request):
    """Find an elderly person (registry search, 60+ only) and start a service from there."""
    q = request.GET.get("q", "").strip()
    today = clock.today()
    min_age = param("elderly.min_age", today).value
    qs, query = search_persons(request.actor, q, division_code=_division_param(request), include_deceased=False)
    qs = qs.filter(birth_date__lte=born_by(today, min_age)) if q else qs.none()
    if q:
        record_audit_event(request.actor, AuditAction.SEARCH, object_type="person", summary="养老服务：老年人查询")
    context = {"title": "老年人查询", "q": q, "query": query, "min_age": min_age, "query_string": urlencode({"q": q})}
    context.update(_page(request, qs.only("id", "name", "sex", "birth_date", "id_number_masked", "division_code")))
    return render(request, "eldercare/elder_search.html", context)


@staff_view(Perm.VIEW_REGISTRY)
def elder_detail(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    actor = request.actor
    return render(
        request,
        "eldercare/elder_detail.html",
        {
            "title": f"{person.name} · 养老服务",
            "person": person,
            "assessments": selectors.list_assessments_for(actor, person_id=person.pk)[:10],
            "orders": selectors.list_orders_for(actor).filter(person=person)[:10],
            "residencies": selectors.list_residencies_for(actor, current_only=False).filter(person=person),
            "targets": selectors.list_visit_targets_for(actor).filter(person=person),
            "beds": selectors.list_family_beds_for(actor, active_only=False).filter(person=person),
            "ledger": selectors.subsidy_ledger(actor, person_id=person.pk)[:12],
            "can_manage": actor.has(Perm.MANAGE_ELDERCARE),
            "current_division_code": person.division_code,
        },
    )


# --------------------------------------------------------------------------- assessments
@staff_view(Perm.VIEW_REGISTRY)
def assessment_list(request):
    qs = selectors.list_assessments_for(request.actor, division_code=_division_param(request))
    context = {"title": "老年人能力评估", "query_string": urlencode({"division": _division_param(request) or ""})}
    context.update(_page(request, qs))
    return render(request, "eldercare/assessment_list.html", context)


@staff_view(Perm.MANAGE_ELDERCARE)
def assessment_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = actions.do_record_assessment(
                request.actor,
                person,
                assessed_on=data["assessed_on"],
                reason=data["reason"],
                assessors=[data["assessor_1"], data.get("assessor_2") or ""],
                items={item: data[item] for item in form.fields if item in _ITEM_CODES},
                coma=data["coma"],
                dementia_or_mental_disorder=data["dementia_or_mental_disorder"],
                risk_events_30d=data["risk_events_30d"],
            )
        except ValidationFailed as e:
            form.add_domain_errors(e.errors, {"assessors": "assessor_1", "person": "__all__"})
        else:
            messages.success(request, "评估结果已保存。")
            return redirect("eldercare:assessment-detail", assessment.pk)
    return render(
        request,
        "eldercare/assessment_form.html",
        {"title": "老年人能力评估", "person": person, "form": form, "current_division_code": person.division_code},
        status=422 if form.errors else 200,
    )


@staff_view(Perm.VIEW_REGISTRY)
def assessment_detail(request, assessment_id: int):
    a = access_assessment_by_id(request.actor, assessment_id)
    context = assessment_report_context(a)
    context.update({"title": "能力评估结果", "current_division_code": a.division_code})
    return render(request, "eldercare/assessment_detail.html", context)


@staff_view(Perm.VIEW_REGISTRY)
def assessment_report(request, assessment_id: int):
    a = access_assessment_by_id(request.actor, assessment_id)
    content = assessment_pdf(a)
    record_audit_event(
        request.actor,
        AuditAction.PRINT,
        object_type="eldercare.assessment",
        object_id=a.pk,
        division_code=a.division_code,
        summary=f"打印能力评估报告：{a.person.name}（{a.person.id_number_masked}）",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f'老年人能力评估报告-{a.pk}.pdf')}"
    return response


@staff_view(Perm.VIEW_REGISTRY)
def assessment_coverage(request):
    data = selectors.assessment_coverage(request.actor, division_code=_division_param(request))
    return render(request, "eldercare/assessment_coverage.html", {"title": "高龄老人能力评估覆盖率", "data": data})


def _form_page(request, form, *, title: str, submit: str, back: str, intro: str = "", status: int | None = None, phone: bool = False):
    return render(
        request,
        "eldercare/form_page.html",
        {"title": title, "form": form, "submit": submit, "back": back, "intro": intro, "phone": phone},
        status=status or (422 if form.errors else 200),
    )


# --------------------------------------------------------------------------- dashboard
@staff_view(Perm.VIEW_REGISTRY)
def dashboard(request):
    data = dashboard_data(request.actor, division_code=_division_param(request))
    return render(request, "eldercare/dashboard.html", {"title": "养老服务", **data})


# --------------------------------------------------------------------------- facilities
@staff_view(Perm.VIEW_REGISTRY)
def facility_list(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    qs = selectors.list_facilities_for(
        request.actor,
        division_code=division,
        kind=kind if kind in FacilityKind.values else "",
        status=status if status in FacilityStatus.values else "",
        q=q,
    )
    context = {
        "title": "养老服务设施",
        "kinds": FacilityKind.choices,
        "statuses": FacilityStatus.choices,
        "kind": kind,
        "status": status,
        "q": q,
        "query_string": urlencode({"kind": kind, "status": status, "q": q, "division": division or ""}),
        "can_manage": request.actor.has(Perm.MANAGE_ELDERCARE),
    }
    context.update(_page(request, qs))
    return render(request, "eldercare/facility_list.html", context)


@staff_view(Perm.VIEW_REGISTRY)
def facility_detail(request, facility_id: int):
    facility = access_facility_by_id(request.actor, facility_id)
    residents = selectors.list_residencies_for(request.actor, facility=facility)
    return render(
        request,
        "eldercare/facility_detail.html",
        {
            "title": facility.name,
            "f": facility,
            "residents": residents,
            "is_institution": facility.kind in INSTITUTION_KINDS,
            "can_manage": request.actor.has(Perm.MANAGE_ELDERCARE),
            "check_in_form": CheckInForm(initial={"checked_in_on": clock.today()}),
            "current_division_code": facility.division_code,
        },
    )


@staff_view(Perm.MANAGE_ELDERCARE)
def facility_new(request):
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facility = actions.do_create_facility(request.actor, form.cleaned_data)
        except ValidationFailed as e:
            form.add_domain_errors(e.errors)
        except DomainError as e:
            form.add_error("division_code", e.message)
        else:
            messages.success(request, "设施已登记。")
            return redirect("eldercare:facility-detail", facility.pk)
    return _form_page(request, form, title="登记养老服务设施", submit="保存", back="eldercare:facility-list")


@staff_view(Perm.MANAGE_ELDERCARE)
def facility_edit(request, facility_id: int):
    facility = access_facility_by_id(request.actor, facility_id)
    initial = {k: getattr(facility, k) for k in actions.FACILITY_FIELDS}
    form = FacilityForm(request.POST or None, initial=initial)
    version = request.POST.get("version") or facility.version
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_facility(request.actor, facility, expected_version=int(version), changes=form.cleaned_data)
        except ValidationFailed as e:
            form.add_domain_errors(e.errors)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "设施信息已更新。")
            return redirect("eldercare:facility-detail", facility.pk)
    return render(
        request,
        "eldercare/form_page.html",
        {"title": f"修改：{facility.name}", "form": form, "submit": "保存", "back": "eldercare:facility-list", "version": version},
        status=422 if form.errors else 200,
    )


@require_POST
@staff_view(Perm.MANAGE_ELDERCARE)
def resident_check_in(request, facility_id: int):
    facility = access_facility_by_id(request.actor, facility_id)
    form = CheckInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = access_person_by_id(request.actor, data["person_id"], audit=False)
            actions.do_check_in_resident(
                request.actor, facility, person, checked_in_on=data["checked_in_on"],
                is_tekun_concentrated=data["is_tekun_concentrated"], bed_number=data["bed_number"],
            )  # fmt: skip
        except ValidationFailed as e:
            form.add_domain_errors(e.errors, {"person": "person_id", "facility": "__all__"})
        except DomainError as e:  # NotFound of the person: same message for missing and not yours
            form.add_error("person_id", e.message)
        else:
            messages.success(request, "已办理入住。")
            return redirect("eldercare:facility-detail", facility.pk)
    return render(
        request,
        "eldercare/facility_detail.html",
        {
            "title": facility.name, "f": facility, "is_institution": facility.kind in INSTITUTION_KINDS,
            "residents": selectors.list_residencies_for(request.actor, facility=facility),
            "can_manage": True, "check_in_form": form, "current_division_code": facility.division_code,
        },
        status=422,
    )  # fmt: skip


@staff_view(Perm.MANAGE_ELDERCARE)
def resident_check_out(request, residency_id: int):
    residency = access_residency_by_id(request.actor, residency_id)
    form = CheckOutForm(request.POST or None, initial={"checked_out_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_check_out_resident(
                request.actor, residency, checked_out_on=form.cleaned_data["checked_out_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as e:
            form.add_domain_errors(e.errors)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已办理退住。")
            return redirect("eldercare:facility-detail", residency.facility_id)
    return _form_page(
        request, form, title=f"退住：{residency.person.name}（{residency.facility.name}）", submit="办理退住",
        back="eldercare:facility-list",
    )  # fmt: skip


# --------------------------------------------------------------------------- the 15-minute circle
@staff_view(Perm.VIEW_REGISTRY)
def circle_map(request):
    data = map_page(request.actor, division_code=_division_param(request))
    return render(request, "eldercare/map.html", {"title": "一刻钟居家养老服务圈", **data})


# --------------------------------------------------------------------------- orders
@staff_view(Perm.VIEW_REGISTRY)
def order_list(request):
    status = request.GET.get("status", "")
    qs = selectors.list_orders_for(
        request.actor, division_code=_division_param(request), status=status if status in OrderStatus.values else ""
    )
    context = {"title": "居家社区养老服务工单", "statuses": OrderStatus.choices, "status": status,
               "query_string": urlencode({"status": status})}  # fmt: skip
    context.update(_page(request, qs))
    return render(request, "eldercare/order_list.html", context)


@staff_view(Perm.MANAGE_ELDERCARE)
def order_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    form = OrderRequestForm(request.POST or None, initial={"requested_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = actions.do_request_order(
                request.actor, person, service_kind=d["service_kind"], category=d["category"],
                requested_on=d["requested_on"], quantity=d["quantity"], note=d["note"],
            )  # fmt: skip
        except ValidationFailed as e:
            form.add_domain_errors(e.errors, {"person": "__all__"})
        else:
            messages.success(request, "服务申请已登记。")
            return redirect("eldercare:order-detail", order.pk)
    return _form_page(request, form, title=f"居家养老服务申请：{person.name}", submit="提交申请", back="eldercare:order-list",
                      intro=catalogue_intro())  # fmt: skip


def catalogue_intro() -> str:
    today = clock.today()
    parts = []
    for kind in ServiceKind:
        try:
            p = param(f"service.price.{kind.value}", today)
        except ParameterNotSet:  # a service without a price in force is not offered
            continue
        parts.append(f"{kind.label} {p.value}元{'（参数待确认）' if p.provisional else ''}")
    return "服务目录与单价：" + "；".join(parts)


# The order's steps: the URL's step → the workflow action and the form of its panel.
ORDER_STEPS = {"dispatch": "dispatch", "check-in": "check_in", "complete": "complete", "cancel": "cancel"}
# An action's error keys → the field of its form where the message is shown.
_ORDER_ERROR_FIELDS = {"check_in_at": "at", "check_out_at": "at", "check_in_location": "lon", "check_out_location": "lon"}


_ORDER_STEP_FORMS = {"check_in": (LocationForm, "ci_%s"), "complete": (CompleteForm, "co_%s"), "cancel": (CancelOrderForm, "cx_%s")}


def _order_forms(request, order, bound: dict | None = None) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    forms = {
        "dispatch": DispatchForm(providers=providers_serving(request.actor, order.division_code)),
        "check_in": LocationForm(initial={"at": now}, auto_id="ci_%s"),
        "complete": CompleteForm(initial={"at": now}, auto_id="co_%s"),
        "cancel": CancelOrderForm(auto_id="cx_%s"),
    }
    forms.update(bound or {})
    return forms


def _order_detail_page(request, order, *, bound: dict | None = None, status: int = 200):
    forms = _order_forms(request, order, bound)
    allowed = {t.action for t in ORDER_WORKFLOW.allowed(request.actor, order)}
    return render(
        request,
        "eldercare/order_detail.html",
        {
            "title": f"工单 {order.pk}",
            "o": order,
            "allowed": allowed,
            "history": selectors.order_history(request.actor, order),
            "dispatch_form": forms["dispatch"],
            "check_in_form": forms["check_in"],
            "complete_form": forms["complete"],
            "cancel_form": forms["cancel"],
            "current_division_code": order.division_code,
        },
        status=status,
    )


@staff_view(Perm.VIEW_REGISTRY)
def order_detail(request, order_id: int):
    return _order_detail_page(request, access_order_by_id(request.actor, order_id))


def _order_step(request, order_id: int, step: str):
    order = access_order_by_id(request.actor, order_id)
    action = ORDER_STEPS.get(step)
    if action is None:
        raise NotFound()
    version = posted_version(request)
    if action == "dispatch":
        form = DispatchForm(request.POST, providers=providers_serving(request.actor, order.division_code))
    else:
        form_class, auto_id = _ORDER_STEP_FORMS[action]
        form = form_class(request.POST, auto_id=auto_id)
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        if action == "dispatch":
            provider = access_provider_by_id(request.actor, d["provider"])
            actions.do_dispatch_order(request.actor, order, expected_version=version, provider=provider, worker_name=d["worker_name"])
        elif action == "check_in":
            actions.do_check_in_order(request.actor, order, expected_version=version, at=d["at"], lon=d["lon"], lat=d["lat"])
        elif action == "complete":
            actions.do_complete_order(
                request.actor, order, expected_version=version, at=d["at"], lon=d["lon"], lat=d["lat"],
                rating=d["rating"], rating_comment=d["rating_comment"],
            )  # fmt: skip
        else:
            actions.do_cancel_order(request.actor, order, expected_version=version, reason=d["reason"])
    except ValidationFailed as e:
        form.add_domain_errors(e.errors, _ORDER_ERROR_FIELDS)
        return _order_detail_page(request, order, bound={action: form}, status=422)
    except (NotFound, PermissionDenied):
        raise  # 404 / 403 pages (staff_view)
    except DomainError as e:  # wrong state, stale version
        messages.error(request, e.message)
        order.refresh_from_db()
        return _order_detail_page(request, order, status=409 if e.code == "stale" else 422)
    messages.success(request, f"已办理“{ORDER_WORKFLOW.action_label(action)}”。")
    return redirect("eldercare:order-detail", order.pk)


@require_POST
@staff_view(Perm.VIEW_REGISTRY)
def order_step(request, order_id: int, step: str):
    return _order_step(request, order_id, step)


@staff_view(Perm.VIEW_REGISTRY)
def ledger(request):
    month = request.GET.get("month", "").strip()
    rows = selectors.subsidy_ledger(request.actor, month=month if len(month) == 7 else "", division_code=_division_param(request))
    return render(request, "eldercare/ledger.html", {"title": "居家养老服务补贴台账", "rows": rows[:500], "month": month})


@staff_view(Perm.VIEW_REGISTRY)
def settlement_list(request):
    form = SettleForm(initial={"month": period_of(month_start_after(clock.today(), -1))})
    return render(
        request,
        "eldercare/settlements.html",
        {
            "title": "服务商结算",
            "settlements": selectors.list_settlements_for(request.actor)[:200],
            "providers": selectors.list_providers_for(request.actor),
            "form": form,
            "can_manage": request.actor.has(Perm.MANAGE_ELDERCARE),
        },
    )


@require_POST
@staff_view(Perm.MANAGE_ELDERCARE)
def settlement_create(request, provider_id: int):
    provider = access_provider_by_id(request.actor, provider_id)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "结算月份格式不正确，请选择年月，如 2026-12")
        return redirect("eldercare:settlement-list")
    try:
        settlement = actions.do_settle_provider_month(request.actor, provider, month=form.cleaned_data["month"])
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已结算 {settlement.order_count} 单。")
    return redirect("eldercare:settlement-list")


@staff_view(Perm.VIEW_REGISTRY)
def settlement_export(request, settlement_id: int):
    settlement = access_settlement_by_id(request.actor, settlement_id)
    content, count = settlement_xlsx(request.actor, settlement)
    record_audit_event(
        request.actor, AuditAction.EXPORT, object_type="eldercare.settlement", object_id=settlement.pk,
        division_code=settlement.division_code, summary=f"导出服务商结算单 {settlement.provider.name} {settlement.month}（{count}单，脱敏）",
    )  # fmt: skip
    return attachment(content, f"结算单-{settlement.provider.name}-{settlement.month}.xlsx", XLSX)


# --------------------------------------------------------------------------- visits
@staff_view(Perm.VIEW_REGISTRY)
def visit_list(request):
    mine = request.GET.get("mine") == "1"
    overdue = selectors.overdue_visits(
        request.actor, division_code=_division_param(request), responsible_user_id=request.user.pk if mine else None
    )
    targets = selectors.list_visit_targets_for(request.actor, division_code=_division_param(request)).order_by("division_code", "id")
    context = {"title": "探访关爱", "overdue": overdue[:200], "overdue_count": len(overdue), "mine": mine,
               "intervals": selectors.visit_intervals(clock.today()), "query_string": urlencode({"mine": "1" if mine else ""})}  # fmt: skip
    context.update(_page(request, targets))
    return render(request, "eldercare/visit_list.html", context)


@staff_view(Perm.MANAGE_ELDERCARE)
def visit_target_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    form = VisitTargetForm(request.POST or None, initial={"registered_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            target = actions.do_register_visit_target(
                request.actor, person, group=d["group"], risk_level=d["risk_level"], registered_on=d["registered_on"],
                responsible_user_id=request.user.pk, note=d["note"],
            )  # fmt: skip
        except ValidationFailed as e:
            form.add_domain_errors(e.errors, {"person": "__all__"})
        else:
            messages.success(request, "已纳入探访关爱名单，责任人为您本人。")
            return redirect("eldercare:visit-target", target.pk)
    return _form_page(request, form, title=f"纳入探访关爱：{person.name}", submit="保存", back="eldercare:visit-list")


@staff_view(Perm.VIEW_REGISTRY)
def visit_target(request, target_id: int):
    """The visit screen: usable at phone width (one column, large controls)."""
    target = access_visit_target_by_id(request.actor, target_id)
    form = VisitRecordForm(request.POST or None, initial={"visited_on": clock.today(), "visitor_name": str(request.user)})
    if request.method == "POST":
        request.actor.require(Perm.MANAGE_ELDERCARE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_record_visit(
                    request.actor, target, visited_on=d["visited_on"], visitor_name=d["visitor_name"],
                    findings=d["findings"], needs_follow_up=d["needs_follow_up"], follow_up=d["follow_up"],
                    risk_level=d["risk_level"] or None, lon=d["lon"], lat=d["lat"],
                )  # fmt: skip
            except ValidationFailed as e:
                form.add_domain_errors(e.errors, {"location": "__all__", "target": "__all__"})
            else:
                messages.success(request, "探访记录已保存。")
                return redirect("eldercare:visit-target", target.pk)
    intervals = selectors.visit_intervals(clock.today())
    return render(
        request,
        "eldercare/visit_target.html",
        {
            "title": f"探访：{target.person.name}",
            "t": target,
            "form": form,
            "due_on": selectors.due_date(target, intervals),
            "records": selectors.list_visit_records_for(request.actor, target=target)[:20],
            "can_manage": request.actor.has(Perm.MANAGE_ELDERCARE),
            "current_division_code": target.division_code,
        },
        status=422 if form.errors else 200,
    )


# --------------------------------------------------------------------------- family care beds
@staff_view(Perm.VIEW_REGISTRY)
def family_bed_list(request):
    qs = selectors.list_family_beds_for(request.actor, division_code=_division_param(request), active_only=False)
    context = {"title": "家庭养老床位", "query_string": ""}
    context.update(_page(request, qs))
    return render(request, "eldercare/family_bed_list.html", context)


@staff_view(Perm.MANAGE_ELDERCARE)
def family_bed_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    providers = providers_serving(request.actor, person.division_code)
    form = FamilyBedForm(request.POST or None, providers=providers, initial={"registered_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            provider = access_provider_by_id(request.actor, d["provider"])
            bed = actions.do_register_family_bed(
                request.actor, person, provider=provider, registered_on=d["registered_on"], care_plan=d["care_plan"]
            )
        except ValidationFailed as e:
            form.add_domain_errors(e.errors, {"person": "__all__"})
        else:
            messages.success(request, "家庭养老床位已建床。")
            return redirect("eldercare:family-bed-detail", bed.pk)
    return _form_page(request, form, title=f"家庭养老床位建床：{person.name}", submit="建床", back="eldercare:family-bed-list")


@staff_view(Perm.VIEW_REGISTRY)
def family_bed_detail(request, bed_id: int):
    bed = access_family_bed_by_id(request.actor, bed_id)
    form = FamilyBedServiceForm(request.POST or None, initial={"served_on": clock.today()})
    if request.method == "POST":
        request.actor.require(Perm.MANAGE_ELDERCARE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_record_family_bed_service(
                    request.actor, bed, served_on=d["served_on"], content=d["content"], minutes=d["minutes"], staff_name=d["staff_name"]
                )
            except ValidationFailed as e:
                form.add_domain_errors(e.errors, {"bed": "__all__"})
            else:
                messages.success(request, "服务记录已保存。")
                return redirect("eldercare:family-bed-detail", bed.pk)
    return render(
        request,
        "eldercare/family_bed_detail.html",
        {"title": f"家庭养老床位：{bed.person.name}", "b": bed, "form": form, "services": selectors.list_family_bed_services_for(request.actor, bed=bed)[:50],
         "can_manage": request.actor.has(Perm.MANAGE_ELDERCARE), "current_division_code": bed.division_code},  # fmt: skip
        status=422 if form.errors else 200,
    )

