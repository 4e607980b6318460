"""Welfare-lottery screens: thin views over selectors, access functions and actions. District
staff manage; a town officer sees the outlets (and their sales) in the town."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.money import fen_to_yuan
from minzheng.core.periods import year_or_none
from minzheng.eldercare.selectors import district_outline_geojson
from minzheng.lottery import actions, exports, selectors
from minzheng.lottery.access import (
    access_fund_year_by_id,
    access_inspection_by_id,
    access_outlet_by_id,
    access_project_by_id,
)
from minzheng.lottery.enums import OutletStatus
from minzheng.lottery.forms import (
    CloseOutletForm,
    FundYearForm,
    InspectionForm,
    OutletForm,
    ProjectForm,
    ProjectUpdateForm,
    fen,
)
from minzheng.lottery.imports import KIND as SALES_KIND
from minzheng.lottery.permissions import LotteryPerm
from minzheng.lottery.services import plan_progress
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version

VIEW, MANAGE = LotteryPerm.VIEW_LOTTERY, LotteryPerm.MANAGE_LOTTERY


def _year(request) -> int:
    this_year = clock.today().year
    return year_or_none(request.GET.get("year", ""), latest=this_year) or this_year


@staff_view(VIEW)
def home(request):
    actor = request.actor
    return render(request, "lottery/home.html", {
        "title": "福利彩票", "progress": plan_progress(actor),
        "open_inspections": selectors.list_inspections_for(actor, open_only=True)[:20],
        "can_manage": actor.has(MANAGE), "sales_kind": SALES_KIND,
    })  # fmt: skip


def _outlets_page(request, form=None, status=200):
    actor = request.actor
    state = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()
    outlets = selectors.list_outlets_for(actor, status=state if state in OutletStatus.values else "", q=q)
    shown = list(outlets[:300])
    payload = {"outline": district_outline_geojson(), "outlets": selectors.outlet_points(actor, outlets)}
    return render(request, "lottery/outlets.html", {
        "title": "投注站", "outlets": shown, "count": outlets.count(), "payload": payload, "q": q, "state": state,
        "statuses": OutletStatus.choices, "form": form if form is not None else (OutletForm() if actor.has(MANAGE) else None),
    }, status=status)  # fmt: skip


@staff_view(VIEW)
def outlet_list(request):
    if request.method == "POST":
        request.actor.require(MANAGE)
        form = OutletForm(request.POST)
        if form.is_valid():
            try:
                outlet = actions.do_register_outlet(request.actor, **form.cleaned_data)
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"投注站 {outlet.licence_no} 已登记。")
                return redirect("lottery:outlet-detail", outlet.pk)
        return _outlets_page(request, form, status=400)
    return _outlets_page(request)


def _detail_page(request, outlet, *, close_form=None, inspection_form=None, status=200):
    actor = request.actor
    manage = actor.has(MANAGE)
    return render(request, "lottery/outlet_detail.html", {
        "title": f"投注站 {outlet.licence_no}", "o": outlet, "can_manage": manage,
        "inspections": selectors.list_inspections_for(actor, outlet=outlet),
        "sales": selectors.list_sales_for(actor, outlet=outlet).order_by("-month")[:24],
        "close_form": close_form or (CloseOutletForm() if manage and outlet.status == OutletStatus.OPEN else None),
        "inspection_form": inspection_form or (InspectionForm() if manage else None),
    }, status=status)  # fmt: skip


@staff_view(VIEW)
def outlet_detail(request, outlet_id: int):
    outlet = access_outlet_by_id(request.actor, outlet_id)
    if request.method != "POST":
        return _detail_page(request, outlet)
    request.actor.require(MANAGE)
    if request.POST.get("form") == "close":
        form = CloseOutletForm(request.POST)
        if form.is_valid():
            try:
                actions.do_close_outlet(request.actor, outlet, expected_version=posted_version(request), **form.cleaned_data)
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, "投注站已关闭。")
                return redirect("lottery:outlet-detail", outlet.pk)
        return _detail_page(request, outlet, close_form=form, status=400)
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_inspection(request.actor, outlet, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "检查记录已登记。")
            return redirect("lottery:outlet-detail", outlet.pk)
    return _detail_page(request, outlet, inspection_form=form, status=400)


@require_POST
@staff_view(MANAGE)
def inspection_close(request, inspection_id: int):
    inspection = access_inspection_by_id(request.actor, inspection_id)
    try:
        actions.do_close_inspection(request.actor, inspection, expected_version=posted_version(request),
                                    rectification=request.POST.get("rectification", ""))  # fmt: skip
    except DomainError as e:
        messages.error(request, "；".join(getattr(e, "errors", {}).values()) or e.message)
    else:
        messages.success(request, "已整改销号。")
    return redirect("lottery:outlet-detail", inspection.outlet_id)


@staff_view(VIEW)
def sales(request):
    actor, year = request.actor, _year(request)
    by_month = selectors.sales_by_month(actor, year)
    by_outlet = selectors.sales_by_outlet(actor, year)
    return render(request, "lottery/sales.html", {
        "title": "销售额", "year": year, "years": list(range(clock.today().year, 2020, -1)),
        "by_month": by_month, "month_total": sum(r["sales_fen"] for r in by_month),
        "by_outlet": by_outlet[:300], "outlet_count": len(by_outlet), "can_manage": actor.has(MANAGE), "sales_kind": SALES_KIND,
    })  # fmt: skip


@staff_view(VIEW)
def sales_by_month_xlsx(request):
    year = _year(request)
    return xlsx_response(exports.sales_by_month_xlsx(request.actor, year), f"福利彩票{year}年分月销售额.xlsx")


@staff_view(VIEW)
def sales_by_outlet_xlsx(request):
    year = _year(request)
    return xlsx_response(exports.sales_by_outlet_xlsx(request.actor, year), f"福利彩票{year}年分投注站销售额.xlsx")


def _fund_page(request, *, fund_form=None, project_form=None, project_fund=None, status=200):
    actor = request.actor
    manage = actor.has(MANAGE)
    return render(request, "lottery/fund.html", {
        "title": "彩票公益金", "rows": selectors.fund_use(actor), "projects": selectors.list_projects_for(actor),
        "can_manage": manage, "fund_form": fund_form or (FundYearForm() if manage else None),
        "project_form": project_form or (ProjectForm() if manage else None), "project_fund": project_fund,
    }, status=status)  # fmt: skip


@staff_view(VIEW)
def fund(request):
    if request.method != "POST":
        return _fund_page(request)
    request.actor.require(MANAGE)
    if request.POST.get("form") == "project":
        fund_year = access_fund_year_by_id(request.actor, request.POST.get("fund"))
        form = ProjectForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_add_project(request.actor, fund_year, name=d["name"], area=d["area"], unit=d["unit"], budget_fen=fen(d["budget"]))
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, "资助项目已登记。")
                return redirect("lottery:fund")
        return _fund_page(request, project_form=form, project_fund=fund_year.pk, status=400)
    form = FundYearForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_fund_year(request.actor, year=d["year"], retained_fen=fen(d["retained"]), reference=d["reference"],
                                        received_on=d["received_on"])  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "地方留存公益金已登记。")
            return redirect("lottery:fund")
    return _fund_page(request, fund_form=form, status=400)


@staff_view(VIEW)
def project_detail(request, project_id: int):
    project = access_project_by_id(request.actor, project_id)
    form = None
    status = 200
    if request.method == "POST":
        request.actor.require(MANAGE)
        form = ProjectUpdateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_update_project(request.actor, project, spent_fen=fen(d["spent"]), evaluation_score=d["evaluation_score"],
                                          evaluated_on=d["evaluated_on"], disclosed_on=d["disclosed_on"])  # fmt: skip
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, "项目执行情况已保存。")
                return redirect("lottery:project-detail", project.pk)
        status = 400
    elif request.actor.has(MANAGE):
        form = ProjectUpdateForm(initial={
            "spent": fen_to_yuan(project.spent_fen), "evaluation_score": project.evaluation_score,
            "evaluated_on": project.evaluated_on, "disclosed_on": project.disclosed_on,
        })  # fmt: skip
    return render(request, "lottery/project.html", {"title": project.name, "p": project, "form": form}, status=status)


@staff_view(VIEW)
def fund_xlsx(request):
    return xlsx_response(exports.fund_use_xlsx(request.actor), "福利彩票公益金使用情况.xlsx")
