"""Registry screens: people, households and the population of a division.

Thin views: scoped rows come only through `registry.access` (one row) and `registry.selectors`
(lists and counts); every write is a `do_*` action. The layout, login and workbench are the
`web` shell's.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.accounts.scoping import parse_division_param
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import ValidationFailed
from minzheng.divisions.actions import do_set_division_zone
from minzheng.divisions.directory import get_directory
from minzheng.jobs.actions import do_enqueue_job
from minzheng.registry.access import access_division_by_code, access_household_by_id, access_join_request_by_id, access_person_by_id
from minzheng.core.clock import today
from minzheng.core.errors import DomainError, NotFound
from minzheng.registry.actions import (
    PersonInput,
    do_add_household_member,
    do_change_household_head,
    do_complete_household_join,
    do_decline_household_join,
    do_create_household,
    do_move_household_member,
    do_record_departure,
    do_register_death,
    do_register_household_member,
    do_register_person,
    do_split_household,
    do_update_person,
    reveal_id_number,
)
from minzheng.registry.forms import (
    AddMemberForm,
    DeathForm,
    HeadForm,
    HouseholdForm,
    JoinForm,
    LeaveForm,
    MoveForm,
    PersonFactsForm,
    PersonForm,
    SplitForm,
)
from minzheng.registry.next_steps import next_steps
from minzheng.registry.panels import person_panels
from minzheng.registry.picker import PersonPickerWidget, bind_person_pickers, person_summary
from minzheng.core.district import district_code
from minzheng.jobs.models import JobStatus
from minzheng.jobs.selectors import unfinished_jobs_of
from minzheng.registry.jobs import PERSON_EXPORT, STATISTICS_REFRESH
from minzheng.registry.selectors import (
    current_household_of,
    current_members,
    join_requests_for,
    division_statistics_for_page,
    list_households_for,
    membership_history,
    pick_persons,
    search_persons,
    visible_child_divisions,
)
from minzheng.web.decorators import staff_view
from minzheng.web.form_errors import apply_domain_error, posted_version
from minzheng.web.paging import CappedPaginator

PAGE_SIZE = 20
SEARCH_KIND_LABELS = {"id_number": "身份证号码", "name": "姓名", "initials": "拼音首字母"}


def _division_param(request) -> str | None:
    return parse_division_param(request.GET.get("division"))


@staff_view(Perm.VIEW_REGISTRY)
def person_search(request):
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    qs, query = search_persons(request.actor, q, division_code=division)
    page = CappedPaginator(qs.only(
        "id", "name", "sex", "birth_date", "id_number_masked", "division_code", "household_id", "is_deceased",
        "disability_grade"
    ), PAGE_SIZE).get_page(request.GET.get("page"))
    if q:
        record_audit_event(
            request.actor,
            AuditAction.SEARCH,
            object_type="person",
            summary=f"人员查询（{SEARCH_KIND_LABELS.get(query.kind, '其他')}）",
        )
    context = {
        "title": "人员查询",
        "q": q,
        "query": query,
        "division": division or "",
        "page_obj": page,
        "paginator": page.paginator,
        "query_string": urlencode({"q": q, "division": division or ""}),
    }
    template = "registry/person_search.html#results" if request.htmx else "registry/person_search.html"
    return render(request, template, context)


@staff_view(Perm.EXPORT_REGISTRY)
def person_export(request):
    """The export runs in the background (it may be a million rows): the job's page shows its
    progress, then the file to download."""
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    job = do_enqueue_job(request.actor, PERSON_EXPORT, params={"q": q, "division": division or ""}, scope=division or "")
    return redirect("jobs:detail", job_id=job.pk)


@staff_view(Perm.VIEW_REGISTRY)
def person_detail(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    household = person.household if person.household_id else None
    return render(
        request,
        "registry/person_detail.html",
        {
            "title": person.name,
            "person": person,
            "household": household,
            "can_reveal": request.actor.has(Perm.REVEAL_ID_NUMBER),
            "current_division_code": person.division_code,
            "steps": next_steps(request.actor, "person", person),
            "panels": person_panels(request.actor, person),
        },
    )


@require_POST
@staff_view(Perm.REVEAL_ID_NUMBER)
def person_reveal(request, person_id: int):
    person = access_person_by_id(request.actor, person_id, audit=False)
    full = reveal_id_number(request.actor, person)
    return render(request, "registry/person_detail.html#id-number", {"person": person, "revealed": full})


@staff_view(Perm.EDIT_REGISTRY)
def person_create(request):
    form = PersonForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            person = do_register_person(request.actor, PersonInput(**form.cleaned_data))
        except ValidationFailed as e:
            for field, message in e.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"已新增人员 {person.name}。")
            return redirect("registry:person-detail", person_id=person.pk)
    return render(request, "registry/person_form.html", {"title": "新增人员", "form": form})


@staff_view(Perm.VIEW_REGISTRY)
def household_detail(request, household_id: int):
    household = access_household_by_id(request.actor, household_id)
    return render(
        request,
        "registry/household_detail.html",
        {
            "title": household.label,
            "household": household,
            "members": current_members(household),
            "history": membership_history(household),
            "current_division_code": household.division_code,
            "steps": next_steps(request.actor, "household", household),
            "can_edit": request.actor.has(Perm.EDIT_REGISTRY),
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def division_detail(request, code: str | None = None):
    """Population of a division: the registry counted by age band, disability and household
    size. The page is the registry's (it reads people); divisions, below it, has no screens."""
    actor = request.actor
    division = access_division_by_code(actor, code)
    stats, stored = division_statistics_for_page(actor, division.code)
    return render(
        request,
        "registry/division_detail.html",
        {
            "title": division.name,
            "division": division,
            "path": get_directory().path(division.code),
            "stats": stats,
            "stored": stored,
            "can_refresh": actor.has(Perm.REFRESH_STATISTICS),
            "job": next(iter(unfinished_jobs_of(actor, kind=STATISTICS_REFRESH)), None),
            "children": visible_child_divisions(actor, division.code),
            "current_division_code": division.code,
            "can_set_zone": actor.has(Perm.MANAGE_DIVISIONS) and division.level == "village",
        },
    )


@require_POST
@staff_view(Perm.REFRESH_STATISTICS)
def statistics_refresh(request):
    """重新统计: every snapshot of the platform, by the background worker; the division page
    shows its progress and reloads itself when it is done."""
    job = next(iter(unfinished_jobs_of(request.actor, kind=STATISTICS_REFRESH)), None) or do_enqueue_job(
        request.actor, STATISTICS_REFRESH, scope=district_code()
    )
    back = request.POST.get("division", "")
    target = reverse("registry:division-detail-code", args=[back]) if back.isdigit() else reverse("registry:division-detail")
    job.refresh_from_db()
    if job.is_finished:
        done = job.status == JobStatus.DONE
        (messages.success if done else messages.error)(request, " ".join((job.result or {}).get("lines", [])) if done else job.message)
    return redirect(target)


@require_POST
@staff_view(Perm.MANAGE_DIVISIONS)
def division_set_zone(request, code: str):
    try:
        division = do_set_division_zone(request.actor, code, zone=request.POST.get("zone", ""))
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    else:
        messages.success(request, f"已将{division.name}的城乡属性调整为{division.get_zone_display()}。")
    return redirect("registry:division-detail-code", code=code)


# ---------------------------------------------------------------------------------------------
# The person picker (registry/picker.py): a short list, then the chosen person
# ---------------------------------------------------------------------------------------------

_FIELD_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _picker_field(request) -> tuple[str, str]:
    name = request.GET.get("field", "")
    widget_id = request.GET.get("id", "")
    if not _FIELD_RE.match(name):
        name = "person"
    if not re.match(r"^[A-Za-z][A-Za-z0-9_-]{0,59}$", widget_id):
        widget_id = f"id_{name}"
    return name, widget_id


def _picker_widget(request, name: str, widget_id: str, value=None) -> HttpResponse:
    widget = PersonPickerWidget()
    widget.actor = request.actor
    return HttpResponse(widget.render(name, value, attrs={"id": widget_id}))


@staff_view(Perm.VIEW_REGISTRY)
def person_pick(request):
    """The picker's list (HTMX), or with ``change=1`` the empty search box again."""
    name, widget_id = _picker_field(request)
    if request.GET.get("change"):
        return _picker_widget(request, name, widget_id)
    q = (request.GET.get(f"{name}_q") or request.GET.get("q") or "").strip()
    people, query = pick_persons(request.actor, q)
    if q and query.kind not in ("empty", "invalid"):
        record_audit_event(
            request.actor,
            AuditAction.SEARCH,
            object_type="person",
            summary=f"选择人员（{ {'tail': '身份证号码后4位', **SEARCH_KIND_LABELS}.get(query.kind, '其他') }）",
        )
    choose = reverse("registry:person-pick-choose") + "?" + urlencode({"field": name, "id": widget_id})
    return render(
        request,
        "registry/_person_pick_results.html",
        {
            "q": q,
            "message": query.message,
            "people": [person_summary(p) for p in people[:PICK_SHOWN]],
            "more": len(people) > PICK_SHOWN,
            "full_number": query.kind == "id_number",
            "choose_url": choose,
            "widget_id": widget_id,
        },
    )


PICK_SHOWN = 8


@staff_view(Perm.VIEW_REGISTRY)
def person_pick_choose(request):
    name, widget_id = _picker_field(request)
    value = request.GET.get("person", "")
    return _picker_widget(request, name, widget_id, value if value.isdigit() else None)


# ---------------------------------------------------------------------------------------------
# Families: 立户, members, 分户, a new head, departures and deaths; a person's facts
# ---------------------------------------------------------------------------------------------


def _form_page(request, form, *, title: str, submit: str, back: str, intro: str = "", form_id: str = "registry-form"):
    return render(
        request,
        "registry/family_form.html",
        {"title": title, "form": form, "submit": submit, "back": back, "intro": intro, "form_id": form_id},
    )


@staff_view(Perm.EDIT_REGISTRY)
def household_create(request):
    """立户: the head is chosen with the picker (from the person page, already chosen)."""
    actor = request.actor
    initial = {"since": today()}
    head_id = request.GET.get("head", "")
    if head_id.isdigit():
        head = access_person_by_id(actor, int(head_id), audit=False)
        initial["head"] = head.pk
        zone = get_directory().get(head.division_code)
        initial["zone"] = zone.zone if zone and zone.zone else "rural"
    form = bind_person_pickers(HouseholdForm(request.POST or None, initial=initial), actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            household = do_create_household(actor, head=d["head"], address=d["address"], zone=d["zone"], since=d["since"])
        except NotFound:
            form.add_error("head", "该人员不在您的管辖范围内")
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已立户：{household.label}。下一步可添加家庭成员。")
            return redirect("registry:household-detail", household_id=household.pk)
    return _form_page(request, form, title="立户", submit="立户", back=reverse("registry:person-search"), form_id="household-form",
                      intro="户主须为本辖区已登记、尚未入户的人员。立户后在家庭页面添加其他成员。")  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def household_member_add(request, household_id: int):
    actor = request.actor
    household = access_household_by_id(actor, household_id, audit=False)
    form = bind_person_pickers(AddMemberForm(request.POST or None, initial={"since": today(), "hukou_type": "resident"}), actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["person"]:
                do_add_household_member(actor, household, d["person"], relation=d["relation"], reason=d["reason"], since=d["since"])
                name = d["person"].name
            else:
                data = PersonInput(id_number=d["id_number"].strip(), name=d["name"], division_code=household.division_code,
                                   hukou_type=d["hukou_type"] or "resident")  # fmt: skip
                do_register_household_member(actor, household, data, relation=d["relation"], reason=d["reason"], since=d["since"])
                name = d["name"].strip()
        except NotFound:
            form.add_error("person", "该人员不在您的管辖范围内")
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已将{name}加入{household.label}。")
            return redirect("registry:household-detail", household_id=household.pk)
    return _form_page(request, form, title=f"添加成员：{household.label}", submit="加入本户", form_id="member-form",
                      back=reverse("registry:household-detail", args=[household.pk]),
                      intro="选择已登记的人员；尚未登记的人员，填写身份证号码和姓名，将同时登记到本户所在村（社区）。")  # fmt: skip


def _member_of(household, person_id: int):
    for m in current_members(household):
        if m.person_id == person_id:
            return m
    raise NotFound("该人员不是本户的现有成员")


@staff_view(Perm.EDIT_REGISTRY)
def household_member_leave(request, household_id: int, person_id: int):
    """迁出 or 死亡 of one member, dated."""
    actor = request.actor
    household = access_household_by_id(actor, household_id, audit=False)
    person = _member_of(household, person_id).person
    form = LeaveForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["kind"] == "death":
                do_register_death(actor, person, death_date=d["on"], note=d["note"])
                done = f"已登记{person.name}死亡（{d['on']:%Y-%m-%d}），相关救助自次月起停发。"
            else:
                do_record_departure(actor, household, person, on=d["on"])
                done = f"已办理{person.name}迁出（{d['on']:%Y-%m-%d}）。"
        except DomainError as e:
            apply_domain_error(form, e, {"death_date": "on", "person": "kind"})
        else:
            messages.success(request, done)
            return redirect("registry:household-detail", household_id=household.pk)
    return _form_page(request, form, title=f"成员离开：{person.name}", submit="确认", form_id="leave-form",
                      back=reverse("registry:household-detail", args=[household.pk]),
                      intro=f"{person.name}离开{household.label}：迁出或死亡。户主须先变更户主后才能迁出。")  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def household_member_move(request, household_id: int, person_id: int):
    actor = request.actor
    household = access_household_by_id(actor, household_id, audit=False)
    person = _member_of(household, person_id).person
    others = list_households_for(actor, division_code=household.division_code).exclude(pk=household.pk).select_related("head").order_by("head__name", "id")[:500]
    form = MoveForm(request.POST or None, households=others, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            target = access_household_by_id(actor, d["household"], audit=False)
            do_move_household_member(actor, person, target, relation=d["relation"], on=d["on"])
        except DomainError as e:
            apply_domain_error(form, e, {"person": "household"})
        else:
            messages.success(request, f"已将{person.name}迁入{target.label}。")
            return redirect("registry:household-detail", household_id=target.pk)
    return _form_page(request, form, title=f"迁到其他家庭：{person.name}", submit="迁入", form_id="move-form",
                      back=reverse("registry:household-detail", args=[household.pk]))  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def household_split(request, household_id: int):
    actor = request.actor
    household = access_household_by_id(actor, household_id, audit=False)
    members = [m.person for m in current_members(household) if m.person_id != household.head_id]
    form = SplitForm(request.POST or None, members=members, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        head = next(p for p in members if p.pk == d["head"])
        try:
            new = do_split_household(actor, household, head=head, members=form.moving_members(), address=d["address"], on=d["on"])
        except DomainError as e:
            apply_domain_error(form, e, {"members": "head"})
        else:
            messages.success(request, f"已分户：{new.label}，原户{household.label}。")
            return redirect("registry:household-detail", household_id=new.pk)
    return _form_page(request, form, title=f"分户：{household.label}", submit="分户", form_id="split-form",
                      back=reverse("registry:household-detail", args=[household.pk]),
                      intro="选择新户户主，并为随新户主迁出的成员选择与新户主的关系。原户主留在原户。")  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def household_head(request, household_id: int):
    actor = request.actor
    household = access_household_by_id(actor, household_id, audit=False)
    members = [m.person for m in current_members(household) if m.person_id != household.head_id]
    form = HeadForm(request.POST or None, members=members, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        new_head = next(p for p in members if p.pk == d["new_head"])
        try:
            household = do_change_household_head(actor, household, new_head, old_head_relation=d["old_head_relation"], on=d["on"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已变更户主为{new_head.name}。")
            return redirect("registry:household-detail", household_id=household.pk)
    return _form_page(request, form, title=f"变更户主：{household.label}", submit="变更户主", form_id="head-form",
                      back=reverse("registry:household-detail", args=[household.pk]))  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def person_edit(request, person_id: int):
    """Every fact of a person the rules engine reads, validated by the registry's one validator
    (``actions.validate_person_input``, through ``do_update_person``)."""
    actor = request.actor
    person = access_person_by_id(actor, person_id, audit=False)
    form = PersonFactsForm(request.POST or None, initial=PersonFactsForm.initial_for(person))
    version = request.POST.get("version", "")
    if request.method == "POST" and form.is_valid():
        try:
            do_update_person(actor, person, expected_version=int(version) if version.isdigit() else -1, changes=form.changes())
        except NotFound:
            form.add_error(None, "该人员不在您的管辖范围内")
        except DomainError as e:
            apply_domain_error(form, e, {f"{n}_fen": n for n in PersonFactsForm.INCOMES})
        else:
            messages.success(request, f"已保存{person.name}的信息。")
            return redirect("registry:person-detail", person_id=person.pk)
    return render(request, "registry/person_edit.html", {"title": f"编辑：{person.name}", "form": form, "person": person})


@staff_view(Perm.EDIT_REGISTRY)
def person_join(request, person_id: int):
    """加入家庭 from the person page: the household is found by its head (the picker)."""
    actor = request.actor
    person = access_person_by_id(actor, person_id, audit=False)
    form = bind_person_pickers(JoinForm(request.POST or None, initial={"since": today()}), actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        head = d["head"]
        if not head.household_id:
            form.add_error("head", f"{head.name}尚未立户")
        else:
            household = access_household_by_id(actor, head.household_id, audit=False)
            try:
                do_add_household_member(actor, household, person, relation=d["relation"], reason=d["reason"], since=d["since"])
            except DomainError as e:
                apply_domain_error(form, e, {"person": "head"})
            else:
                messages.success(request, f"已将{person.name}加入{household.label}。")
                return redirect("registry:household-detail", household_id=household.pk)
    return _form_page(request, form, title=f"加入家庭：{person.name}", submit="加入", form_id="join-form",
                      back=reverse("registry:person-detail", args=[person.pk]),
                      intro="按户主查找要加入的家庭。")  # fmt: skip


@staff_view(Perm.EDIT_REGISTRY)
def person_death(request, person_id: int):
    actor = request.actor
    person = access_person_by_id(actor, person_id, audit=False)
    form = DeathForm(request.POST or None, initial={"death_date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            do_register_death(actor, person, death_date=form.cleaned_data["death_date"], note=form.cleaned_data["note"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记{person.name}死亡，相关救助自次月起停发。")
            return redirect("registry:person-detail", person_id=person.pk)
    return _form_page(request, form, title=f"登记死亡：{person.name}", submit="登记死亡", form_id="death-form",
                      back=reverse("registry:person-detail", args=[person.pk]),
                      intro="家属告知或村（社区）核实的死亡。登记后人员库记为死亡，所在家庭关系结束，各项救助按政策自次月起停发。")  # fmt: skip


@staff_view(Perm.VIEW_REGISTRY)
def join_requests(request):
    """家庭户变更申请: what other lines asked the village to do to its households (婚入 at the
    couple's request, from the marriage registry), to do or to decline with a reason."""
    actor = request.actor
    status = request.GET.get("status", "pending")
    status = status if status in ("pending", "done", "declined") else "pending"
    page = CappedPaginator(join_requests_for(actor, status=status), 50).get_page(request.GET.get("page"))
    rows = [{"r": r, "from": current_household_of(r.person) if status == "pending" else None} for r in page]
    return render(request, "registry/join_requests.html", {
        "title": "家庭户变更申请", "page_obj": page, "paginator": page.paginator, "rows": rows, "status": status,
        "query_string": urlencode({"status": status}), "can_edit": actor.has(Perm.EDIT_REGISTRY),
    })  # fmt: skip


@require_POST
@staff_view(Perm.EDIT_REGISTRY)
def join_request_step(request, request_id: int, step: str):
    actor = request.actor
    join_request = access_join_request_by_id(actor, request_id)
    version = posted_version(request)
    try:
        if step == "complete":
            do_complete_household_join(actor, join_request, expected_version=version)
            messages.success(request, f"已办理：{join_request.person.name}加入{join_request.household.label}。")
        elif step == "decline":
            do_decline_household_join(actor, join_request, expected_version=version, reason=request.POST.get("decline_reason", ""))
            messages.success(request, f"已不予办理：{join_request.person.name}。")
        else:
            raise NotFound()
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    except NotFound:
        raise
    except DomainError as e:
        if e.code not in ("stale", "wrong_state"):
            raise
        messages.error(request, e.message)
    return redirect(f"{reverse('registry:join-requests')}?status=pending")
