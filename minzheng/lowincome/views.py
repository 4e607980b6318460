"""低收入人口 screens: thin views over selectors, access functions and actions. The register,
the recognition list and a recognition are single-column and work at 390 px."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.accounts.scoping import parse_division_param
from minzheng.assistance import services as assistance_services
from minzheng.cases.workflow import Stale
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.lowincome import actions, monitoring, selectors
from minzheng.lowincome.access import access_recognition_by_id
from minzheng.lowincome.enums import (
    LISTING_DEPARTMENT,
    ListingKind,
    RecognitionKind,
    SourceKind,
    Status,
    Tier,
)
from minzheng.lowincome.exports import register_xlsx
from minzheng.lowincome.forms import (
    STEP_FORMS,
    STEP_LABELS,
    FigureForm,
    PriceIndexForm,
    RecognitionForm,
)
from minzheng.lowincome.imports import SPEC_OF_KIND
from minzheng.lowincome.permissions import LowIncomePerm
from minzheng.lowincome.workflow import RECOGNITION
from minzheng.registry.access import access_division_by_code, access_household_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import (
    current_members,
    search_persons,
    visible_child_divisions,
)
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version

PAGE_SIZE = 50


def _division(request) -> str | None:
    code = parse_division_param(request.GET.get("division"))
    if not code:
        return None
    return access_division_by_code(request.actor, code).code


def _division_options(actor) -> list:
    base = actor.scope_prefixes[0] if len(actor.scope_prefixes) == 1 else "500102"
    return visible_child_divisions(actor, base)


def _banner() -> list[str]:
    return selectors.missing_district_figures()


def _list_page(request, template: str, title: str, qs, filters: dict, **extra):
    """A filtered, paged list of the line (名册, 部门名单, 类别变动): the page, the filters kept in
    the pager's links, the division choices."""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {
        "title": title, "page_obj": page, "paginator": page.paginator, "filters": filters,
        "query_string": urlencode({k: v for k, v in filters.items() if v}), "divisions": _division_options(request.actor), **extra,
    })  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    division = _division(request)
    return render(
        request,
        "lowincome/home.html",
        {
            "title": "低收入人口",
            "counts": selectors.counts_by_tier_and_town(actor, division_code=division),
            "tiers": Tier.choices,
            "missing": _banner(),
            "runs": selectors.monitoring_runs(6),
            "can_run": actor.has(LowIncomePerm.RUN_LOW_INCOME_MONITORING) and actor.level == "district",
            "can_figures": actor.has(LowIncomePerm.ENTER_DISTRICT_FIGURES) and actor.level == "district",
            "can_register": actor.has(LowIncomePerm.REGISTER_LOW_INCOME),
            "open_recognitions": selectors.list_recognitions_for(actor, status="open").count(),
        },
    )


@staff_view(RegistryPerm.VIEW_REGISTRY)
def register(request):
    actor = request.actor
    division = _division(request)
    tier = request.GET.get("tier", "")
    source = request.GET.get("source", "")
    q = request.GET.get("q", "").strip()[:20]
    qs = selectors.register_for(actor, division_code=division, tier=tier or None, source_kind=source if source in SourceKind.values else None, q=q)
    filters = {"division": division or "", "tier": tier, "source": source, "q": q}
    if request.GET.get("format") == "xlsx":
        content, _ = register_xlsx(actor, qs, filters=filters)
        return xlsx_response(content, f"低收入人口名册_{clock.today():%Y%m%d}.xlsx")
    return _list_page(request, "lowincome/register.html", "低收入人口名册", qs, filters,
                      tiers=Tier.choices, sources=SourceKind.choices, missing=_banner())  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def listings(request):
    """部门名单: who is on the departments' rosters (防止返贫监测对象, 困难重点优抚对象), since
    when, and who was lifted; the district imports them from the departments' files."""
    actor = request.actor
    division = _division(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ListingKind.values else ""
    status = request.GET.get("status", "open")
    status = status if status in ("open", "ended", "all") else "open"
    q = request.GET.get("q", "").strip()[:20]
    qs = selectors.listings_for(actor, kind=kind or None, status=status, division_code=division, q=q)
    filters = {"division": division or "", "kind": kind, "status": status, "q": q}
    can_import = actor.has(LowIncomePerm.IMPORT_DEPARTMENT_ROSTERS) and actor.level == "district"
    feeds = [
        {"label": k.label, "department": LISTING_DEPARTMENT[k], "upload": reverse("exchange:upload", args=[SPEC_OF_KIND[k]]),
         "template": reverse("exchange:template", args=[SPEC_OF_KIND[k]])}
        for k in ListingKind
    ] if can_import else []  # fmt: skip
    return _list_page(request, "lowincome/listings.html", "部门困难人员名单", qs, filters, kinds=ListingKind.choices, feeds=feeds)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def changes(request):
    actor = request.actor
    division = _division(request)
    period = request.GET.get("period", "").strip()[:7]
    tier = request.GET.get("tier", "")
    qs = selectors.changes_for(actor, division_code=division, period=period or None, tier=tier or None)
    filters = {"division": division or "", "period": period, "tier": tier}
    return _list_page(request, "lowincome/changes.html", "类别变动记录", qs, filters, tiers=Tier.choices, tier_labels=dict(Tier.choices))


@require_POST
@staff_view(LowIncomePerm.RUN_LOW_INCOME_MONITORING)
def run_monitoring(request):
    try:
        run = monitoring.do_run_monitoring(request.actor, period=request.POST.get("period") or None)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("lowincome:home")
    c = run.counts
    messages.success(request, f"{run.period} 动态监测完成：名册 {c['register']} 人；新纳入 {c['new']} 人，类别变动 {c['moved']} 人，退出 {c['left']} 人。")
    return redirect("lowincome:home")


# ----------------------------------------------------------------------------------------------
# Recognition
# ----------------------------------------------------------------------------------------------


@staff_view(RegistryPerm.VIEW_REGISTRY)
def recognition_list(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rows = selectors.list_recognitions_for(
        request.actor,
        kind=kind if kind in RecognitionKind.values else None,
        status=status if status in (*Status.values, "open") else None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "lowincome/recognition_list.html",
        {
            "title": "低收入家庭认定", "page_obj": page, "paginator": page.paginator,
            "query_string": urlencode({k: v for k, v in {"kind": kind, "status": status}.items() if v}), "kinds": RecognitionKind.choices, "statuses": Status.choices,
            "kind": kind, "status": status, "can_register": request.actor.has(LowIncomePerm.REGISTER_LOW_INCOME),
        },
    )


@staff_view(LowIncomePerm.REGISTER_LOW_INCOME)
def recognition_new(request):
    actor = request.actor
    household = None
    q = request.GET.get("q", "").strip()
    found = []
    if request.GET.get("household"):
        household = access_household_by_id(actor, request.GET["household"])
    elif q:
        people = search_persons(actor, q, include_deceased=False)[0].select_related("household")[:20]
        found = [p for p in people if p.household_id]
    form = RecognitionForm(request.POST or None, initial={"kind": request.GET.get("kind", "edge")})
    if request.method == "POST" and household is not None and form.is_valid():
        d = form.cleaned_data
        try:
            recognition = actions.do_create_recognition(actor, household_id=household.pk, kind=d["kind"], origin=d["origin"], reason=d["reason"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记认定申请 {recognition.number}。")
            return redirect("lowincome:recognition-detail", recognition.pk)
    return render(
        request,
        "lowincome/recognition_new.html",
        {
            "title": "登记低收入家庭认定", "household": household, "members": current_members(household) if household else [],
            "found": found, "q": q, "form": form,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


def _shown(value) -> str:
    """A condition's value or threshold as users read it (是/否 for booleans, — when missing)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _conditions(result: dict | None) -> list[dict]:
    return [
        {**c, "value_text": _shown(c.get("value")), "threshold_text": _shown(c.get("threshold"))}
        for c in (result or {}).get("conditions", [])
    ]


def _detail(request, recognition, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in RECOGNITION.allowed(actor, recognition)}
    forms = forms or {}
    step_forms = {name: forms.get(name) or STEP_FORMS[name]() for name in ("check", "decide", "return", "end") if name in allowed}
    results = (recognition.result or {}).get("results", [])
    main_program = {"edge": "low_income_edge", "rigid": "rigid_spending_hardship"}[recognition.kind]
    main = next((r for r in results if r["program"] == main_program), None)
    return render(
        request,
        "lowincome/recognition_detail.html",
        {
            "title": f"认定 {recognition.number}",
            "r": recognition,
            "members": current_members(recognition.household),
            "history": selectors.history_of(recognition),
            "main": main,
            "conditions": _conditions(main),
            "step_forms": step_forms,
            "step_labels": STEP_LABELS,
            "missing": _banner() if recognition.kind == RecognitionKind.RIGID else [],
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
        if step == "check":
            actions.do_check_recognition(actor, recognition, expected_version=version, notes=d["notes"])
        elif step == "decide":
            actions.do_decide_recognition(actor, recognition, expected_version=version, outcome=d["outcome"], note=d["note"])
        elif step == "return":
            actions.do_return_recognition(actor, recognition, expected_version=version, reason=d["reason"])
        else:
            actions.do_end_recognition(actor, recognition, expected_version=version, reason=d["reason"])
    except Stale as e:
        messages.error(request, e.message)
        return redirect("lowincome:recognition-detail", recognition.pk)
    except DomainError as e:
        apply_domain_error(form, e)
        return _detail(request, recognition, {step: form}, status=400)
    messages.success(request, "已办理。")
    return redirect("lowincome:recognition-detail", recognition.pk)


# ----------------------------------------------------------------------------------------------
# District figures and price indices (district staff)
# ----------------------------------------------------------------------------------------------


@staff_view(LowIncomePerm.ENTER_DISTRICT_FIGURES)
def figures(request):
    actor = request.actor
    form = FigureForm(request.POST or None, initial={"year": clock.today().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            figure = actions.do_enter_district_figure(actor, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已录入{figure.year}年{figure.get_parameter_display()}，自{figure.effective_from:%Y年%m月%d日}起用于认定计算。")
            return redirect("lowincome:figures")
    return render(
        request,
        "lowincome/figures.html",
        {"title": "区年度统计数据", "form": form, "rows": selectors.district_figures(), "missing": _banner()},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(LowIncomePerm.ENTER_PRICE_INDEX)
def prices(request):
    actor = request.actor
    form = PriceIndexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.do_record_price_index(actor, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            if record.triggered:
                messages.success(request, f"已录入{record.period}物价指数：达到联动机制启动条件，可生成价格临时补贴发放表。")
            else:
                messages.success(request, f"已录入{record.period}物价指数：未达到启动条件，本月不发放价格临时补贴。")
            return redirect("lowincome:prices")
    rows = []
    for record in selectors.price_index_months()[:24]:
        batch = assistance_services.price_subsidy_batch(record.period)
        rows.append({"r": record, "batch": batch, "batch_url": reverse("assistance:payroll-detail", args=[batch.pk]) if batch else ""})
    return render(
        request,
        "lowincome/prices.html",
        {"title": "物价联动（价格临时补贴）", "form": form, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_view(LowIncomePerm.ENTER_PRICE_INDEX)
def price_batch(request, period: str):
    try:
        summary = actions.do_prepare_price_subsidy_batch(request.actor, period=period)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("lowincome:prices")
    if summary.unchanged_rerun:
        messages.success(request, f"{period}价格临时补贴发放表已审批，未重新生成。")
    else:
        messages.success(request, f"已生成{period}价格临时补贴发放表：{summary.payments}笔，{summary.people}人。请由另一名区级工作人员审批。")
    return redirect("assistance:payroll-detail", summary.batch_id)
