"""Screens of the rules and screening line: results by town → village → household, the
discrepancy lists, the parameter browser, the household "why" panel and reform simulation.
Thin views over selectors and actions; every list is scoped (selectors.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.accounts.permissions import Perm
from minzheng.core.district import district_code
from minzheng.core.errors import NotFound
from minzheng.divisions.directory import get_directory
from minzheng.jobs.access import access_job_by_id
from minzheng.jobs.actions import do_enqueue_job
from minzheng.jobs.selectors import unfinished_jobs_of
from minzheng.registry.selectors import household_head_names, person_names
from minzheng.rules import FactsValidationError, ParameterNotSet, Period, load_parameters
from minzheng.screening import exports, selectors
from minzheng.screening.explain import default_period, explain_household, group_results, parse_period
from minzheng.screening.jobs import SCREENING_RUN, SIMULATION
from minzheng.screening.models import DiscrepancyKind
from minzheng.screening.parameters_view import parameter_catalogue
from minzheng.screening.simulation import indicator_two_rural_standard, parse_overrides
from minzheng.web.decorators import render_error, staff_view
from minzheng.web.downloads import xlsx_response

PAGE_SIZE = 50
# Columns of the results table, with short headers.
TABLE_COLUMNS = (
    ("dibao", "低保（户）"),
    ("tekun", "特困"),
    ("dibao_addon", "分类施保"),
    ("orphan_allowance", "孤儿"),
    ("defacto_child_allowance", "事实无人抚养"),
    ("disability_living_subsidy", "残疾人生活补贴"),
    ("severe_disability_care_subsidy", "重度残疾护理"),
    ("low_income_edge", "低保边缘（户）"),
)


def _breadcrumb(code: str) -> list[dict[str, str]]:
    return [{"code": d.code, "name": d.name} for d in get_directory().path(code)]


@staff_view(Perm.VIEW_REGISTRY)
def overview(request):
    actor = request.actor
    runs = list(selectors.current_runs()[:36])
    period = request.GET.get("period") or (runs[0].period if runs else default_period())
    run = selectors.current_run(period)
    division = selectors.parse_division(actor, request.GET.get("division"))
    job = _screening_job(request, period)
    context = {
        "title": "救助资格筛查",
        "job": job,
        "runs": runs,
        "period": period,
        "run": run,
        "division": division,
        "division_name": get_directory().name(division),
        "breadcrumb": _breadcrumb(division),
        "programs": TABLE_COLUMNS,
        "kinds": DiscrepancyKind.choices,
        "can_run": actor.has(Perm.RUN_SCREENING),
        "default_period": default_period(),
        "current_division_code": division,
        "is_village": len(division) == 12,
    }
    if run is not None:
        context["summary"] = selectors.summary_by_division(actor, run, division)
        if len(division) == 12:
            rows = selectors.households_in_village(actor, run, division)
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            heads = household_head_names(actor, [r["household_id"] for r in page])
            for row in page:
                row["head_name"] = heads.get(row["household_id"]) or "—"
            context.update(
                page_obj=page,
                paginator=page.paginator,
                query_string=urlencode({"period": period, "division": division}),
            )
    return render(request, "screening/overview.html", context)


def _job_from_query(request, kind: str):
    """The job named by ``?job=`` if it is the user's and of this kind."""
    raw = request.GET.get("job")
    if not raw:
        return None
    try:
        job = access_job_by_id(request.actor, raw)
    except NotFound:
        return None
    return job if job.kind == kind else None


def _screening_job(request, period: str):
    """The screening job to show on the overview: the one just asked for (``?job=``), else
    the user's own unfinished run of this period — so results being replaced are never shown
    as if they were new."""
    job = _job_from_query(request, SCREENING_RUN)
    if job is None and request.actor.has(Perm.RUN_SCREENING):
        job = unfinished_jobs_of(request.actor, kind=SCREENING_RUN).filter(params__period=period).first()
    return job


@require_POST
@staff_view(Perm.RUN_SCREENING)
def run_screening(request):
    raw = (request.POST.get("period") or "").strip()
    try:
        period = Period.parse(raw)
    except ValueError:
        messages.error(request, "核算期格式不正确，请选择年月，如 2026-12")
        return redirect("screening:overview")
    if not load_parameters().covers(period):
        coverage = load_parameters().coverage
        messages.error(request, f"核算期超出参数覆盖范围（{coverage.first}至{coverage.last}）")
        return redirect("screening:overview")
    incremental = request.POST.get("mode") == "incremental"
    running = unfinished_jobs_of(request.actor, kind=SCREENING_RUN).filter(params__period=str(period)).first()
    label = f"{period} 全区筛查增量更新" if incremental else f"{period} 全区救助资格筛查"
    job = running or do_enqueue_job(
        request.actor, SCREENING_RUN, params={"period": str(period), "incremental": incremental}, label=label, scope=district_code()
    )
    return redirect(f"{reverse('screening:overview')}?{urlencode({'period': str(period), 'job': job.pk})}")


@staff_view(Perm.VIEW_REGISTRY)
def discrepancy_list(request):
    actor = request.actor
    runs = list(selectors.current_runs()[:36])
    period = request.GET.get("period") or (runs[0].period if runs else default_period())
    run = selectors.current_run(period)
    division = selectors.parse_division(actor, request.GET.get("division"))
    kind = request.GET.get("kind") or ""
    kind = kind if kind in DiscrepancyKind.values else ""
    program = request.GET.get("program") or ""
    program = program if program in selectors.ENROLLABLE else ""
    context = {
        "title": "筛查疑点",
        "runs": runs,
        "run": run,
        "period": period,
        "division": division,
        "breadcrumb": _breadcrumb(division),
        "kind": kind,
        "program": program,
        "kinds": DiscrepancyKind.choices,
        "programs": [(p, selectors.PROGRAM_SHORT[p]) for p in selectors.ENROLLABLE],
        "current_division_code": division,
    }
    if run is not None:
        qs = selectors.discrepancies_for(actor, run, division_code=division, kind=kind or None, program=program or None)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        person_ids = [d.person_id for d in page if d.person_id]
        names = person_names(actor, person_ids)
        heads = household_head_names(actor, [d.household_id for d in page if d.household_id])
        rows = []
        for d in page:
            rows.append(
                {
                    "d": d,
                    "program_label": selectors.PROGRAM_SHORT.get(d.program, d.program),
                    "person_name": names.get(d.person_id, ""),
                    "head_name": heads.get(d.household_id, ""),
                    "difference_fen": (
                        d.actual_amount_fen - d.expected_amount_fen
                        if d.actual_amount_fen is not None and d.expected_amount_fen is not None
                        else None
                    ),
                }
            )
        context.update(
            rows=rows,
            page_obj=page,
            paginator=page.paginator,
            query_string=urlencode({"period": period, "division": division, "kind": kind, "program": program}),
        )
    return render(request, "screening/discrepancies.html", context)


def _run_and_filters(request):
    runs = list(selectors.current_runs()[:36])
    period = request.GET.get("period") or (runs[0].period if runs else default_period())
    run = selectors.current_run(period)
    division = selectors.parse_division(request.actor, request.GET.get("division"))
    return run, period, division


@staff_view(Perm.VIEW_REGISTRY)
def discrepancy_export(request):
    """疑点清单 as xlsx, with the screen's filters (period, division, kind, program)."""
    run, period, division = _run_and_filters(request)
    if run is None:
        return render_error(request, 404, "没有筛查结果", f"核算期 {period} 尚未进行筛查。")
    kind = request.GET.get("kind") or ""
    kind = kind if kind in DiscrepancyKind.values else ""
    program = request.GET.get("program") or ""
    program = program if program in selectors.ENROLLABLE else ""
    qs = selectors.discrepancies_for(request.actor, run, division_code=division, kind=kind or None, program=program or None)
    filters = {k: v for k, v in {"period": period, "division": division, "kind": kind, "program": program}.items() if v}
    content, _ = exports.discrepancies_xlsx(request.actor, run, qs, filters=filters)
    return xlsx_response(content, f"筛查疑点-{period}-{get_directory().name(division)}.xlsx")


@staff_view(Perm.VIEW_REGISTRY)
def results_export(request):
    """The run's results under the chosen division as xlsx (one row per household and program)."""
    run, period, division = _run_and_filters(request)
    if run is None:
        return render_error(request, 404, "没有筛查结果", f"核算期 {period} 尚未进行筛查。")
    program = request.GET.get("program") or ""
    qs = selectors.results_in(request.actor, run, division, program=program or None)
    filters = {k: v for k, v in {"period": period, "division": division, "program": program}.items() if v}
    content, _ = exports.results_xlsx(request.actor, run, qs, filters=filters)
    return xlsx_response(content, f"筛查结果-{period}-{get_directory().name(division)}.xlsx")


@staff_view(Perm.VIEW_REGISTRY)
def parameter_browser(request):
    period = parse_period(request.GET.get("on"), field="on")
    catalogue = parameter_catalogue(period)
    return render(
        request,
        "screening/parameters.html",
        {
            "title": "政策参数",
            "period": period,
            "groups": catalogue["groups"],
            "coverage": catalogue["coverage"],
            "provisional": [p for g in catalogue["groups"] for p in g["items"] if p["provisional"]],
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def household_why(request, household_id: int):
    period = parse_period(request.GET.get("period"))
    if not load_parameters().covers(period):
        period = default_period()
    explained = explain_household(request.actor, household_id, period=period)
    coverage = load_parameters().coverage
    context = {
        "household": explained["household"],
        "period": period,
        "answer": explained["answer"],
        "message": explained["message"],
        "groups": group_results(explained["answer"], explained["members"]) if explained["answer"] else [],
        "coverage_first": str(coverage.first),
        "coverage_last": str(coverage.last),
    }
    return render(request, "screening/_why.html", context)


SIMULATION_ROWS = 3


def _simulation_choices(period: str) -> list[dict[str, str]]:
    """Every parameter with a value in the month, as the select shows it: group, 说明, 现行 and unit."""
    choices = []
    for group in parameter_catalogue(period)["groups"]:
        for p in group["items"]:
            if p["value"] is None:
                continue
            choices.append(
                {
                    "name": p["name"],
                    "group": group["label"],
                    "label": p["description"],
                    "current": p["value"],
                    "unit": p["unit_label"],
                }
            )
    return choices


@staff_view(Perm.VIEW_REGISTRY)
def simulation(request):
    """政策模拟: up to three parameters chosen from the list (说明, 现行 value and unit) with new
    values (the older ``set=name=value`` form is still read). The parameters are checked at once
    (errors next to the form); the two evaluations run in the background and the page shows
    their progress, then the result."""
    actor = request.actor
    period = parse_period(request.GET.get("period"))
    choices = _simulation_choices(period)
    labels = {c["name"]: c["label"] for c in choices}
    suggestion = None
    try:
        suggestion = indicator_two_rural_standard(period)
    except (ParameterNotSet, ValueError):  # no suggestion for a month without a standard
        suggestion = None
    names = request.GET.getlist("param")
    values = request.GET.getlist("value")
    pairs = [(n.strip(), v.strip()) for n, v in zip(names, values) if n.strip() or v.strip()]
    raw = request.GET.get("set", "")
    submitted = "param" in request.GET or "set" in request.GET
    if not submitted and suggestion is not None:
        pairs = [("dibao.standard.rural", str(suggestion))]
    rows = [{"name": n, "value": v} for n, v in pairs][:SIMULATION_ROWS]
    rows += [{"name": "", "value": ""}] * (SIMULATION_ROWS - len(rows))
    context = {
        "title": "政策模拟",
        "period": period,
        "choices": choices,
        "rows": rows,
        "suggestion": suggestion,
        "job": _job_from_query(request, SIMULATION),
        "errors": [],
    }
    if submitted and context["job"] is None:
        overrides: dict[str, str] | list[str]
        errors = []
        if raw:
            overrides = [line.strip() for line in raw.replace("；", "\n").replace(";", "\n").splitlines() if line.strip()]
        else:
            overrides = {}
            for name, value in pairs:
                if not name:
                    errors.append({"field": "参数", "message": f"数值“{value[:20]}”没有选择参数"})
                elif not value:
                    errors.append({"field": labels.get(name, "参数"), "message": "请填写模拟数值"})
                else:
                    overrides[name] = value
        try:
            if errors:
                raise FactsValidationError(errors)
            if not load_parameters().covers(period):
                coverage = load_parameters().coverage
                raise FactsValidationError([{"field": "period", "message": f"核算期超出参数覆盖范围（{coverage.first}至{coverage.last}）"}])
            parse_overrides(overrides)
        except FactsValidationError as exc:
            context["errors"] = [_simulation_error(e, labels) for e in exc.errors]
        else:
            job = do_enqueue_job(actor, SIMULATION, params={"period": str(period), "overrides": overrides}, label=f"{period} 政策模拟")
            query = [("period", str(period)), *(("param", n) for n, _ in pairs), *(("value", v) for _, v in pairs)]
            if raw:
                query.append(("set", raw))
            query.append(("job", job.pk))
            return redirect(f"{reverse('screening:simulate')}?{urlencode(query)}")
    return render(request, "screening/simulate.html", context)


def _simulation_error(error: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """An error as users read it: the parameter's 说明, never its key."""
    field = error.get("field", "")
    name = field.removeprefix("set.")
    if name in labels:
        return {"field": labels[name], "message": error["message"]}
    if field.startswith("set."):
        return {"field": "参数", "message": "所选参数不存在，请从列表中选择" if error["message"] == "没有这个参数" else error["message"]}
    return {"field": "模拟参数", "message": error["message"]}
