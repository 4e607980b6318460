"""Plan-monitoring screens: thin views over selectors, actions and the dashboard builder."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.uploads import MAX_UPLOAD_BYTES, sniff_file_type
from minzheng.accounts.permissions import Perm
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.planning import actions, imports
from minzheng.planning.access import (
    access_photo_by_id,
    access_project_by_id,
    access_report_by_id,
    access_submission_by_id,
)
from minzheng.planning.computations import MEASURES
from minzheng.planning.dashboard import dashboard_context, year_choices
from minzheng.planning.enums import ReportKind, SubmissionStatus
from minzheng.planning.forms import (
    LockForm,
    NarrativeForm,
    ProgressForm,
    ReferenceForm,
    ValueEntryForm,
)
from minzheng.planning.models import (
    Indicator,
    PeriodLock,
    ReferenceSeries,
    ReferenceValue,
)
from minzheng.planning.reports import SECTIONS, narrative_of, report_title, report_year
from minzheng.planning.selectors import (
    default_year,
    get_plan,
    home_division,
    list_plans,
    monthly_values,
    plan_indicators,
    projects_for,
    reports_for,
    require_district,
    resolve_division,
    scorecard,
    submissions_for,
    town_values,
)
from minzheng.web.decorators import render_error, staff_view
from minzheng.web.form_errors import apply_domain_error


def _plan(request):
    return get_plan(request.GET.get("plan") or request.POST.get("plan"))


def _year(request, plan) -> int:
    raw = request.GET.get("year") or ""
    choices = year_choices(plan)
    return int(raw) if raw.isdigit() and int(raw) in choices else default_year(plan)


@staff_view(Perm.VIEW_DASHBOARD)
def dashboard(request):
    if not request.GET.get("division") and home_division(request.actor) is None:
        return render_error(request, 403, "无可查看的指标",
                            "规划指标按全区和乡镇（街道）统计；您的账号辖区为村（社区），没有可查看的规划指标。")
    plan = _plan(request)
    year = _year(request, plan)
    context = dashboard_context(
        request.actor, plan, year=year, division_code=request.GET.get("division"), map_code=request.GET.get("map")
    )
    context.update({
        "title": "规划监测驾驶舱",
        "plans": list_plans(),
        "years": year_choices(plan),
        "can_recompute": request.actor.has(Perm.EDIT_INDICATORS) and request.actor.level == "district",
        "sees_district": request.actor.covers(district_code()),
    })
    return render(request, "planning/dashboard.html", context)


@staff_view(Perm.VIEW_DASHBOARD)
def indicator_list(request):
    """Which indicators are computed from operational data and which are entered by hand."""
    plan = _plan(request)
    rows = []
    for ind in plan_indicators(plan):
        src = ind.value_indicator
        info = MEASURES.get(src.computation) if src.computation else None
        reason = info[0].unavailable_reason() if info else None
        rows.append({
            "indicator": ind,
            "method": "系统计算" if info else "手工填报",
            "available": info is not None and reason is None,
            "reason": reason,
            "computation": info[0] if info else None,
            "measure": info[1] if info else None,
            "mirror": ind.mirror_of,
        })
    computed = sum(1 for r in rows if r["computation"] is not None)
    return render(request, "planning/indicator_list.html", {
        "title": "指标计算方法", "plan": plan, "rows": rows, "computed": computed, "manual": len(rows) - computed,
    })


@staff_view(Perm.VIEW_DASHBOARD)
def indicator_detail(request, code: str):
    plan = _plan(request)
    indicator = Indicator.objects.select_related("plan", "mirror_of", "reference_series").filter(plan=plan, code=code).first()
    if indicator is None:
        raise NotFound("指标不存在")
    year = _year(request, plan)
    division = resolve_division(request.actor, request.GET.get("division"))
    rows = scorecard(request.actor, plan, year=year, division_code=division, with_history=True)
    row = next(r for r in rows if r.indicator.pk == indicator.pk)
    info = MEASURES.get(indicator.value_indicator.computation)
    return render(request, "planning/indicator_detail.html", {
        "title": f"指标 {indicator.code}",
        "plan": plan,
        "indicator": indicator,
        "row": row,
        "year": year,
        "years": year_choices(plan),
        "division": get_directory().get(division),
        "division_code": division,
        "towns": town_values(request.actor, plan, indicator, year=year) if division == district_code() else [],
        "monthly": monthly_values(request.actor, indicator, division_code=division),
        "computation": info[0] if info else None,
        "measure": info[1] if info else None,
    })


@staff_view(Perm.EDIT_INDICATORS)
def entry(request):
    plan = _plan(request)
    indicators = imports.manual_indicators(plan)
    form = ValueEntryForm(request.POST or None, request.FILES or None, actor=request.actor, plan=plan,
                          indicators=indicators, initial={"indicator": request.GET.get("indicator", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = actions.ValueInput(
            indicator_code=d["indicator"], year=d["year"], month=d["month"] or 0, division_code=d["division_code"],
            as_of=d["as_of"], evidence=d["evidence"], value=d["value"] or None, numerator=d["numerator"] or None,
            denominator=d["denominator"] or None,
        )
        attachment = d.get("attachment")
        try:
            if attachment is not None:
                _check_attachment(attachment)
            submission = actions.do_submit_value(request.actor, plan, data, attachment=attachment)
        except ValidationFailed as e:
            apply_domain_error(form, e, {"indicator_code": "indicator"})
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已提交指标{submission.indicator.code}的数值，待区级人员审核后生效。")
            return redirect("planning:submissions")
    return render(request, "planning/entry.html", {"title": "指标填报", "plan": plan, "form": form})


def _check_attachment(f) -> None:
    head = f.read(8)
    f.seek(0)
    if f.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed({"attachment": "佐证材料不能超过5MB"})
    if sniff_file_type(head) is None:
        raise ValidationFailed({"attachment": "佐证材料应为 PDF、JPG 或 PNG 文件"})


@staff_view()
def submissions(request):
    actor = request.actor
    if not (actor.has(Perm.EDIT_INDICATORS) or actor.has(Perm.APPROVE_INDICATORS)):
        return render_error(request, 403, "无权限", "没有查看指标填报的权限")
    qs = submissions_for(actor).select_related("indicator", "submitted_by", "reviewed_by")
    pending = list(qs.filter(status=SubmissionStatus.PENDING).order_by("submitted_at")[:200])
    done = list(qs.exclude(status=SubmissionStatus.PENDING).order_by("-reviewed_at")[:50])
    return render(request, "planning/submissions.html", {
        "title": "填报审核", "pending": pending, "done": done,
        "can_approve": actor.has(Perm.APPROVE_INDICATORS) and actor.level == "district",
    })


@require_POST
@staff_view(Perm.APPROVE_INDICATORS)
def submission_review(request, submission_id: int, decision: str):
    try:
        if decision == "approve":
            actions.do_approve_submission(request.actor, submission_id, note=request.POST.get("note", ""))
            messages.success(request, "已审核通过，数值已发布。")
        elif decision == "return":
            actions.do_return_submission(request.actor, submission_id, note=request.POST.get("note", ""))
            messages.success(request, "已退回。")
        else:
            raise NotFound()
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    except NotFound:
        raise
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("planning:submissions")


@staff_view(Perm.EDIT_INDICATORS)
def submission_attachment(request, submission_id: int):
    submission = access_submission_by_id(request.actor, submission_id)
    if not submission.attachment:
        raise NotFound()
    return _file_response(submission.attachment, f"佐证材料-{submission.pk}")


@staff_view(Perm.EDIT_INDICATORS)
def import_page(request):
    """批量导入 (指标数值导入): exchange's upload → preview → commit pages of the planning_values spec."""
    return redirect("exchange:upload", kind=imports.KIND)


@staff_view(Perm.APPROVE_INDICATORS)
def settings_page(request):
    require_district(request.actor)
    plan = _plan(request)
    series = ReferenceSeries.objects.filter(indicators__plan=plan).distinct().first()
    lock_form = LockForm(request.POST if request.POST.get("form") == "lock" else None, prefix="lock")
    ref_form = ReferenceForm(request.POST if request.POST.get("form") == "reference" else None, prefix="ref")
    if request.method == "POST":
        try:
            if request.POST.get("form") == "lock" and lock_form.is_valid():
                d = lock_form.cleaned_data
                actions.do_set_period_lock(request.actor, plan, year=d["year"], locks_on=d["locks_on"], note=d["note"])
                messages.success(request, f"已设置{d['year']}年度的锁定日期。")
                return redirect("planning:settings")
            if request.POST.get("form") == "reference" and ref_form.is_valid() and series is not None:
                d = ref_form.cleaned_data
                actions.do_set_reference_value(request.actor, series, year=d["year"], value=d["value"],
                                               evidence=d["evidence"])
                messages.success(request, "已保存参照值。")
                return redirect("planning:settings")
        except ValidationFailed as e:
            apply_domain_error(lock_form if request.POST.get("form") == "lock" else ref_form, e)
        except DomainError as e:
            messages.error(request, e.message)
    return render(request, "planning/settings.html", {
        "title": "锁定与参照数据",
        "plan": plan,
        "locks": PeriodLock.objects.filter(plan=plan).select_related("set_by"),
        "series": series,
        "references": ReferenceValue.objects.filter(series=series).order_by("year") if series else [],
        "lock_form": lock_form,
        "ref_form": ref_form,
    })


@require_POST
@staff_view(Perm.EDIT_INDICATORS)
def recompute(request):
    plan = _plan(request)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else default_year(plan)
    try:
        summary = actions.do_recompute_indicators(request.actor, plan, year=year)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        text = f"已重新计算{year}年度：新增{summary.created}，更新{summary.updated}，用时{summary.seconds:.1f}秒。"
        if summary.skipped:
            text += " 跳过：" + "；".join(summary.skipped.values())
        messages.success(request, text)
    return redirect(f"{reverse('planning:dashboard')}?plan={plan.code}&year={year}")


@staff_view(Perm.VIEW_DASHBOARD)
def project_list(request):
    plan = _plan(request)
    directory = get_directory()
    projects = list(projects_for(request.actor, plan).order_by("group_seq", "seq"))
    return render(request, "planning/project_list.html", {
        "title": "重点项目", "plan": plan,
        "projects": [{"p": p, "division": directory.name(p.division_code)} for p in projects],
    })


@staff_view(Perm.VIEW_DASHBOARD)
def project_detail(request, project_id: int):
    project = access_project_by_id(request.actor, project_id)
    can_report = request.actor.has(Perm.EDIT_INDICATORS)
    form = ProgressForm(request.POST or None) if can_report else None
    if request.method == "POST" and can_report and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_progress(
                request.actor, project.pk,
                actions.ProgressInput(d["reported_on"], d["percent_complete"], d["spent_wan"], d["milestones"], d["issues"]),
                photos=request.FILES.getlist("photos"),
            )
        except ValidationFailed as e:
            apply_domain_error(form, e)
            if "photos" in e.errors:
                messages.error(request, e.errors["photos"])
        else:
            messages.success(request, "已保存进度报告。")
            return redirect("planning:project", project_id=project.pk)
    reports = project.reports.prefetch_related("photos").select_related("reported_by")
    return render(request, "planning/project_detail.html", {
        "title": project.name, "project": project, "reports": reports, "form": form,
        "division": get_directory().path_name(project.division_code),
    })


@staff_view(Perm.VIEW_DASHBOARD)
def project_photo(request, photo_id: int):
    photo = access_photo_by_id(request.actor, photo_id)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@staff_view(Perm.VIEW_DASHBOARD)
def reports(request):
    require_district(request.actor)
    plan = _plan(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or ReportKind.FINAL
    if kind not in ReportKind.values:
        raise NotFound()
    narrative = narrative_of(plan, kind)
    initial = dict(narrative.sections) if narrative else {}
    initial["version"] = narrative.version if narrative else 0
    can_edit = request.actor.has(Perm.EDIT_INDICATORS)
    form = NarrativeForm(request.POST if request.method == "POST" and request.POST.get("action") == "save" else None,
                         kind=kind, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save" and can_edit and form.is_valid():
                d = form.cleaned_data
                actions.do_save_narrative(request.actor, plan, kind, {k: d.get(k, "") for k in d if k != "version"},
                                          expected_version=d.get("version") if narrative else None)
                messages.success(request, "已保存报告文字。")
                return redirect(f"{reverse('planning:reports')}?plan={plan.code}&kind={kind}")
            if action in ("pdf", "docx"):
                report = actions.do_generate_report(request.actor, plan, kind=kind, fmt=action)
                messages.success(request, f"已生成{report.get_kind_display()}（{report.get_fmt_display()}）。")
                return redirect(f"{reverse('planning:reports')}?plan={plan.code}&kind={kind}")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        except DomainError as e:
            messages.error(request, e.message)
    generated = reports_for(request.actor, plan)[:50]
    return render(request, "planning/reports.html", {
        "title": "评估报告", "plan": plan, "kind": kind, "kinds": list(ReportKind), "form": form,
        "sections": SECTIONS[kind], "can_edit": can_edit, "generated": generated,
        "report_title": report_title(plan, kind), "report_year": report_year(plan, kind), "narrative": narrative,
    })


@staff_view(Perm.VIEW_DASHBOARD)
def report_download(request, report_id: int):
    require_district(request.actor)
    report = access_report_by_id(request.actor, report_id)

    record_audit_event(request.actor, AuditAction.EXPORT, object_type="planning_report", object_id=report.pk,
                       division_code=report.division_code, summary=f"下载评估报告 {report.pk}")
    name = f"{report_title(report.plan, report.kind)}-{report.generated_at:%Y%m%d%H%M}.{report.fmt}"
    return _file_response(report.file, name)


def _file_response(field, filename: str) -> FileResponse:
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(field.open("rb"), content_type=content_type)
    ext = field.name.rsplit(".", 1)[-1]
    if not filename.endswith(ext):
        filename = f"{filename}.{ext}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


