"""两项补贴 screens: thin views over selectors, access functions and actions. The village
screens (登记, the list, a case) are single-column and work at 390 px."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.accounts.scoping import parse_division_param
from minzheng.cases.workflow import Stale, next_step_hint
from minzheng.core.errors import DomainError, NotFound
from minzheng.disability import actions, selectors
from minzheng.disability.access import access_application_by_id
from minzheng.disability.enums import Source, Status, Subsidy
from minzheng.disability.exports import coverage_xlsx
from minzheng.disability.forms import (
    ApplicationForm,
    CertificateForm,
    DecideForm,
    EmptyForm,
    EndForm,
    GradeChangeForm,
    ReasonForm,
    ReviewForm,
    SubsidyReviewForm,
)
from minzheng.disability.permissions import DisabilityPerm
from minzheng.disability.workflow import APPLICATION, STEPS
from minzheng.discovery.selectors import access_alert_by_id, access_signal_by_id
from minzheng.registry.access import access_person_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import search_persons
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    counts = selectors.counts_by_status(actor)
    table = [
        {"subsidy": s.label, "cells": [counts.get((s.value, st.value), 0) for st in Status]}
        for s in Subsidy
    ]
    return render(
        request,
        "disability/home.html",
        {
            "title": "残疾人两项补贴",
            "table": table,
            "statuses": [st.label for st in Status],
            "recent": selectors.list_applications_for(actor, status="open")[:20],
            "due": selectors.reviews_due(actor)[:20],
            "can_register": actor.has(DisabilityPerm.REGISTER_SUBSIDY),
        },
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def application_list(request):
    subsidy = request.GET.get("subsidy", "")
    status = request.GET.get("status", "")
    rows = selectors.list_applications_for(
        request.actor,
        subsidy=subsidy if subsidy in Subsidy.values else None,
        status=status if status in (*Status.values, "open") else None,
    )[:200]
    return render(
        request,
        "disability/application_list.html",
        {"title": "两项补贴申请", "rows": rows, "subsidies": Subsidy.choices, "statuses": Status.choices, "subsidy": subsidy, "status": status},
    )


def _origin(request):
    """The person and what the form starts from: the person page, a discovery alert, a 残联 row."""
    actor = request.actor
    src = request.POST if request.method == "POST" else request.GET
    if src.get("alert"):
        alert = access_alert_by_id(actor, src["alert"])
        return alert.person, Source.ALERT, alert.pk, {"subsidy": Subsidy.CARE}
    if src.get("signal"):
        signal = access_signal_by_id(actor, src["signal"])
        initial = {
            "subsidy": Subsidy.CARE if 1 <= signal.grade <= 2 else Subsidy.LIVING,
            "certificate_category": (signal.detail or {}).get("category", ""),
            "certificate_grade": signal.grade or None,
            "certificate_issued_on": signal.event_date,
        }
        return signal.person, Source.FEED, signal.pk, initial
    if src.get("person"):
        return access_person_by_id(actor, src["person"]), Source.APPLICATION, None, {}
    return None, Source.APPLICATION, None, {}


@staff_view(DisabilityPerm.REGISTER_SUBSIDY)
def application_new(request):
    actor = request.actor
    person, source, source_ref, initial = _origin(request)
    q = request.GET.get("q", "").strip()
    found = list(search_persons(actor, q, include_deceased=False)[0][:20]) if person is None and q else []
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and person is not None and form.is_valid():
        d = form.cleaned_data
        try:
            application = actions.do_register_application(
                actor,
                actions.ApplicationInput(
                    person_id=person.pk, subsidy=d["subsidy"], source=source, source_ref=source_ref,
                    certificate_number=d["certificate_number"], certificate_category=d["certificate_category"],
                    certificate_grade=d["certificate_grade"], certificate_issued_on=d["certificate_issued_on"],
                    certificate_checked=d["certificate_checked"], situation=d["situation"],
                ),
            )
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记，申请编号 {application.number}，待乡镇（街道）受理。")
            return redirect("disability:application-detail", application.pk)
    return render(
        request,
        "disability/application_new.html",
        {"title": "申请两项补贴", "person": person, "form": form, "q": q, "found": found, "source": Source(source).label,
         "origin": {"alert": source_ref} if source == Source.ALERT else {"signal": source_ref} if source == Source.FEED else {"person": person.pk if person else ""}},
        status=400 if form.errors else 200,
    )


STEP_FORMS = {
    "certificate": CertificateForm,
    "accept": EmptyForm,
    "review": ReviewForm,
    "decide": DecideForm,
    "return": ReasonForm,
    "extend": ReasonForm,
    "end": EndForm,
    "grade_change": GradeChangeForm,
    "review_subsidy": SubsidyReviewForm,
}
STEP_LABELS = {
    "certificate": "核验残疾人证", "accept": "受理", "review": "乡镇审核", "decide": "审批", "return": "退回", "extend": "延期",
    "end": "停发", "grade_change": "残疾等级变更", "review_subsidy": "复核",
}


def _detail(request, application, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in APPLICATION.allowed(actor, application)}
    if application.status in (Status.SUBMITTED, Status.REVIEW) and actor.has(DisabilityPerm.REGISTER_SUBSIDY):
        allowed.add("certificate")
    if application.status == Status.APPROVED and actor.has(DisabilityPerm.REVIEW_SUBSIDY) and actor.level in ("town", "district"):
        allowed |= {"grade_change", "review_subsidy"}
    forms = forms or {}
    step_forms = {name: forms.get(name) or STEP_FORMS[name]() for name in STEP_FORMS if name in allowed}
    return render(
        request,
        "disability/application_detail.html",
        {
            "title": f"两项补贴申请 {application.number}",
            "a": application,
            "steps": [(s, Status(s).label) for s in STEPS],
            "hint": next_step_hint(APPLICATION, application),
            "history": selectors.history_of(application),
            "decisions": selectors.decisions_of(application),
            "reviews": selectors.reviews_of(application),
            "photos": list(selectors.photos_of(application)),
            "step_forms": step_forms,
            "step_labels": STEP_LABELS,
        },
        status=status,
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def application_detail(request, application_id: int):
    return _detail(request, access_application_by_id(request.actor, application_id))


def _certificate(d) -> actions.Certificate:
    return actions.Certificate(d["certificate_number"], d["certificate_category"], d["certificate_grade"], d["certificate_issued_on"])


@require_POST
@staff_view(RegistryPerm.VIEW_REGISTRY)
def application_step(request, application_id: int, step: str):
    actor = request.actor
    application = access_application_by_id(actor, application_id, audit=False)
    if step not in STEP_FORMS:
        return HttpResponse(status=404)
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        return _detail(request, application, {step: form}, status=400)
    d = form.cleaned_data
    version = posted_version(request)
    try:
        if step == "certificate":
            actions.do_record_certificate(actor, application, expected_version=version, certificate=_certificate(d))
        elif step == "accept":
            actions.do_accept_application(actor, application, expected_version=version)
        elif step == "review":
            actions.do_review_application(actor, application, expected_version=version, outcome=d["outcome"], opinion=d["opinion"])
        elif step == "decide":
            actions.do_decide_application(actor, application, expected_version=version, outcome=d["outcome"], reasons=d["reasons"])
        elif step == "return":
            actions.do_return_application(actor, application, expected_version=version, reason=d["reason"])
        elif step == "extend":
            actions.do_extend_application(actor, application, expected_version=version, reason=d["reason"])
        elif step == "end":
            actions.do_end_subsidy(actor, application, expected_version=version, end_reason=d["end_reason"], note=d["note"])
        elif step == "grade_change":
            actions.do_record_grade_change(actor, application, expected_version=version, certificate=_certificate(d), note=d["note"])
        else:
            actions.do_review_subsidy(actor, application, expected_version=version, outcome=d["outcome"], note=d["note"])
    except Stale as e:
        messages.error(request, e.message)
        return redirect("disability:application-detail", application.pk)
    except DomainError as e:
        apply_domain_error(form, e)
        return _detail(request, application, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("disability:application-detail", application.pk)


LIST_LIMIT = 100  # people listed per list on the page; the 核查清单 download has them all


def _coverage_items(request, list_limit: int | None = None):
    actor = request.actor
    division = parse_division_param(request.GET.get("division")) or ""
    if division and not ( any(division.startswith(p) or p.startswith(division) for p in actor.scope_prefixes)):
        division = ""
    if division and not actor.covers(division):
        division = ""
    run = selectors.latest_run()
    items = [selectors.coverage(actor, s.value, run=run, division_code=division or None, list_limit=list_limit) for s in Subsidy]
    return run, division, items


@staff_view(RegistryPerm.VIEW_REGISTRY)
def coverage_page(request):
    run, division, items = _coverage_items(request, list_limit=LIST_LIMIT)
    return render(
        request,
        "disability/coverage.html",
        {"title": "两项补贴覆盖率", "run": run, "division": division, "items": items, "list_limit": LIST_LIMIT,
         "can_apply": request.actor.has(DisabilityPerm.REGISTER_SUBSIDY)},
    )  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def coverage_export(request):
    run, division, items = _coverage_items(request)
    content, _count = coverage_xlsx(request.actor, items, filters={"division": division, "period": run.period if run else ""})
    return xlsx_response(content, f"两项补贴覆盖核查{run.period if run else ''}.xlsx")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def photo(request, photo_id: int):
    """A photo the family sent with a 网上申请 (scoped like its case)."""
    item = selectors.access_photo_by_id(request.actor, photo_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise NotFound("照片文件不存在") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
