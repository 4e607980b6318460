"""Place-name and boundary screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.placenames import actions, selectors
from minzheng.placenames.access import access_case_by_id, access_change_by_id, access_line_by_id, access_place_by_id
from minzheng.placenames.forms import DivisionChangeForm, InspectionForm, LineForm, MarkerForm, NamingForm, PlaceForm, suggested_pinyin
from minzheng.placenames.enums import Category, DocumentKind
from minzheng.placenames.geometry import district_outline
from minzheng.placenames.permissions import PlaceNamePerm
from minzheng.placenames.workflow import CHANGE_WORKFLOW, NAMING_WORKFLOW
from minzheng.registry.permissions import RegistryPerm
from minzheng.web.decorators import staff_view
from minzheng.web.form_errors import apply_domain_error, posted_version


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    payload = {**selectors.map_payload(actor), "outline": district_outline(), "categories": {c.value: c.label for c in Category}}
    context = {
        "title": "区划地名",
        "payload": payload,
        "places": selectors.list_places_for(actor).count(),
        "heritage": selectors.list_places_for(actor, heritage=True).count(),
        "open_cases": selectors.list_cases_for(actor, status="open")[:20],
        "lines": selectors.list_lines_for(actor),
        "can_manage": actor.has(PlaceNamePerm.MANAGE_PLACENAMES),
    }
    return render(request, "placenames/home.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def place_list(request):
    q = (request.GET.get("q") or "").strip()
    category = request.GET.get("category", "")
    heritage = request.GET.get("heritage") == "1"
    rows = selectors.list_places_for(request.actor, q=q, category=category if category in Category.values else "", heritage=heritage)[:300]
    return render(request, "placenames/place_list.html", {"title": "地名", "rows": rows, "q": q, "categories": Category.choices,
                                                           "category": category, "heritage": heritage,
                                                           "can_manage": request.actor.has(PlaceNamePerm.MANAGE_PLACENAMES)})  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def case_detail(request, case_id: int, error: str = ""):
    case = access_case_by_id(request.actor, case_id)
    return render(request, "placenames/case_detail.html", {
        "title": "地名命名更名", "case": case, "documents": selectors.case_documents(case),
        "history": selectors.case_history(request.actor, case), "document_kinds": DocumentKind.choices,
        "available": [a for a in NAMING_WORKFLOW.available(request.actor, case) if a.allowed],
        "can_attach": request.actor.has(PlaceNamePerm.MANAGE_PLACENAMES), "error": error,
    })  # fmt: skip


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
@require_POST
def case_document(request, case_id: int):
    case = access_case_by_id(request.actor, case_id)
    try:
        actions.do_attach_document(request.actor, case, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                                   number=request.POST.get("number", ""), dated=request.POST.get("dated") or None)  # fmt: skip
    except DomainError as e:
        return case_detail(request, case_id, error=_message(e))
    return redirect("placenames:case-detail", case_id)


def _message(e: DomainError) -> str:
    return "；".join(e.errors.values()) if hasattr(e, "errors") else e.message


@staff_view(PlaceNamePerm.APPROVE_PLACENAMES)
@require_POST
def case_step(request, case_id: int, action: str):
    case = access_case_by_id(request.actor, case_id)
    try:
        actions.take_naming_step(request.actor, case, action, expected_version=posted_version(request), reason=request.POST.get("reason", ""))
    except DomainError as e:
        return case_detail(request, case_id, error=_message(e))
    return redirect("placenames:case-detail", case_id)


def _line_page(request, line, *, marker_form=None, inspection_form=None, status=200):
    can_manage = request.actor.has(PlaceNamePerm.MANAGE_PLACENAMES)
    return render(request, "placenames/line_detail.html", {
        "title": line.name, "line": line, "markers": selectors.list_markers_for(request.actor, line_id=line.pk),
        "inspections": selectors.list_inspections_for(request.actor, line_id=line.pk),
        "marker_form": (marker_form or MarkerForm()) if can_manage else None,
        "inspection_form": (inspection_form or InspectionForm(initial={"year": clock.today().year})) if can_manage else None,
    }, status=status)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def line_detail(request, line_id: int):
    return _line_page(request, access_line_by_id(request.actor, line_id))


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
@require_POST
def line_marker(request, line_id: int):
    """登记界桩 on a line the user manages (the town its own lines, the district all)."""
    line = access_line_by_id(request.actor, line_id)
    form = MarkerForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            marker = actions.do_save_marker(request.actor, line_id=line.pk, number=d["number"], lon=d["lon"], lat=d["lat"],
                                            condition=d["condition"], installed_on=d["installed_on"])  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记界桩 {marker.number}。")
            return redirect("placenames:line-detail", line.pk)
    return _line_page(request, line, marker_form=form, status=422)


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
@require_POST
def line_inspection(request, line_id: int):
    """登记联检 of a line for a year."""
    line = access_line_by_id(request.actor, line_id)
    form = InspectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_inspection(request.actor, line_id=line.pk, year=d["year"], inspected_on=d["inspected_on"], findings=d["findings"],
                                         repairs=d["repairs"], markers_repaired=d["markers_repaired"])  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记{d['year']}年联检。")
            return redirect("placenames:line-detail", line.pk)
    return _line_page(request, line, inspection_form=form, status=422)

def _pinyin_of(data: dict) -> str:
    return (data.get("pinyin") or "").strip() or suggested_pinyin(data["name"])


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
def place_new(request):
    """登记地名: an existing standard name into the register (the town its own, the district all)."""
    form = PlaceForm(request.POST or None, actor=request.actor)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            point = form.point()
            if not form.errors:
                try:
                    place = actions.do_register_place(
                        request.actor, division_code=d["division_code"], category=d["category"], name=d["name"], pinyin=_pinyin_of(d),
                        meaning=d["meaning"], history=d["history"], geometry=point, approved_on=d["approved_on"],
                        approval_no=d["approval_no"],
                    )  # fmt: skip
                except DomainError as e:
                    apply_domain_error(form, e)
                else:
                    messages.success(request, f"已登记地名：{place.name}。")
                    return redirect("placenames:place-detail", place.pk)
        return render(request, "placenames/form.html", {"title": "登记地名", "form": form, "submit": "登记"}, status=422)
    return render(request, "placenames/form.html", {"title": "登记地名", "form": form, "submit": "登记"})


@staff_view(RegistryPerm.VIEW_REGISTRY)
def place_detail(request, place_id: int):
    place = access_place_by_id(request.actor, place_id)
    actor = request.actor
    return render(request, "placenames/place_detail.html", {
        "title": place.name, "place": place, "cases": selectors.cases_of_place(actor, place),
        "can_rename": actor.has(PlaceNamePerm.MANAGE_PLACENAMES) and place.status == "standard",
        "can_list": actor.has(PlaceNamePerm.APPROVE_PLACENAMES) and actor.level == "district" and not place.heritage,
    })  # fmt: skip


@staff_view(PlaceNamePerm.APPROVE_PLACENAMES)
@require_POST
def place_heritage(request, place_id: int):
    try:
        actions.do_list_heritage(request.actor, place_id, listed_on=request.POST.get("listed_on") or None, note=request.POST.get("note", ""))
    except DomainError as e:
        messages.error(request, _message(e))
    else:
        messages.success(request, "已列入地名文化遗产（历史地名）保护名录。")
    return redirect("placenames:place-detail", place_id)


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
def naming_new(request):
    """命名 or, with ?place=<id>, 更名 申请: then the case page walks every step."""
    actor = request.actor
    raw_place = request.GET.get("place") or request.POST.get("place") or ""
    place = access_place_by_id(actor, raw_place) if raw_place else None
    form = NamingForm(request.POST or None, actor=actor, place=place)
    title = f"申请更名：{place.name}" if place else "申请命名"
    context = {"title": title, "form": form, "submit": "提交申请", "place": place}
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            point = form.point()
            if not form.errors:
                try:
                    case = actions.do_apply_naming(
                        actor, division_code=d.get("division_code", ""), category=d.get("category", ""), name=d["name"],
                        pinyin=_pinyin_of(d), applicant=d["applicant"], meaning=d["meaning"], geometry=point,
                        place_id=place.pk if place else None,
                    )  # fmt: skip
                except DomainError as e:
                    apply_domain_error(form, e)
                else:
                    messages.success(request, f"已提交{case.get_kind_display()}申请：{case.proposed_name}。下一步：专家论证。")
                    return redirect("placenames:case-detail", case.pk)
        return render(request, "placenames/form.html", context, status=422)
    return render(request, "placenames/form.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def change_list(request):
    return render(request, "placenames/change_list.html", {
        "title": "区划变更", "rows": selectors.list_changes_for(request.actor).order_by("-applied_on", "-id")[:200],
        "can_apply": request.actor.has(PlaceNamePerm.MANAGE_PLACENAMES),
    })  # fmt: skip


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
def change_new(request):
    form = DivisionChangeForm(request.POST or None, actor=request.actor)
    context = {"title": "申报区划变更", "form": form, "submit": "申报"}
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                change = actions.do_apply_division_change(request.actor, division_code=d["division_code"], new_name=d["new_name"],
                                                          new_kind=d["new_kind"], effective=d["effective"], reason=d["reason"])  # fmt: skip
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, "已申报区划变更。下一步：区民政局报批后登记批准文号。")
                return redirect("placenames:change-detail", change.pk)
        return render(request, "placenames/form.html", context, status=422)
    return render(request, "placenames/form.html", context)


def _change_page(request, change, *, error: str = "", status: int = 200):
    return render(request, "placenames/change_detail.html", {
        "title": "区划变更", "change": change, "history": selectors.change_history(request.actor, change), "error": error,
        "available": [a for a in CHANGE_WORKFLOW.available(request.actor, change) if a.allowed],
    }, status=status)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def change_detail(request, change_id: int):
    return _change_page(request, access_change_by_id(request.actor, change_id))


@staff_view(RegistryPerm.VIEW_REGISTRY)
@require_POST
def change_step(request, change_id: int, action: str):
    """批准 (with the approval's number and date), 登记生效 (the dated change of the division tree:
    the system administrator), 未获批准 (with the reason). Each refused step says why."""
    change = access_change_by_id(request.actor, change_id)
    try:
        actions.take_change_step(request.actor, change, action, expected_version=posted_version(request), reason=request.POST.get("reason", ""),
                                 approval_no=request.POST.get("approval_no", ""), approved_on=request.POST.get("approved_on") or None)  # fmt: skip
    except DomainError as e:
        change.refresh_from_db()
        return _change_page(request, change, error=_message(e), status=403 if e.code == "permission_denied" else 422)
    return redirect("placenames:change-detail", change.pk)


@staff_view(PlaceNamePerm.MANAGE_PLACENAMES)
def line_new(request):
    form = LineForm(request.POST or None, actor=request.actor)
    context = {"title": "登记界线", "form": form, "submit": "登记"}
    if request.method == "POST":
        if form.is_valid():
            try:
                line = actions.do_register_line(request.actor, **form.cleaned_data)
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"已登记界线：{line.name}。可在界线页登记界桩和联检。")
                return redirect("placenames:line-detail", line.pk)
        return render(request, "placenames/form.html", context, status=422)
    return render(request, "placenames/form.html", context)
