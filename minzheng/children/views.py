"""Child-welfare screens: thin views over selectors, access functions and actions. The
village screens (登记, the list, a case) are single-column and work at 390 px."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.cases.workflow import Stale
from minzheng.children import actions, selectors
from minzheng.children.access import access_recognition_by_id
from minzheng.children.enums import Category, Status
from minzheng.children.file import child_file
from minzheng.children.forms import ChildReviewForm, DecideForm, EndForm, ProfileForm, ReasonForm, RecognitionForm, ReviewForm, StationForm
from minzheng.children.indicators import station_coverage
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.workflow import RECOGNITION
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, parse_id_number
from minzheng.registry.access import access_person_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import find_person_by_id_number, search_persons
from minzheng.web.decorators import staff_view


def _apply_errors(form, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for key, message in error.errors.items():
            form.add_error(key if key in form.fields else None, message)
    else:
        form.add_error(None, error.message)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    return render(
        request,
        "children/home.html",
        {
            "title": "儿童福利",
            "counts": selectors.category_counts(actor),
            "categories": Category.choices,
            "open": selectors.open_counts(actor),
            "recent": selectors.list_recognitions_for(actor, status="open")[:20],
            "can_register": actor.has(ChildrenPerm.REGISTER_CHILD),
            "coverage": station_coverage(),
        },
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def recognition_list(request):
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    rows = selectors.list_recognitions_for(
        request.actor,
        category=category if category in Category.values else None,
        status=status if status in (*Status.values, "open") else None,
    )[:200]
    return render(
        request,
        "children/recognition_list.html",
        {"title": "困境儿童认定", "rows": rows, "categories": Category.choices, "statuses": Status.choices, "category": category, "status": status},
    )


@staff_view(ChildrenPerm.REGISTER_CHILD)
def recognition_new(request):
    actor = request.actor
    person = None
    q = request.GET.get("q", "").strip()
    found = []
    if request.GET.get("person"):
        person = access_person_by_id(actor, request.GET["person"])
    elif q:
        found = list(search_persons(actor, q, include_deceased=False)[0][:20])
    form = RecognitionForm(request.POST or None)
    if request.method == "POST" and person is not None and form.is_valid():
        d = form.cleaned_data
        guardian = None
        if d["guardian_id_number"]:
            try:
                guardian = find_person_by_id_number(actor, parse_id_number(d["guardian_id_number"]).value)
            except InvalidIdNumber as e:
                form.add_error("guardian_id_number", e.message)
            else:
                if guardian is None:
                    form.add_error("guardian_id_number", "未找到该监护人，或其不在您的管辖范围内")
        if not form.errors:
            try:
                recognition = actions.do_register_child(
                    actor,
                    actions.RecognitionInput(
                        person_id=person.pk, category=d["category"], source=d["source"], grounds=d["grounds"],
                        placement=d["placement"], guardian_id=guardian.pk if guardian else None,
                        guardian_relation=d["guardian_relation"], guardian_status=d["guardian_status"], situation=d["situation"],
                    ),
                )
            except DomainError as e:
                _apply_errors(form, e)
            else:
                messages.success(request, f"已登记，认定编号 {recognition.number}，待乡镇审核。")
                return redirect("children:recognition-detail", recognition.pk)
    return render(request, "children/recognition_new.html", {"title": "登记困境儿童", "person": person, "form": form, "q": q, "found": found})


STEP_FORMS = {
    "review": ReviewForm,
    "close_publicity": ReasonForm,
    "decide": DecideForm,
    "return": ReasonForm,
    "end": EndForm,
    "review_child": ChildReviewForm,
}


def _detail(request, recognition, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in RECOGNITION.allowed(actor, recognition)}
    manage = actor.has(ChildrenPerm.REVIEW_RECOGNITION) and actor.level in ("town", "district") and recognition.status == Status.RECOGNISED
    if manage:
        allowed.add("review_child")
    forms = forms or {}
    step_forms = {name: forms.get(name) or STEP_FORMS[name]() for name in allowed if name in STEP_FORMS}
    return render(
        request,
        "children/recognition_detail.html",
        {
            "title": f"认定 {recognition.number}",
            "r": recognition,
            "history": selectors.history_of(recognition),
            "decisions": selectors.decisions_of(recognition),
            "reviews": selectors.reviews_of(recognition),
            "step_forms": step_forms,
            "step_labels": {"review": "乡镇审核", "close_publicity": "公示期满", "decide": "区级认定", "return": "退回", "end": "终止保障", "review_child": "复核"},
        },
        status=status,
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def recognition_detail(request, recognition_id: int):
    return _detail(request, access_recognition_by_id(request.actor, recognition_id))


@require_POST
@staff_view(RegistryPerm.VIEW_REGISTRY)
def recognition_step(request, recognition_id: int, step: str):
    actor = request.actor
    recognition = access_recognition_by_id(actor, recognition_id, audit=False)
    if step not in STEP_FORMS:
        return HttpResponse(status=404)
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        return _detail(request, recognition, {step: form}, status=400)
    d = form.cleaned_data
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if step == "review":
            actions.do_review_recognition(actor, recognition, expected_version=version, outcome=d["outcome"], opinion=d["opinion"])
        elif step == "close_publicity":
            actions.do_close_publicity(actor, recognition, expected_version=version, note=d["reason"])
        elif step == "decide":
            actions.do_decide_recognition(actor, recognition, expected_version=version, outcome=d["outcome"], reasons=d["reasons"])
        elif step == "return":
            actions.do_return_recognition(actor, recognition, expected_version=version, reason=d["reason"])
        elif step == "end":
            actions.do_end_recognition(actor, recognition, expected_version=version, end_reason=d["end_reason"], note=d["note"])
        else:
            actions.do_review_child(actor, recognition, expected_version=version, outcome=d["outcome"], note=d["note"])
    except Stale as e:
        messages.error(request, e.message)
        return redirect("children:recognition-detail", recognition.pk)
    except DomainError as e:
        _apply_errors(form, e)
        return _detail(request, recognition, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("children:recognition-detail", recognition.pk)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def station_list(request):
    actor = request.actor
    can_manage = actor.has(ChildrenPerm.MANAGE_STATIONS)
    form = StationForm(request.POST or None)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            actions.do_save_station(actor, actions.StationInput(**form.cleaned_data))
        except DomainError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, "已保存。")
            return redirect("children:station-list")
    return render(
        request,
        "children/stations.html",
        {"title": "未成年人保护工作站", "stations": selectors.list_stations_for(actor), "form": form, "can_manage": can_manage, "coverage": station_coverage()},
        status=400 if form.errors else 200,
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def file_search(request):
    q = request.GET.get("q", "").strip()
    found = list(search_persons(request.actor, q, include_deceased=False)[0][:20]) if q else []
    return render(request, "children/file_search.html", {"title": "儿童档案", "q": q, "found": found})


def _file_page(request, person_id: int, form=None, status: int = 200):
    file = child_file(request.actor, person_id)
    if form is None and request.actor.has(ChildrenPerm.REGISTER_CHILD):
        p = file.profile
        form = ProfileForm(initial={"school": p.school, "grade": p.grade, "schooling": p.schooling, "health": p.health, "notes": p.notes} if p else {"schooling": "unknown"})
    return render(request, "children/child_file.html", {"title": f"儿童档案 · {file.person.name}", "f": file, "form": form}, status=status)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def file_detail(request, person_id: int):
    return _file_page(request, person_id)


@require_POST
@staff_view(ChildrenPerm.REGISTER_CHILD)
def file_profile(request, person_id: int):
    person = access_person_by_id(request.actor, person_id, audit=False)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            actions.do_save_child_profile(request.actor, person, **form.cleaned_data)
        except DomainError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, "档案已保存。")
            return redirect("children:file", person.pk)
    return _file_page(request, person_id, form=form, status=400)
