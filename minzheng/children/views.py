"""Child-welfare screens: thin views over selectors, access functions and actions. The
village screens (登记, the list, a case) are single-column and work at 390 px."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.cases.workflow import Stale
from minzheng.children import actions, protection, selectors
from minzheng.children.access import (
    access_child_worker_by_id,
    access_institution_by_id,
    access_recognition_by_id,
    access_resident_by_id,
)
from minzheng.children.enums import OPEN_STATUSES, Category, DocumentKind, HarmKind, LongTermGround, ProtectionStatus, Status, TemporaryGround
from minzheng.children.file import child_file
from minzheng.children.forms import (
    AcceptForm,
    CaseDocumentsForm,
    ChangeForm,
    DocumentsForm,
    AdmitForm,
    AssessmentForm,
    CarePlanForm,
    DischargeForm,
    InstitutionForm,
    TrainingForm,
    VisitForm,
    WorkerForm,
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
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, parse_id_number
from minzheng.registry.access import access_person_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import find_person_by_id_number, search_persons
from minzheng.core import clock
from minzheng.core.periods import add_months
from minzheng.discovery.actions import WORK as VISIT_PERM
from minzheng.discovery.actions import do_record_visit
from minzheng.eldercare.selectors import district_outline_geojson
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version


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
            "paid": selectors.allowances_paid(actor),
            "protection": protection.protection_summary(actor),
            "can_report": actor.has(ChildrenPerm.REPORT_MINOR),
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
                        documents=d["documents"],
                    ),
                )
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"已登记，认定编号 {recognition.number}，待乡镇审核。")
                return redirect("children:recognition-detail", recognition.pk)
    return render(request, "children/recognition_new.html", {"title": "登记困境儿童", "person": person, "form": form, "q": q, "found": found})


STEP_FORMS = {
    "documents": DocumentsForm,
    "review": ReviewForm,
    "close_publicity": ReasonForm,
    "decide": DecideForm,
    "return": ReasonForm,
    "end": EndForm,
    "review_child": ChildReviewForm,
    "change": ChangeForm,
}


def _detail(request, recognition, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in RECOGNITION.allowed(actor, recognition)}
    manage = actor.has(ChildrenPerm.REVIEW_RECOGNITION) and actor.level in ("town", "district") and recognition.status == Status.RECOGNISED
    if manage:
        allowed.update(("review_child", "change"))
    if recognition.status in OPEN_STATUSES and (actor.has(ChildrenPerm.REGISTER_CHILD) or actor.has(ChildrenPerm.REVIEW_RECOGNITION)):
        allowed.add("documents")
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
            "photos": list(selectors.photos_of(recognition)),
            "step_forms": step_forms,
            "missing_documents": RECOGNITION.missing_documents(RECOGNITION.find("review", Status.SUBMITTED), recognition)
            if recognition.status == Status.SUBMITTED else [],
            "document_labels": [DocumentKind(d).label for d in recognition.documents if d in DocumentKind.values],
            "step_labels": {"documents": "补充材料", "review": "乡镇审核", "close_publicity": "公示期满", "decide": "区级认定", "return": "退回", "end": "终止保障", "review_child": "复核", "change": "养育方式或监护人变更"},
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
    version = posted_version(request)
    try:
        if step == "documents":
            actions.do_add_documents(actor, recognition, expected_version=version, documents=d["documents"])
        elif step == "review":
            actions.do_review_recognition(actor, recognition, expected_version=version, outcome=d["outcome"], opinion=d["opinion"])
        elif step == "close_publicity":
            actions.do_close_publicity(actor, recognition, expected_version=version, note=d["reason"])
        elif step == "decide":
            actions.do_decide_recognition(actor, recognition, expected_version=version, outcome=d["outcome"], reasons=d["reasons"])
        elif step == "return":
            actions.do_return_recognition(actor, recognition, expected_version=version, reason=d["reason"])
        elif step == "end":
            actions.do_end_recognition(actor, recognition, expected_version=version, end_reason=d["end_reason"], note=d["note"])
        elif step == "change":
            guardian_id = None
            if d["guardian_id_number"]:
                try:
                    guardian = find_person_by_id_number(actor, parse_id_number(d["guardian_id_number"]).value)
                except InvalidIdNumber as e:
                    raise ValidationFailed({"guardian_id_number": e.message}) from None
                if guardian is None:
                    raise ValidationFailed({"guardian_id_number": "未找到该监护人，或其不在您的管辖范围内"})
                guardian_id = guardian.pk
            try:
                actions.do_change_placement(
                    actor, recognition, expected_version=version, placement=d["placement"], guardian_id=guardian_id,
                    guardian_relation=d["guardian_relation"], guardian_status=d["guardian_status"], reason=d["reason"],
                )
            except ValidationFailed as e:
                raise ValidationFailed({("guardian_id_number" if k == "guardian_id" else k): v for k, v in e.errors.items()}) from None
        else:
            actions.do_review_child(actor, recognition, expected_version=version, outcome=d["outcome"], note=d["note"])
    except Stale as e:
        messages.error(request, e.message)
        return redirect("children:recognition-detail", recognition.pk)
    except DomainError as e:
        apply_domain_error(form, e)
        return _detail(request, recognition, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("children:recognition-detail", recognition.pk)


def _stations_page(request, *, form=None, worker_form=None, training_forms=None, status=200):
    actor = request.actor
    can_manage = actor.has(ChildrenPerm.MANAGE_STATIONS)
    training_forms = training_forms or {}
    workers = list(selectors.list_child_workers_for(actor)[:300])
    return render(
        request,
        "children/stations.html",
        {"title": "未成年人保护工作站", "stations": selectors.list_stations_for(actor), "form": form if can_manage else None,
         "can_manage": can_manage, "coverage": station_coverage(),
         "workers": [{"w": w, "form": training_forms.get(w.pk) or (TrainingForm() if can_manage else None)} for w in workers],
         "worker_form": (worker_form or WorkerForm()) if can_manage else None,
         "worker_coverage": selectors.worker_coverage(actor)},
        status=status,
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def station_list(request):
    actor = request.actor
    can_manage = actor.has(ChildrenPerm.MANAGE_STATIONS)
    form = StationForm(request.POST if can_manage and request.method == "POST" else None)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            actions.do_save_station(actor, actions.StationInput(**form.cleaned_data))
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "已保存。")
            return redirect("children:station-list")
    return _stations_page(request, form=form, status=400 if form.errors else 200)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def file_search(request):
    q = request.GET.get("q", "").strip()
    found = list(search_persons(request.actor, q, include_deceased=False)[0][:20]) if q else []
    return render(request, "children/file_search.html", {"title": "儿童档案", "q": q, "found": found})


def _file_page(request, person_id: int, form=None, status: int = 200, forms: dict | None = None):
    actor = request.actor
    file = child_file(actor, person_id)
    forms = forms or {}
    can_register = actor.has(ChildrenPerm.REGISTER_CHILD)
    if form is None and can_register:
        p = file.profile
        form = ProfileForm(initial={"school": p.school, "grade": p.grade, "schooling": p.schooling, "health": p.health, "notes": p.notes} if p else {"schooling": "unknown"})
    left_behind = file.left_behind_entry is not None
    today = clock.today()
    context = {
        "title": f"儿童档案 · {file.person.name}", "f": file, "form": form, "can_report": actor.has(ChildrenPerm.REPORT_MINOR),
        "visit_form": (forms.get("visit") or VisitForm(initial={"visited_at": clock.now(), "risk_level_after": file.left_behind_entry.risk_level}))
        if left_behind and actor.has(VISIT_PERM) and file.left_behind_entry.active else None,
        "assessment_form": (forms.get("assessment") or AssessmentForm(initial={"assessed_on": today})) if left_behind and can_register else None,
        "care_plan_form": (forms.get("care_plan") or CarePlanForm(initial={"review_on": add_months(today, 3)})) if left_behind and can_register else None,
    }
    return render(request, "children/child_file.html", context, status=status)


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
            apply_domain_error(form, e)
        else:
            messages.success(request, "档案已保存。")
            return redirect("children:file", person.pk)
    return _file_page(request, person_id, form=form, status=400)


# ----------------------------------------------------------------------------------------------
# Minors' protection
# ----------------------------------------------------------------------------------------------

PROTECTION_FORMS = {
    "documents": CaseDocumentsForm,
    "accept": AcceptForm, "assess": AssessForm, "intervene": InterveneForm, "guardianship": GuardianshipForm,
    "close": CloseForm, "refer": ReferForm, "follow_up": FollowUpForm,
}
PROTECTION_LABELS = {
    "documents": "登记材料",
    "accept": "受理并紧急处置", "assess": "调查评估", "intervene": "干预处置", "guardianship": "国家监护决定",
    "close": "结案", "refer": "转介", "follow_up": "跟踪回访",
}


def _protection_filters(request) -> dict:
    status = request.GET.get("status", "open")
    return {"status": status if status in (*ProtectionStatus.values, "open") else None, "q": request.GET.get("q", "").strip()[:50]}


@staff_view(ChildrenPerm.HANDLE_PROTECTION)
def protection_list(request):
    filters = _protection_filters(request)
    rows = protection.list_protection_cases_for(request.actor, **filters)[:200]
    return render(request, "children/protection_list.html", {
        "title": "未成年人保护", "rows": rows, "status": filters["status"] or "", "q": filters["q"], "statuses": ProtectionStatus.choices,
        "query": urlencode({"status": filters["status"] or "", "q": filters["q"]}), "today": clock.today(),
    })


@staff_view(ChildrenPerm.HANDLE_PROTECTION)
def protection_export(request):
    content, _ = protection.export_protection_cases(request.actor, **_protection_filters(request))
    return xlsx_response(content, f"未成年人保护案件_{clock.today():%Y%m%d}.xlsx")


@staff_view(ChildrenPerm.REPORT_MINOR)
def protection_report(request):
    actor = request.actor
    initial = {"division_code": actor.scope_prefixes[0]} if actor.scope_prefixes and len(actor.scope_prefixes[0]) == 12 else {}
    if request.GET.get("person"):  # from the child's file: the child is known
        child = access_person_by_id(actor, request.GET["person"], audit=False)
        initial.update(person_id=child.pk, child_name=child.name, division_code=child.division_code)
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = protection.do_report_minor(actor, protection.ReportInput(**form.cleaned_data))
        except DomainError as e:
            apply_domain_error(form, e)
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
    if case.status in (ProtectionStatus.INTERVENTION, ProtectionStatus.FOLLOW_UP) and actor.has(ChildrenPerm.DECIDE_GUARDIANSHIP):
        allowed.add("documents")
    forms = forms or {}
    step_forms = {n: forms.get(n) or PROTECTION_FORMS[n]() for n in PROTECTION_FORMS if n in allowed}
    return render(
        request, "children/protection_detail.html",
        {"title": f"案件 {case.number}", "c": case, "history": protection.protection_history(case),
         "deadline": protection.deadline_info(case),
         "step_forms": step_forms, "step_labels": PROTECTION_LABELS,
         "harm_labels": [HarmKind(h).label for h in case.harm_kinds if h in HarmKind.values],
         "document_labels": [DocumentKind(d).label for d in case.documents if d in DocumentKind.values],
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
    version = posted_version(request)
    try:
        if step == "documents":
            protection.do_add_case_documents(actor, case, expected_version=version, documents=d["documents"])
        elif step == "accept":
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
        apply_domain_error(form, e)
        return _protection_page(request, case, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("children:protection-detail", case.pk)


# ----------------------------------------------------------------------------------------------
# 儿童福利院
# ----------------------------------------------------------------------------------------------


@staff_view(RegistryPerm.VIEW_REGISTRY)
def institution_list(request):
    actor = request.actor
    can_manage = actor.has(ChildrenPerm.MANAGE_INSTITUTION)
    form = InstitutionForm(request.POST if can_manage and request.method == "POST" else None)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            institution = actions.do_save_institution(actor, actions.InstitutionInput(**form.cleaned_data))
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "已登记。")
            return redirect("children:institution-detail", institution.pk)
    rows = [{"i": i, "occupancy": selectors.occupancy(i)} for i in selectors.list_institutions_for(actor)]
    return render(
        request, "children/institutions.html",
        {"title": "儿童福利机构", "rows": rows, "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


def _institution_page(request, institution, *, admit_form=None, discharge_forms=None, status=200):
    actor = request.actor
    can_manage = actor.has(ChildrenPerm.MANAGE_INSTITUTION)
    residents = list(selectors.list_residents_for(actor, institution))
    discharge_forms = discharge_forms or {}
    return render(
        request, "children/institution_detail.html",
        {
            "title": institution.name, "i": institution, "occupancy": selectors.occupancy(institution),
            "residents": [{"r": r, "form": discharge_forms.get(r.pk) or (DischargeForm(initial={"discharged_on": clock.today()}) if can_manage else None)} for r in residents],
            "past": selectors.list_residents_for(actor, institution, current=False).exclude(discharged_on__isnull=True)[:100],
            "unlinked": selectors.institutional_without_residency(actor)[:100],
            "admit_form": (admit_form or AdmitForm(initial={"admitted_on": clock.today()})) if can_manage else None,
        },
        status=status,
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def institution_detail(request, institution_id: int):
    return _institution_page(request, access_institution_by_id(request.actor, institution_id))


@require_POST
@staff_view(ChildrenPerm.MANAGE_INSTITUTION)
def institution_admit(request, institution_id: int):
    actor = request.actor
    institution = access_institution_by_id(actor, institution_id)
    form = AdmitForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        person = None
        try:
            person = find_person_by_id_number(actor, parse_id_number(d["id_number"]).value)
        except InvalidIdNumber as e:
            form.add_error("id_number", e.message)
        else:
            if person is None:
                form.add_error("id_number", "未找到该儿童，或其不在您的管辖范围内")
        if person is not None:
            try:
                actions.do_admit_child(actor, institution, person_id=person.pk, admitted_on=d["admitted_on"],
                                       reason=d["admission_reason"], note=d["admission_note"])
            except DomainError as e:
                apply_domain_error(form, e)
                if isinstance(e, ValidationFailed) and "person_id" in e.errors:
                    form.add_error("id_number", e.errors["person_id"])
            else:
                messages.success(request, f"{person.name}已入院。")
                return redirect("children:institution-detail", institution.pk)
    return _institution_page(request, institution, admit_form=form, status=400)


@require_POST
@staff_view(ChildrenPerm.MANAGE_INSTITUTION)
def resident_discharge(request, resident_id: int):
    actor = request.actor
    resident = access_resident_by_id(actor, resident_id)
    form = DischargeForm(request.POST)
    version = posted_version(request)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_discharge_child(actor, resident, expected_version=version, discharged_on=d["discharged_on"],
                                       reason=d["discharge_reason"], note=d["discharge_note"])
        except DomainError as e:
            if e.code == "stale":
                messages.error(request, e.message)
                return redirect("children:institution-detail", resident.institution_id)
            apply_domain_error(form, e)
        else:
            messages.success(request, f"{resident.person.name}已办理离院。")
            return redirect("children:institution-detail", resident.institution_id)
    return _institution_page(request, resident.institution, discharge_forms={resident.pk: form}, status=400)


# ----------------------------------------------------------------------------------------------
# The child's file: a visit, an assessment and a 关爱服务 plan of a left-behind child
# ----------------------------------------------------------------------------------------------


def _file_post(request, person_id: int, key: str, form_class, save, done: str):
    """A form posted from the child's file: saved through ``save(actor, person, data)``, or the
    file again (400) with the errors next to the fields."""
    person = access_person_by_id(request.actor, person_id, audit=False)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(request.actor, person, form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, done)
            return redirect("children:file", person.pk)
    return _file_page(request, person_id, forms={key: form}, status=400)


def _save_visit(actor, person, data) -> None:
    entry = selectors.left_behind_entry(actor, person)
    if entry is None:
        raise DomainError("该儿童不在农村留守儿童名册中，请先在三留守名册登记")
    do_record_visit(actor, entry, **data)  # discovery's 走访 (its permission and checks)


@require_POST
@staff_view(RegistryPerm.VIEW_REGISTRY)
def file_visit(request, person_id: int):
    return _file_post(request, person_id, "visit", VisitForm, _save_visit, "走访已记录。")


@require_POST
@staff_view(ChildrenPerm.REGISTER_CHILD)
def file_assessment(request, person_id: int):
    return _file_post(request, person_id, "assessment", AssessmentForm,
                      lambda actor, person, d: actions.do_assess_left_behind_child(actor, person, **d), "评估已保存。")


@require_POST
@staff_view(ChildrenPerm.REGISTER_CHILD)
def file_care_plan(request, person_id: int):
    return _file_post(request, person_id, "care_plan", CarePlanForm,
                      lambda actor, person, d: actions.do_save_care_plan(actor, person, **d), "关爱服务计划已保存。")


# ----------------------------------------------------------------------------------------------
# The protection network: coverage on the map; 儿童督导员 / 儿童主任 and their training
# ----------------------------------------------------------------------------------------------


@staff_view(RegistryPerm.VIEW_REGISTRY)
def network_map(request):
    coverage = selectors.network_coverage(request.actor)
    payload = {
        "outline": district_outline_geojson(),
        "towns": [{"name": t["name"], "station": t["station"], "supervisor": t["supervisor"],
                   "directors": f"{t['directors']}/{t['villages']}", "value": list(t["point"])}
                  for t in coverage["towns"] if t["point"]],
        "villages": [{"name": v["name"], "director": v["director"], "value": list(v["point"])} for v in coverage["villages"] if v["point"]],
    }
    return render(request, "children/network_map.html", {
        "title": "未成年人保护网络覆盖", "coverage": coverage, "payload": payload,
        "without_director": [v for v in coverage["villages"] if not v["director"]][:300],
    })


@require_POST
@staff_view(ChildrenPerm.MANAGE_STATIONS)
def worker_save(request):
    form = WorkerForm(request.POST)
    if form.is_valid():
        try:
            actions.do_appoint_child_worker(request.actor, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "已登记。")
            return redirect("children:station-list")
    return _stations_page(request, worker_form=form, status=400)


@require_POST
@staff_view(ChildrenPerm.MANAGE_STATIONS)
def worker_training(request, worker_id: int):
    worker = access_child_worker_by_id(request.actor, worker_id)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_training(request.actor, worker, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "培训记录已保存。")
            return redirect("children:station-list")
    return _stations_page(request, training_forms={worker.pk: form}, status=400)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def photo(request, photo_id: int):
    """A photo of a paper the guardian sent with a 网上申请 (scoped like its case)."""
    item = selectors.access_photo_by_id(request.actor, photo_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise NotFound("照片文件不存在") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
