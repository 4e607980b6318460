"""Rescue screens: thin views over selectors, access functions and actions. Station pages for
the station's staff (district); the follow-up and 防走失 pages for the villages work at 390 px."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.cases.workflow import Stale
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.periods import PeriodError
from minzheng.rescue import actions, forms, params, reports, selectors
from minzheng.rescue.access import (
    access_case_by_id,
    access_follow_up_by_id,
    access_photo_by_id,
    access_wandering_by_id,
)
from minzheng.rescue.enums import PRESENT_STATUSES, CaseStatus, Risk
from minzheng.rescue.indicators import occupancy, return_rate, settlement_rate
from minzheng.rescue.permissions import RescuePerm
from minzheng.rescue.workflow import CASE_WORKFLOW
from minzheng.web.decorators import render_error, staff_view
from minzheng.web.downloads import XLSX, attachment
from minzheng.web.form_errors import apply_domain_error, posted_version

STATION = RescuePerm.STATION_WORK
FOLLOW_UP = RescuePerm.FOLLOW_UP_RETURNEES

# Forms of the steps and in-state records on a case page: action → (heading, form class).
STEP_FORMS = {
    "identify": ("查明身份", forms.IdentifyForm),
    "return_home": ("接送返回", forms.ReturnForm),
    "confirm_arrival": ("确认到达", forms.ArrivalForm),
    "leave": ("自行离站", forms.LeaveForm),
    "refuse": ("不予救助", forms.RefuseForm),
    "mark_long_stay": ("转为长期滞留", forms.EmptyForm),
    "start_settlement": ("启动落户安置", forms.EmptyForm),
    "settle": ("落户安置完成", forms.SettleForm),
}
RECORD_FORMS = {
    "bed": ("安排床位", forms.BedForm),
    "extend": ("延长在站期限", forms.ExtendForm),
    "daily": ("在站日志", forms.DailyForm),
    "search": ("寻亲记录", forms.SearchForm),
    "match": ("户籍人口比对", forms.MatchForm),
    "document": ("登记落户安置材料", forms.DocumentForm),
    "hospital": ("送医救治", forms.HospitalSendForm),
    "hospital_return": ("登记出院结果", forms.HospitalReturnForm),
}
# An action's error key → the form field it belongs to.
ERROR_FIELDS = {"bed_id": "bed"}


def _station(actor):
    station = selectors.list_stations_for(actor).first()
    if station is None:
        raise NotFound("尚未登记救助管理站")
    return station


@staff_view(FOLLOW_UP)
def home(request):
    actor = request.actor
    context = {"title": "救助管理", "station": None, "today": clock.today()}
    if actor.has(STATION):
        station = selectors.list_stations_for(actor).first()
        year = f"{clock.today():%Y}"
        context.update(
            station=station,
            present=selectors.list_cases_for(actor, present=True).count(),
            overstaying=selectors.overstaying(actor).count(),
            in_hospital=[(s, selectors.hospital_days(s, clock.today())) for s in selectors.list_hospital_stays_for(actor, open_only=True)],
            hospital_review_days=params.hospital_review_days(),
            hospital_provisional=params.provisional(params.HOSPITAL_REVIEW_DAYS),
            occupancy=occupancy(actor=actor),
            return_rate=return_rate(year, actor),
            settlement_rate=settlement_rate(year, actor),
            year=year,
            stay_days=params.stay_days(),
            stay_provisional=params.provisional(params.STAY_DAYS),
        )
    context["follow_ups"] = selectors.list_follow_ups_for(actor, open_only=True).count()
    context["wandering"] = selectors.list_wandering_for(actor).count()
    return render(request, "rescue/home.html", context)


@staff_view(STATION)
def case_list(request):
    present = request.GET.get("present") == "1"
    status = request.GET.get("status", "")
    cases = selectors.list_cases_for(request.actor, present=present, status=status if status in CaseStatus.values else "")
    return render(
        request,
        "rescue/case_list.html",
        {"title": "受助人员", "cases": cases[:200], "present": present, "today": clock.today(), "statuses": CaseStatus.choices, "status": status},
    )


@staff_view(STATION)
def intake(request):
    actor = request.actor
    station = _station(actor)
    beds = list(selectors.free_beds(actor, station))
    form = forms.IntakeForm(request.POST or None, request.FILES or None, beds=beds, initial={"name": "不详", "arrived_at": clock.now(), "found_division_code": station.location_code})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = actions.IntakeInput(
            station_id=station.pk, name=d["name"], sex=d["sex"], source=d["source"], found_place=d["found_place"],
            found_division_code=d["found_division_code"], arrived_at=d["arrived_at"], estimated_age=d["estimated_age"],
            id_number=d["id_number"], origin_text=d["origin_text"], features=d["features"], belongings=d["belongings"],
            health=d["health"], risks=d["risks"], source_unit=d["source_unit"], bed_id=int(d["bed_id"]) if d["bed_id"] else None,
        )  # fmt: skip
        try:
            case = actions.do_intake(actor, data, photos=[(f.name, f.read()) for f in d["photos"]])
        except DomainError as e:
            apply_domain_error(form, e, ERROR_FIELDS)
        else:
            note = f"，已转报未成年人保护（{case.protection_case_number}）" if case.protection_case_number else ""
            messages.success(request, f"已登记入站：{case.number}{note}。")
            return redirect("rescue:case-detail", case_id=case.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "rescue/intake.html", {"title": "入站登记", "form": form, "station": station}, status=status)


def _case_page(request, case, bound: dict | None = None, status: int = 200):
    actor = request.actor
    bound = bound or {}
    allowed = {t.action for t in CASE_WORKFLOW.allowed(actor, case)}
    step_forms = {a: (label, bound.get(a) or cls()) for a, (label, cls) in STEP_FORMS.items() if a in allowed}
    record_forms = {}
    present = case.status in PRESENT_STATUSES
    if present:
        beds = list(selectors.free_beds(actor, case.station))
        for key in ("bed", "extend", "daily", "search", "match"):
            label, cls = RECORD_FORMS[key]
            record_forms[key] = (label, bound.get(key) or (cls(beds=beds) if key == "bed" else cls()))
    stays = list(case.hospital_stays.visible_to(actor))
    open_stay = next((h for h in stays if h.returned_on is None), None)
    if open_stay is not None:
        record_forms["hospital_return"] = (RECORD_FORMS["hospital_return"][0], bound.get("hospital_return") or forms.HospitalReturnForm())
    elif present:
        label, cls = RECORD_FORMS["hospital"]
        record_forms["hospital"] = (label, bound.get("hospital") or cls(initial={"sent_on": clock.today()}))
    if case.status in (CaseStatus.LONG_STAY, CaseStatus.SETTLING):
        record_forms["document"] = (RECORD_FORMS["document"][0], bound.get("document") or forms.DocumentForm())
    return render(
        request,
        "rescue/case_detail.html",
        {
            "title": f"受助人员 {case.number}",
            "c": case,
            "risk_labels": [Risk(r).label for r in case.risks],
            "bed": selectors.current_bed(case),
            "photos": case.photos.visible_to(actor),
            "extensions": case.extensions.visible_to(actor),
            "daily": case.daily_records.visible_to(actor)[:30],
            "searches": case.searches.visible_to(actor),
            "documents": case.settlement_documents.visible_to(actor),
            "hospital_stays": [(h, selectors.hospital_days(h, clock.today())) for h in stays],
            "open_stay": open_stay,
            "history": selectors.case_history(actor, case),
            "step_forms": step_forms,
            "record_forms": record_forms,
            "overstay": present and case.stay_until < clock.today(),
            "stay_provisional": params.provisional(params.STAY_DAYS),
        },
        status=status,
    )


@staff_view(STATION)
def case_detail(request, case_id: int):
    return _case_page(request, access_case_by_id(request.actor, case_id))


@require_POST
@staff_view(STATION)
def case_step(request, case_id: int, action: str):
    actor = request.actor
    case = access_case_by_id(actor, case_id)
    spec = STEP_FORMS.get(action) or RECORD_FORMS.get(action)
    if spec is None:
        return HttpResponse(status=404)
    label, cls = spec
    form = cls(request.POST, beds=list(selectors.free_beds(actor, case.station))) if action == "bed" else cls(request.POST)
    if not form.is_valid():
        return _case_page(request, case, {action: form}, status=422)
    d, v = form.cleaned_data, posted_version(request)
    try:
        if action == "identify":
            actions.do_identify(actor, case, expected_version=v, **d)
        elif action == "return_home":
            actions.do_return_home(actor, case, expected_version=v, **d)
        elif action == "confirm_arrival":
            actions.do_confirm_arrival(actor, case, expected_version=v, **d)
        elif action == "leave":
            actions.do_leave(actor, case, expected_version=v, **d)
        elif action == "refuse":
            actions.do_refuse(actor, case, expected_version=v, **d)
        elif action == "mark_long_stay":
            actions.do_mark_long_stay(actor, case, expected_version=v)
        elif action == "start_settlement":
            actions.do_start_settlement(actor, case, expected_version=v)
        elif action == "settle":
            actions.do_settle(actor, case, expected_version=v, **d)
        elif action == "bed":
            actions.do_assign_bed(actor, case, bed_id=d["bed"])
        elif action == "extend":
            actions.do_extend_stay(actor, case, expected_version=v, **d)
        elif action == "daily":
            actions.do_record_day(actor, case, **d)
        elif action == "search":
            actions.do_record_search(actor, case, **d)
        elif action == "match":
            actions.do_match_registry(actor, case, expected_version=v, **d)
        elif action == "hospital":
            actions.do_send_to_hospital(actor, case, **d)
        elif action == "hospital_return":
            actions.do_record_hospital_return(actor, case, expected_version=v, **d)
        else:
            actions.do_add_settlement_document(actor, case, expected_version=v, **d)
    except Stale as e:
        messages.error(request, e.message)
        return _case_page(request, access_case_by_id(actor, case_id), status=409)
    except DomainError as e:
        apply_domain_error(form, e, ERROR_FIELDS)
        return _case_page(request, access_case_by_id(actor, case_id), {action: form}, status=422)
    messages.success(request, f"已办理“{label}”。")
    return redirect("rescue:case-detail", case_id=case.pk)


@staff_view(RescuePerm.VIEW_RESCUE)
def stats(request):
    period = request.GET.get("period") or f"{clock.today():%Y}"
    error = ""
    try:
        figures = selectors.statistics(request.actor, period)
    except ValidationFailed as e:
        error, figures = e.errors["period"], selectors.statistics(request.actor, f"{clock.today():%Y}")
    return render(request, "rescue/stats.html", {"title": "救助统计", "s": figures, "error": error, "period": period}, status=422 if error else 200)


@staff_view(STATION)
def campaigns(request):
    actor = request.actor
    campaign_list = list(selectors.list_campaigns_for(actor))
    campaign_form = forms.CampaignForm(request.POST if request.POST.get("form") == "campaign" else None)
    patrol_form = forms.PatrolForm(request.POST if request.POST.get("form") == "patrol" else None, campaigns=campaign_list)
    status = 200
    if request.method == "POST":
        status = 422
        form = campaign_form if request.POST.get("form") == "campaign" else patrol_form
        if form.is_valid():
            try:
                if form is campaign_form:
                    actions.do_create_campaign(actor, **form.cleaned_data)
                else:
                    actions.do_record_patrol(actor, **{**form.cleaned_data, "campaign_id": form.cleaned_data["campaign_id"] or None})
            except DomainError as e:
                apply_domain_error(form, e, ERROR_FIELDS)
            else:
                messages.success(request, "已登记。")
                return redirect("rescue:campaigns")
    patrols = list(selectors.list_patrols_for(actor))
    for c in campaign_list:
        c.patrol_list = [p for p in patrols if p.campaign_id == c.pk]
    return render(
        request, "rescue/campaigns.html",
        {"title": "专项救助行动", "campaigns": campaign_list, "other": [p for p in patrols if p.campaign_id is None],
         "campaign_form": campaign_form, "patrol_form": patrol_form},
        status=status,
    )  # fmt: skip


def _day_param(request):
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()


@staff_view(STATION)
def report(request, kind: str, fmt: str):
    if kind not in ("daily", "monthly") or fmt not in ("xlsx", "pdf"):
        return HttpResponse(status=404)
    actor = request.actor
    station = _station(actor)
    if kind == "daily":
        day = min(_day_param(request), clock.today())
        data = reports.daily_report(actor, station, day)
        content = reports.daily_xlsx(data) if fmt == "xlsx" else reports.daily_pdf(data)
        name, label = f"救助管理站日报-{day:%Y-%m-%d}", f"{day:%Y-%m-%d}日报"
    else:
        period = request.GET.get("period") or f"{clock.today():%Y-%m}"
        try:
            data = reports.monthly_report(actor, station, period)
        except PeriodError as e:
            return render_error(request, 422, "输入有误", f"统计月份有误：{e}")
        content = reports.monthly_xlsx(data) if fmt == "xlsx" else reports.monthly_pdf(data)
        name, label = f"救助管理月报-{period}", f"{period}月报"
    record_audit_event(
        actor, AuditAction.EXPORT if fmt == "xlsx" else AuditAction.PRINT, object_type="rescue.report", object_id=station.pk,
        division_code=station.division_code, summary=f"救助管理站{label}（{fmt}）",
    )  # fmt: skip
    return attachment(content, f"{name}.{fmt}", "application/pdf" if fmt == "pdf" else XLSX)


@staff_view(STATION)
def photo(request, photo_id: int):
    item = access_photo_by_id(request.actor, photo_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise NotFound("照片文件不存在") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(STATION)
def beds(request):
    station = _station(request.actor)
    rows = selectors.beds_of(request.actor, station)
    return render(
        request, "rescue/beds.html",
        {"title": "床位", "station": station, "rows": rows, "occupied": sum(1 for r in rows if r["case"]), "occupancy": occupancy(actor=request.actor)},
    )  # fmt: skip


@staff_view(FOLLOW_UP)
def follow_up_list(request):
    return render(request, "rescue/follow_up_list.html", {"title": "返乡回访", "rows": selectors.list_follow_ups_for(request.actor)[:200]})


def _village_form_page(request, form, act, *, done: str, template: str, context: dict):
    """A village page with one form: the action on a valid post (then back with a message),
    else the page again, 422, with the errors on their fields."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                act(form.cleaned_data)
            except DomainError as e:
                apply_domain_error(form, e, ERROR_FIELDS)
            else:
                messages.success(request, done)
                return redirect(request.path)
    return render(request, template, {**context, "form": form}, status=status)


@staff_view(FOLLOW_UP)
def follow_up_detail(request, follow_up_id: int):
    item = access_follow_up_by_id(request.actor, follow_up_id)
    return _village_form_page(
        request, forms.VisitForm(request.POST or None),
        lambda d: actions.do_record_follow_up_visit(request.actor, item, expected_version=posted_version(request), **d),
        done="已登记回访。", template="rescue/follow_up_detail.html", context={"title": "返乡回访", "f": item},
    )  # fmt: skip


@staff_view(FOLLOW_UP)
def wandering_list(request):
    return render(request, "rescue/wandering_list.html", {"title": "易流浪走失人员", "rows": selectors.list_wandering_for(request.actor)[:200]})


@staff_view(FOLLOW_UP)
def wandering_detail(request, entry_id: int):
    entry = access_wandering_by_id(request.actor, entry_id)
    return _village_form_page(
        request, forms.CheckForm(request.POST or None), lambda d: actions.do_check_wandering_risk(request.actor, entry, **d),
        done="已登记核查。", template="rescue/wandering_detail.html", context={"title": "易流浪走失人员", "e": entry},
    )  # fmt: skip
