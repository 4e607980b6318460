"""Screens of referrals (专项救助转介) and 精神障碍社区康复 files: thin — a form, an action,
a redirect or the page again with the errors next to their fields (422), 409 for a page left
open while someone else acted."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from minzheng.cases.workflow import Stale
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError
from minzheng.core.xlsx import Column, write_export
from minzheng.referrals import actions, selectors
from minzheng.referrals.access import access_referral_by_id, access_rehab_file_by_id, diagnosis_label
from minzheng.referrals.enums import ReferralKind, ReferralStatus, RehabStatus
from minzheng.referrals.forms import (
    FeedbackForm,
    ReceiveForm,
    ReceivingUnitForm,
    ReferralForm,
    RehabCloseForm,
    RehabFileForm,
    RehabSearchForm,
    RehabServiceForm,
    WithdrawForm,
)
from minzheng.referrals.permissions import ReferralPerm
from minzheng.referrals.workflow import REFERRAL, feedback_days_provisional, feedback_working_days
from minzheng.registry.access import access_household_by_id, access_person_by_id
from minzheng.registry.selectors import current_household_ids, current_members
from minzheng.cases.calendar import work_calendar
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version
from minzheng.web.templatetags.mz import division_path

STATUS_FILTERS = [("open", "办理中"), ("overdue", "已超期"), *ReferralStatus.choices]
STEP_FORMS = {"receive": ReceiveForm, "feedback": FeedbackForm, "withdraw": WithdrawForm}


def _filters(request) -> dict:
    return {
        "kind": request.GET.get("kind", ""),
        "status": request.GET.get("status", "open"),
        "receiving_unit_id": request.GET.get("unit", ""),
        "household_id": request.GET.get("household", ""),
        "person_id": request.GET.get("person", ""),
    }


@staff_view(ReferralPerm.VIEW_REFERRALS)
def referral_list(request):
    actor = request.actor
    filters = _filters(request)
    rows = selectors.list_referrals_for(actor, **filters)[:200]
    query = request.GET.urlencode()
    return render(request, "referrals/list.html", {
        "title": "专项救助转介", "rows": rows, "filters": filters, "kinds": ReferralKind.choices,
        "statuses": STATUS_FILTERS, "units": selectors.receiving_units(active_only=False),
        "counts": selectors.referral_counts_by_kind(actor), "today": clock.today(),
        "export_url": reverse("referrals:export") + (f"?{query}" if query else ""),
        "can_refer": actor.has(ReferralPerm.REFER), "can_manage_units": actor.has(ReferralPerm.MANAGE_RECEIVING_UNITS),
    })


EXPORT_COLUMNS = [
    Column("转介编号", width=18), Column("村（社区）", width=24), Column("户主", width=10), Column("转介对象", width=10),
    Column("身份证号码", width=20), Column("转介类别", width=10), Column("接收单位", width=24), Column("转介日期", "date", 12),
    Column("反馈期限", "date", 12), Column("状态", width=8), Column("办理结果", width=16), Column("反馈意见", width=30),
]


@staff_view(ReferralPerm.VIEW_REFERRALS)
def referral_export(request):
    actor = request.actor
    rows = selectors.list_referrals_for(actor, **_filters(request))
    data = (
        [
            r.number, division_path(r.division_code), r.household.head.name if r.household.head else "",
            r.person.name if r.person else "全户", r.person.id_number_masked if r.person else "",
            r.get_kind_display(), r.receiving_unit.name, r.created_at.date(), r.deadline_on, r.get_status_display(),
            r.get_outcome_display() if r.outcome else "", r.feedback,
        ]
        for r in rows.iterator()
    )
    content, count = write_export(EXPORT_COLUMNS, data, sheet_name="专项救助转介", empty_note="没有符合条件的转介")
    record_audit_event(actor, AuditAction.EXPORT, object_type="referral", division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
                       summary=f"导出专项救助转介 {count} 条", extra={"filters": _filters(request)})
    return xlsx_response(content, f"专项救助转介_{clock.today():%Y%m%d}.xlsx")


def _new_context(request, household, members, form, person=None):
    today = clock.today()
    return {
        "title": "专项救助转介", "household": household, "members": members, "form": form, "person": person,
        "default_days": feedback_working_days(today), "days_provisional": feedback_days_provisional(today),
    }


@staff_view(ReferralPerm.REFER)
def referral_new(request):
    actor = request.actor
    source = request.POST if request.method == "POST" else request.GET
    person = None
    if source.get("person") and not source.get("household"):
        person = access_person_by_id(actor, source.get("person"), audit=False)
        household_id = current_household_ids([person.pk]).get(person.pk)
        if household_id is None:
            messages.error(request, "该人员没有现在所在的家庭，无法转介")
            return redirect("registry:person-detail", person.pk)
    else:
        household_id = source.get("household")
    household = access_household_by_id(actor, household_id)
    members = [m.person for m in current_members(household)]
    units = selectors.receiving_units()
    today = clock.today()
    if request.method == "POST":
        form = ReferralForm(request.POST, members=members, units=units)
        if form.is_valid():
            d = form.cleaned_data
            try:
                referral = actions.do_refer(
                    actor, household_id=household.pk, person_id=d["person"] or None, kind=d["kind"],
                    receiving_unit_id=d["receiving_unit"] or None, reason=d["reason"], deadline_on=d["deadline_on"],
                )
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"已转介至{referral.receiving_unit.name}，编号 {referral.number}，反馈期限 {referral.deadline_on:%Y-%m-%d}。")
                return redirect("referrals:detail", referral.pk)
        return render(request, "referrals/new.html", _new_context(request, household, members, form), status=422)
    initial = {"deadline_on": work_calendar().add_working_days(today, feedback_working_days(today))}
    if person is not None or request.GET.get("person"):
        initial["person"] = str(person.pk if person else request.GET.get("person"))
    form = ReferralForm(initial=initial, members=members, units=units)
    return render(request, "referrals/new.html", _new_context(request, household, members, form, person))


def _detail_page(request, referral, forms: dict | None = None, status: int = 200):
    actor = request.actor
    allowed = {t.action for t in REFERRAL.allowed(actor, referral)}
    forms = forms or {}
    step_forms = {name: forms.get(name) or STEP_FORMS[name]() for name in STEP_FORMS if name in allowed}
    deadline = REFERRAL.deadline_of(referral)
    return render(request, "referrals/detail.html", {
        "title": f"转介 {referral.number}", "r": referral, "history": selectors.referral_history(actor, referral),
        "step_forms": step_forms, "step_labels": {"receive": "确认接收", "feedback": "登记反馈", "withdraw": "撤回转介"},
        "deadline": deadline, "overdue": deadline is not None and clock.today() > deadline,
    }, status=status)


@staff_view(ReferralPerm.VIEW_REFERRALS)
def referral_detail(request, referral_id: int):
    return _detail_page(request, access_referral_by_id(request.actor, referral_id))


@staff_view(ReferralPerm.VIEW_REFERRALS)
def referral_step(request, referral_id: int, step: str):
    actor = request.actor
    referral = access_referral_by_id(actor, referral_id)
    if request.method != "POST" or step not in STEP_FORMS:
        return redirect("referrals:detail", referral.pk)
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        return _detail_page(request, referral, {step: form}, status=422)
    d = form.cleaned_data
    version = posted_version(request, missing=0)
    try:
        if step == "receive":
            actions.do_receive_referral(actor, referral, expected_version=version, receiver_name=d["receiver_name"], received_on=d["received_on"])
        elif step == "feedback":
            actions.do_record_feedback(actor, referral, expected_version=version, outcome=d["outcome"], feedback=d["feedback"])
        else:
            actions.do_withdraw_referral(actor, referral, expected_version=version, reason=d["reason"])
    except Stale as e:
        form.add_error(None, e.message)
        return _detail_page(request, referral, {step: form}, status=409)
    except DomainError as e:
        apply_domain_error(form, e)
        return _detail_page(request, referral, {step: form}, status=422)
    messages.success(request, f"已办理“{REFERRAL.action_label(step)}”。")
    return redirect("referrals:detail", referral.pk)


@staff_view(ReferralPerm.VIEW_REFERRALS)
def receiving_unit_list(request):
    actor = request.actor
    form = ReceivingUnitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("unit"):
                action = request.POST.get("action")
                actions.do_set_receiving_unit(
                    actor, request.POST.get("unit"), active={"disable": False, "enable": True}.get(action),
                    confirmed=action == "confirm",
                )
                messages.success(request, "已更新接收单位。")
                return redirect("referrals:units")
            if form.is_valid():
                d = form.cleaned_data
                unit = actions.do_add_receiving_unit(actor, kind=d["kind"], name=d["name"], contact=d["contact"])
                messages.success(request, f"已新增接收单位“{unit.name}”。")
                return redirect("referrals:units")
        except DomainError as e:
            apply_domain_error(form, e)
            status = 422
    return render(request, "referrals/units.html", {
        "title": "转介接收单位", "units": selectors.receiving_units(active_only=False), "form": form,
        "can_manage": actor.has(ReferralPerm.MANAGE_RECEIVING_UNITS),
    }, status=status)


# ----------------------------------------------------------------------------------------------
# 精神障碍社区康复
# ----------------------------------------------------------------------------------------------


@staff_view(ReferralPerm.REHAB)
def rehab_list(request):
    actor = request.actor
    form = RehabSearchForm(request.GET or None)
    q = status = ""
    if form.is_valid():
        q, status = form.cleaned_data["q"], form.cleaned_data["status"]
    rows = selectors.rehab_files_for(actor, q=q, status=status)[:200]
    query = request.GET.urlencode()
    return render(request, "referrals/rehab_list.html", {
        "title": "精神障碍社区康复", "rows": rows, "form": form, "counts": selectors.rehab_counts(actor),
        "statuses": RehabStatus.choices, "export_url": reverse("referrals:rehab-export") + (f"?{query}" if query else ""),
    })


REHAB_EXPORT_COLUMNS = [
    Column("档案编号", "int", 10), Column("村（社区）", width=24), Column("姓名", width=10), Column("身份证号码", width=20),
    Column("监护人", width=10), Column("与本人关系", width=10), Column("监护人电话", width=14), Column("康复机构", width=24),
    Column("建档日期", "date", 12), Column("状态", width=10),
]


@staff_view(ReferralPerm.REHAB)
def rehab_export(request):
    form = RehabSearchForm(request.GET or None)
    q = status = ""
    if form.is_valid():
        q, status = form.cleaned_data["q"], form.cleaned_data["status"]
    rows = selectors.rehab_files_for(request.actor, q=q, status=status, purpose="export")
    data = (
        [f.pk, division_path(f.division_code), f.person.name, f.person.id_number_masked, f.guardian_name,
         f.guardian_relation, f.guardian_phone_masked, f.institution, f.started_on, f.get_status_display()]
        for f in rows.iterator()
    )  # the diagnosis category is never exported
    content, _ = write_export(REHAB_EXPORT_COLUMNS, data, sheet_name="社区康复档案", empty_note="没有符合条件的档案")
    return xlsx_response(content, f"精神障碍社区康复档案_{clock.today():%Y%m%d}.xlsx")


@staff_view(ReferralPerm.REHAB)
def rehab_new(request):
    actor = request.actor
    person = access_person_by_id(actor, (request.POST or request.GET).get("person"))
    form = RehabFileForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            file = actions.do_open_rehab_file(actor, person_id=person.pk, **form.cleaned_data)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "已建立社区康复档案。")
            return redirect("referrals:rehab-detail", file.pk)
    if request.method == "POST":
        status = 422
    return render(request, "referrals/rehab_new.html", {"title": "建立社区康复档案", "person": person, "form": form}, status=status)


def _rehab_page(request, file, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    return render(request, "referrals/rehab_detail.html", {
        "title": f"社区康复档案 {file.pk}", "f": file, "diagnosis": diagnosis_label(file),
        "services": selectors.rehab_services(request.actor, file),
        "service_form": forms.get("service") or RehabServiceForm(initial={"served_on": clock.today()}),
        "close_form": forms.get("close") or RehabCloseForm(),
    }, status=status)


@staff_view(ReferralPerm.REHAB)
def rehab_detail(request, file_id: int):
    return _rehab_page(request, access_rehab_file_by_id(request.actor, file_id))


@staff_view(ReferralPerm.REHAB)
def rehab_step(request, file_id: int, step: str):
    actor = request.actor
    file = access_rehab_file_by_id(actor, file_id)
    if request.method != "POST" or step not in ("service", "close"):
        return redirect("referrals:rehab-detail", file.pk)
    form = (RehabServiceForm if step == "service" else RehabCloseForm)(request.POST)
    if form.is_valid():
        try:
            if step == "service":
                actions.do_record_rehab_service(actor, file, **form.cleaned_data)
            else:
                actions.do_close_rehab_file(actor, file, reason=form.cleaned_data["reason"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, "已登记康复服务。" if step == "service" else "档案已结束。")
            return redirect("referrals:rehab-detail", file.pk)
    return _rehab_page(request, file, {step: form}, status=422)
