"""预约和咨询 on the citizens' site (issue 22 item 5): marriage-registration appointments in the
registry's own slots, the funeral price list and 惠民殡葬 with an enquiry, volunteer sign-up, and
群众留言. Thin: every write is a named action of the owning line (marriage, volunteers) or of
``citizen.messages``; every read goes through their selectors and services."""

from __future__ import annotations

from minzheng.citizen.forms import show_refusal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minzheng.accounts.actor import Actor
from minzheng.citizen import messages
from minzheng.citizen.enums import MessageTopic
from minzheng.citizen.forms import AppointmentForm, EnquiryForm, MessageForm, VolunteerForm
from minzheng.citizen.session import citizen_view, client_ip, signed_in_account
from minzheng.core import clock
from minzheng.core.crypto import decrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.funerals.selectors import public_price_list
from minzheng.funerals.services import waiver_information
from minzheng.marriage import actions as marriage_actions
from minzheng.marriage.selectors import appointments_of_account, slots_for_booking
from minzheng.volunteers import actions as volunteer_actions
from minzheng.volunteers.selectors import registration_of

BOOKING_DAYS = 14  # how far ahead the page lists the registry's slots (a screen choice, not policy)



# ----------------------------------------------------------------------------------------------
# 婚姻登记预约
# ----------------------------------------------------------------------------------------------


@citizen_view()
def marriage(request: HttpRequest) -> HttpResponse:
    account, person = request.account, request.account.person
    slots = slots_for_booking(days=BOOKING_DAYS)
    form = AppointmentForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        own, other = person.name, data["other_name"].strip()
        man, woman = (own, other) if person.sex == "M" else (other, own)
        try:
            marriage_actions.do_book_appointment_online(
                request.actor, data["slot"], kind=data["kind"], man_name=man, woman_name=woman, account_id=account.pk,
                phone=decrypt_text(account.phone_encrypted),
            )  # fmt: skip
        except ValidationFailed as e:
            show_refusal(form, e, {"man_name": "other_name", "woman_name": "other_name"})
        else:
            return redirect("citizen:marriage")
    rows = []
    for a in appointments_of_account(account.pk)[:20]:
        other = a.woman_name if a.man_name == person.name else a.man_name
        rows.append({
            "appointment": a, "other": mask_name(other),
            "can_cancel": a.status == "booked" and a.slot.day >= clock.today(),
        })  # fmt: skip
    context = {
        "title": "婚姻登记预约", "form": form, "rows": rows, "has_slots": bool(slots), "account": account, "person": person,
        "days": BOOKING_DAYS,
    }  # fmt: skip
    return render(request, "citizen/marriage.html", context, status=422 if form.errors else 200)


@require_POST
@citizen_view()
def marriage_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    try:
        marriage_actions.do_cancel_appointment_online(request.actor, appointment_id, account_id=request.account.pk)
    except NotFound:
        raise  # another account's or missing: the citizens' 404 page (citizen_view)
    except DomainError as e:
        return render(request, "citizen/error.html", {"title": "无法取消", "message": e.message, "account": request.account}, status=409)
    return redirect("citizen:marriage")


# ----------------------------------------------------------------------------------------------
# 殡葬服务咨询
# ----------------------------------------------------------------------------------------------


def funeral(request: HttpRequest) -> HttpResponse:
    """The filed prices and 惠民殡葬 are public; the enquiry needs a real-name account and is a
    群众留言 with the topic 殡葬 to the district."""
    account = signed_in_account(request)
    form = EnquiryForm(request.POST or None)
    if request.method == "POST":
        if account is None or account.person_id is None:
            return redirect("citizen:signin")
        if form.is_valid():
            try:
                messages.do_send_message(
                    Actor.citizen(account.pk, client_ip(request)), account, topic=MessageTopic.FUNERAL,
                    division_code=district_code(), text=form.cleaned_data["text"],
                )  # fmt: skip
            except ValidationFailed as e:
                show_refusal(form, e)
            else:
                return redirect("citizen:messages")
    today = clock.today()
    context = {
        "title": "殡葬服务", "homes": public_price_list(today), "waiver": waiver_information(today), "form": form,
        "account": account, "can_ask": account is not None and account.person_id is not None,
    }  # fmt: skip
    return render(request, "citizen/funeral.html", context, status=422 if form.errors else 200)


# ----------------------------------------------------------------------------------------------
# 志愿者注册
# ----------------------------------------------------------------------------------------------


@citizen_view()
def volunteer(request: HttpRequest) -> HttpResponse:
    person = request.account.person
    registration = registration_of(person)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and registration is None and form.is_valid():
        try:
            volunteer_actions.do_register_volunteer_online(request.actor, person=person, **form.cleaned_data)
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            return redirect("citizen:volunteer")
    context = {"title": "志愿者注册", "registration": registration, "form": form, "account": request.account}
    return render(request, "citizen/volunteer.html", context, status=422 if form.errors else 200)


# ----------------------------------------------------------------------------------------------
# 群众留言
# ----------------------------------------------------------------------------------------------


@citizen_view()
def message_list(request: HttpRequest) -> HttpResponse:
    account = request.account
    form = MessageForm(request.POST or None, topics=MessageTopic.choices, divisions=messages.division_choices())
    if request.method == "POST" and form.is_valid():
        try:
            messages.do_send_message(request.actor, account, **form.cleaned_data)
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            return redirect("citizen:messages")
    days, _ = messages.answer_working_days(clock.today())
    context = {
        "title": "我的留言", "rows": list(messages.messages_of_account(account)[:50]), "form": form, "account": account,
        "answer_days": days, "today": clock.today(),
    }  # fmt: skip
    return render(request, "citizen/messages.html", context, status=422 if form.errors else 200)
