"""Funeral screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core import clock
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.periods import (
    PeriodError,
    month_end,
    month_start_after,
    parse_period,
    period_of,
)
from minzheng.funerals import actions, exports, selectors
from minzheng.funerals.access import (
    access_facility_by_id,
    access_illegal_grave_by_id,
    access_inspection_by_id,
    access_memorial_by_id,
    access_message_by_id,
    access_record_by_id,
    access_settlement_by_id,
    memorial_by_token,
    memorial_photo_by_token,
    serving_facility_by_id,
    serving_plot_by_id,
)
from minzheng.funerals.forms import (
    GRAVE_STATUS_FILTER,
    BuryForm,
    CremateForm,
    FacilityForm,
    GraveCloseForm,
    GraveForm,
    GraveOrderForm,
    InspectionForm,
    InterForm,
    MemorialForm,
    MemorialPhotoForm,
    MessageForm,
    NotifyForm,
    PlotFilterForm,
    PlotsForm,
    PriceForm,
    ServicesForm,
    SettleForm,
    StoreAshesForm,
    TransportForm,
    ZoneForm,
)
from minzheng.funerals.indicators import compute_indicators
from minzheng.funerals.permissions import FuneralPerm
from minzheng.funerals.workflow import RECORD_WORKFLOW
from minzheng.registry.access import access_person_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import search_persons
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import XLSX, attachment
from minzheng.web.form_errors import posted_version
from minzheng.web.paging import CappedPaginator

PLOTS_PER_PAGE = 50
GRAVES_PER_PAGE = 50


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    context = {
        "title": "殡葬管理",
        "open_records": selectors.list_records_for(actor, status="open")[:10],
        "open_count": selectors.list_records_for(actor, status="open").count(),
        "pending_messages": selectors.pending_messages_for(actor)[:20],
        "deaths_waiting": selectors.deaths_without_record(actor) if actor.has(FuneralPerm.MANAGE_FUNERALS) else [],
        "indicators": compute_indicators() if actor.level == "district" else None,
    }
    return render(request, "funerals/home.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def record_list(request):
    q = (request.GET.get("q") or "").strip()
    status = request.GET.get("status", "")
    people = []
    if q and request.actor.has(FuneralPerm.MANAGE_FUNERALS):
        found, _query = search_persons(request.actor, q)
        people = list(found.filter(funeral_record__isnull=True)[:10])
    rows = selectors.list_records_for(request.actor, status=status, q=q if not people else "")[:200]
    return render(request, "funerals/record_list.html", {"title": "殡葬服务记录", "rows": rows, "q": q, "people": people, "status": status})


@staff_view(FuneralPerm.MANAGE_FUNERALS)
def record_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    homes = selectors.funeral_homes_serving(person.division_code)
    initial = {"source": "family"}
    reported = [r for r in selectors.deaths_without_record(request.actor, limit=200) if r.person_id == person.pk]
    if reported:  # from the death feed: the department's date is the starting point
        initial = {"source": "death_feed", "death_date": reported[0].death_date}
    form = NotifyForm(request.POST or None, homes=homes, initial=initial)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            home = serving_facility_by_id(request.actor, d["funeral_home"], person.division_code) if d["funeral_home"] else None
            record = actions.do_notify_death(
                request.actor, person=person, source=d["source"], death_date=d["death_date"], death_place=d["death_place"],
                contact_name=d["contact_name"], contact_phone=d["contact_phone"], death_certificate_no=d["death_certificate_no"],
                funeral_home=home,
            )  # fmt: skip
            messages.success(request, f"已登记报丧，殡葬服务记录 {record.number}。")
            return redirect("funerals:record-detail", record.pk)
        except ValidationFailed as e:
            form.add_errors(e.errors)
        return render(request, "funerals/record_new.html", {"title": "报丧登记", "person": person, "form": form}, status=422)
    return render(request, "funerals/record_new.html", {"title": "报丧登记", "person": person, "form": form})


STEP_FORMS = {
    "transport": TransportForm, "services": ServicesForm, "cremate": CremateForm, "bury": BuryForm,
    "store_ashes": StoreAshesForm, "inter": InterForm, "memorial": MemorialForm,
}  # fmt: skip


def _forms_for(actor, record, bound: dict | None = None) -> dict:
    homes = selectors.funeral_homes_serving(record.division_code)
    cemeteries = selectors.cemeteries_serving(record.division_code)
    plots = [p for c in cemeteries for p in selectors.available_plots(c).select_related("cemetery")[:200]]
    extra = {"transport": {"homes": homes}, "inter": {"cemeteries": cemeteries, "plots": plots}}
    initial = {
        "transport": {"funeral_home": record.funeral_home_id, "transported_on": clock.today()},
        "services": {"storage_days": record.storage_days, "farewell_on": record.farewell_on, "mourning_kind": record.mourning_kind,
                     "mourning_venue": record.mourning_venue},
        "cremate": {"cremated_on": clock.today()}, "store_ashes": {"stored_on": clock.today()},
        "inter": {"interred_on": clock.today()}, "bury": {"buried_on": clock.today()},
    }  # fmt: skip
    out = {}
    for step, form_class in STEP_FORMS.items():
        if bound and step in bound:
            out[f"{step}_form"] = bound[step]
        else:
            out[f"{step}_form"] = form_class(initial=initial.get(step), auto_id=f"id_{step}_%s", **extra.get(step, {}))
    return out


def _detail(request, record, *, bound=None, status=200, photo_form=None):
    actor = request.actor
    memorial = getattr(record, "memorial", None) if hasattr(record, "memorial") else None
    allowed = {t.action for t in RECORD_WORKFLOW.allowed(actor, record)}
    can_manage = actor.has(FuneralPerm.MANAGE_FUNERALS)
    terminal = record.status in ("buried", "interred")
    context = {
        "title": f"殡葬服务记录 {record.number}",
        "r": record,
        "allowed": allowed,
        "can_services": can_manage and not terminal,
        "can_memorial": can_manage and record.status not in ("notified", "transported") and not hasattr(record, "memorial"),
        "memorial": memorial,
        "can_manage_memorial": can_manage and memorial is not None and actor.covers(memorial.division_code),
        "memorial_photo": selectors.memorial_photo_of(memorial) if memorial else None,
        "photo_form": photo_form or MemorialPhotoForm(auto_id="id_photo_%s"),
        "waiver": getattr(record, "waiver", None) if hasattr(record, "waiver") else None,
        "history": selectors.record_history(actor, record),
        **_forms_for(actor, record, bound),
    }
    return render(request, "funerals/record_detail.html", context, status=status)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def record_detail(request, record_id: int):
    return _detail(request, access_record_by_id(request.actor, record_id))


@require_POST
@staff_view(RegistryPerm.VIEW_REGISTRY)
def record_step(request, record_id: int, step: str):
    actor = request.actor
    record = access_record_by_id(actor, record_id)
    if step not in STEP_FORMS:
        raise NotFound()
    version = posted_version(request)
    extra = {}
    if step == "transport":
        extra = {"homes": selectors.funeral_homes_serving(record.division_code)}
    elif step == "inter":
        cemeteries = selectors.cemeteries_serving(record.division_code)
        extra = {"cemeteries": cemeteries, "plots": [p for c in cemeteries for p in selectors.available_plots(c).select_related("cemetery")]}
    form = STEP_FORMS[step](request.POST, request.FILES, auto_id=f"id_{step}_%s", **extra)
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        if step == "transport":
            home = serving_facility_by_id(actor, d["funeral_home"], record.division_code)
            actions.do_transport_body(actor, record, expected_version=version, transported_on=d["transported_on"], funeral_home=home)
        elif step == "services":
            actions.do_record_services(
                actor, record, expected_version=version, storage_days=d["storage_days"], farewell_on=d["farewell_on"],
                mourning_kind=d["mourning_kind"], mourning_venue=d["mourning_venue"],
            )  # fmt: skip
        elif step == "cremate":
            actions.do_cremate(actor, record, expected_version=version, cremated_on=d["cremated_on"],
                               certificate_no=d["certificate_no"], urn_price_yuan=d["urn_price"])  # fmt: skip
        elif step == "bury":
            actions.do_bury(actor, record, expected_version=version, buried_on=d["buried_on"], place=d["place"])
        elif step == "store_ashes":
            actions.do_store_ashes(actor, record, expected_version=version, stored_on=d["stored_on"])
        elif step == "inter":
            cemetery = serving_facility_by_id(actor, d["cemetery"], record.division_code)
            plot = serving_plot_by_id(actor, d["plot"], record.division_code)
            actions.do_inter(actor, record, expected_version=version, interred_on=d["interred_on"], cemetery=cemetery, plot=plot)
        else:
            upload = d.get("photo")
            actions.do_open_memorial(actor, record, consent_by=d["consent_by"], consent_relation=d["consent_relation"], epitaph=d["epitaph"],
                                     photo=(upload.name, upload.read()) if upload else None)  # fmt: skip
    except ValidationFailed as e:
        form.add_errors(e.errors)
        return _detail(request, record, bound={step: form}, status=422)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as e:
        messages.error(request, e.message)
        record.refresh_from_db()
        return _detail(request, record, status=409 if e.code == "stale" else 422)
    label = {"services": "暂存、告别与治丧", "memorial": "开通网上祭扫"}.get(step) or RECORD_WORKFLOW.action_label(step)
    messages.success(request, f"已办理“{label}”。")
    return redirect("funerals:record-detail", record.pk)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def facility_list(request):
    actor = request.actor
    kind = request.GET.get("kind", "")
    can_manage = actor.has(FuneralPerm.MANAGE_FUNERAL_FACILITIES)
    form = FacilityForm(request.POST or None, actor=actor, auto_id="id_facility_%s") if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权登记殡葬设施")
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            facility = actions.do_register_facility(
                actor, name=d["name"], kind=d["kind"], division_code=d["division_code"], capacity=d["capacity"] or 0,
                opened_on=d["opened_on"], status=d["status"], demonstration=d["demonstration"], address=d["address"],
                bank_name=d["bank_name"], bank_account=d["bank_account"],
            )  # fmt: skip
            messages.success(request, f"已登记殡葬设施：{facility.name}。")
            return redirect("funerals:facility-detail", facility.pk)
        except ValidationFailed as e:
            form.add_errors(e.errors)
            status = 422
    return render(request, "funerals/facility_list.html",
                  {"title": "殡葬设施", "rows": selectors.list_facilities_for(actor, kind=kind), "kind": kind, "form": form},
                  status=status)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def facility_detail(request, facility_id: int):
    actor = request.actor
    facility = access_facility_by_id(actor, facility_id)
    forms_ = {"plots": PlotsForm, "price": PriceForm, "inspection": InspectionForm}
    bound = {}
    status = 200
    if request.method == "POST" and request.POST.get("form") == "close_inspection":
        inspection = access_inspection_by_id(actor, request.POST.get("inspection"))
        if inspection.facility_id != facility.pk:
            raise NotFound()
        version = posted_version(request)
        try:
            actions.do_close_inspection(actor, inspection, expected_version=version, rectification=request.POST.get("rectification", ""))
            messages.success(request, "已整改销号。")
        except ValidationFailed as e:
            messages.error(request, "；".join(e.errors.values()))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("funerals:facility-detail", facility.pk)
    if request.method == "POST":
        which = request.POST.get("form", "")
        if which not in forms_:
            raise NotFound()
        form = forms_[which](request.POST, auto_id=f"id_{which}_%s")
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            if which == "plots":
                numbers = [n for n in d["numbers"].replace("，", ",").replace(",", " ").split() if n]
                actions.do_add_plots(actor, facility, kind=d["kind"], numbers=numbers)
            elif which == "price":
                actions.do_file_price(actor, facility, item=d["item"], price_yuan=d["price"], effective_from=d["effective_from"], reference=d["reference"])
            else:
                actions.do_record_inspection(actor, facility, inspected_on=d["inspected_on"], findings=d["findings"])
            messages.success(request, "已保存。")
            return redirect("funerals:facility-detail", facility.pk)
        except ValidationFailed as e:
            form.add_errors(e.errors)
            bound[which] = form
            status = 422
    plots_page, plot_filter = None, None
    if facility.is_cemetery:
        plot_filter = PlotFilterForm(request.GET or None)
        kind_f, status_f = ("", "")
        if plot_filter.is_valid():
            kind_f, status_f = plot_filter.cleaned_data["kind"], plot_filter.cleaned_data["status"]
        qs = selectors.plots_of(actor, facility, kind=kind_f, status=status_f)
        plots_page = CappedPaginator(qs, PLOTS_PER_PAGE).get_page(request.GET.get("page"))
        for plot in plots_page:
            record = getattr(plot, "record", None) if plot.status == "sold" else None
            plot.record_number = record.number if record else ""
            plot.record_link = record.pk if record and actor.covers(record.division_code) else None
    context = {
        "title": facility.name,
        "f": facility,
        "plot_filter": plot_filter,
        "page_obj": plots_page,
        "paginator": plots_page.paginator if plots_page else None,
        "query_string": _query_without_page(request),
        "can_manage": actor.has(FuneralPerm.MANAGE_FUNERAL_FACILITIES),
        "plot_use": selectors.plot_use(facility) if facility.is_cemetery else {},
        "prices": selectors.prices_of(actor, facility),
        "inspections": selectors.inspections_of(actor, facility),
        **{f"{k}_form": bound.get(k) or cls(auto_id=f"id_{k}_%s") for k, cls in forms_.items()},
    }
    return render(request, "funerals/facility_detail.html", context, status=status)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()


@staff_view(RegistryPerm.VIEW_REGISTRY)
def register_page(request):
    day = _day(request)
    rows = selectors.daily_register(request.actor, day)
    return render(request, "funerals/register.html", {"title": "殡葬服务日登记簿", "day": day, "rows": rows})


def _month(request) -> dt.date:
    try:
        return parse_period(request.GET.get("month", ""))
    except (PeriodError, ValueError):
        return month_start_after(clock.today(), -1)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_page(request):
    first = _month(request)
    figures = selectors.monthly_report(request.actor, first, month_end(first))
    return render(request, "funerals/report.html", {"title": "殡葬管理月报", "month": period_of(first), "figures": figures})


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_xlsx(request):
    first = _month(request)
    content = exports.monthly_report_xlsx(request.actor, first)
    return attachment(content, f"殡葬管理月报{period_of(first)}.xlsx", XLSX)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_pdf(request):
    first = _month(request)
    content = exports.monthly_report_pdf(request.actor, first)
    return attachment(content, f"殡葬管理月报{period_of(first)}.pdf", "application/pdf")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def settlement_list(request):
    actor = request.actor
    homes = selectors.funeral_homes(actor)
    form = SettleForm(request.POST or None, homes=homes, initial={"period": period_of(month_start_after(clock.today(), -1))})
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            home = access_facility_by_id(actor, form.cleaned_data["funeral_home"])
            batch = actions.do_prepare_settlement(actor, home, period=form.cleaned_data["period"])
            messages.success(request, f"已生成结算表：{batch.waiver_count}笔。")
            return redirect("funerals:settlement-list")
        except ValidationFailed as e:
            form.add_errors(e.errors)
            status = 422
    can_settle = actor.has(FuneralPerm.SETTLE_FUNERAL_WAIVERS)
    return render(request, "funerals/settlements.html",
                  {"title": "惠民殡葬结算", "rows": selectors.list_settlements_for(actor), "form": form, "can_settle": can_settle},
                  status=status)  # fmt: skip


@require_POST
@staff_view(FuneralPerm.SETTLE_FUNERAL_WAIVERS)
def settlement_approve(request, settlement_id: int):
    settlement = access_settlement_by_id(request.actor, settlement_id)
    version = posted_version(request)
    try:
        actions.do_approve_settlement(request.actor, settlement, expected_version=version)
        messages.success(request, "结算表已审批。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("funerals:settlement-list")


@staff_view(FuneralPerm.SETTLE_FUNERAL_WAIVERS)
def settlement_bank_file(request, settlement_id: int):
    settlement = access_settlement_by_id(request.actor, settlement_id)
    content = exports.settlement_bank_file(request.actor, settlement)
    return attachment(content, f"惠民殡葬结算{settlement.period}.xlsx", XLSX)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def zone_list(request):
    actor = request.actor
    form = ZoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            actions.do_set_zone(actor, **form.cleaned_data)
            messages.success(request, "已登记。")
            return redirect("funerals:zone-list")
        except ValidationFailed as e:
            form.add_errors(e.errors)
            status = 422
    return render(request, "funerals/zones.html",
                  {"title": "火化区与文明治丧区", "rows": selectors.list_zones_for(actor),
                   "graves_open": selectors.list_illegal_graves_for(actor).exclude(status="rectified").count(), "form": form,
                   "can_manage": actor.has(FuneralPerm.MANAGE_FUNERAL_FACILITIES) and actor.level == "district"},
                  status=status)  # fmt: skip


def _grave_page(request, *, bound: dict | None = None, report_form=None, status: int = 200):
    actor = request.actor
    status_filter = request.GET.get("status", "")
    if status_filter not in dict(GRAVE_STATUS_FILTER):
        status_filter = ""
    can_report = actor.has(FuneralPerm.MANAGE_FUNERALS)
    can_order = actor.has(FuneralPerm.MANAGE_FUNERAL_FACILITIES)
    page = CappedPaginator(selectors.list_illegal_graves_for(actor, status=status_filter), GRAVES_PER_PAGE).get_page(request.GET.get("page"))
    bound = bound or {}
    for g in page:
        g.order_form = (
            (bound.get((g.pk, "order")) or GraveOrderForm(auto_id=f"id_order_{g.pk}_%s")) if can_order and g.status == "found" else None
        )
        g.close_form = (
            (bound.get((g.pk, "close")) or GraveCloseForm(initial={"rectified_on": clock.today()}, auto_id=f"id_close_{g.pk}_%s"))
            if can_report and g.status == "rectifying" else None
        )  # fmt: skip
    if report_form is None and can_report:
        report_form = GraveForm(actor=actor, initial={"found_on": clock.today()}, auto_id="id_grave_%s")
    return render(request, "funerals/graves.html", {
        "title": "散埋乱葬整治", "page_obj": page, "paginator": page.paginator, "query_string": _query_without_page(request),
        "status": status_filter, "status_choices": GRAVE_STATUS_FILTER, "form": report_form,
    }, status=status)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def grave_list(request):
    actor = request.actor
    if request.method != "POST":
        return _grave_page(request)
    actor.require(FuneralPerm.MANAGE_FUNERALS)
    form = GraveForm(request.POST, actor=actor, auto_id="id_grave_%s")
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        grave = actions.do_report_illegal_grave(actor, division_code=d["division_code"], found_on=d["found_on"], location=d["location"],
                                                description=d["description"])  # fmt: skip
        messages.success(request, f"已登记散埋乱葬：{grave.location}。")
        return redirect("funerals:grave-list")
    except ValidationFailed as e:
        form.add_errors(e.errors)
    return _grave_page(request, report_form=form, status=422)


@require_POST
@staff_view(RegistryPerm.VIEW_REGISTRY)
def grave_step(request, grave_id: int, step: str):
    actor = request.actor
    forms_ = {"order": GraveOrderForm, "close": GraveCloseForm}
    if step not in forms_:
        raise NotFound()
    grave = access_illegal_grave_by_id(actor, grave_id)
    actor.require(FuneralPerm.MANAGE_FUNERAL_FACILITIES if step == "order" else FuneralPerm.MANAGE_FUNERALS)
    version = posted_version(request)
    form = forms_[step](request.POST, auto_id=f"id_{step}_{grave.pk}_%s")
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        if step == "order":
            actions.do_order_grave_rectification(actor, grave, expected_version=version, deadline_on=d["deadline_on"])
            messages.success(request, f"已下达整改：{grave.location}，期限{d['deadline_on']:%Y-%m-%d}。")
        else:
            actions.do_close_illegal_grave(actor, grave, expected_version=version, rectified_on=d["rectified_on"],
                                           rectification=d["rectification"])  # fmt: skip
            messages.success(request, f"已整改销号：{grave.location}。")
    except ValidationFailed as e:
        form.add_errors(e.errors)
        return _grave_page(request, bound={(grave.pk, step): form}, status=422)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return _grave_page(request, status=409 if e.code == "stale" else 422)
    return redirect("funerals:grave-list")


@require_POST
@staff_view(FuneralPerm.MANAGE_FUNERALS)
def memorial_photo_edit(request, memorial_id: int):
    """Staff upload, replace or remove the deceased's photo of a memorial page."""
    actor = request.actor
    memorial = access_memorial_by_id(actor, memorial_id)
    record = access_record_by_id(actor, memorial.record_id)
    if request.POST.get("remove"):
        try:
            actions.do_remove_memorial_photo(actor, memorial)
            messages.success(request, "已删除纪念页照片。")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("funerals:record-detail", record.pk)
    form = MemorialPhotoForm(request.POST, request.FILES, auto_id="id_photo_%s")
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        upload = form.cleaned_data["photo"]
        actions.do_set_memorial_photo(actor, memorial, photo=(upload.name, upload.read()))
    except ValidationFailed as e:
        form.add_errors(e.errors)
        return _detail(request, record, status=422, photo_form=form)
    messages.success(request, "已保存纪念页照片。")
    return redirect("funerals:record-detail", record.pk)


def memorial_photo(request, token: str):
    """The photo of the memorial with this token (public like the page; nothing else served)."""
    try:
        item = memorial_photo_by_token(token)
        handle = item.file.open("rb")
    except (NotFound, FileNotFoundError):
        raise Http404() from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def memorial_page(request, token: str):
    """网上祭扫: public, read-only; a visitor's message waits for staff to approve it."""
    try:
        memorial = memorial_by_token(token)
    except NotFound:
        raise Http404() from None
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            actions.do_post_memorial_message(memorial, author=form.cleaned_data["author"], text=form.cleaned_data["text"])
            messages.success(request, "留言已提交，审核后显示。")
            return redirect("funerals:memorial", token)
        except ValidationFailed as e:
            form.add_errors(e.errors)
            status = 422
    person = memorial.record.person
    return render(request, "funerals/memorial.html", {
        "title": f"缅怀 {person.name}", "m": memorial, "person": person, "record": memorial.record,
        "photo": selectors.memorial_photo_of(memorial),
        "messages_list": selectors.approved_messages(memorial), "form": form,
    }, status=status)  # fmt: skip


@require_POST
@staff_view(FuneralPerm.MANAGE_FUNERALS)
def message_moderate(request, message_id: int):
    message = access_message_by_id(request.actor, message_id)
    try:
        actions.do_moderate_message(request.actor, message, approve=request.POST.get("decision") == "approve")
        messages.success(request, "已审核。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("funerals:home")
