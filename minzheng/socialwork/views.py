"""Social-work screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.money import yuan_to_fen
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.picker import bind_person_pickers
from minzheng.socialwork import actions, exports, indicators, selectors
from minzheng.socialwork.access import (
    access_agency_by_id,
    access_payment_by_id,
    access_professional_by_id,
    access_project_by_id,
    access_station_by_id,
    agency_to_choose,
)
from minzheng.socialwork.enums import TargetGroup
from minzheng.socialwork.forms import (
    AgencyForm,
    AgencyLinkForm,
    ContractForm,
    EvaluationForm,
    LeaveForm,
    PaymentForm,
    ProfessionalForm,
    ProjectForm,
    ServiceRecordForm,
    StationForm,
)
from minzheng.socialwork.permissions import SocialworkPerm
from minzheng.socialwork.workflow import PROJECT_WORKFLOW
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version

MANAGE = SocialworkPerm.MANAGE_SOCIAL_WORK


def _form_page(request, form, title: str, submit: str, status: int = 200, intro: str = ""):
    return render(request, "socialwork/form.html", {"title": title, "form": form, "submit": submit, "intro": intro}, status=status)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    context = {
        "title": "社会工作",
        "figures": indicators.summary() if actor.level == "district" else None,
        "projects": selectors.list_projects_for(actor)[:10],
        "pending_payments": selectors.pending_payments_for(actor)[:20] if actor.has(SocialworkPerm.APPROVE_SERVICE_PAYMENTS) else [],
    }
    return render(request, "socialwork/home.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def professional_list(request):
    rows = selectors.list_professionals_for(request.actor)[:500]
    return render(request, "socialwork/professionals.html", {"title": "社会工作专业人才", "rows": rows, "can_add": request.actor.has(MANAGE)})


@staff_view(MANAGE)
def professional_new(request):
    actor = request.actor
    form = ProfessionalForm(request.POST or None, agencies=selectors.agencies_to_choose(actor), stations=selectors.list_stations_for(actor))
    bind_person_pickers(form, actor)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            pro = actions.do_register_professional(
                actor, person=d["person"], division_code=d["division_code"], employer=d["employer"], post=d["post"],
                education=d["education"], cert_level=d["cert_level"], cert_number=d["cert_number"], cert_year=d["cert_year"],
                training_hours=d["training_hours"], joined_on=d["joined_on"],
                agency=agency_to_choose(actor, d["agency"]) if d["agency"] else None,
                station=access_station_by_id(actor, d["station"]) if d["station"] else None,
            )  # fmt: skip
            messages.success(request, f"{pro.person.name}已入库。")
            return redirect("socialwork:professional-list")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "社会工作专业人才入库", "入库", 422)
    return _form_page(request, form, "社会工作专业人才入库", "入库")


@staff_view(MANAGE)
def professional_leave(request, pk: int):
    pro = access_professional_by_id(request.actor, pk)
    form = LeaveForm(request.POST or None)
    title = f"{pro.person.name} 离职登记"
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            actions.do_record_leaving(request.actor, pro, left_on=form.cleaned_data["left_on"], reason=form.cleaned_data["leave_reason"])
            messages.success(request, "已登记离职。")
            return redirect("socialwork:professional-list")
        except DomainError as e:
            apply_domain_error(form, e)
        return _form_page(request, form, title, "登记离职", 422)
    return _form_page(request, form, title, "登记离职")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def network(request):
    actor = request.actor
    return render(request, "socialwork/network.html", {
        "title": "社会工作三级服务网络", "rows": selectors.network_by_town(actor), "stations": selectors.list_stations_for(actor)[:500],
        "can_add": actor.has(MANAGE),
    })  # fmt: skip


@staff_view(MANAGE)
def station_new(request):
    form = StationForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            actions.do_register_station(request.actor, level=d["level"], name=d["name"], division_code=d["division_code"],
                                        premises_sqm=d["premises_sqm"], opened_on=d["opened_on"], address=d["address"])  # fmt: skip
            messages.success(request, "已登记站点。")
            return redirect("socialwork:network")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "登记社会工作站点", "登记", 422)
    return _form_page(request, form, "登记社会工作站点", "登记")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def agency_list(request):
    return render(request, "socialwork/agencies.html", {"title": "社工服务机构", "rows": selectors.agency_rows(request.actor),
                                                        "can_add": request.actor.has(MANAGE)})


@staff_view(MANAGE)
def agency_link(request, pk: int):
    agency = access_agency_by_id(request.actor, pk)
    form = AgencyLinkForm(request.POST or None)
    title = f"{agency.name} 关联社会组织登记"
    intro = f"当前：{selectors.registration_status(agency)}"
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            actions.do_link_agency(request.actor, agency, query=form.cleaned_data["query"])
            messages.success(request, "已关联社会组织登记。")
            return redirect("socialwork:agency-list")
        except DomainError as e:
            apply_domain_error(form, e)
        return _form_page(request, form, title, "关联", 422, intro)
    return _form_page(request, form, title, "关联", intro=intro)


@staff_view(MANAGE)
def agency_new(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            actions.do_register_agency(request.actor, name=d["name"], registration_no=d["registration_no"], division_code=d["division_code"],
                                       registered_on=d["registered_on"], private=d["private"])  # fmt: skip
            messages.success(request, "已登记机构。")
            return redirect("socialwork:agency-list")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "登记社工服务机构", "登记", 422)
    return _form_page(request, form, "登记社工服务机构", "登记")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def project_list(request):
    rows = selectors.list_projects_for(request.actor, status=request.GET.get("status", ""))[:200]
    return render(request, "socialwork/projects.html", {"title": "购买社会工作服务项目", "rows": rows, "can_add": request.actor.has(MANAGE)})


@staff_view(MANAGE)
def project_new(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            project = actions.do_create_project(
                request.actor, title=d["title"], division_code=d["division_code"], budget_fen=yuan_to_fen(d["budget_yuan"]),
                starts_on=d["starts_on"], ends_on=d["ends_on"], target_groups=d["target_groups"], indicators=d["indicators"],
            )  # fmt: skip
            messages.success(request, f"已发布项目 {project.number}。")
            return redirect("socialwork:project-detail", project.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "发布购买服务项目", "发布", 422)
    return _form_page(request, form, "发布购买服务项目", "发布")


def _project_context(actor, project, bound: dict | None = None) -> dict:
    allowed = {t.action for t in PROJECT_WORKFLOW.allowed(actor, project)}
    forms = {}
    if "contract" in allowed:
        forms["contract"] = ContractForm(agencies=selectors.agencies_to_choose(actor))
    for stage in ("midterm", "final"):
        if stage in allowed:
            forms[stage] = EvaluationForm(prefix=stage)
    can_manage = actor.has(MANAGE) and actor.covers(project.division_code)
    if can_manage and project.status in ("in_service", "midterm"):
        forms["record"] = ServiceRecordForm(prefix="record")
    if can_manage and project.agency_id:
        forms["payment"] = PaymentForm(prefix="payment")
    forms.update(bound or {})
    groups = dict(TargetGroup.choices)
    return {
        "title": project.title, "project": project, "forms": forms, "can_start": "start" in allowed,
        "groups": "、".join(groups.get(g, g) for g in project.target_groups.split(",") if g),
        "records": selectors.project_records(actor, project), "payments": selectors.project_payments(actor, project),
        "history": selectors.project_history(actor, project),
        "can_approve": actor.has(SocialworkPerm.APPROVE_SERVICE_PAYMENTS),
    }  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def project_detail(request, pk: int):
    project = access_project_by_id(request.actor, pk)
    return render(request, "socialwork/project_detail.html", _project_context(request.actor, project))


STEP_FORMS = {"contract": ContractForm, "midterm": EvaluationForm, "final": EvaluationForm, "record": ServiceRecordForm,
              "payment": PaymentForm}  # fmt: skip


@require_POST
@staff_view(MANAGE)
def project_step(request, pk: int, step: str):
    actor = request.actor
    project = access_project_by_id(actor, pk)
    if step == "start":
        try:
            actions.do_start_project(actor, project, expected_version=posted_version(request))
            messages.success(request, "项目已开始服务。")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("socialwork:project-detail", project.pk)
    if step not in STEP_FORMS:
        raise Http404()
    kwargs = {"agencies": selectors.agencies_to_choose(actor)} if step == "contract" else {}
    prefix = None if step == "contract" else step
    form = STEP_FORMS[step](request.POST, prefix=prefix, **kwargs)
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        version = posted_version(request)
        if step == "contract":
            actions.do_contract_project(actor, project, expected_version=version, agency=agency_to_choose(actor, d["agency"]))
        elif step in ("midterm", "final"):
            actions.do_evaluate_project(actor, project, expected_version=version, stage=step, score=d["score"], evaluated_on=d["evaluated_on"])
        elif step == "record":
            actions.do_record_service(actor, project, kind=d["kind"], held_on=d["held_on"], people_served=d["people_served"], summary=d["summary"])
        else:
            actions.do_propose_payment(actor, project, milestone=d["milestone"], amount_fen=yuan_to_fen(d["amount_yuan"]))
        messages.success(request, "已保存。")
        return redirect("socialwork:project-detail", project.pk)
    except DomainError as e:
        apply_domain_error(form, e)
    project = access_project_by_id(actor, pk)
    return render(request, "socialwork/project_detail.html", _project_context(actor, project, {step: form}), status=422)


@require_POST
@staff_view(SocialworkPerm.APPROVE_SERVICE_PAYMENTS)
def payment_approve(request, pk: int):
    payment = access_payment_by_id(request.actor, pk)
    try:
        actions.do_approve_payment(request.actor, payment)
        messages.success(request, "已复核拨付。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("socialwork:project-detail", payment.project_id)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_xlsx(request):
    return xlsx_response(exports.report_xlsx(request.actor), "社会工作分镇街统计.xlsx")
