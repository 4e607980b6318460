"""Place-name and boundary screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.errors import DomainError
from minzheng.placenames import actions, selectors
from minzheng.placenames.access import access_case_by_id, access_line_by_id
from minzheng.placenames.enums import Category, DocumentKind
from minzheng.placenames.geometry import district_outline
from minzheng.placenames.permissions import PlaceNamePerm
from minzheng.placenames.workflow import NAMING_WORKFLOW
from minzheng.registry.permissions import RegistryPerm
from minzheng.web.decorators import staff_view
from minzheng.web.form_errors import posted_version


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
    }
    return render(request, "placenames/home.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def place_list(request):
    q = (request.GET.get("q") or "").strip()
    category = request.GET.get("category", "")
    heritage = request.GET.get("heritage") == "1"
    rows = selectors.list_places_for(request.actor, q=q, category=category if category in Category.values else "", heritage=heritage)[:300]
    return render(request, "placenames/place_list.html", {"title": "地名", "rows": rows, "q": q, "categories": Category.choices,
                                                           "category": category, "heritage": heritage})  # fmt: skip


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


@staff_view(RegistryPerm.VIEW_REGISTRY)
def line_detail(request, line_id: int):
    line = access_line_by_id(request.actor, line_id)
    return render(request, "placenames/line_detail.html", {
        "title": line.name, "line": line, "markers": selectors.list_markers_for(request.actor, line_id=line.pk),
        "inspections": selectors.list_inspections_for(request.actor, line_id=line.pk),
    })  # fmt: skip
