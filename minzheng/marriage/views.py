"""The registry's screens (desktop counter; the booking list also at 390 px): thin views over
selectors, access functions and actions. IDs masked; every record view audited."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.cases.workflow import next_step_hint
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.query_params import query_date
from minzheng.core.xlsx import Column, write_export
from minzheng.marriage import actions, documents, selectors
from minzheng.marriage.access import (
    access_amendment_by_id,
    access_appointment_by_id,
    access_divorce_by_id,
    access_marriage_by_id,
    access_office_by_id,
    access_referral_by_id,
    access_slot_by_id,
)
from minzheng.marriage.enums import (
    AmendmentKind,
    AmendmentStatus,
    DivorceStatus,
    MarriageStatus,
)
from minzheng.marriage.forms import (
    AmendmentForm,
    BookingForm,
    DivorceForm,
    DivorceRegisterForm,
    DocumentForm,
    EmptyForm,
    HouseholdChangeForm,
    MarriageForm,
    OpinionForm,
    OutcomeForm,
    ReasonForm,
    SessionForm,
    SlotsForm,
    WithdrawForm,
)
from minzheng.marriage.indicators import share_of
from minzheng.marriage.permissions import MarriagePerm as P
from minzheng.marriage.services import divorce_calendar, evaluate
from minzheng.marriage.workflow import AMENDMENT, DIVORCE, MARRIAGE
from minzheng.registry.enums import JoinRequestSource
from minzheng.registry.picker import bind_person_pickers
from minzheng.registry.selectors import join_requests_of_source
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response
from minzheng.web.form_errors import apply_domain_error, posted_version


def _can_write(actor) -> bool:
    return actor.has(P.REGISTER_MARRIAGE) and actor.level == "district"


@staff_view(P.VIEW_MARRIAGE_STATS)
def home(request):
    actor = request.actor
    today = clock.today()
    year = today.year
    stats = selectors.statistics(actor, dt.date(year, 1, 1), dt.date(year, 12, 31))
    context = {"title": "婚姻登记", "year": year, "stats": stats, "share": share_of(str(year), stats),
               "can_view": actor.has(P.VIEW_MARRIAGE), "can_write": _can_write(actor)}  # fmt: skip
    if actor.has(P.VIEW_MARRIAGE):
        context["counter"] = selectors.counter_list(actor, today)
        context["open_divorces"] = selectors.list_divorces_for(actor, status="open")[:20]
    return render(request, "marriage/home.html", context)


@staff_view(P.VIEW_MARRIAGE_STATS)
def stats(request):
    actor = request.actor
    try:
        year = int(request.GET.get("year") or clock.today().year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = clock.today().year
    data = selectors.statistics(actor, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return render(request, "marriage/stats.html", {
        "title": f"婚姻登记统计（{year}年）", "year": year, "stats": data, "monthly": selectors.monthly_counts(actor, year),
        "share": share_of(str(year), data),
    })  # fmt: skip


# --- 预约 --------------------------------------------------------------------------------------------


@staff_view(P.VIEW_MARRIAGE)
def appointments(request):
    """The booking list (free seats from today) with the booking form; works at 390 px."""
    actor = request.actor
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _can_write(actor):
            return render(request, "web/error.html", {"title": "无权办理", "message": "您的角色无权办理婚姻登记预约"}, status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                slot = access_slot_by_id(actor, d["slot"])
                a = actions.do_book_appointment(actor, slot, kind=d["kind"], man_name=d["man_name"], woman_name=d["woman_name"], phone=d["phone"])
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"已预约，预约号 {a.number}（{a.slot.day:%Y-%m-%d} {a.slot.starts_at:%H:%M}）。")
                return redirect("marriage:appointments")
        status = 400
    slots = selectors.list_slots_for(actor, from_day=clock.today())[:120]
    return render(request, "marriage/appointments.html", {
        "title": "婚姻登记预约", "slots": slots, "form": form, "can_write": _can_write(actor),
        "upcoming": selectors.list_appointments_for(actor, from_day=clock.today()).exclude(status="cancelled")[:100],
    }, status=status)  # fmt: skip


@staff_view(P.REGISTER_MARRIAGE)
def slots_open(request):
    actor = request.actor
    form = SlotsForm(request.POST or None)
    form.fields["office"].choices = [("", "请选择")] + [(o.pk, o.name) for o in selectors.list_offices_for(actor)]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        times = []
        try:
            for part in d["times"].replace("，", ",").split(","):
                start, end = part.strip().split("-")
                times.append((dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())))
        except ValueError:
            form.add_error("times", "时段格式应为 09:00-10:00，多个时段用逗号分隔")
        else:
            try:
                office = access_office_by_id(actor, d["office"])
                slots = actions.do_open_slots(actor, office, day=d["day"], times=times, capacity=d["capacity"])
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, f"已开放{len(slots)}个预约时段。")
                return redirect("marriage:appointments")
    return render(request, "marriage/form.html", {"title": "开放预约时段", "form": form, "submit": "开放预约"}, status=400 if form.errors else 200)


@staff_view(P.VIEW_MARRIAGE)
def counter(request):
    actor = request.actor
    try:
        day = dt.date.fromisoformat(request.GET.get("day") or "") 
    except ValueError:
        day = clock.today()
    return render(request, "marriage/counter.html", {"title": f"当日预约名单（{day:%Y-%m-%d}）", "day": day,
                                                      "rows": selectors.counter_list(actor, day), "can_write": _can_write(actor)})  # fmt: skip


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def appointment_action(request, appointment_id: int, step: str):
    actor = request.actor
    appointment = access_appointment_by_id(actor, appointment_id)
    try:
        if step == "cancel":
            actions.do_cancel_appointment(actor, appointment)
            messages.success(request, f"已取消预约 {appointment.number}。")
        elif step == "arrived":
            actions.do_mark_arrived(actor, appointment)
            messages.success(request, f"{appointment.number} 已到场。")
        else:
            return render(request, "web/error.html", {"title": "页面不存在", "message": "未知的办理步骤"}, status=404)
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/marriage/") else "marriage:counter")


# --- 结婚登记 ------------------------------------------------------------------------------------------


@staff_view(P.VIEW_MARRIAGE)
def marriage_list(request):
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()
    rows = selectors.list_marriages_for(request.actor, status=status if status in MarriageStatus.values else None, q=q)[:200]
    return render(request, "marriage/marriage_list.html", {"title": "结婚登记", "rows": rows, "statuses": MarriageStatus.choices,
                                                           "status": status, "q": q, "can_write": _can_write(request.actor)})  # fmt: skip


def _party(d, side):
    person = d.get(f"{side}_person")
    return actions.PartyInput(person_id=person.pk if person else None, name=d.get(f"{side}_name", ""), id_number=d.get(f"{side}_id_number", ""))


_PARTY_ALIASES = {"man_person": "man_person", "woman_person": "woman_person"}


@staff_view(P.REGISTER_MARRIAGE)
def marriage_new(request):
    actor = request.actor
    initial = {"appointment": request.GET.get("appointment")} if request.GET.get("appointment", "").isdigit() else None
    form = bind_person_pickers(MarriageForm(request.POST or None, initial=initial), actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            m = actions.do_apply_marriage(actor, actions.MarriageInput(
                man=_party(d, "man"), woman=_party(d, "woman"), man_prior=d["man_prior"], woman_prior=d["woman_prior"],
                both_present=d["both_present"], voluntary=d["voluntary"], declaration_signed=d["declaration_signed"],
                no_prohibited_relation=d["no_prohibited_relation"], ceremony=d["ceremony"], appointment_id=d.get("appointment"),
            ))  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已受理结婚登记申请，编号 {m.number}。")
            return redirect("marriage:marriage-detail", m.pk)
    return render(request, "marriage/form.html", {"title": "结婚登记申请", "form": form, "submit": "受理申请",
                                                  "note": "在册人员请在人员选择框中查找；非本区在册人员填写姓名和身份证号码。"}, status=400 if form.errors else 200)  # fmt: skip


MARRIAGE_FORMS = {"register": EmptyForm, "refuse": OpinionForm}


def _marriage_page(request, m, forms=None, status=200):
    actor = request.actor
    allowed = [t.action for t in MARRIAGE.allowed(actor, m)] if _can_write(actor) else []
    forms = forms or {}
    conditions = m.conditions or ([c.as_dict() for c in evaluate(m, clock.today())] if m.status == MarriageStatus.APPLIED else [])
    join_requests = list(join_requests_of_source(JoinRequestSource.MARRIAGE, m.pk))
    return render(request, "marriage/marriage_detail.html", {
        "title": f"结婚登记 {m.number}", "m": m, "hint": next_step_hint(MARRIAGE, m), "conditions": conditions,
        "history": selectors.marriage_history(actor, m), "can_write": _can_write(actor),
        "step_forms": {a: forms.get(a) or MARRIAGE_FORMS[a]() for a in dict.fromkeys(allowed)},
        "step_labels": {t.action: t.label for t in MARRIAGE.transitions},
        "divorces": m.divorces.all(), "amendments": m.amendments.all(),
        "join_requests": join_requests,
        "household_pending": any(j.status == "pending" for j in join_requests),
        "household_form": forms.get("household") or HouseholdChangeForm(),
    }, status=status)  # fmt: skip


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def marriage_household_change(request, marriage_id: int):
    """家庭户变更 at the couple's request: sent to the household's village as a 待办."""
    actor = request.actor
    m = access_marriage_by_id(actor, marriage_id, audit=False)
    form = HouseholdChangeForm(request.POST)
    if form.is_valid():
        try:
            join = actions.do_request_household_change(actor, m, expected_version=posted_version(request), **form.cleaned_data)
            messages.success(request, f"已转迁入家庭所在村（社区）办理：{join.person.name}加入{join.household.label}。")
            return redirect("marriage:marriage-detail", m.pk)
        except DomainError as e:
            apply_domain_error(form, e)
    return _marriage_page(request, m, {"household": form}, status=400)


@staff_view(P.VIEW_MARRIAGE)
def marriage_detail(request, marriage_id: int):
    return _marriage_page(request, access_marriage_by_id(request.actor, marriage_id))


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def marriage_step(request, marriage_id: int, step: str):
    actor = request.actor
    m = access_marriage_by_id(actor, marriage_id, audit=False)
    if step not in MARRIAGE_FORMS:
        return render(request, "web/error.html", {"title": "页面不存在", "message": "未知的办理步骤"}, status=404)
    form = MARRIAGE_FORMS[step](request.POST)
    if form.is_valid():
        try:
            if step == "register":
                m = actions.do_register_marriage(actor, m, expected_version=posted_version(request))
                messages.success(request, f"已登记，结婚证字号 {m.certificate_number}。")
            else:
                actions.do_refuse_marriage(actor, m, expected_version=posted_version(request), opinion=form.cleaned_data["opinion"])
                messages.success(request, "已作出不予登记决定。")
            return redirect("marriage:marriage-detail", m.pk)
        except DomainError as e:
            apply_domain_error(form, e)
    return _marriage_page(request, m, {step: form}, status=400)


@staff_view(P.VIEW_MARRIAGE)
def marriage_certificate(request, marriage_id: int):
    m = access_marriage_by_id(request.actor, marriage_id, audit=False)
    try:
        pdf = documents.certificate_pdf(request.actor, m)
    except DomainError as e:
        return render(request, "web/error.html", {"title": "不能打印", "message": e.message}, status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{m.number}.pdf"'
    return response


# --- 离婚登记 ------------------------------------------------------------------------------------------


@staff_view(P.VIEW_MARRIAGE)
def divorce_list(request):
    status = request.GET.get("status", "")
    rows = selectors.list_divorces_for(request.actor, status=status if status in (*DivorceStatus.values, "open") else None)[:200]
    return render(request, "marriage/divorce_list.html", {"title": "离婚登记", "rows": rows, "statuses": DivorceStatus.choices,
                                                          "status": status, "can_write": _can_write(request.actor)})  # fmt: skip


@staff_view(P.REGISTER_MARRIAGE)
def divorce_new(request):
    actor = request.actor
    initial = {"marriage": request.GET.get("marriage")} if request.GET.get("marriage", "").isdigit() else None
    form = bind_person_pickers(DivorceForm(request.POST or None, initial=initial), actor)
    marriage = None
    marriage_id = (request.POST or request.GET).get("marriage")
    if marriage_id and str(marriage_id).isdigit():
        marriage = access_marriage_by_id(actor, marriage_id, audit=False)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            divorce = actions.do_apply_divorce(actor, actions.DivorceInput(
                agreement_children=d["agreement_children"], agreement_property=d["agreement_property"], agreement_debts=d["agreement_debts"],
                marriage_id=d.get("marriage"), marriage_certificate=d["marriage_certificate"],
                man=_party(d, "man"), woman=_party(d, "woman"), refer_counselling=d["refer_counselling"],
            ))  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记离婚申请，编号 {divorce.number}。")
            return redirect("marriage:divorce-detail", divorce.pk)
    if marriage is not None:
        for name in ("marriage_certificate", "man_person", "man_name", "man_id_number", "woman_person", "woman_name", "woman_id_number"):
            form.fields.pop(name, None)
    return render(request, "marriage/form.html", {
        "title": "离婚登记申请", "form": form, "submit": "登记申请",
        "note": f"本处结婚登记 {marriage.number}：{marriage.man_name}、{marriage.woman_name}" if marriage else "外地登记的婚姻：填写结婚证字号和双方身份信息。",
    }, status=400 if form.errors else 200)  # fmt: skip


DIVORCE_FORMS = {"accept": EmptyForm, "not_accept": ReasonForm, "withdraw": WithdrawForm, "register": DivorceRegisterForm, "refuse": ReasonForm}


def _divorce_page(request, d, forms=None, status=200):
    actor = request.actor
    forms = forms or {}
    allowed = []
    if _can_write(actor):
        allowed = [t.action for t in DIVORCE.allowed(actor, d) if t.action in DIVORCE_FORMS]
        if d.status == DivorceStatus.ACCEPTED and clock.today() > d.cooling_end_on:
            allowed = ["register", "refuse"]
    referral = getattr(d, "referral", None) if hasattr(d, "referral") else None
    return render(request, "marriage/divorce_detail.html", {
        "title": f"离婚登记 {d.number}", "d": d, "hint": next_step_hint(DIVORCE, d), "history": selectors.divorce_history(actor, d),
        "step_forms": {a: forms.get(a) or DIVORCE_FORMS[a]() for a in dict.fromkeys(allowed)},
        "step_labels": {t.action: t.label for t in DIVORCE.transitions}, "referral": referral,
        "outcome_form": forms.get("outcome") or OutcomeForm(), "can_write": _can_write(actor),
        "calendar": divorce_calendar(clock.today()) if d.status == DivorceStatus.APPLIED else None,
    }, status=status)  # fmt: skip


@staff_view(P.VIEW_MARRIAGE)
def divorce_detail(request, divorce_id: int):
    return _divorce_page(request, access_divorce_by_id(request.actor, divorce_id))


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def divorce_step(request, divorce_id: int, step: str):
    actor = request.actor
    d = access_divorce_by_id(actor, divorce_id, audit=False)
    if step not in DIVORCE_FORMS:
        return render(request, "web/error.html", {"title": "页面不存在", "message": "未知的办理步骤"}, status=404)
    form = DIVORCE_FORMS[step](request.POST)
    if form.is_valid():
        v, c = posted_version(request), form.cleaned_data
        try:
            if step == "accept":
                actions.do_accept_divorce(actor, d, expected_version=v)
            elif step == "not_accept":
                actions.do_not_accept_divorce(actor, d, expected_version=v, reason=c["reason"])
            elif step == "withdraw":
                actions.do_withdraw_divorce(actor, d, expected_version=v, party=c["party"])
            elif step == "register":
                actions.do_register_divorce(actor, d, expected_version=v, both_present=c["both_present"])
            else:
                actions.do_refuse_divorce(actor, d, expected_version=v, reason=c["reason"])
            messages.success(request, "已办理。")
            return redirect("marriage:divorce-detail", d.pk)
        except DomainError as e:
            apply_domain_error(form, e)
    return _divorce_page(request, d, {step: form}, status=400)


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def divorce_refer(request, divorce_id: int):
    d = access_divorce_by_id(request.actor, divorce_id, audit=False)
    try:
        actions.do_refer_counselling(request.actor, d)
        messages.success(request, "已转介婚姻家庭辅导。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("marriage:divorce-detail", d.pk)


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def referral_outcome(request, referral_id: int):
    actor = request.actor
    referral = access_referral_by_id(actor, referral_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            actions.do_close_referral(actor, referral, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            messages.success(request, "已登记辅导结果。")
            return redirect("marriage:divorce-detail", referral.divorce_id)
        except DomainError as e:
            apply_domain_error(form, e)
    return _divorce_page(request, access_divorce_by_id(actor, referral.divorce_id, audit=False), {"outcome": form}, status=400)


# --- 补领、更正、撤销、判决 -------------------------------------------------------------------------


@staff_view(P.VIEW_MARRIAGE)
def amendment_list(request):
    kind = request.GET.get("kind", "")
    rows = selectors.list_amendments_for(request.actor, kind=kind if kind in AmendmentKind.values else None)[:200]
    return render(request, "marriage/amendment_list.html", {"title": "证件与更正案件", "rows": rows, "kinds": AmendmentKind.choices, "kind": kind})


@staff_view(P.REGISTER_MARRIAGE)
def amendment_new(request):
    actor = request.actor
    initial = {k: request.GET.get(k) for k in ("marriage", "kind") if request.GET.get(k)}
    form = AmendmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            a = actions.do_open_amendment(actor, actions.AmendmentInput(
                kind=d["kind"], marriage_id=d["marriage"], applicant=d["applicant"], certificate_kind=d["certificate_kind"],
                basis=d["basis"], authority=d["authority"], document_number=d["document_number"], judgment_kind=d["judgment_kind"],
                effective_on=d["effective_on"], correction_field=d["correction_field"], new_value=d["new_value"],
                description=d["description"], documents=tuple(d["documents"]),
            ))  # fmt: skip
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, f"已登记案件 {a.number}。")
            return redirect("marriage:amendment-detail", a.pk)
    return render(request, "marriage/form.html", {"title": "证件与更正案件", "form": form, "submit": "登记案件"}, status=400 if form.errors else 200)


AMENDMENT_FORMS = {"notify": EmptyForm, "decide": EmptyForm, "refuse": ReasonForm}


def _amendment_page(request, a, forms=None, status=200):
    actor = request.actor
    forms = forms or {}
    allowed = [t.action for t in AMENDMENT.allowed(actor, a)] if _can_write(actor) else []
    if a.kind != AmendmentKind.CANCELLATION:
        allowed = [x for x in allowed if x != "notify"]
    elif a.status == AmendmentStatus.APPLIED:
        allowed = [x for x in allowed if x != "decide"]
    labels = {t.action: t.label for t in AMENDMENT.transitions if t.source == a.status}
    return render(request, "marriage/amendment_detail.html", {
        "title": f"{a.get_kind_display()} {a.number}", "a": a, "history": selectors.amendment_history(actor, a),
        "documents": selectors.documents_of(actor, a), "can_write": _can_write(actor),
        "document_form": forms.get("document") or DocumentForm(prefix="doc"),
        "step_forms": {x: forms.get(x) or AMENDMENT_FORMS[x]() for x in dict.fromkeys(allowed)}, "step_labels": labels,
    }, status=status)  # fmt: skip


@staff_view(P.VIEW_MARRIAGE)
def amendment_detail(request, amendment_id: int):
    return _amendment_page(request, access_amendment_by_id(request.actor, amendment_id))


@require_POST
@staff_view(P.REGISTER_MARRIAGE)
def amendment_step(request, amendment_id: int, step: str):
    actor = request.actor
    a = access_amendment_by_id(actor, amendment_id, audit=False)
    if step == "document":
        form = DocumentForm(request.POST, prefix="doc")
        if form.is_valid():
            try:
                actions.do_add_amendment_document(actor, a, kind=form.cleaned_data["kind"], reference=form.cleaned_data["reference"])
                return redirect("marriage:amendment-detail", a.pk)
            except DomainError as e:
                apply_domain_error(form, e)
        return _amendment_page(request, a, {"document": form}, status=400)
    if step in ("serve", "archive"):
        try:
            actions.do_close_amendment_step(actor, a, expected_version=posted_version(request), step=step)
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("marriage:amendment-detail", a.pk)
    if step not in AMENDMENT_FORMS:
        return render(request, "web/error.html", {"title": "页面不存在", "message": "未知的办理步骤"}, status=404)
    form = AMENDMENT_FORMS[step](request.POST)
    if form.is_valid():
        v = posted_version(request)
        try:
            if step == "notify":
                actions.do_notify_amendment(actor, a, expected_version=v)
            elif step == "decide":
                actions.do_decide_amendment(actor, a, expected_version=v)
            else:
                actions.do_refuse_amendment(actor, a, expected_version=v, reason=form.cleaned_data["reason"])
            messages.success(request, "已办理。")
            return redirect("marriage:amendment-detail", a.pk)
        except DomainError as e:
            apply_domain_error(form, e)
    return _amendment_page(request, a, {step: form}, status=400)


# --- 婚姻家庭辅导 ------------------------------------------------------------------------------------


@staff_view(P.VIEW_MARRIAGE)
def counselling(request):
    actor = request.actor
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if not _can_write(actor):
            return render(request, "web/error.html", {"title": "无权办理", "message": "您的角色无权登记辅导服务记录"}, status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_record_session(actor, held_on=d["held_on"], kind=d["kind"], people=d["people"], counsellor=d["counsellor"], topic=d["topic"])
                messages.success(request, "已登记服务记录。")
                return redirect("marriage:counselling")
            except DomainError as e:
                apply_domain_error(form, e)
    return render(request, "marriage/counselling.html", {
        "title": "婚姻家庭辅导", "form": form, "can_write": _can_write(actor),
        "referrals": selectors.referrals_for(actor)[:100], "sessions": selectors.sessions_for(actor)[:100],
    }, status=400 if form.errors else 200)  # fmt: skip


REGISTER_COLUMNS = [
    Column("登记日期", "date", 12), Column("事项", width=10), Column("证件字号", width=22), Column("男方", width=10),
    Column("男方身份证号码", width=20), Column("女方", width=10), Column("女方身份证号码", width=20), Column("跨省通办", width=10),
]  # fmt: skip


def _register_range(request) -> tuple[dt.date, dt.date]:
    """The 登记日志's dates: ``from``/``to`` (this month so far by default); ValidationFailed
    naming the field for a date that is not one or a range that runs backwards."""
    today = clock.today()
    start = query_date(request.GET.get("from"), field="from", label="开始日期") or today.replace(day=1)
    end = query_date(request.GET.get("to"), field="to", label="结束日期") or today
    if start > end:
        raise ValidationFailed({"to": "结束日期不能早于开始日期"})
    return start, end


@staff_view(P.VIEW_MARRIAGE)
def register_export(request):
    """婚姻登记日志 (xlsx): the registrar's register of the days asked for, IDs masked, audited."""
    actor = request.actor
    start, end = _register_range(request)
    rows = selectors.register_between(actor, start, end)
    content, count = write_export(REGISTER_COLUMNS, rows, sheet_name="婚姻登记日志", empty_note="所选日期内没有婚姻登记")
    record_audit_event(actor, AuditAction.EXPORT, object_type="marriage", division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
                       summary=f"导出婚姻登记日志 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}，{count} 条")  # fmt: skip
    return xlsx_response(content, f"婚姻登记日志_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
