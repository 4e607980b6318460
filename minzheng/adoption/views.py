"""Adoption screens: thin views over selectors, access functions and actions. Every view of a
case is audited (access_adoption_by_id); IDs are masked; the birth parents are never shown."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.adoption import actions, documents, selectors
from minzheng.adoption.access import (
    access_adoption_by_id,
    access_assessment_by_id,
    access_visit_by_id,
)
from minzheng.adoption.enums import (
    ASSESSMENT_SECTIONS,
    OPEN_STATUSES,
    Kind,
    Status,
    VisitStatus,
)
from minzheng.adoption.forms import (
    ApplicationForm,
    AssessmentForm,
    DissolveForm,
    DocumentForm,
    EmptyForm,
    ReasonForm,
    RefuseForm,
    VisitForm,
)
from minzheng.adoption.permissions import AdoptionPerm
from minzheng.adoption.services import evaluate
from minzheng.adoption.workflow import ADOPTION
from minzheng.cases.workflow import Stale, next_step_hint
from minzheng.core import clock
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
)
from minzheng.registry.picker import bind_person_pickers
from minzheng.web.decorators import render_error, staff_view
from minzheng.web.form_errors import apply_domain_error, posted_version

STEP_FORMS = {
    "accept": EmptyForm,
    "close_notice": EmptyForm,
    "assess": AssessmentForm,
    "register": EmptyForm,
    "refuse": RefuseForm,
    "return": ReasonForm,
    "dissolve": DissolveForm,
}
# Errors the actions name that have no field on the step's form.
_NO_FIELD = ("conditions", "reason")


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def home(request):
    actor = request.actor
    return render(
        request,
        "adoption/home.html",
        {
            "title": "收养登记",
            "counts": selectors.adoption_counts(actor),
            "kinds": Kind.choices,
            "open_states": [(s.value, s.label) for s in OPEN_STATUSES],
            "recent": selectors.list_adoptions_for(actor, status="open")[:20],
            "can_register": actor.has(AdoptionPerm.REGISTER_ADOPTION) and actor.level == "district",
        },
    )


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def adoption_list(request):
    status = request.GET.get("status", "")
    rows = selectors.list_adoptions_for(request.actor, status=status if status in (*Status.values, "open") else None)[:200]
    return render(
        request, "adoption/list.html",
        {"title": "收养登记名单", "rows": rows, "statuses": Status.choices, "status": status},
    )  # fmt: skip


@staff_view(AdoptionPerm.REGISTER_ADOPTION)
def adoption_new(request):
    actor = request.actor
    form = bind_person_pickers(ApplicationForm(request.POST or None), actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            adoption = actions.do_apply_adoption(
                actor,
                actions.AdoptionInput(
                    child_id=d["child"].pk, adopter_id=d["adopter"].pk, co_adopter_id=d["co_adopter"].pk if d["co_adopter"] else None,
                    kind=d["kind"], placer=d["placer"], placer_name=d["placer_name"], adopter_has_spouse=d["adopter_has_spouse"],
                    birth_children=d["birth_children"], adopted_children=d["adopted_children"],
                    unsuitable_disease=d["unsuitable_disease"], criminal_record=d["criminal_record"],
                    child_consents=d["child_consents"], placer_agrees=d["placer_agrees"], situation=d["situation"],
                    documents=d["documents"],
                ),
            )  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记收养申请，编号 {adoption.number}。")
            return redirect("adoption:detail", adoption.pk)
    return render(request, "adoption/new.html", {"title": "收养申请", "form": form}, status=400 if form.errors else 200)


def _detail(request, adoption, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = [t.action for t in ADOPTION.allowed(actor, adoption)]
    forms = forms or {}
    step_forms = {name: forms.get(name) or STEP_FORMS[name]() for name in dict.fromkeys(allowed) if name in STEP_FORMS}
    can_register = actor.has(AdoptionPerm.REGISTER_ADOPTION) and actor.level == "district"
    document_form = forms.get("document") or (DocumentForm(prefix="doc") if can_register and adoption.status in (Status.APPLIED, Status.REGISTERED) else None)
    can_visit = actor.has(AdoptionPerm.VISIT_ADOPTION) and actor.level in ("town", "district")
    visits = list(selectors.visits_of(actor, adoption))
    labels = {t.action: t.label for t in ADOPTION.transitions}
    conditions = adoption.conditions or ([c.as_dict() for c in evaluate(adoption, clock.today())] if adoption.status == Status.REVIEW else [])
    return render(
        request,
        "adoption/detail.html",
        {
            "title": f"收养登记 {adoption.number}",
            "a": adoption,
            "hint": next_step_hint(ADOPTION, adoption),
            "history": selectors.history_of(actor, adoption),
            "documents": selectors.documents_of(actor, adoption),
            "assessments": selectors.assessments_of(actor, adoption),
            "visits": visits,
            "visit_form": forms.get("visit") or VisitForm(prefix="visit"),
            "next_visit_id": next((v.pk for v in visits if v.status == VisitStatus.DUE), None),
            "can_visit": can_visit,
            "document_form": document_form,
            "step_forms": step_forms,
            "step_labels": labels,
            "conditions": conditions,
            "deadline": ADOPTION.deadline_of(adoption),
            "sections": ASSESSMENT_SECTIONS,
            "open": adoption.status in OPEN_STATUSES,
        },
        status=status,
    )


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def adoption_detail(request, adoption_id: int):
    return _detail(request, access_adoption_by_id(request.actor, adoption_id))


@require_POST
@staff_view(AdoptionPerm.VIEW_ADOPTION)
def adoption_step(request, adoption_id: int, step: str):
    actor = request.actor
    adoption = access_adoption_by_id(actor, adoption_id, audit=False)
    if step not in STEP_FORMS:
        return HttpResponse(status=404)
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        return _detail(request, adoption, {step: form}, status=422)
    d, version = form.cleaned_data, posted_version(request)
    try:
        if step == "accept":
            actions.do_accept_adoption(actor, adoption, expected_version=version)
        elif step == "close_notice":
            actions.do_close_notice(actor, adoption, expected_version=version)
        elif step == "assess":
            data = actions.AssessmentInput(
                body=d["body"], conclusion=d["conclusion"], summary=d["summary"], started_on=d["started_on"],
                reported_on=d["reported_on"], organisation=d["organisation"], assessors=form.assessors_list(),
                sections={key: d.get(key, "") for key, _ in ASSESSMENT_SECTIONS},
            )  # fmt: skip
            actions.do_record_assessment(actor, adoption, expected_version=version, data=data)
        elif step == "register":
            actions.do_register_adoption(actor, adoption, expected_version=version)
        elif step == "refuse":
            actions.do_refuse_adoption(actor, adoption, expected_version=version, opinion=d["opinion"])
        elif step == "return":
            actions.do_return_adoption(actor, adoption, expected_version=version, reason=d["reason"])
        else:
            actions.do_dissolve_adoption(actor, adoption, expected_version=version, ground=d["ground"], reason=d["reason"])
    except Stale as e:
        messages.error(request, e.message)
        return _detail(request, access_adoption_by_id(actor, adoption_id, audit=False), status=409)
    except (NotFound, PermissionDenied):
        raise  # 404 / 403 pages
    except DomainError as e:
        apply_domain_error(form, e)
        return _detail(request, adoption, {step: form}, status=422)
    messages.success(request, f"已办理“{ADOPTION.action_label(step)}”。")
    return redirect("adoption:detail", adoption.pk)


@require_POST
@staff_view(AdoptionPerm.REGISTER_ADOPTION)
def adoption_document(request, adoption_id: int):
    actor = request.actor
    adoption = access_adoption_by_id(actor, adoption_id, audit=False)
    form = DocumentForm(request.POST, prefix="doc")
    if form.is_valid():
        try:
            actions.do_check_in_document(actor, adoption, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"])
        except DomainError as e:
            apply_domain_error(form, e)
    if form.errors:
        return _detail(request, adoption, {"document": form}, status=422)
    messages.success(request, "已收件。")
    return redirect("adoption:detail", adoption.pk)


@require_POST
@staff_view(AdoptionPerm.VISIT_ADOPTION)
def visit_record(request, visit_id: int):
    actor = request.actor
    visit = access_visit_by_id(actor, visit_id)
    form = VisitForm(request.POST, prefix="visit")
    if form.is_valid():
        try:
            actions.do_record_visit(actor, visit, visited_on=form.cleaned_data["visited_on"], note=form.cleaned_data["note"])
        except DomainError as e:
            apply_domain_error(form, e)
    if form.errors:
        adoption = access_adoption_by_id(actor, visit.adoption_id, audit=False)
        return _detail(request, adoption, {"visit": form}, status=422)
    messages.success(request, "已登记回访。")
    return redirect("adoption:detail", visit.adoption_id)


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def visit_list(request):
    rows = selectors.list_visits_for(request.actor).filter(status=VisitStatus.DUE).order_by("due_on", "id")[:200]
    return render(request, "adoption/visits.html", {"title": "收养回访", "rows": rows, "today": clock.today()})


def _pdf(request, render, obj, filename: str) -> HttpResponse:
    try:
        content = render(request.actor, obj)
    except NotFound:
        raise
    except DomainError as e:
        return render_error(request, 409, "无法打印", e.message)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    return response


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def certificate(request, adoption_id: int):
    adoption = access_adoption_by_id(request.actor, adoption_id, audit=False)
    return _pdf(request, documents.certificate_pdf, adoption, f"certificate-{adoption.number}.pdf")


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def refusal(request, adoption_id: int):
    adoption = access_adoption_by_id(request.actor, adoption_id, audit=False)
    return _pdf(request, documents.refusal_pdf, adoption, f"refusal-{adoption.number}.pdf")


@staff_view(AdoptionPerm.VIEW_ADOPTION)
def assessment_report(request, assessment_id: int):
    assessment = access_assessment_by_id(request.actor, assessment_id)
    return _pdf(request, documents.assessment_pdf, assessment, f"assessment-{assessment.adoption.number}.pdf")
