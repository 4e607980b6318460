"""Active discovery screens: dashboard, alerts, tasks, the 三留守 registry and visits."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.accounts.scoping import parse_division_param
from minzheng.accounts.permissions import Perm
from minzheng.core import clock
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, parse_id_number
from minzheng.discovery import actions
from minzheng.discovery.enums import AlertKind, AlertProgram, AlertStatus, LeftBehindCategory, TaskStatus
from minzheng.discovery.explain import explain_alert
from minzheng.discovery.params import describe
from minzheng.discovery.forms import EndForm, LeftBehindForm, OutcomeForm, VisitForm
from minzheng.discovery.selectors import (
    access_alert_by_id,
    access_left_behind_by_id,
    access_photo_by_id,
    access_task_by_id,
    dashboard_for,
    list_alerts_for,
    list_left_behind_for,
    list_tasks_for,
)
from minzheng.discovery.jobs import ALERT_EXPORT
from minzheng.jobs.actions import do_enqueue_job
from minzheng.registry.actions import do_confirm_death_report, do_refute_death_report
from minzheng.registry.selectors import find_person_by_id_number
from minzheng.web.decorators import staff_view
from minzheng.web.form_errors import apply_domain_error

PAGE_SIZE = 20


def _division(request) -> str | None:
    return parse_division_param(request.GET.get("division"))


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, page.paginator


@staff_view(Perm.VIEW_REGISTRY)
def dashboard(request):
    division = _division(request)
    board = dashboard_for(request.actor, division_code=division)
    return render(
        request,
        "discovery/dashboard.html",
        {"title": "主动发现与预警", "board": board, "division": division or "", "current_division_code": division or ""},
    )


def _alert_filters(request) -> dict:
    return {
        "kind": request.GET.get("kind", "") if request.GET.get("kind", "") in AlertKind.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status", "") in AlertStatus.values else "",
        "program": request.GET.get("program", "") if request.GET.get("program", "") in AlertProgram.values else "",
    }


@staff_view(Perm.VIEW_REGISTRY)
def alert_list(request):
    division = _division(request)
    filters = _alert_filters(request)
    page, paginator = _page(request, list_alerts_for(request.actor, division_code=division, **filters))
    return render(
        request,
        "discovery/alert_list.html",
        {
            "title": "预警",
            "page_obj": page,
            "paginator": paginator,
            "filters": filters,
            "kinds": AlertKind.choices,
            "statuses": AlertStatus.choices,
            "programs": AlertProgram.choices,
            "division": division or "",
            "current_division_code": division or "",
            "query_string": urlencode({**filters, "division": division or ""}),
            "can_export": request.actor.has(Perm.EXPORT_REGISTRY),
        },
    )


@staff_view(Perm.EXPORT_REGISTRY)
def alert_export(request):
    """The export runs in the background: the job's page shows its progress, then the file."""
    division = _division(request)
    params = {**_alert_filters(request), "division": division or ""}
    job = do_enqueue_job(request.actor, ALERT_EXPORT, params=params, scope=division or "")
    return redirect("jobs:detail", job_id=job.pk)


@staff_view(Perm.VIEW_REGISTRY)
def alert_detail(request, alert_id: int):
    actor = request.actor
    alert = access_alert_by_id(actor, alert_id)
    task = alert.task
    outcome_form = OutcomeForm(task_kind=task.kind)
    report = task.death_report if task.death_report_id else None  # 死亡核实 (ADR 0004)
    return render(
        request,
        "discovery/alert_detail.html",
        {
            "title": f"预警 · {alert.person.name}",
            "alert": alert,
            "task": task,
            "form": outcome_form,
            "explanation": explain_alert(alert),
            # Shown by their Chinese description, never by key (the stored facts keep the key).
            "parameters": [
                {**p, "description": describe(p.get("name", ""))} for p in (alert.facts or {}).get("parameters", [])
            ],
            "can_work": actor.has(actions.WORK),
            "report": report,
            "report_effects": [e for step in ("report", "confirm", "refute") for e in (report.effects or {}).get(step, [])] if report else [],
            "can_decide_death": actor.has(Perm.EDIT_REGISTRY),
            "overdue": task.status == TaskStatus.OPEN and task.due_on < clock.today(),
            "current_division_code": alert.division_code,
        },
    )


@require_POST
@staff_view(Perm.VIEW_REGISTRY)
def task_outcome(request, task_id: int):
    actor = request.actor
    task = access_task_by_id(actor, task_id)
    action = request.POST.get("action", "outcome")
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    try:
        if action in ("confirm_death", "refute_death"):
            if task.death_report_id is None:
                raise DomainError("该任务不是死亡核实任务", code="wrong_kind")
            report_version = request.POST.get("report_version")
            expected_report = int(report_version) if report_version and report_version.isdigit() else None
            if action == "confirm_death":
                do_confirm_death_report(actor, task.death_report_id, expected_version=expected_report, note=request.POST.get("note", ""))
                messages.success(request, "已确认死亡：人员库已登记死亡，救助自死亡次月起停发。")
            else:
                do_refute_death_report(actor, task.death_report_id, reason=request.POST.get("reason", ""), expected_version=expected_report)
                messages.success(request, "已核实有误：已恢复发放，暂停期间的月份将在下次发放时补发。")
        else:
            form = OutcomeForm(request.POST, task_kind=task.kind)
            if not form.is_valid():
                raise ValidationFailed({k: v[0] for k, v in form.errors.items()})
            actions.do_record_task_outcome(
                actor, task, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"], expected_version=expected
            )
            messages.success(request, "任务已办结。")
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("discovery:alert", alert_id=task.alert_id)


@staff_view(Perm.VIEW_REGISTRY)
def task_list(request):
    division = _division(request)
    mine = request.GET.get("mine") == "1"
    overdue = request.GET.get("overdue") == "1"
    escalated = request.GET.get("escalated") == "1"
    done = request.GET.get("done") == "1"
    qs = list_tasks_for(
        request.actor, division_code=division, status=TaskStatus.DONE if done else TaskStatus.OPEN,
        mine=mine, overdue=overdue, escalated=escalated,
    )  # fmt: skip
    page, paginator = _page(request, qs)
    params = {"mine": "1" if mine else "", "overdue": "1" if overdue else "", "escalated": "1" if escalated else "", "done": "1" if done else ""}
    return render(
        request,
        "discovery/task_list.html",
        {
            "title": "预警任务",
            "page_obj": page,
            "paginator": paginator,
            "params": params,
            "today": clock.today(),
            "division": division or "",
            "current_division_code": division or "",
            "query_string": urlencode({**params, "division": division or ""}),
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def left_behind_list(request):
    division = _division(request)
    category = request.GET.get("category", "") if request.GET.get("category", "") in LeftBehindCategory.values else ""
    due = request.GET.get("due") == "1"
    page, paginator = _page(request, list_left_behind_for(request.actor, division_code=division, category=category, due_only=due))
    return render(
        request,
        "discovery/left_behind_list.html",
        {
            "title": "三留守人员",
            "page_obj": page,
            "paginator": paginator,
            "category": category,
            "due": due,
            "categories": LeftBehindCategory.choices,
            "today": clock.today(),
            "division": division or "",
            "current_division_code": division or "",
            "query_string": urlencode({"category": category, "due": "1" if due else "", "division": division or ""}),
            "can_register": request.actor.has(actions.REGISTER),
        },
    )


@staff_view(actions.REGISTER)
def left_behind_new(request):
    actor = request.actor
    form = LeftBehindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            number = parse_id_number(data["id_number"]).value
        except InvalidIdNumber as e:
            form.add_error("id_number", e.message)
        else:
            person = find_person_by_id_number(actor, number)
            if person is None:
                form.add_error("id_number", "人员库中没有此人（或不在您的辖区），请先在“人员查询”中登记")
            else:
                try:
                    entry = actions.do_register_left_behind(
                        actor, person, category=data["category"], risk_level=data["risk_level"],
                        guardian=data["guardian"], situation=data["situation"], responsible_user_id=actor.user_id,
                    )  # fmt: skip
                except ValidationFailed as e:
                    apply_domain_error(form, e, {"person": "id_number", "responsible": None})
                else:
                    messages.success(request, f"已登记{entry.get_category_display()} {person.name}。")
                    return redirect("discovery:left-behind", entry_id=entry.pk)
    return render(request, "discovery/left_behind_form.html", {"title": "登记三留守人员", "form": form})


@staff_view(Perm.VIEW_REGISTRY)
def left_behind_detail(request, entry_id: int):
    actor = request.actor
    entry = access_left_behind_by_id(actor, entry_id, audit=request.method == "GET")
    form = VisitForm(request.POST or None, request.FILES or None, initial={"risk_level_after": entry.risk_level})
    if request.method == "POST":
        actor.require(actions.WORK)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_record_visit(
                    actor, entry, visited_at=data["visited_at"], place=data["place"], findings=data["findings"],
                    needs_follow_up=data["needs_follow_up"], follow_up=data["follow_up"],
                    risk_level_after=data["risk_level_after"], photos=[(f.name, f.read()) for f in data["photos"]],
                )  # fmt: skip
            except ValidationFailed as e:
                apply_domain_error(form, e)
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, "走访记录已保存。")
                return redirect("discovery:left-behind", entry_id=entry.pk)
    visits = entry.visits.visible_to(actor).prefetch_related("photos")[:20]
    return render(
        request,
        "discovery/left_behind_detail.html",
        {
            "title": f"走访 · {entry.person.name}",
            "entry": entry,
            "form": form,
            "visits": visits,
            "end_form": EndForm(),
            "can_work": actor.has(actions.WORK),
            "can_register": actor.has(actions.REGISTER),
            "today": clock.today(),
            "current_division_code": entry.division_code,
        },
    )


@require_POST
@staff_view(actions.REGISTER)
def left_behind_end(request, entry_id: int):
    entry = access_left_behind_by_id(request.actor, entry_id, audit=False)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择退出原因")
    else:
        try:
            actions.do_end_left_behind(request.actor, entry, reason=form.cleaned_data["reason"])
            messages.success(request, "已退出三留守名册。")
        except (DomainError, ValidationFailed) as e:
            messages.error(request, e.message)
    return redirect("discovery:left-behind", entry_id=entry.pk)


@staff_view(Perm.VIEW_REGISTRY)
def photo(request, photo_id: int):
    item = access_photo_by_id(request.actor, photo_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise NotFound("照片文件不存在") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
