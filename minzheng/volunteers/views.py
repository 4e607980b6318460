"""Volunteer screens: thin views over selectors, access functions and actions. The activity
page (sign-in) is a village screen: it works at 390 px."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.communities.selectors import facilities_to_choose
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.registry.access import access_person_by_id
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.picker import bind_person_pickers
from minzheng.socialwork.access import station_serving
from minzheng.volunteers import actions, exports, indicators, selectors
from minzheng.volunteers.access import (
    access_activity_by_id,
    access_certificate_by_id,
    access_organisation_by_id,
    access_request_by_id,
    access_station_by_id,
    access_volunteer_by_id,
    organisation_to_choose,
)
from minzheng.volunteers.forms import (
    ActivityForm,
    OfferForm,
    OrganisationForm,
    RequestForm,
    ResponseForm,
    SignInForm,
    StationForm,
    TeamForm,
    VolunteerForm,
)
from minzheng.volunteers.permissions import VolunteerPerm
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import XLSX, attachment
from minzheng.web.form_errors import apply_domain_error

MANAGE = VolunteerPerm.MANAGE_VOLUNTEERS
ORGS = VolunteerPerm.MANAGE_VOLUNTEER_ORGS


def _form_page(request, form, title: str, submit: str, status: int = 200, person=None):
    return render(request, "volunteers/form.html", {"title": title, "form": form, "submit": submit, "person": person}, status=status)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    return render(request, "volunteers/home.html", {
        "title": "志愿服务", "figures": indicators.summary() if actor.level == "district" else None,
        "requests": selectors.open_requests_for(actor)[:20], "activities": selectors.list_activities_for(actor)[:10],
    })  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def volunteer_list(request):
    return render(request, "volunteers/volunteers.html", {"title": "注册志愿者", "rows": selectors.list_volunteers_for(request.actor)[:500],
                                                          "can_add": request.actor.has(MANAGE)})


@staff_view(MANAGE)
def volunteer_new(request):
    actor = request.actor
    initial = {}
    if request.method == "GET" and (pid := request.GET.get("person", "")).isdigit():
        initial["person"] = access_person_by_id(actor, int(pid)).pk
    form = VolunteerForm(request.POST or None, organisations=selectors.organisations_to_choose(actor), initial=initial)
    bind_person_pickers(form, actor)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            volunteer = actions.do_register_volunteer(
                actor, person=d["person"], consent_on=d["consent_on"],
                organisation=organisation_to_choose(actor, d["organisation"]) if d["organisation"] else None,
                skills=d["skills"], available_time=d["available_time"], guardian_name=d["guardian_name"],
                guardian_consent_on=d["guardian_consent_on"],
            )  # fmt: skip
            messages.success(request, f"{volunteer.person.name}已登记为志愿者。")
            return redirect("volunteers:volunteer-detail", volunteer.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "志愿者登记", "登记", 422)
    return _form_page(request, form, "志愿者登记", "登记")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def volunteer_detail(request, pk: int):
    volunteer = access_volunteer_by_id(request.actor, pk)
    return render(request, "volunteers/volunteer_detail.html", {
        "title": volunteer.person.name, "v": volunteer, "hours": selectors.volunteer_hours(volunteer),
        "total": selectors.total_hours_of(volunteer) or 0, "certificates": volunteer.certificates.order_by("-id"),
    })  # fmt: skip


@require_POST
@staff_view(MANAGE)
def certificate_issue(request, pk: int):
    volunteer = access_volunteer_by_id(request.actor, pk)
    try:
        cert = actions.do_issue_certificate(request.actor, volunteer)
        messages.success(request, f"已出具时长证明 {cert.number}。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("volunteers:volunteer-detail", volunteer.pk)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def certificate_pdf(request, pk: int):
    cert = access_certificate_by_id(request.actor, pk)
    return attachment(exports.certificate_pdf(request.actor, cert), f"志愿服务时长证明{cert.number}.pdf", "application/pdf")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def organisation_list(request):
    return render(request, "volunteers/organisations.html", {"title": "志愿服务组织", "rows": selectors.list_organisations_for(request.actor),
                                                             "can_add": request.actor.has(ORGS)})


@staff_view(RegistryPerm.VIEW_REGISTRY)
def organisation_detail(request, pk: int):
    """An organisation and its teams (队伍), with their volunteers; the town or the district adds a team."""
    actor = request.actor
    organisation = access_organisation_by_id(actor, pk)
    can_add = actor.has(ORGS)
    form = TeamForm(request.POST or None, organisation=organisation, actor=actor) if can_add else None
    status = 200
    if request.method == "POST":
        if form is None:
            return render(request, "web/error.html", {"title": "无权办理", "message": "您的角色无权成立志愿服务队伍"}, status=403)
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            team = actions.do_add_team(actor, organisation, name=form.cleaned_data["name"], division_code=form.cleaned_data["division_code"])
            messages.success(request, f"已成立队伍：{team.name}。")
            return redirect("volunteers:organisation-detail", organisation.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
            status = 422
    teams = selectors.list_teams_for(actor).filter(organisation=organisation).annotate(n=Count("volunteers"))
    return render(request, "volunteers/organisation_detail.html",
                  {"title": organisation.name, "o": organisation, "teams": teams, "form": form}, status=status)  # fmt: skip


@staff_view(ORGS)
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            actions.do_register_organisation(request.actor, name=d["name"], division_code=d["division_code"], founded_on=d["founded_on"],
                                             registration_no=d["registration_no"])  # fmt: skip
            messages.success(request, "已登记组织。")
            return redirect("volunteers:organisation-list")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "登记志愿服务组织", "登记", 422)
    return _form_page(request, form, "登记志愿服务组织", "登记")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def station_list(request):
    return render(request, "volunteers/stations.html", {"title": "志愿服务站点", "rows": selectors.list_stations_for(request.actor)[:800],
                                                        "can_add": request.actor.has(ORGS)})


@staff_view(ORGS)
def station_new(request):
    form = StationForm(request.POST or None, actor=request.actor, facilities=facilities_to_choose(request.actor))
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            actions.do_register_station(request.actor, name=d["name"], division_code=d["division_code"], opened_on=d["opened_on"],
                                        facility_id=d["facility"] or None)  # fmt: skip
            messages.success(request, "已建立站点。")
            return redirect("volunteers:station-list")
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "建立志愿服务站点", "保存", 422)
    return _form_page(request, form, "建立志愿服务站点", "保存")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def activity_list(request):
    return render(request, "volunteers/activities.html", {"title": "志愿服务活动", "rows": selectors.list_activities_for(request.actor)[:200],
                                                          "can_add": request.actor.has(MANAGE)})


@staff_view(MANAGE)
def activity_new(request):
    form = ActivityForm(request.POST or None, initial={"division_code": request.actor.scope_prefixes[0] if request.actor.scope_prefixes else ""})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            d = form.cleaned_data
            activity = actions.do_create_activity(request.actor, title=d["title"], division_code=d["division_code"], held_on=d["held_on"],
                                                  description=d["description"])  # fmt: skip
            messages.success(request, "已发布活动。")
            return redirect("volunteers:activity-detail", activity.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "发布志愿服务活动", "发布", 422)
    return _form_page(request, form, "发布志愿服务活动", "发布")


@staff_view(RegistryPerm.VIEW_REGISTRY)
def activity_detail(request, pk: int):
    actor = request.actor
    activity = access_activity_by_id(actor, pk)
    volunteers = selectors.list_volunteers_for(actor, division_code=activity.division_code)[:500]
    form = SignInForm(request.POST or None, volunteers=volunteers)
    status = 200
    if request.method == "POST":
        if not actor.has(MANAGE):
            raise Http404()
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            volunteer = access_volunteer_by_id(actor, form.cleaned_data["volunteer"])
            row = actions.do_sign_in(actor, activity, volunteer, hours=form.cleaned_data["hours"])
            messages.success(request, f"{volunteer.person.name}已签到，记录{row.hours}小时。")
            return redirect("volunteers:activity-detail", activity.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
            status = 422
    return render(request, "volunteers/activity_detail.html", {
        "title": activity.title, "activity": activity, "form": form if actor.has(MANAGE) else None,
        "rows": selectors.activity_hours(actor, activity),
    }, status=status)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def request_list(request):
    return render(request, "volunteers/requests.html", {"title": "志愿服务需求", "rows": selectors.open_requests_for(request.actor)[:200]})


@staff_view(MANAGE)
def request_new(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed({})
            req = actions.do_raise_request(request.actor, person=person, source=form.cleaned_data["source"], need=form.cleaned_data["need"])
            messages.success(request, "已提出志愿服务需求。")
            return redirect("volunteers:request-detail", req.pk)
        except ValidationFailed as e:
            apply_domain_error(form, e)
        return _form_page(request, form, "发起志愿服务需求", "提出", 422, person=person)
    return _form_page(request, form, "发起志愿服务需求", "提出", person=person)


def _request_forms(actor, req, bound=None) -> dict:
    forms = {}
    if actor.has(MANAGE) and actor.covers(req.division_code):
        if req.status in ("open", "offered"):
            forms["offer"] = OfferForm(**selectors.offer_parties(actor, req))
        if req.status == "offered":
            forms["respond"] = ResponseForm()
    forms.update(bound or {})
    return forms


@staff_view(RegistryPerm.VIEW_REGISTRY)
def request_detail(request, pk: int):
    req = access_request_by_id(request.actor, pk)
    return render(request, "volunteers/request_detail.html", {"title": "志愿服务需求", "req": req, "forms": _request_forms(request.actor, req)})


@require_POST
@staff_view(MANAGE)
def request_step(request, pk: int, step: str):
    actor = request.actor
    req = access_request_by_id(actor, pk)
    if step == "offer":
        form = OfferForm(request.POST, **selectors.offer_parties(actor, req))
    elif step == "respond":
        form = ResponseForm(request.POST)
    else:
        raise Http404()
    try:
        if not form.is_valid():
            raise ValidationFailed({})
        d = form.cleaned_data
        if step == "offer":
            sw = d["social_work_station"]
            actions.do_offer_request(actor, req, station=access_station_by_id(actor, d["station"]) if d["station"] else None,
                                     organisation=organisation_to_choose(actor, d["organisation"]) if d["organisation"] else None,
                                     social_work_station=station_serving(req.division_code, sw) if sw else None)  # fmt: skip
        else:
            actions.do_record_response(actor, req, response=d["response"], responded_on=d["responded_on"])
        messages.success(request, "已保存。")
        return redirect("volunteers:request-detail", req.pk)
    except DomainError as e:
        apply_domain_error(form, e)
    req = access_request_by_id(actor, pk)
    return render(request, "volunteers/request_detail.html", {"title": "志愿服务需求", "req": req,
                                                              "forms": _request_forms(actor, req, {step: form})}, status=422)  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_xlsx(request):
    return attachment(exports.report_xlsx(request.actor), "志愿服务分镇街统计.xlsx", XLSX)
