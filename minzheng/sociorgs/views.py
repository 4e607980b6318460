"""Social-organisation screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render

from minzheng.cases.workflow import Stale
from minzheng.core import clock
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.sociorgs import actions, exports, selectors
from minzheng.sociorgs.access import (
    access_listing_by_id,
    access_organisation_by_id,
    access_penalty_by_id,
    access_procedure_by_id,
)
from minzheng.sociorgs.enums import (
    Grade,
    InspectionResult,
    ListKind,
    OrgType,
    PartyStatus,
    PenaltyKind,
    RefusalGround,
    Sanction,
    Sector,
)
from minzheng.sociorgs.permissions import SociorgPerm
from minzheng.sociorgs.workflow import (
    DOCUMENT_LABELS,
    PENALTY_WORKFLOW,
    PROCEDURE_WORKFLOW,
    STEP_DOCUMENTS,
)
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import XLSX, attachment
from minzheng.web.form_errors import posted_version

VIEW = SociorgPerm.VIEW_SOCIORGS


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


CHOICES = {"org_types": OrgType.choices, "sectors": Sector.choices, "party_statuses": PartyStatus.choices, "grades": Grade.choices,
           "results": InspectionResult.choices, "list_kinds": ListKind.choices, "grounds": RefusalGround.choices,
           "penalty_kinds": PenaltyKind.choices, "sanctions": Sanction.choices}  # fmt: skip


def _run(request, fn, success: str):
    """Run an action from a POST: (result, errors, status). Field errors stay on the page (400),
    a stale page is 409, any other refusal is a message."""
    try:
        result = fn()
        messages.success(request, success)
        return result, {}, 200
    except ValidationFailed as e:
        return None, e.errors, 400
    except Stale as e:
        messages.error(request, e.message)
        return None, {}, 409
    except (NotFound, PermissionDenied):
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return None, {}, 400


@staff_view(VIEW)
def home(request):
    actor = request.actor
    context = {
        "title": "社会组织",
        "summary": selectors.summary_for(actor),
        "procedures": selectors.list_procedures_for(actor, open_only=True)[:20],
        "penalties": selectors.list_penalties_for(actor).exclude(status__in=["executed", "dropped"])[:20],
        "listings": selectors.list_listings_for(actor)[:20],
        "can_register": actor.has(SociorgPerm.REGISTER_SOCIORGS),
        **CHOICES,
    }
    return render(request, "sociorgs/home.html", context)


def _filters(request) -> dict:
    return {k: request.GET.get(k, "") for k in ("org_type", "sector", "status", "q")} | {"division_code": request.GET.get("division") or None}


@staff_view(VIEW)
def organisation_list(request):
    filters = _filters(request)
    rows = selectors.list_organisations_for(request.actor, **filters)
    return render(request, "sociorgs/organisation_list.html", {"title": "社会组织名录", "rows": rows[:300], "count": rows.count(),
                                                                "filters": filters, "query": request.GET.urlencode(), **CHOICES})  # fmt: skip


@staff_view(VIEW)
def organisation_export(request):
    return attachment(exports.register_xlsx(request.actor, **_filters(request)), "社会组织名录.xlsx", XLSX)


@staff_view(VIEW)
def organisation_detail(request, org_id: int):
    actor = request.actor
    org = access_organisation_by_id(actor, org_id)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        form = request.POST.get("form")
        p = request.POST
        if form == "inspection":
            _, errors, status = _run(request, lambda: actions.do_record_inspection(
                actor, org, year=_int(p.get("year")), result=p.get("result", ""), submitted_on=_date(p.get("submitted_on")), note=p.get("note", "")),
                "年检结论已录入。")  # fmt: skip
        elif form == "assessment":
            _, errors, status = _run(request, lambda: actions.do_record_assessment(
                actor, org, grade=p.get("grade", ""), assessed_on=_date(p.get("assessed_on")), score=_int(p.get("score"))), "评估等级已录入。")
        elif form == "listing":
            _, errors, status = _run(request, lambda: actions.do_list_organisation(
                actor, org, kind=p.get("kind", ""), reason=p.get("reason", ""), listed_on=_date(p.get("listed_on"))), "已列入名单。")
        elif form == "unlist":
            listing = access_listing_by_id(actor, p.get("listing"))
            if listing.organisation_id != org.pk:
                raise NotFound()
            _, errors, status = _run(request, lambda: actions.do_remove_listing(
                actor, listing, reason=p.get("removal_reason", ""), removed_on=_date(p.get("removed_on"))), "已移出名单。")
        elif form in ("change", "deregister"):
            data = {k: p.get(k) for k in ("legal_representative", "address", "supervising_unit", "registered_capital", "party_status", "sector")
                    if p.get(k)} if form == "change" else {}  # fmt: skip
            case, errors, status = _run(request, lambda: actions.do_submit_procedure(actor, kind=form, organisation=org, data=data), "登记申请已登记。")
            if case:
                return redirect("sociorgs:procedure-detail", case.pk)
        if status == 200:
            return redirect("sociorgs:organisation-detail", org.pk)
    context = {
        "title": org.name, "org": org, "errors": errors, "changes": org.changes.all()[:100], "inspections": org.inspections.all(),
        "assessments": org.assessments.all(), "listings": org.listings.all(), "procedures": org.procedures.all(),
        "grade": selectors.current_grades([org.pk]).get(org.pk, ""), "can_supervise": actor.has(SociorgPerm.SUPERVISE_SOCIORGS),
        "can_register": actor.has(SociorgPerm.REGISTER_SOCIORGS), "today": clock.today(), "post": request.POST, **CHOICES,
    }  # fmt: skip
    return render(request, "sociorgs/organisation_detail.html", context, status=status)


ITEM_FIELDS = ("name", "org_type", "sector", "division_code", "address", "legal_representative", "supervising_unit", "registered_capital", "party_status")


@staff_view(SociorgPerm.REGISTER_SOCIORGS)
def procedure_new(request):
    errors: dict = {}
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ITEM_FIELDS}
        case, errors, status = _run(request, lambda: actions.do_submit_procedure(request.actor, kind="establish", data=data), "筹备申请已登记，请收取材料后受理。")
        if case:
            return redirect("sociorgs:procedure-detail", case.pk)
    return render(request, "sociorgs/procedure_new.html", {"title": "成立登记（筹备申请）", "errors": errors, "post": request.POST, **CHOICES},
                  status=status)  # fmt: skip


@staff_view(VIEW)
def procedure_detail(request, procedure_id: int):
    actor = request.actor
    case = access_procedure_by_id(actor, procedure_id)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        step = p.get("step", "")
        version = posted_version(request)
        if step == "document":
            _, errors, status = _run(request, lambda: actions.do_receive_document(actor, case, kind=p.get("kind", "")), "材料已收取。")
        else:
            steps = {
                "accept": (lambda: actions.do_accept_procedure(actor, case, expected_version=version), "已受理。"),
                "approve_prep": (lambda: actions.do_approve_preparation(actor, case, expected_version=version), "已准予筹备。"),
                "submit_registration": (lambda: actions.do_submit_registration(actor, case, expected_version=version), "已提交成立登记。"),
                "approve": (lambda: actions.do_approve_procedure(actor, case, expected_version=version, credit_code=p.get("credit_code", "")),
                            "已准予登记。"),
                "refuse": (lambda: actions.do_refuse_procedure(actor, case, expected_version=version, ground=p.get("ground", ""),
                                                              detail=p.get("reason", "")), "已作出不予登记决定。"),
            }  # fmt: skip
            if step not in steps:
                raise NotFound()
            _, errors, status = _run(request, steps[step][0], steps[step][1])
        if status == 200:
            return redirect("sociorgs:procedure-detail", case.pk)
        case = access_procedure_by_id(actor, procedure_id)
    have = set(case.documents.values_list("kind", flat=True))
    checklist = [(k, DOCUMENT_LABELS[k], k in have) for k in STEP_DOCUMENTS[case.kind]
                 if k != "supervisor_approval" or (case.data or {}).get("supervising_unit")]  # fmt: skip
    context = {
        "title": f"{case.get_kind_display()} {case.number}", "case": case, "errors": errors, "checklist": checklist,
        "allowed": {t.action for t in PROCEDURE_WORKFLOW.allowed(actor, case)},
        "available": PROCEDURE_WORKFLOW.available(actor, case),
        "events": selectors.case_history(actor, PROCEDURE_WORKFLOW, case), "post": request.POST, "items": _items(case), **CHOICES,
    }  # fmt: skip
    return render(request, "sociorgs/procedure_detail.html", context, status=status)


def _items(case) -> list[tuple[str, str]]:
    from minzheng.sociorgs.actions import (  # local import: only this helper needs the labels
        CHANGEABLE,
        _display,
    )

    labels = {"org_type": "组织类型", **CHANGEABLE}
    out = []
    for key, value in (case.data or {}).items():
        shown = OrgType(value).label if key == "org_type" and value in OrgType.values else _display(key, value)
        out.append((labels.get(key, key), shown or "—"))
    return out


@staff_view(VIEW)
def procedure_certificate(request, procedure_id: int):
    case = access_procedure_by_id(request.actor, procedure_id)
    try:
        content = exports.certificate_pdf(request.actor, case)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("sociorgs:procedure-detail", case.pk)
    return attachment(content, f"登记证书-{case.organisation.name}.pdf", "application/pdf")


@staff_view(VIEW)
def penalty_list(request):
    actor = request.actor
    errors: dict = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        org = access_organisation_by_id(actor, p.get("organisation")) if p.get("kind") == "penalty" and p.get("organisation") else None
        case, errors, status = _run(request, lambda: actions.do_file_penalty_case(
            actor, kind=p.get("kind", ""), facts=p.get("facts", ""), organisation=org, subject_name=p.get("subject_name", ""),
            division_code=p.get("division_code", "")), "已立案。")  # fmt: skip
        if case:
            return redirect("sociorgs:penalty-detail", case.pk)
    return render(request, "sociorgs/penalty_list.html", {"title": "行政处罚与取缔", "rows": selectors.list_penalties_for(actor)[:200],
                                                          "errors": errors, "post": request.POST,
                                                          "can_supervise": actor.has(SociorgPerm.SUPERVISE_SOCIORGS), **CHOICES},
                  status=status)  # fmt: skip


@staff_view(VIEW)
def penalty_detail(request, case_id: int):
    actor = request.actor
    case = access_penalty_by_id(actor, case_id)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        version = posted_version(request)
        steps = {
            "investigate": lambda: actions.do_investigate(actor, case, expected_version=version),
            "notify": lambda: actions.do_notify(actor, case, expected_version=version, findings=p.get("findings", "")),
            "decide": lambda: actions.do_decide(actor, case, expected_version=version, sanction=p.get("sanction", ""),
                                                decision_no=p.get("decision_no", ""), fine_yuan=p.get("fine", "")),
            "execute": lambda: actions.do_execute(actor, case, expected_version=version),
            "drop": lambda: actions.do_drop_case(actor, case, expected_version=version, reason=p.get("reason", "")),
        }  # fmt: skip
        if p.get("step") not in steps:
            raise NotFound()
        _, errors, status = _run(request, steps[p["step"]], "已办理。")
        if status == 200:
            return redirect("sociorgs:penalty-detail", case.pk)
    context = {"title": f"{case.get_kind_display()} {case.number}", "case": case, "errors": errors, "post": request.POST,
               "allowed": {t.action for t in PENALTY_WORKFLOW.allowed(actor, case)},
               "events": selectors.case_history(actor, PENALTY_WORKFLOW, case), **CHOICES}  # fmt: skip
    return render(request, "sociorgs/penalty_detail.html", context, status=status)


@staff_view(VIEW)
def report(request):
    year = _int(request.GET.get("year")) or clock.today().year - 1
    return render(request, "sociorgs/report.html", {"title": "社会组织统计", "year": year, "s": selectors.summary_for(request.actor, year=year),
                                                    "org_types": OrgType.choices, "sectors": Sector.choices, "grades": Grade.choices,
                                                    "results": InspectionResult.choices})  # fmt: skip


@staff_view(VIEW)
def report_export(request):
    year = _int(request.GET.get("year")) or clock.today().year - 1
    return attachment(exports.report_xlsx(request.actor, year=year), f"社会组织统计-{year}.xlsx", XLSX)
