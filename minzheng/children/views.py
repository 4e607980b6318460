"""Child-welfare screens: thin views over selectors, access functions and actions. The
village screens (登记, the list, a case) are single-column and work at 390 px."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.cases.workflow import Stale
from minzheng.children import actions, protection, selectors
from minzheng.children.access import access_recognition_by_id
from minzheng.children.enums import Category, HarmKind, LongTermGround, ProtectionStatus, Status, TemporaryGround
from minzheng.children.file import child_file
from minzheng.children.forms import (
    AcceptForm,
    AssessForm,
    ChildReviewForm,
    CloseForm,
    DecideForm,
    EndForm,
    FollowUpForm,
    GuardianshipForm,
    InterveneForm,
    ProfileForm,
    ReasonForm,
    RecognitionForm,
    ReferForm,
    ReportForm,
    ReviewForm,
    StationForm,
)
from minzheng.children.indicators import station_coverage
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.workflow import PROTECTION, RECOGNITION
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
    form = StationForm(request.POST if can_manage and request.method == "POST" else None)
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
        {"title": "未成年人保护工作站", "stations": selectors.list_stations_for(actor), "form": form, "can_manage": can_manage, "coverage": station_coverage(),
         "workers": selectors.list_child_workers_for(actor)[:300], "worker_coverage": selectors.worker_coverage(actor)},
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


# ----------------------------------------------------------------------------------------------
# Minors' protection
# ----------------------------------------------------------------------------------------------

PROTECTION_FORMS = {
    "accept": AcceptForm, "assess": AssessForm, "intervene": InterveneForm, "guardianship": GuardianshipForm,
    "close": CloseForm, "refer": ReferForm, "follow_up": FollowUpForm,
}
PROTECTION_LABELS = {
    "accept": "受理并紧急处置", "assess": "调查评估", "intervene": "干预处置", "guardianship": "国家监护决定",
    "close": "结案", "refer": "转介", "follow_up": "跟踪回访",
}


@staff_view(ChildrenPerm.HANDLE_PROTECTION)
def protection_list(request):
    status = request.GET.get("status", "open")
    rows = protection.list_protection_cases_for(request.actor, status=status if status in (*ProtectionStatus.values, "open") else None)[:200]
    return render(request, "children/protection_list.html", {"title": "未成年人保护", "rows": rows, "status": status, "statuses": ProtectionStatus.choices})


@staff_view(ChildrenPerm.REPORT_MINOR)
def protection_report(request):
    actor = request.actor
    initial = {"division_code": actor.scope_prefixes[0]} if actor.scope_prefixes and len(actor.scope_prefixes[0]) == 12 else {}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = protection.do_report_minor(actor, protection.ReportInput(**form.cleaned_data))
        except DomainError as e:
            _apply_errors(form, e)
        else:
            if actor.has(ChildrenPerm.HANDLE_PROTECTION):
                messages.success(request, f"强制报告已登记，案件编号 {case.number}。")
                return redirect("children:protection-detail", case.pk)
            messages.success(request, f"强制报告已提交（编号 {case.number}），乡镇（街道）未成年人保护工作人员将立即处理。")
            return redirect("children:protection-report")
    return render(request, "children/protection_report.html", {"title": "强制报告", "form": form}, status=400 if form.errors else 200)


def _protection_page(request, case, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in PROTECTION.allowed(actor, case)}
    if case.status != ProtectionStatus.CLOSED:
        allowed.add("refer")
    if case.status == ProtectionStatus.FOLLOW_UP:
        allowed.add("follow_up")
    forms = forms or {}
    step_forms = {n: forms.get(n) or PROTECTION_FORMS[n]() for n in PROTECTION_FORMS if n in allowed}
    return render(
        request, "children/protection_detail.html",
        {"title": f"案件 {case.number}", "c": case, "history": protection.protection_history(case),
         "step_forms": step_forms, "step_labels": PROTECTION_LABELS,
         "harm_labels": [HarmKind(h).label for h in case.harm_kinds if h in HarmKind.values],
         "ground_labels": [dict(TemporaryGround.choices + LongTermGround.choices).get(g, g) for g in case.guardianship_grounds]},
        status=status,
    )


@staff_view(ChildrenPerm.HANDLE_PROTECTION)
def protection_detail(request, case_id: int):
    return _protection_page(request, protection.access_protection_case_by_id(request.actor, case_id))


@require_POST
@staff_view(ChildrenPerm.HANDLE_PROTECTION)
def protection_step(request, case_id: int, step: str):
    actor = request.actor
    case = protection.access_protection_case_by_id(actor, case_id)
    if step not in PROTECTION_FORMS:
        return HttpResponse(status=404)
    form = PROTECTION_FORMS[step](request.POST)
    if not form.is_valid():
        return _protection_page(request, case, {step: form}, status=400)
    d = form.cleaned_data
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if step == "accept":
            protection.do_accept_report(actor, case, expected_version=version, emergency_measures=d["emergency_measures"])
        elif step == "assess":
            protection.do_assess_case(actor, case, expected_version=version, risk_level=d["risk_level"], assessment=d["assessment"])
        elif step == "intervene":
            protection.do_intervene(actor, case, expected_version=version, intervention=d["intervention"], note=d["note"])
        elif step == "guardianship":
            protection.do_decide_guardianship(actor, case, expected_version=version, intervention=d["intervention"], grounds=d["grounds"], placement=d["placement"], note=d["note"])
        elif step == "close":
            protection.do_close_case(actor, case, expected_version=version, closure_reason=d["closure_reason"], note=d["note"])
        elif step == "refer":
            protection.do_refer_case(actor, case, expected_version=version, department=d["department"], note=d["note"])
        else:
            protection.do_record_follow_up(actor, case, expected_version=version, note=d["note"])
    except Stale as e:
        messages.error(request, e.message)
        return redirect("children:protection-detail", case.pk)
    except DomainError as e:
        _apply_errors(form, e)
        return _protection_page(request, case, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("children:protection-detail", case.pk)
