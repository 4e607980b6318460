"""The children's and disability allowances online (issue 22 item 3): a real-name citizen
applies for 两项补贴 for themselves or a disabled member of their household, or — as the
guardian — for 孤儿 / 事实无人抚养儿童 for a child of their household; sends photos of the papers;
follows the case. Thin: every write is the line's action (audited as the citizen), every read
its selectors; another family's case is a 404."""

from __future__ import annotations

from minzheng.citizen.forms import show_refusal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from minzheng.children import actions as children_actions
from minzheng.children import selectors as children_selectors
from minzheng.children.actions import RecognitionInput
from minzheng.citizen.forms_allowances import ChildApplyForm, ChildPhotoForm, DisabilityApplyForm, DisabilityPhotoForm
from minzheng.citizen.session import citizen_view
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.clock import today
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.uploads import MAX_UPLOAD_BYTES
from minzheng.disability import actions as disability_actions
from minzheng.disability import selectors as disability_selectors
from minzheng.disability.actions import ApplicationInput
from minzheng.registry.selectors import current_household_of, current_members



def _household(person) -> list[tuple[object, str]]:
    """(person, label) of the citizen and their current household: others' names and every ID
    number masked."""
    household = current_household_of(person)
    rows = [(person, f"本人（{person.name}）")]
    if household is not None:
        for m in current_members(household).select_related("person"):
            if m.person_id != person.pk:
                rows.append((m.person, f"{mask_name(m.person.name)}（{m.get_relation_display()}，{m.person.id_number_masked}）"))
    return rows


# ----------------------------------------------------------------------------------------------
# Applying
# ----------------------------------------------------------------------------------------------


@citizen_view()
def apply_disability(request: HttpRequest) -> HttpResponse:
    person = request.account.person
    members = [(p.pk, label) for p, label in _household(person) if not p.is_deceased]
    form = DisabilityApplyForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = ApplicationInput(
            person_id=d["person_id"], subsidy=d["subsidy"], certificate_number=d["certificate_number"].strip(),
            certificate_category=d["certificate_category"], certificate_grade=d["certificate_grade"],
            certificate_issued_on=d["certificate_issued_on"], situation=d["situation"],
        )  # fmt: skip
        try:
            application = disability_actions.do_submit_online_application(request.actor, data, applicant=person)
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            return redirect("citizen:disability-case", application.pk)
    context = {"form": form, "title": "申请残疾人两项补贴", "account": request.account}
    return render(request, "citizen/apply_disability.html", context)


@citizen_view()
def apply_children(request: HttpRequest) -> HttpResponse:
    person = request.account.person
    day = today()
    children = [(p.pk, label) for p, label in _household(person)[1:] if not p.is_deceased and p.birth_date and age_on(p.birth_date, day) < 18]
    form = ChildApplyForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = RecognitionInput(
            person_id=d["person_id"], category=d["category"], source="application", grounds=d["grounds"],
            guardian_relation=d["guardian_relation"], situation=d["situation"],
        )  # fmt: skip
        try:
            recognition = children_actions.do_submit_online_recognition(request.actor, data, applicant=person)
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            return redirect("citizen:children-case", recognition.pk)
    context = {"form": form, "title": "申请儿童基本生活费", "account": request.account, "has_children": bool(children)}
    return render(request, "citizen/apply_children.html", context)


# ----------------------------------------------------------------------------------------------
# Following the cases
# ----------------------------------------------------------------------------------------------


def allowance_rows(person) -> list[dict]:
    """The family's 两项补贴 and children's cases for “我的申请”, newest first."""
    rows = []
    for a in disability_selectors.applications_of_family(person)[:50]:
        rows.append({"url": ("citizen:disability-case", a.pk), "title": a.get_subsidy_display(), "status": a.get_status_display(),
                     "number": a.number, "submitted_on": a.submitted_on, "channel": a.get_channel_display(), "id": a.pk})  # fmt: skip
    for r in children_selectors.recognitions_of_family(person)[:50]:
        rows.append({"url": ("citizen:children-case", r.pk), "title": f"{r.get_category_display()}认定", "status": r.get_status_display(),
                     "number": r.number, "submitted_on": r.submitted_on, "channel": r.get_channel_display(), "id": r.pk})  # fmt: skip
    return sorted(rows, key=lambda r: (r["submitted_on"], r["id"]), reverse=True)


def _upload(request: HttpRequest, form, write) -> bool:
    if not (request.method == "POST" and form.is_valid()):
        return False
    upload = form.cleaned_data["file"]
    try:
        write(filename=upload.name, content=upload.read(MAX_UPLOAD_BYTES + 1))
    except ValidationFailed as e:
        show_refusal(form, e)
    except DomainError as e:
        form.add_error(None, e.message)
    else:
        return True
    return False


def _viewed(request: HttpRequest, case, object_type: str) -> None:
    record_audit_event(
        request.actor, AuditAction.VIEW, object_type=object_type, object_id=case.pk,
        division_code=case.division_code, summary=f"群众查看本人申请 {case.number}",
    )  # fmt: skip


@citizen_view()
def disability_case(request: HttpRequest, application_id: int) -> HttpResponse:
    person = request.account.person
    application = disability_selectors.application_of_family(person, application_id)
    form = DisabilityPhotoForm(request.POST or None, request.FILES or None)
    def write(**kw):  # noqa: E306
        disability_actions.do_add_online_photo(request.actor, application.pk, applicant=person, **kw)
    if _upload(request, form, write):
        return redirect("citizen:disability-case", application.pk)
    _viewed(request, application, "disability_application")
    status = application.status
    context = {
        "title": f"申请 {application.number}", "account": request.account, "case": application, "form": form,
        "heading": f"{application.get_subsidy_display()}申请", "subject": _subject(person, application.person),
        "status_label": application.get_status_display(), "handler": disability_selectors.handler_of(application),
        "open": status in ("submitted", "review", "decision"),
        "approved": status == "approved" and application.amount_fen is not None, "refused": status == "refused",
        "approved_label": "已批准", "refused_label": "不予批准",
        "history": list(disability_selectors.history_of(application)),
        "photos": [("残疾人证照片", p.created_at) for p in disability_selectors.photos_of(application)],
    }  # fmt: skip
    return render(request, "citizen/allowance_case.html", context)


@citizen_view()
def children_case(request: HttpRequest, recognition_id: int) -> HttpResponse:
    person = request.account.person
    recognition = children_selectors.recognition_of_family(person, recognition_id)
    form = ChildPhotoForm(request.POST or None, request.FILES or None)
    def write(**kw):  # noqa: E306
        children_actions.do_add_online_photo(request.actor, recognition.pk, applicant=person, kind=form.cleaned_data["kind"], **kw)
    if _upload(request, form, write):
        return redirect("citizen:children-case", recognition.pk)
    _viewed(request, recognition, "child_recognition")
    status = recognition.status
    context = {
        "title": f"申请 {recognition.number}", "account": request.account, "case": recognition, "form": form,
        "heading": f"{recognition.get_category_display()}认定申请", "subject": _subject(person, recognition.person),
        "status_label": recognition.get_status_display(), "handler": children_selectors.handler_of(recognition),
        "open": status in ("submitted", "publicity", "decision"),
        "approved": status == "recognised" and recognition.amount_fen is not None, "refused": status == "refused",
        "approved_label": "已认定", "refused_label": "不予认定",
        "history": list(children_selectors.history_of(recognition)),
        "photos": [(p.get_kind_display(), p.created_at) for p in children_selectors.photos_of(recognition)],
    }  # fmt: skip
    return render(request, "citizen/allowance_case.html", context)


def _subject(me, person) -> str:
    return "本人" if person.pk == me.pk else mask_name(person.name)
