"""Casework screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import User
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import parse_division_param
from minzheng.assistance import (
    actions,
    documents,
    exports,
    imports,
    notices,
    payroll,
    reviews,
    selectors,
    workflow,
)
from minzheng.assistance.access import (
    access_objection_by_id,
    access_application_by_id,
    access_attachment_by_id,
    access_batch_by_id,
    access_enrolment_by_id,
    access_notice_by_id,
    access_review_task_by_id,
)
from minzheng.assistance.enums import (
    ExitReason,
    Level,
    OPEN_STATUSES,
    Program,
    ReviewStatus,
    Status,
    TemporaryType,
)
from minzheng.assistance.forms import (
    AdjustForm,
    AdvanceForm,
    ApplicationForm,
    ApproveForm,
    AttachmentForm,
    BankForm,
    CalendarDayForm,
    CloseForm,
    CorrectionAnswerForm,
    CorrectionForm,
    EconomicCheckForm,
    ExitForm,
    InvestigationForm,
    NoticeForm,
    PayrollRunForm,
    ProgramConfigForm,
    ReasonForm,
    RefuseForm,
    ReviewForm,
    ReviewTaskForm,
)
from minzheng.assistance.jobs import PAYROLL_RUN
from minzheng.assistance.models import AdjustmentRequest
from minzheng.cases.actions import do_delete_calendar_day, do_set_calendar_day
from minzheng.cases.calendar import calendar_days_since, work_calendar
from minzheng.cases.workflow import missing_reasons, next_step_hint
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.clock import today
from minzheng.core.district import district_code
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.money import format_yuan, yuan_to_fen_rounded
from minzheng.core.periods import next_month, parse_period
from minzheng.divisions.directory import get_directory
from minzheng.exchange.selectors import specs_for
from minzheng.jobs.access import access_job_by_id
from minzheng.jobs.actions import do_enqueue_job
from minzheng.jobs.selectors import unfinished_jobs_of
from minzheng.registry.picker import bind_person_pickers
from minzheng.web.decorators import render_error, staff_view
from minzheng.web.downloads import XLSX, attachment, xlsx_response
from minzheng.web.form_errors import posted_version
from minzheng.web.paging import CappedPaginator

PAGE_SIZE = 20


def _fen(amount: Decimal | None) -> int | None:
    """A form's yuan amount → fen, half-up (was half-even through to_integral_value)."""
    return None if amount is None else yuan_to_fen_rounded(Decimal(amount))


def _division_param(request) -> str | None:
    return parse_division_param(request.GET.get("division"))


# ----------------------------------------------------------------------------------------------
# 待办
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_REGISTRY)
def todo(request):
    actor = request.actor
    division = _division_param(request)
    status = request.GET.get("status") or None
    only = request.GET.get("only") or None
    calendar = work_calendar()
    counts = selectors.todo_counts(actor, division_code=division, calendar=calendar)
    qs = selectors.todo_page(actor, division_code=division, status=status, only=only, calendar=calendar)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.decorate(page.object_list, calendar)
    reviews_open = selectors.list_review_tasks_for(actor, division_code=division)
    context = {
        "title": "救助待办",
        "counts": counts,
        "rows": rows,
        "page_obj": page,
        "paginator": page.paginator,
        "status": status or "",
        "status_label": Status(status).label if status in Status.values else "",
        "only": only or "",
        "query_string": urlencode({k: v for k, v in {"status": status, "only": only, "division": division}.items() if v}),
        "reviews_open": reviews_open.count(),
        "reviews_overdue": reviews_open.filter(due_on__lt=today()).count(),
        "paperwork": list(selectors.advance_paperwork_due(actor)[:20]) if actor.has(Perm.ACCEPT_APPLICATION) else [],
        "today": today(),
        "near_days": workflow.NEAR_DUE_WORKING_DAYS,
    }
    template = "assistance/todo.html#todo-table" if request.htmx else "assistance/todo.html"
    return render(request, template, context)


@staff_view(Perm.VIEW_REGISTRY)
def todo_export(request):
    """The 待办 list as xlsx, with the same filters as the screen (all pages)."""
    actor = request.actor
    division = _division_param(request)
    status = request.GET.get("status") or None
    only = request.GET.get("only") or None
    calendar = work_calendar()
    qs = selectors.todo_page(actor, division_code=division, status=status, only=only, calendar=calendar)
    rows = selectors.decorate(qs.select_related("applicant")[: exports.EXPORT_LIMIT], calendar)
    filters = {k: v for k, v in {"status": status, "only": only, "division": division}.items() if v}
    content, _ = exports.todo_xlsx(actor, rows, filters=filters)
    return xlsx_response(content, f"救助待办-{today().isoformat()}.xlsx")


# ----------------------------------------------------------------------------------------------
# Applications
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_REGISTRY)
def application_list(request):
    actor = request.actor
    status = request.GET.get("status") or None
    program = request.GET.get("program") or None
    q = (request.GET.get("q") or "").strip()
    qs = selectors.list_applications_for(actor, division_code=_division_param(request), status=status, program=program)
    if q:
        qs = qs.filter(number__icontains=q) | qs.filter(applicant__name__startswith=q)
    qs = qs.select_related("applicant").order_by("-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/application_list.html",
        {
            "title": "救助申请",
            "page_obj": page,
            "paginator": page.paginator,
            "statuses": Status.choices,
            "programs": Program.choices,
            "status": status or "",
            "program": program or "",
            "q": q,
            "query_string": urlencode({k: v for k, v in {"status": status, "program": program, "q": q}.items() if v}),
        },
    )


@staff_view(Perm.ACCEPT_APPLICATION)
def application_create(request):
    """The applicant is chosen with the registry's person picker (scoped: another village's
    person is never listed nor accepted); from a person or household page it comes chosen."""
    actor = request.actor
    initial = {"authorization_signed_on": today(), "as_household": True}
    if request.GET.get("applicant", "").isdigit():
        initial["applicant"] = request.GET["applicant"]
    if request.GET.get("program") in {p.value for p in workflow.CASEWORK_PROGRAMS}:
        initial["program"] = request.GET["program"]
    form = bind_person_pickers(ApplicationForm(request.POST or None, initial=initial), actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = data["applicant"]
        program = data["program"]
        as_household = program == Program.DIBAO or (program == Program.TEMPORARY and data["as_household"])
        if as_household and not applicant.household_id:
            form.add_error("applicant", f"{applicant.name}尚未登记家庭，请先在其人员页面“立户”或“加入家庭”")
        else:
            try:
                application = actions.do_create_application(
                    actor,
                    actions.ApplicationInput(
                        program=program,
                        applicant_id=applicant.pk,
                        household_id=applicant.household_id if as_household else None,
                        person_id=applicant.pk,
                        reason=data["reason"],
                        temporary_type=data.get("temporary_type") or "",
                        severity=data.get("severity") or "",
                        requested_months=data.get("requested_months"),
                        authorization_signed=data["authorization_signed"],
                        authorization_signed_on=data["authorization_signed_on"],
                        bank_name=data.get("bank_name") or "",
                        bank_account=data.get("bank_account") or "",
                    ),
                )
            except ValidationFailed as e:
                errors = dict(e.errors)
                if "household_id" in errors or "applicant_id" in errors:
                    errors["applicant"] = errors.pop("household_id", None) or errors.pop("applicant_id")
                form.add_errors(errors)
            except NotFound:
                form.add_error("applicant", "该人员或家庭不在您的管辖范围内")
            else:
                messages.success(request, f"已登记申请 {application.number}。")
                return redirect("assistance:application-detail", application_id=application.pk)
    return render(request, "assistance/application_form.html", {"title": "登记救助申请", "form": form})


ACTION_FORMS = {
    "accept": None,
    "investigate": InvestigationForm,
    "check_economy": EconomicCheckForm,
    "review": ReviewForm,
    "close_publicity": CloseForm,
    "approve": ApproveForm,
    "refuse": RefuseForm,
    "archive": None,
    "return": ReasonForm,
    "extend": ReasonForm,
    "request_correction": CorrectionForm,
    "record_correction": CorrectionAnswerForm,
    "advance": AdvanceForm,
    "paperwork": None,
}


def _investigators(actor, application):
    """Staff who may be the second investigator: INVESTIGATE permission over this village."""
    codes = [application.division_code, application.division_code[:9], application.division_code[:6]]
    users = User.objects.filter(is_active=True, assignments__division_code__in=codes).exclude(pk=actor.user_id).distinct().order_by("username")
    return [u for u in users if build_actor(u).has(Perm.INVESTIGATE)]


def _make_form(name, request_data, actor, application):
    cls = ACTION_FORMS[name]
    if cls is None:
        return None
    if cls is InvestigationForm:
        return cls(request_data, investigators=_investigators(actor, application), initial={"visited_on": today()})
    return cls(request_data)


# The step bar: the forward steps of the workflow, and the two ends a case may reach.
BAR_STEPS = (Status.SUBMITTED, Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW, Status.PUBLICITY, Status.CONFIRMATION)


def step_bar(application, events, *, requires_publicity: bool) -> list[dict]:
    """Each step as done / current / skipped (公示 when the program does not publish) /
    returned (the step the case was sent back from) / todo, and the outcome as 已确认 or
    不予保障 — a refused or skipped step is never shown as done."""
    status = application.status
    refused = status == Status.REFUSED or (status == Status.ARCHIVED and bool(application.refusal_reasons))
    finished = status in (Status.APPROVED, Status.REFUSED, Status.ARCHIVED)
    current = len(BAR_STEPS) if finished else (BAR_STEPS.index(status) if status in BAR_STEPS else 0)
    last = events[-1] if events else None
    returned_from = last.from_status if last is not None and last.action == "return" else ""
    bar = []
    for index, step in enumerate(BAR_STEPS):
        label, state, note = Status(step).label, "todo", ""
        if index < current:
            state = "done"
            if step == Status.PUBLICITY and application.publicity_start is None:
                state, note = "skipped", "（本项目不需公示）"
        elif index == current:
            state = "current"
        elif step == Status.PUBLICITY and application.publicity_start is None and not requires_publicity:
            state, note = "skipped", "（本项目不需公示）"
        if step == returned_from and state != "current":
            state, note = "returned", "（已退回）"
        bar.append({"label": label, "state": state, "note": note})
    if refused:
        bar.append({"label": "不予保障", "state": "refused", "note": ""})
    else:
        bar.append({"label": Status.APPROVED.label, "state": "done" if finished else "todo", "note": ""})
    if status == Status.ARCHIVED:
        bar.append({"label": Status.ARCHIVED.label, "state": "done", "note": ""})
    return bar


def _detail_context(request, application, *, bound: dict | None = None) -> dict:
    actor = request.actor
    bound = bound or {}
    allowed = workflow.WORKFLOW.allowed(actor, application)
    forms = {}
    for t in allowed:
        if t.action in forms:
            continue
        forms[t.action] = {"label": t.label, "form": bound.get(t.action) or _make_form(t.action, None, actor, application)}
    if (
        application.program == Program.TEMPORARY
        and application.temporary_type == TemporaryType.URGENT
        and not application.advance_paid_fen
        and application.status in (Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW)
        and actor.has(Perm.ACCEPT_APPLICATION)
        and actor.level in (Level.TOWN, Level.DISTRICT)
    ):
        forms["advance"] = {"label": "先行救助", "form": bound.get("advance") or AdvanceForm()}
    open_correction = selectors.open_correction_of(application)
    if open_correction is not None and application.status in (Status.SUBMITTED, *OPEN_STATUSES) and (
        actor.has(Perm.ACCEPT_APPLICATION) or actor.has(Perm.INVESTIGATE) or actor.has(Perm.REVIEW_APPLICATION)
    ):
        forms.pop("request_correction", None)  # one open request at a time
        forms["record_correction"] = {"label": "登记补正（窗口收取）", "form": bound.get("record_correction") or CorrectionAnswerForm()}
    if application.advance_paid_fen and not application.advance_paperwork_done_on and actor.has(Perm.ACCEPT_APPLICATION):
        forms["paperwork"] = {"label": "补齐手续", "form": None}
    verdict = None
    verdict_error = ""
    if application.status in (Status.REVIEW, Status.PUBLICITY, Status.CONFIRMATION):
        try:
            verdict, _ = actions.evaluate_application(application)
        except DomainError as e:
            verdict_error = e.message
    decisions = list(application.decisions.order_by("id"))
    final = next((d for d in reversed(decisions) if d.stage == "final"), None)
    row = selectors.decorate([application])[0]
    check = actions.latest_check(application)
    events = list(selectors.history_of(application))
    return {
        "title": f"救助申请 {application.number}",
        "app": application,
        "row": row,
        "steps": step_bar(application, events, requires_publicity=actions.program_config(application.program)["requires_publicity"]),
        "next_hint": next_step_hint(workflow.WORKFLOW, application),
        "missing": [] if forms else missing_reasons(workflow.WORKFLOW, actor, application),
        "forms": forms,
        "verdict": verdict,
        "verdict_conditions": documents.explain(verdict.conditions) if verdict else [],
        "verdict_error": verdict_error,
        "decisions": decisions,
        "final": final,
        "final_conditions": documents.explain(final.result.get("conditions", [])) if final else [],
        "check": check,
        "investigations": list(application.investigations.select_related("investigator_1", "investigator_2")),
        "events": events,
        "attachments": list(application.attachments.all()),
        "attachment_form": bound.get("attachment") or AttachmentForm(),
        "can_upload": actor.has(Perm.ACCEPT_APPLICATION) or actor.has(Perm.INVESTIGATE) or actor.has(Perm.REVIEW_APPLICATION),
        "enrolments": list(application.enrolments.all()),
        "objections": list(selectors.objections_of(application)),
        "corrections": list(selectors.corrections_of(application)),
        "current_division_code": application.division_code,
    }


@staff_view(Perm.VIEW_REGISTRY)
def application_detail(request, application_id: int):
    application = access_application_by_id(request.actor, application_id)
    return render(request, "assistance/application_detail.html", _detail_context(request, application))


def _run_action(name, actor, application, version, data, request):
    if name == "accept":
        return actions.do_accept_application(actor, application, expected_version=version)
    if name == "investigate":
        return actions.do_record_investigation(actor, application, expected_version=version, **data)
    if name == "check_economy":
        return actions.do_complete_economic_check(actor, application, expected_version=version, notes=data.get("notes", ""))
    if name == "review":
        return actions.do_review_application(actor, application, expected_version=version, outcome=data["outcome"], opinion=data.get("opinion", ""))
    if name == "close_publicity":
        return actions.do_close_publicity(actor, application, expected_version=version, note=data.get("note", ""))
    if name == "approve":
        return actions.do_approve_application(actor, application, expected_version=version, opinion=data.get("opinion", ""), case_by_case_note=data.get("case_by_case_note", ""))
    if name == "refuse":
        return actions.do_refuse_application(actor, application, expected_version=version, reasons=data["reasons"])
    if name == "archive":
        return actions.do_archive_application(actor, application, expected_version=version)
    if name == "return":
        return actions.do_return_application(actor, application, expected_version=version, reason=data["reason"])
    if name == "extend":
        return actions.do_extend_deadline(actor, application, expected_version=version, reason=data["reason"])
    if name == "request_correction":
        return actions.do_request_correction(actor, application, expected_version=version, items=data["items"])
    if name == "record_correction":
        return actions.do_record_correction(actor, application, answer=data["answer"])
    if name == "advance":
        return actions.do_grant_advance_relief(actor, application, expected_version=version, amount_fen=_fen(data["amount_yuan"]))
    if name == "paperwork":
        return actions.do_complete_advance_paperwork(actor, application, expected_version=version)
    raise NotFound()


@require_POST
@staff_view(Perm.VIEW_REGISTRY)
def application_action(request, application_id: int, action: str):
    actor = request.actor
    if action not in ACTION_FORMS:
        return render_error(request, 404, "未找到", "不支持的操作")
    application = access_application_by_id(actor, application_id, audit=False)
    version = posted_version(request)
    form = _make_form(action, request.POST, actor, application)
    data = {}
    if form is not None:
        if not form.is_valid():
            return render(request, "assistance/application_detail.html", _detail_context(request, application, bound={action: form}), status=422)
        data = form.cleaned_data
    if action in CONFIRMED_ACTIONS and request.POST.get("confirmed") != "1":
        try:
            confirmation = _application_confirmation(application, action, data)
        except DomainError as e:
            if isinstance(e, NotFound):
                raise
            messages.error(request, e.message)
            return render(request, "assistance/application_detail.html", _detail_context(request, application), status=422)
        return _confirm_page(request, confirmation, back=reverse("assistance:application-detail", args=[application.pk]))
    try:
        updated = _run_action(action, actor, application, version, data, request)
    except ValidationFailed as e:
        if form is not None:
            form.add_errors(e.errors)
        else:
            messages.error(request, e.message)
        return render(request, "assistance/application_detail.html", _detail_context(request, application, bound={action: form} if form else None), status=422)
    except (PermissionDenied, DomainError) as e:
        if isinstance(e, NotFound):
            raise
        messages.error(request, e.message)
        application.refresh_from_db()
        return render(request, "assistance/application_detail.html", _detail_context(request, application), status=409 if e.code == "stale" else 422)
    label = ACTION_LABELS.get(action, action)
    hint = next_step_hint(workflow.WORKFLOW, updated)
    messages.success(request, f"已办理“{label}”，当前环节：{Status(updated.status).label}。{hint}")
    return redirect("assistance:application-detail", application_id=application.pk)


ACTION_LABELS = {t.action: t.label for t in workflow.TRANSITIONS} | {"advance": "先行救助", "paperwork": "补齐手续", "record_correction": "登记补正"}


# ----------------------------------------------------------------------------------------------
# Confirmation before money or an irreversible step: what will happen, with the figures
# computed here (server-side), then the same form sent again with confirmed=1.
# ----------------------------------------------------------------------------------------------

CONFIRMED_ACTIONS = ("approve", "refuse")


def _confirm_page(request, confirmation: dict, *, back: str):
    hidden = [(k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", "confirmed") for v in values]
    return render(request, "assistance/confirm.html", {**confirmation, "hidden": hidden, "action_url": request.path, "back_url": back})


def _people_of(application) -> int:
    members = (application.household_snapshot or {}).get("members") or []
    return len(members) or 1


def _application_confirmation(application, action: str, data: dict) -> dict:
    program = application.get_program_display()
    applicant = application.applicant.name
    if action == "approve":
        verdict, facts = actions.evaluate_application(application)
        people = len(facts["household"]["members"]) if application.program != Program.TEMPORARY else facts["request"]["persons"]
        amount = verdict.amount_fen
        start = next_month(today())
        figures = [("申请", f"{program}申请 {application.number}"), ("申请人", applicant), ("保障人数", f"{people} 人")]
        if application.program == Program.TEMPORARY:
            advance = application.advance_paid_fen or 0
            figures.append(("救助金额", f"{format_yuan(amount)} 元（一次性）"))
            if advance:
                figures.append(("已先行救助", f"{format_yuan(advance)} 元"))
            figures.append(("将发放", f"{format_yuan(max(amount - advance, 0))} 元，{start:%Y年%-m月}发放表"))
            consequence = f"确认后，{applicant}获得临时救助，{format_yuan(max(amount - advance, 0))} 元列入 {start:%Y年%-m月} 的发放表。"
        else:
            figures += [("每月保障金额", f"{format_yuan(amount)} 元"), ("起始发放月份", f"{start:%Y年%-m月}"), ("全年合计（12个月）", f"{format_yuan(amount * 12)} 元")]
            consequence = f"确认后，{applicant}家 {people} 人纳入{program}，自 {start:%Y年%-m月} 起每月发放 {format_yuan(amount)} 元，并生成保障记录和准予保障决定书。"
        if verdict.amount_fen != application.proposed_amount_fen and application.proposed_amount_fen is not None:
            figures.append(("审核时拟保障金额", f"{format_yuan(application.proposed_amount_fen)} 元（按当前核对结果和现行标准重新计算为上述金额）"))
        return {"title": f"请确认：{program}申请 {application.number} 审核确认", "heading": "确认前请核对", "figures": figures,
                "consequences": [consequence, "确认后不能撤回；如需变更，须按调整或退出程序办理。"], "button": "确认，纳入保障"}
    people = _people_of(application)
    figures = [("申请", f"{program}申请 {application.number}"), ("申请人", applicant), ("涉及人数", f"{people} 人"), ("不予保障理由", data.get("reasons", ""))]
    return {"title": f"请确认：{program}申请 {application.number} 不予保障", "heading": "作出不予保障决定前请核对", "figures": figures,
            "consequences": [f"确认后，{applicant}的{program}申请办结为“不予保障”，不发放救助金，并出具不予保障决定书（载明理由和救济途径）。", "决定作出后不能撤回。"],
            "button": "确认不予保障", "danger": True}


@require_POST
@staff_view(Perm.VIEW_REGISTRY)
def attachment_upload(request, application_id: int):
    actor = request.actor
    application = access_application_by_id(actor, application_id, audit=False)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > actions.MAX_ATTACHMENT_BYTES:
            form.add_error("file", "文件不能超过5MB")
        else:
            try:
                actions.do_add_attachment(actor, application, kind=form.cleaned_data["kind"], filename=upload.name, content=upload.read())
            except DomainError as e:
                form.add_domain_error(e)
            else:
                messages.success(request, "材料已上传。")
                return redirect("assistance:application-detail", application_id=application.pk)
    return render(request, "assistance/application_detail.html", _detail_context(request, application, bound={"attachment": form}), status=422)


@staff_view(Perm.VIEW_REGISTRY)
def attachment_download(request, attachment_id: int):
    attachment = access_attachment_by_id(request.actor, attachment_id)
    record_audit_event(
        request.actor, AuditAction.VIEW, object_type="attachment", object_id=attachment.pk,
        division_code=attachment.division_code, summary=f"查看申请材料 {attachment.get_kind_display()}",
    )
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, filename=f"{attachment.get_kind_display()}.{attachment.extension}")


@staff_view(Perm.VIEW_REGISTRY)
def application_pdf(request, application_id: int, kind: str):
    application = access_application_by_id(request.actor, application_id, audit=False)
    try:
        if kind == "notice":
            content = documents.decision_notice_pdf(request.actor, application)
            name = f"准予保障决定书-{application.number}.pdf"
        elif kind == "refusal":
            content = documents.refusal_letter_pdf(request.actor, application)
            name = f"不予保障决定书-{application.number}.pdf"
        else:
            raise NotFound()
    except DomainError as e:
        if isinstance(e, NotFound):
            raise
        return render_error(request, 409, "无法打印", e.message)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


# ----------------------------------------------------------------------------------------------
# Enrolments
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_REGISTRY)
def enrolment_list(request):
    actor = request.actor
    program = request.GET.get("program") or None
    status = request.GET.get("status") or "active"
    qs = selectors.list_enrolments_for(actor, division_code=_division_param(request), program=program, status=status or None)
    qs = qs.select_related("payee").order_by("division_code", "id")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/enrolment_list.html",
        {
            "title": "保障对象",
            "page_obj": page,
            "paginator": page.paginator,
            "programs": Program.choices,
            "program": program or "",
            "status": status,
            "query_string": urlencode({k: v for k, v in {"program": program, "status": status}.items() if v}),
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def enrolment_export(request):
    """保障对象 as xlsx, with the screen's filters (program, status, division)."""
    actor = request.actor
    program = request.GET.get("program") or None
    status = request.GET.get("status") or "active"
    division = _division_param(request)
    qs = selectors.list_enrolments_for(actor, division_code=division, program=program, status=status or None)
    filters = {k: v for k, v in {"program": program, "status": status, "division": division}.items() if v}
    content, _ = exports.enrolments_xlsx(actor, qs.order_by("division_code", "id"), filters=filters)
    return xlsx_response(content, f"保障对象-{today().isoformat()}.xlsx")


ENROLMENT_FORMS = {"adjust": AdjustForm, "suspend": ReasonForm, "resume": ReasonForm, "exit": ExitForm, "gradual_exit": ReasonForm, "bank": BankForm}
ENROLMENT_LABELS = {"adjust": "调整金额", "suspend": "暂停发放", "resume": "恢复发放", "exit": "退出保障", "gradual_exit": "进入渐退期", "bank": "变更银行账户"}


def _enrolment_context(request, enrolment, bound=None):
    bound = bound or {}
    # ADR 0004: a death report being checked (suspended), or a confirmed payee death under review.
    death = enrolment.death_suspensions.filter(status__in=("active", "review")).select_related("report").order_by("-id").first()
    can_manage = request.actor.has(Perm.REVIEW_APPLICATION) and request.actor.level in (Level.TOWN, Level.DISTRICT)
    forms = {}
    if can_manage:
        names = ["bank"]
        if enrolment.status == "active":
            names = ["adjust", "suspend", "exit", "bank"] + (["gradual_exit"] if enrolment.program == Program.DIBAO and not enrolment.gradual_exit_until else [])
        elif enrolment.status == "suspended":
            names = ["exit", "bank"] if death and death.status == "active" else ["resume", "exit", "bank"]
        elif enrolment.status == "exited":
            names = []
        forms = {n: {"label": ENROLMENT_LABELS[n], "form": bound.get(n) or ENROLMENT_FORMS[n]()} for n in names}
    return {
        "title": f"保障对象 {enrolment.payee.name}",
        "enrolment": enrolment,
        "changes": list(enrolment.changes.order_by("id")),
        "pending_raise": enrolment.adjustment_requests.filter(status="pending").first(),
        "can_decide_raise": can_manage,
        "raise_error": (bound.get("raise_error") or ""),
        "payments": list(enrolment.payments.order_by("-period")[:24]),
        "tasks": list(enrolment.review_tasks.order_by("-id")[:10]),
        "death": death,
        "withheld": list(enrolment.withheld.order_by("-period")[:24]),
        "forms": forms,
        "current_division_code": enrolment.division_code,
    }


def _exit_confirmation(enrolment, data: dict) -> dict:
    program = enrolment.get_program_display()
    last = today().replace(day=1)
    reason = ExitReason(data["exit_reason"]).label if data.get("exit_reason") in ExitReason.values else ""
    figures = [
        ("保障对象", f"{enrolment.payee.name}（{program}）"),
        ("保障人数", f"{enrolment.people_covered} 人"),
        ("当前每月金额", f"{format_yuan(enrolment.amount_fen)} 元"),
        ("最后发放月份", f"{last:%Y年%-m月}"),
        ("退出原因", reason + (f"：{data['note']}" if data.get("note") else "")),
    ]
    return {"title": f"请确认：{enrolment.payee.name} 退出{program}", "heading": "退出保障前请核对", "figures": figures,
            "consequences": [f"确认后，自 {next_month(last):%Y年%-m月} 起停发，每月减少支出 {format_yuan(enrolment.amount_fen)} 元；保障记录终止。", "退出后不能恢复；如再次需要保障，须重新申请。"],
            "button": "确认退出保障", "danger": True}


@staff_view(Perm.VIEW_REGISTRY)
def enrolment_detail(request, enrolment_id: int):
    enrolment = access_enrolment_by_id(request.actor, enrolment_id)
    return render(request, "assistance/enrolment_detail.html", _enrolment_context(request, enrolment))


@require_POST
@staff_view(Perm.REVIEW_APPLICATION)
def enrolment_action(request, enrolment_id: int, action: str):
    actor = request.actor
    if action not in ENROLMENT_FORMS:
        return render_error(request, 404, "未找到", "不支持的操作")
    enrolment = access_enrolment_by_id(actor, enrolment_id, audit=False)
    form = ENROLMENT_FORMS[action](request.POST)
    version = posted_version(request, missing=None) or None
    if form.is_valid() and action == "exit" and request.POST.get("confirmed") != "1":
        return _confirm_page(request, _exit_confirmation(enrolment, form.cleaned_data), back=reverse("assistance:enrolment-detail", args=[enrolment.pk]))
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "adjust":
                done = actions.do_request_adjustment(actor, enrolment, expected_version=version, amount_fen=_fen(d["amount_yuan"]),
                                                     reason=d["reason"])  # fmt: skip
                if isinstance(done, AdjustmentRequest):
                    messages.success(request, f"调增至{format_yuan(done.amount_fen)}元已提交，须由另一名工作人员确认后自下月起生效；确认前按原金额发放。")
                    return redirect("assistance:enrolment-detail", enrolment_id=enrolment.pk)
            elif action == "suspend":
                actions.do_suspend_enrolment(actor, enrolment, expected_version=version, reason=d["reason"])
            elif action == "resume":
                actions.do_resume_enrolment(actor, enrolment, expected_version=version, reason=d["reason"])
            elif action == "exit":
                actions.do_exit_enrolment(actor, enrolment, expected_version=version, exit_reason=d["exit_reason"], note=d.get("note", ""))
            elif action == "gradual_exit":
                actions.do_start_gradual_exit(actor, enrolment, expected_version=version, reason=d["reason"])
            else:
                actions.do_set_bank_account(actor, enrolment, bank_name=d["bank_name"], bank_account=d["bank_account"])
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, f"已办理“{ENROLMENT_LABELS[action]}”。")
            return redirect("assistance:enrolment-detail", enrolment_id=enrolment.pk)
    enrolment.refresh_from_db()
    return render(request, "assistance/enrolment_detail.html", _enrolment_context(request, enrolment, {action: form}), status=422)


@require_POST
@staff_view(Perm.REVIEW_APPLICATION)
def adjustment_decision(request, enrolment_id: int, request_id: int, decision: str):
    """确认 or 退回 a pending raise (the second person; the proposer may only withdraw it)."""
    actor = request.actor
    enrolment = access_enrolment_by_id(actor, enrolment_id, audit=False)
    pending = enrolment.adjustment_requests.filter(pk=request_id).first()
    if pending is None or decision not in ("confirm", "return"):
        return render_error(request, 404, "未找到", "该调增不存在或已办理")
    try:
        if decision == "confirm":
            actions.do_confirm_adjustment(actor, pending.pk, note=request.POST.get("note", ""))
            messages.success(request, f"已确认调增：自下月起每月{format_yuan(pending.amount_fen)}元。")
        else:
            actions.do_return_adjustment(actor, pending.pk, note=request.POST.get("note", ""))
            messages.success(request, "已退回调增，仍按原金额发放。")
    except DomainError as e:
        enrolment.refresh_from_db()
        context = _enrolment_context(request, enrolment, {"raise_error": e.message if not hasattr(e, "errors") else "；".join(e.errors.values())})
        return render(request, "assistance/enrolment_detail.html", context, status=403 if isinstance(e, PermissionDenied) else 422)
    return redirect("assistance:enrolment-detail", enrolment_id=enrolment.pk)


# ----------------------------------------------------------------------------------------------
# Payroll
# ----------------------------------------------------------------------------------------------


def _payroll_allowed(actor) -> bool:
    return (actor.has(Perm.PREPARE_PAYROLL) or actor.has(Perm.APPROVE_PAYROLL)) and actor.level == Level.DISTRICT


@staff_view(Perm.VIEW_REGISTRY)
def payroll_list(request):
    actor = request.actor
    if not _payroll_allowed(actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    form = PayrollRunForm(request.POST or None, initial={"period": f"{today():%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        programs = [form.cleaned_data["program"]] if form.cleaned_data["program"] else []
        try:
            parse_period(period)
        except ValueError:
            form.add_error("period", "发放月份格式应为 YYYY-MM")
        else:
            try:
                job = do_enqueue_job(actor, PAYROLL_RUN, params={"period": period, "programs": programs}, label=f"生成 {period} 发放表", scope=district_code())
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                return redirect(f"{reverse('assistance:payroll')}?{urlencode({'job': job.pk})}")
    job = None
    if request.GET.get("job"):
        try:
            job = access_job_by_id(actor, request.GET["job"])
        except NotFound:
            job = None
    job = job if job is not None and job.kind == PAYROLL_RUN else unfinished_jobs_of(actor, kind=PAYROLL_RUN).first()
    batches = selectors.list_batches_for(actor).order_by("-period", "program")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/payroll_list.html", {"title": "救助金发放", "form": form, "job": job, "page_obj": page, "paginator": page.paginator, "query_string": ""})


@staff_view(Perm.VIEW_REGISTRY)
def payroll_detail(request, batch_id: int):
    actor = request.actor
    if not _payroll_allowed(actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    batch = access_batch_by_id(actor, batch_id)
    payments = selectors.payments_of_batch(batch)
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
    incomplete = payroll.batch_incomplete_reason(batch) if batch.status == "prepared" else ""
    return render(
        request,
        "assistance/payroll_detail.html",
        {
            "title": f"发放表 {batch}",
            "batch": batch,
            "summary": payroll.batch_summary(batch),
            "changes": payroll.changes_rows(batch)[:200],
            "page_obj": page,
            "paginator": page.paginator,
            "query_string": "",
            "incomplete": incomplete,
            "can_approve": actor.has(Perm.APPROVE_PAYROLL) and batch.status == "prepared" and not incomplete
            and batch.prepared_by_id != actor.user_id,
        },
    )


@require_POST
@staff_view(Perm.APPROVE_PAYROLL)
def payroll_approve(request, batch_id: int):
    batch = access_batch_by_id(request.actor, batch_id)
    if request.POST.get("confirmed") != "1":
        summary = payroll.batch_summary(batch)
        program = batch.get_program_display()
        figures = [
            ("发放表", f"{program} {batch.period}（第{batch.run_count}次生成）"),
            ("发放笔数", f"{summary.payments:,} 笔"),
            ("保障人数", f"{summary.people:,} 人"),
            ("发放总额", f"{format_yuan(summary.total_fen)} 元"),
            ("本月变化", f"新增 {summary.new:,}，金额变更 {summary.changed:,}，停发 {summary.stopped:,}"),
        ]
        return _confirm_page(request, {
            "title": f"请确认：审批 {program} {batch.period} 发放表", "heading": "审批前请核对", "figures": figures,
            "consequences": [f"审批通过后，{summary.payments:,} 笔共 {format_yuan(summary.total_fen)} 元可导出银行代发文件交银行发放。", "审批后发放表不再变动，不能撤回。"],
            "button": f"确认审批（{format_yuan(summary.total_fen)} 元）",
        }, back=reverse("assistance:payroll-detail", args=[batch.pk]))
    try:
        payroll.do_approve_batch(request.actor, batch, expected_version=posted_version(request, missing=0))
    except DomainError as e:
        if isinstance(e, NotFound):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, "发放表已审批。")
    return redirect("assistance:payroll-detail", batch_id=batch.pk)


@staff_view(Perm.VIEW_REGISTRY)
def payroll_bank_file(request, batch_id: int):
    if not _payroll_allowed(request.actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    batch = access_batch_by_id(request.actor, batch_id)
    try:
        content, _ = payroll.bank_file(request.actor, batch)
    except DomainError as e:
        return render_error(request, 409, "无法导出", e.message)
    return attachment(content, f"银行代发-{batch.get_program_display()}-{batch.period}.xlsx", XLSX)


@staff_view(Perm.VIEW_REGISTRY)
def payroll_changes(request, batch_id: int):
    if not _payroll_allowed(request.actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    batch = access_batch_by_id(request.actor, batch_id)
    content, _ = payroll.changes_xlsx(request.actor, batch)
    return attachment(content, f"本月变化-{batch.get_program_display()}-{batch.period}.xlsx", XLSX)


# ----------------------------------------------------------------------------------------------
# Reviews
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.REVIEW_APPLICATION)
def review_list(request):
    actor = request.actor
    if request.method == "POST":
        try:
            n = reviews.do_generate_review_tasks(actor)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已生成定期复核任务 {n} 条。")
        return redirect("assistance:reviews")
    status = request.GET.get("status") or ReviewStatus.OPEN
    qs = selectors.list_review_tasks_for(actor, division_code=_division_param(request), status=status)
    qs = qs.select_related("enrolment__payee").order_by("due_on", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/review_list.html", {"title": "复核任务", "page_obj": page, "paginator": page.paginator, "status": status, "query_string": urlencode({"status": status}), "today": today()})


@staff_view(Perm.REVIEW_APPLICATION)
def review_detail(request, task_id: int):
    actor = request.actor
    task = access_review_task_by_id(actor, task_id)
    form = ReviewTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            reviews.do_complete_review(actor, task, outcome=d["outcome"], note=d.get("note", ""), new_amount_fen=_fen(d.get("new_amount_yuan")))
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, "复核已办结。")
            return redirect("assistance:reviews")
    verdict = reviews.suggest(task.enrolment) if task.status == ReviewStatus.OPEN else None
    return render(
        request,
        "assistance/review_detail.html",
        {
            "title": "复核",
            "task": task,
            "form": form,
            "verdict": verdict,
            "verdict_conditions": documents.explain(verdict.conditions) if verdict else [],
            "current_division_code": task.division_code,
        },
    )


# ----------------------------------------------------------------------------------------------
# 公示
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_REGISTRY)
def notice_list(request):
    actor = request.actor
    directory = get_directory()
    villages = [(v.code, directory.path_name(v.code)) for v in directory.villages() if actor.covers(v.code)]
    form = NoticeForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = notices.do_publish_notice(actor, division_code=d["division_code"], kind=d["kind"], program=d.get("program") or "")
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, f"已生成公示 {notice.number}。")
            return redirect("assistance:notice-detail", notice_id=notice.pk)
    qs = selectors.list_notices_for(actor, division_code=_division_param(request))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/notice_list.html", {"title": "公示", "form": form, "page_obj": page, "paginator": page.paginator, "query_string": "", "can_publish": actor.has(Perm.REVIEW_APPLICATION)})


@staff_view(Perm.VIEW_REGISTRY)
def notice_detail(request, notice_id: int):
    notice = access_notice_by_id(request.actor, notice_id)
    return render(request, "assistance/notice_detail.html", {"title": f"公示 {notice.number}", "notice": notice, "current_division_code": notice.division_code})


@staff_view(Perm.VIEW_REGISTRY)
def objection(request, objection_id: int):
    """A 公示异议: the entry it is about (the notice's own fields), the citizen's text, the case
    it reached, and the answer (核实处理情况)."""
    item = access_objection_by_id(request.actor, objection_id)
    error = ""
    if request.method == "POST":
        try:
            actions.do_answer_objection(request.actor, item.pk, answer=request.POST.get("answer", ""))
        except ValidationFailed as e:
            error = next(iter(e.errors.values()))
        except DomainError as e:
            error = e.message
        else:
            messages.success(request, "已记录核实处理情况。")
            return redirect("assistance:objection", item.pk)
    context = {
        "title": "公示异议", "item": item, "entry": item.notice.entries[item.entry_index], "error": error,
        "can_answer": item.answered_at is None and request.actor.has(Perm.REVIEW_APPLICATION) and request.actor.level in ("town", "district"),
        "current_division_code": item.division_code,
    }  # fmt: skip
    return render(request, "assistance/objection.html", context)


@staff_view(Perm.VIEW_REGISTRY)
def notice_file(request, notice_id: int, fmt: str):
    notice = access_notice_by_id(request.actor, notice_id)
    if fmt == "pdf":
        content = notices.notice_pdf(request.actor, notice)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(notice.number + '.pdf')}"
        return response
    content, _ = notices.notice_xlsx(request.actor, notice)
    return attachment(content, f"{notice.number}.xlsx", XLSX)


# ----------------------------------------------------------------------------------------------
# Imports (rosters and departments' data)
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_REGISTRY)
def imports_page(request):
    """数据导入: the rosters and the economic-check data are exchange specs of the group
    ``assistance``; their upload → preview → commit pages are exchange's."""
    if not specs_for(request.actor, group=imports.GROUP):
        raise PermissionDenied("数据导入须由乡镇（街道）或区民政局办理")
    return redirect(f"{reverse('exchange:index')}?group={imports.GROUP}")


# ----------------------------------------------------------------------------------------------
# Settings: working calendar, program configuration (district)
# ----------------------------------------------------------------------------------------------


@staff_view(Perm.APPROVE_APPLICATION)
def settings_view(request):
    actor = request.actor
    if actor.level != Level.DISTRICT:
        return render_error(request, 403, "无权限", "救助设置须由区民政局办理")
    day_form = CalendarDayForm(request.POST if request.POST.get("form") == "day" else None)
    config_forms = {}
    for program in workflow.CASEWORK_PROGRAMS:
        config = actions.program_config(program)
        data = request.POST if request.POST.get("form") == f"config-{program}" else None
        config_forms[program] = ProgramConfigForm(data, prefix=program, initial=config)
    if request.method == "POST":
        which = request.POST.get("form", "")
        try:
            if which == "day" and day_form.is_valid():
                do_set_calendar_day(actor, **day_form.cleaned_data)
                messages.success(request, "工作日历已更新。")
                return redirect("assistance:settings")
            if which.startswith("delete-day-"):
                do_delete_calendar_day(actor, int(which.rsplit("-", 1)[1]))
                messages.success(request, "已删除。")
                return redirect("assistance:settings")
            if which.startswith("config-"):
                program = which.split("-", 1)[1]
                form = config_forms.get(program)
                if form is not None and form.is_valid():
                    actions.do_set_program_config(actor, program, **form.cleaned_data)
                    messages.success(request, f"已保存{Program(program).label}设置。")
                    return redirect("assistance:settings")
        except ValidationFailed as e:
            messages.error(request, e.message)
    return render(
        request,
        "assistance/settings.html",
        {
            "title": "救助设置",
            "day_form": day_form,
            "days": calendar_days_since(today().replace(month=1, day=1)),
            "config_forms": [(Program(p).label, p, f) for p, f in config_forms.items()],
        },
    )

