"""Community-governance screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.communities import actions, exports, selectors
from minzheng.communities.access import access_election_by_id, access_facility_by_id
from minzheng.communities.enums import SiteLevel
from minzheng.communities.forms import (
    POST_BY_LABEL,
    AnswerForm,
    CharterForm,
    CloseMatterForm,
    ConsultationForm,
    DisclosureForm,
    ElectionForm,
    FacilityForm,
    MatterForm,
    MemberForm,
    TrainingForm,
    SiteForm,
    WorkerForm,
)
from minzheng.communities.permissions import CommunityPerm
from minzheng.communities.workflow import ELECTION_WORKFLOW
from minzheng.core import clock
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.registry.permissions import RegistryPerm
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version

# The plan's entries for the two counts (其他目标 O09, O10): targets are the plan's data, read there.
SITE_PLAN_CODES = {SiteLevel.DISTRICT: "O09", SiteLevel.CITY: "O10"}


def _village_or_404(actor, code: str):
    info = get_directory().get(code)
    if info is None or len(code) != 12 or not actor.covers(code):
        raise NotFound()
    return info


@staff_view(RegistryPerm.VIEW_REGISTRY)
def home(request):
    actor = request.actor
    rows = selectors.village_standard_rows(actor)
    area = sum((r["area"] for r in rows), 0)
    households = sum(r["households"] for r in rows)
    counts = selectors.site_counts(actor)
    sites = [{"label": SiteLevel(level).label, "count": sum(counts[level].values()), "plan": code} for level, code in SITE_PLAN_CODES.items()]
    context = {
        "title": "城乡社区治理",
        "below": [r for r in rows if not r["at_standard"]],
        "villages": len(rows),
        "at_standard": sum(1 for r in rows if r["at_standard"]),
        "per_100": selectors.per_hundred(area, households) if households else None,
        "area": area, "households": households,
        "sites": sites,
        "terms": selectors.terms_ending_for(actor)[:30],
        "elections": selectors.list_elections_for(actor, status="open")[:20],
        "town_rows": exports.town_rows(actor) if actor.level != "village" else [],
        "my_village": actor.scope_prefixes[0] if actor.level == "village" and len(actor.scope_prefixes) == 1 else "",
    }  # fmt: skip
    return render(request, "communities/home.html", context)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def report_xlsx(request):
    return xlsx_response(exports.report_xlsx(request.actor), "社区治理分镇街统计.xlsx")


def _village_context(actor, code: str, **forms) -> dict:
    info = _village_or_404(actor, code)
    year = clock.today().year
    consultations = list(selectors.list_consultations_for(actor, division_code=code)[:50])
    return {
        "title": info.name, "code": code, "village": info,
        "facilities": selectors.list_facilities_for(actor, division_code=code),
        "members": selectors.list_members_for(actor, division_code=code),
        "quarters": selectors.disclosure_quarters(actor, division_code=code, year=year), "year": year,
        "disclosures": selectors.list_disclosures_for(actor, division_code=code)[:20],
        "matters": selectors.list_matters_for(actor, division_code=code)[:20],
        "consultations": consultations[:10],
        "charters": selectors.list_charters_for(actor, division_code=code),
        "workers": selectors.list_workers_for(actor, division_code=code),
        "can_edit": actor.has(CommunityPerm.MANAGE_COMMUNITY),
        "can_elect": actor.has(CommunityPerm.MANAGE_ELECTIONS),
        "disclosure_form": forms.get("disclosure_form") or DisclosureForm(prefix="disclosure", initial={"year": year, "published_on": clock.today()}),
        "matter_form": forms.get("matter_form") or MatterForm(prefix="matter", consultations=consultations),
        "charter_form": forms.get("charter_form") or CharterForm(prefix="charter"),
        "member_form": forms.get("member_form") or MemberForm(prefix="member"),
        "consultation_form": forms.get("consultation_form") or ConsultationForm(prefix="consultation", initial={"held_on": clock.today()}),
        "worker_form": forms.get("worker_form") or WorkerForm(prefix="worker"),
        "trainings": selectors.trainings_by_worker(actor, division_code=code),
        "ending_before": clock.today() + dt.timedelta(days=selectors.TERM_WARNING_DAYS),
    }  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def village(request, code: str):
    return render(request, "communities/village.html", _village_context(request.actor, code))


ADD_FORMS = {  # what → (form, context key, action)
    "disclosure": (DisclosureForm, "disclosure_form", actions.do_add_disclosure),
    "matter": (MatterForm, "matter_form", actions.do_add_matter),
    "charter": (CharterForm, "charter_form", actions.do_add_charter),
    "member": (MemberForm, "member_form", actions.do_add_member),
    "consultation": (ConsultationForm, "consultation_form", actions.do_add_consultation),
    "worker": (WorkerForm, "worker_form", actions.do_add_worker),
}


@staff_view(CommunityPerm.MANAGE_COMMUNITY)
@require_POST
def village_add(request, code: str, what: str):
    """Add to a village's record (公开事项, 三事分流, 章程, 两委成员, 协商会议, 社区工作者): a
    refusal is shown next to the field on the village page (422), nothing written."""
    actor = request.actor
    _village_or_404(actor, code)
    if what not in ADD_FORMS:
        raise Http404()
    form_class, key, action = ADD_FORMS[what]
    extra = {"consultations": selectors.list_consultations_for(actor, division_code=code)[:50]} if what == "matter" else {}
    form = form_class(request.POST, prefix=what, **extra)
    if form.is_valid():
        try:
            action(actor, division_code=code, **form.cleaned_data)
            messages.success(request, "已保存")
            return redirect("communities:village", code)
        except DomainError as e:
            apply_domain_error(form, e)
    return render(request, "communities/village.html", _village_context(actor, code, **{key: form}), status=422)


@staff_view(CommunityPerm.MANAGE_COMMUNITY)
@require_POST
def member_leave(request, code: str, member_id: int):
    """A member's term ended early (辞职、罢免): the date is recorded, the member leaves the list."""
    actor = request.actor
    _village_or_404(actor, code)
    try:
        actions.do_end_member_term(actor, member_id, left_on=request.POST.get("left_on") or None)
    except DomainError as e:
        messages.error(request, "；".join(getattr(e, "errors", {}).values()) or e.message)
    else:
        messages.success(request, "已登记离任")
    return redirect("communities:village", code)


@staff_view(CommunityPerm.MANAGE_COMMUNITY)
@require_POST
def matter_close(request, code: str, matter_id: int):
    actor = request.actor
    _village_or_404(actor, code)
    form = CloseMatterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed({"outcome": "请填写办理结果"})
        actions.do_close_matter(actor, matter_id, outcome=form.cleaned_data["outcome"])
    except DomainError as e:
        messages.error(request, "；".join(getattr(e, "errors", {}).values()) or e.message)
    else:
        messages.success(request, "事项已办结")
    return redirect("communities:village", code)


@staff_view(CommunityPerm.MANAGE_COMMUNITY)
@require_POST
def worker_training(request, code: str, worker_id: int):
    actor = request.actor
    _village_or_404(actor, code)
    form = TrainingForm(request.POST, prefix=f"training-{worker_id}")
    try:
        if not form.is_valid():
            raise ValidationFailed({k: "；".join(v) for k, v in form.errors.items()})
        d = form.cleaned_data
        actions.do_add_training(actor, worker_id, course=d["course"], held_on=d["held_on"], hours=d["hours"])
    except DomainError as e:
        messages.error(request, "培训未登记：" + ("；".join(getattr(e, "errors", {}).values()) or e.message))
    else:
        messages.success(request, "已登记培训")
    return redirect("communities:village", code)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def facility_list(request):
    rows = selectors.village_standard_rows(request.actor, division_code=request.GET.get("division") or None)
    return render(request, "communities/facility_list.html", {"title": "社区综合服务设施", "rows": rows})


@staff_view(CommunityPerm.MANAGE_COMMUNITY)
def facility_edit(request, code: str, facility_id: int | None = None):
    actor = request.actor
    info = _village_or_404(actor, code)
    facility = access_facility_by_id(actor, facility_id) if facility_id else None
    if facility is not None and facility.division_code != code:
        raise NotFound()
    if request.method == "POST":
        form = FacilityForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_save_facility(actor, facility_id=facility_id, division_code=code, name=d["name"], area_m2=d["area_m2"],
                                         rooms=d["rooms"] or 0, functions=d["functions"], hours=d["hours"], ownership=d["ownership"],
                                         status=d["status"], lon=d["lon"], lat=d["lat"])  # fmt: skip
                messages.success(request, "设施已保存")
                return redirect("communities:village", code)
            except DomainError as e:
                apply_domain_error(form, e)
    else:
        initial = {"status": "in_use"}
        if facility is not None:
            initial = {f: getattr(facility, f) if getattr(facility, f) is not None else "" for f in FacilityForm.base_fields}
        form = FacilityForm(initial=initial)
    return render(request, "communities/facility_form.html", {"title": "社区综合服务设施", "form": form, "village": info, "facility": facility})


@staff_view(RegistryPerm.VIEW_REGISTRY)
def election_list(request):
    rows = selectors.list_elections_for(request.actor, status=request.GET.get("status", ""))[:200]
    return render(request, "communities/election_list.html", {"title": "换届选举", "rows": rows})


@staff_view(CommunityPerm.MANAGE_ELECTIONS)
def election_new(request, code: str):
    actor = request.actor
    info = _village_or_404(actor, code)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        candidates = []
        for line in d["candidates"].splitlines():
            parts = line.split()
            if parts:
                candidates.append({"name": parts[0], "post": POST_BY_LABEL.get(parts[1] if len(parts) > 1 else "委员", "")})
        try:
            election = actions.do_open_election(actor, division_code=code, term_start=d["term_start"], voting_date=d["voting_date"],
                                                registered_voters=d["registered_voters"], candidates=candidates)  # fmt: skip
            return redirect("communities:election-detail", election.pk)
        except DomainError as e:
            apply_domain_error(form, e, aliases={"division_code": "term_start"})
    return render(request, "communities/election_new.html", {"title": "启动换届选举", "form": form, "village": info})


def _election_context(actor, election, answer_form=None, step_error: str = "") -> dict:
    candidates = selectors.election_candidates(election)
    return {
        "title": "换届选举", "election": election, "candidates": candidates,
        "history": selectors.election_history(actor, election),
        "available": [a for a in ELECTION_WORKFLOW.available(actor, election) if a.allowed],
        "answer_form": answer_form or AnswerForm(candidates=candidates),
        "step_error": step_error,
        "can_answer": actor.has(CommunityPerm.MANAGE_ELECTIONS) and election.status == "qualifying",
    }  # fmt: skip


@staff_view(RegistryPerm.VIEW_REGISTRY)
def election_detail(request, election_id: int):
    election = access_election_by_id(request.actor, election_id)
    return render(request, "communities/election_detail.html", _election_context(request.actor, election))


@staff_view(CommunityPerm.MANAGE_ELECTIONS)
@require_POST
def election_answer(request, election_id: int):
    actor = request.actor
    election = access_election_by_id(actor, election_id)
    form = AnswerForm(request.POST, candidates=selectors.election_candidates(election))
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_answer(actor, election, candidate_id=d["candidate"], department=d["department"], passed=d["passed"],
                                     note=d["note"], expected_version=posted_version(request))  # fmt: skip
            return redirect("communities:election-detail", election.pk)
        except DomainError as e:
            apply_domain_error(form, e)
    return render(request, "communities/election_detail.html", _election_context(actor, election, answer_form=form))


@staff_view(CommunityPerm.MANAGE_ELECTIONS)
@require_POST
def election_step(request, election_id: int, action: str):
    actor = request.actor
    election = access_election_by_id(actor, election_id)
    votes = {key[6:]: value for key, value in request.POST.items() if key.startswith("votes_")}
    try:
        actions.take_election_step(actor, election, action, expected_version=posted_version(request), reason=request.POST.get("reason", ""),
                                   votes_cast=request.POST.get("votes_cast"), votes=votes,
                                   certificate_no=request.POST.get("certificate_no", ""))  # fmt: skip
    except DomainError as e:
        message = "；".join(e.errors.values()) if hasattr(e, "errors") else e.message
        election = access_election_by_id(actor, election_id)
        return render(request, "communities/election_detail.html", _election_context(actor, election, step_error=message))
    return redirect("communities:election-detail", election.pk)


@staff_view(RegistryPerm.VIEW_REGISTRY)
def site_list(request):
    """社区治理示范点: every district and city site (year, theme, evaluation), counted by level;
    the district's staff name new ones."""
    actor = request.actor
    can_add = actor.has(CommunityPerm.MANAGE_DEMONSTRATION_SITES) and actor.level == "district"
    form = SiteForm(request.POST or None, initial={"year": clock.today().year}) if can_add else None
    status = 200
    if request.method == "POST":
        if form is None:
            return render(request, "web/error.html", {"title": "无权办理", "message": "社区治理示范点由区民政局认定"}, status=403)
        if form.is_valid():
            try:
                actions.do_add_site(actor, **form.cleaned_data)
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, "已认定示范点")
                return redirect("communities:site-list")
        status = 422
    counts = selectors.site_counts(actor)
    return render(request, "communities/site_list.html", {
        "title": "社区治理示范点", "rows": selectors.list_sites_for(actor).order_by("level", "year", "division_code"), "form": form,
        "sites": [{"label": SiteLevel(level).label, "count": sum(counts[level].values()), "plan": code} for level, code in SITE_PLAN_CODES.items()],
    }, status=status)  # fmt: skip
