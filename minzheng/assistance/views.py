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
from minzheng.assistance import actions, documents, imports, notices, payroll, reviews, selectors, workflow
from minzheng.assistance.access import (
    access_attachment_by_id,
    access_application_by_id,
    access_batch_by_id,
    access_enrolment_by_id,
    access_notice_by_id,
    access_review_task_by_id,
)
from minzheng.core.clock import today
from minzheng.assistance.enums import (
    Level,
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
from minzheng.cases.actions import do_delete_calendar_day, do_set_calendar_day
from minzheng.cases.calendar import calendar_days_since, work_calendar
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.money import format_yuan, yuan_to_fen_rounded
from minzheng.divisions.directory import get_directory
from minzheng.exchange.selectors import specs_for
from minzheng.registry.selectors import search_persons
from minzheng.web.decorators import render_error, staff_view

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fen(amount: Decimal | None) -> int | None:
    """A form's yuan amount → fen, half-up (was half-even through to_integral_value)."""
    return None if amount is None else yuan_to_fen_rounded(Decimal(amount))


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _division_param(request) -> str | None:
    code = (request.GET.get("division") or "").strip()
    return code if code.isdigit() else None


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
    actor = request.actor
    form = ApplicationForm(request.POST or None, initial={"authorization_signed_on": today(), "as_household": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people, query = search_persons(actor, data["applicant_id_number"])
        applicant = people.first() if query.kind == "id_number" else None
        if applicant is None:
            form.add_error("applicant_id_number", query.message or "本辖区内未找到该身份证号码的登记人员，请先在人员管理中登记")
        else:
            program = data["program"]
            as_household = program == Program.DIBAO or (program == Program.TEMPORARY and data["as_household"])
            if as_household and not applicant.household_id:
                form.add_error("applicant_id_number", "申请人尚未登记家庭，请先在人口管理中立户")
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
                        errors["applicant_id_number"] = errors.pop("household_id", None) or errors.pop("applicant_id")
                    form.add_errors(errors)
                except NotFound:
                    form.add_error("applicant_id_number", "该人员或家庭不在您的管辖范围内")
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
    return {
        "title": f"救助申请 {application.number}",
        "app": application,
        "row": row,
        "steps": [(s, Status(s).label) for s in workflow.STEPS[:7]],
        "step_index": list(workflow.STEPS).index(application.status) if application.status in workflow.STEPS else 99,
        "forms": forms,
        "verdict": verdict,
        "verdict_conditions": documents.explain(verdict.conditions) if verdict else [],
        "verdict_error": verdict_error,
        "decisions": decisions,
        "final": final,
        "final_conditions": documents.explain(final.result.get("conditions", [])) if final else [],
        "check": check,
        "investigations": list(application.investigations.select_related("investigator_1", "investigator_2")),
        "events": list(selectors.history_of(application)),
        "attachments": list(application.attachments.all()),
        "attachment_form": bound.get("attachment") or AttachmentForm(),
        "can_upload": actor.has(Perm.ACCEPT_APPLICATION) or actor.has(Perm.INVESTIGATE) or actor.has(Perm.REVIEW_APPLICATION),
        "enrolments": list(application.enrolments.all()),
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
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    form = _make_form(action, request.POST, actor, application)
    data = {}
    if form is not None:
        if not form.is_valid():
            return render(request, "assistance/application_detail.html", _detail_context(request, application, bound={action: form}), status=422)
        data = form.cleaned_data
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
    messages.success(request, f"已办理“{label}”，当前环节：{Status(updated.status).label}。")
    return redirect("assistance:application-detail", application_id=application.pk)


ACTION_LABELS = {t.action: t.label for t in workflow.TRANSITIONS} | {"advance": "先行救助", "paperwork": "补齐手续"}


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
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "payments": list(enrolment.payments.order_by("-period")[:24]),
        "tasks": list(enrolment.review_tasks.order_by("-id")[:10]),
        "death": death,
        "withheld": list(enrolment.withheld.order_by("-period")[:24]),
        "forms": forms,
        "current_division_code": enrolment.division_code,
    }


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
    version = int(request.POST.get("version") or 0) or None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "adjust":
                actions.do_adjust_enrolment(actor, enrolment, expected_version=version, amount_fen=_fen(d["amount_yuan"]), reason=d["reason"])
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
        try:
            programs = [form.cleaned_data["program"]] if form.cleaned_data["program"] else None
            summaries = payroll.run_all(actor, period=form.cleaned_data["period"], programs=programs)
        except ValidationFailed as e:
            form.add_errors(e.errors)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            for s in summaries:
                note = "（已审批，未改动）" if s.unchanged_rerun else ""
                messages.success(request, f"{Program(s.program).label} {s.period}：{s.payments} 笔，{format_yuan(s.total_fen)} 元{note}")
            return redirect("assistance:payroll")
    batches = selectors.list_batches_for(actor).order_by("-period", "program")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/payroll_list.html", {"title": "救助金发放", "form": form, "page_obj": page, "paginator": page.paginator, "query_string": ""})


@staff_view(Perm.VIEW_REGISTRY)
def payroll_detail(request, batch_id: int):
    actor = request.actor
    if not _payroll_allowed(actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    batch = access_batch_by_id(actor, batch_id)
    payments = selectors.payments_of_batch(batch)
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
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
            "can_approve": actor.has(Perm.APPROVE_PAYROLL) and batch.status == "prepared" and batch.prepared_by_id != actor.user_id,
        },
    )


@require_POST
@staff_view(Perm.APPROVE_PAYROLL)
def payroll_approve(request, batch_id: int):
    batch = access_batch_by_id(request.actor, batch_id)
    try:
        payroll.do_approve_batch(request.actor, batch, expected_version=int(request.POST.get("version") or 0))
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
    return _attachment(content, f"银行代发-{batch.get_program_display()}-{batch.period}.xlsx", XLSX)


@staff_view(Perm.VIEW_REGISTRY)
def payroll_changes(request, batch_id: int):
    if not _payroll_allowed(request.actor):
        return render_error(request, 403, "无权限", "发放管理须由区民政局办理")
    batch = access_batch_by_id(request.actor, batch_id)
    content, _ = payroll.changes_xlsx(request.actor, batch)
    return _attachment(content, f"本月变化-{batch.get_program_display()}-{batch.period}.xlsx", XLSX)


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
def notice_file(request, notice_id: int, fmt: str):
    notice = access_notice_by_id(request.actor, notice_id)
    if fmt == "pdf":
        content = notices.notice_pdf(request.actor, notice)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(notice.number + '.pdf')}"
        return response
    content, _ = notices.notice_xlsx(request.actor, notice)
    return _attachment(content, f"{notice.number}.xlsx", XLSX)


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

