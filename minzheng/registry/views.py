"""Registry screens: people, households and the population of a division.

Thin views: scoped rows come only through `registry.access` (one row) and `registry.selectors`
(lists and counts); every write is a `do_*` action. The layout, login and workbench are the
`web` shell's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import ValidationFailed
from minzheng.divisions.actions import do_set_division_zone
from minzheng.divisions.directory import get_directory
from minzheng.jobs.actions import do_enqueue_job
from minzheng.registry.access import access_division_by_code, access_household_by_id, access_person_by_id
from minzheng.registry.actions import PersonInput, do_register_person, reveal_id_number
from minzheng.registry.forms import PersonForm
from minzheng.registry.jobs import PERSON_EXPORT
from minzheng.registry.selectors import (
    current_members,
    division_statistics,
    membership_history,
    search_persons,
    visible_child_divisions,
)
from minzheng.web.decorators import staff_view

PAGE_SIZE = 20
SEARCH_KIND_LABELS = {"id_number": "身份证号码", "name": "姓名", "initials": "拼音首字母"}


def _division_param(request) -> str | None:
    code = (request.GET.get("division") or "").strip()
    return code if code.isdigit() else None


@staff_view(Perm.VIEW_REGISTRY)
def person_search(request):
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    qs, query = search_persons(request.actor, q, division_code=division)
    page = Paginator(qs.only(
        "id", "name", "sex", "birth_date", "id_number_masked", "division_code", "household_id", "is_deceased",
        "disability_grade"
    ), PAGE_SIZE).get_page(request.GET.get("page"))
    if q:
        record_audit_event(
            request.actor,
            AuditAction.SEARCH,
            object_type="person",
            summary=f"人员查询（{SEARCH_KIND_LABELS.get(query.kind, '其他')}）",
        )
    context = {
        "title": "人员查询",
        "q": q,
        "query": query,
        "division": division or "",
        "page_obj": page,
        "paginator": page.paginator,
        "query_string": urlencode({"q": q, "division": division or ""}),
    }
    template = "registry/person_search.html#results" if request.htmx else "registry/person_search.html"
    return render(request, template, context)


@staff_view(Perm.EXPORT_REGISTRY)
def person_export(request):
    """The export runs in the background (it may be a million rows): the job's page shows its
    progress, then the file to download."""
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    job = do_enqueue_job(request.actor, PERSON_EXPORT, params={"q": q, "division": division or ""}, scope=division or "")
    return redirect("jobs:detail", job_id=job.pk)


@staff_view(Perm.VIEW_REGISTRY)
def person_detail(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    household = person.household if person.household_id else None
    return render(
        request,
        "registry/person_detail.html",
        {
            "title": person.name,
            "person": person,
            "household": household,
            "can_reveal": request.actor.has(Perm.REVEAL_ID_NUMBER),
            "current_division_code": person.division_code,
        },
    )


@require_POST
@staff_view(Perm.REVEAL_ID_NUMBER)
def person_reveal(request, person_id: int):
    person = access_person_by_id(request.actor, person_id, audit=False)
    full = reveal_id_number(request.actor, person)
    return render(request, "registry/person_detail.html#id-number", {"person": person, "revealed": full})


@staff_view(Perm.EDIT_REGISTRY)
def person_create(request):
    form = PersonForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            person = do_register_person(request.actor, PersonInput(**form.cleaned_data))
        except ValidationFailed as e:
            for field, message in e.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"已新增人员 {person.name}。")
            return redirect("registry:person-detail", person_id=person.pk)
    return render(request, "registry/person_form.html", {"title": "新增人员", "form": form})


@staff_view(Perm.VIEW_REGISTRY)
def household_detail(request, household_id: int):
    household = access_household_by_id(request.actor, household_id)
    return render(
        request,
        "registry/household_detail.html",
        {
            "title": f"家庭 {household.pk}",
            "household": household,
            "members": current_members(household),
            "history": membership_history(household),
            "current_division_code": household.division_code,
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def division_detail(request, code: str | None = None):
    """Population of a division: the registry counted by age band, disability and household
    size. The page is the registry's (it reads people); divisions, below it, has no screens."""
    actor = request.actor
    division = access_division_by_code(actor, code)
    return render(
        request,
        "registry/division_detail.html",
        {
            "title": division.name,
            "division": division,
            "path": get_directory().path(division.code),
            "stats": division_statistics(actor, division.code),
            "children": visible_child_divisions(actor, division.code),
            "current_division_code": division.code,
            "can_set_zone": actor.has(Perm.MANAGE_DIVISIONS) and division.level == "village",
        },
    )


@require_POST
@staff_view(Perm.MANAGE_DIVISIONS)
def division_set_zone(request, code: str):
    try:
        division = do_set_division_zone(request.actor, code, zone=request.POST.get("zone", ""))
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    else:
        messages.success(request, f"已将{division.name}的城乡属性调整为{division.get_zone_display()}。")
    return redirect("registry:division-detail-code", code=code)
