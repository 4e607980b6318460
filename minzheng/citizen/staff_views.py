"""Staff pages of the citizens' messages (群众留言, 殡葬服务咨询): the list of a town's or the
district's messages of their topics, and one message with the answer form. Thin: the reads and
the answer are ``citizen.messages``'. Served by the staff site only (config.urls), never by the
citizens' site."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render

from minzheng.citizen import messages
from minzheng.core import clock
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.web.decorators import staff_view


@staff_view()
def message_list(request):
    if not messages.topics_of(request.actor):
        raise PermissionDenied()
    waiting = list(messages.messages_for(request.actor, answered=False)[:200])
    answered = list(messages.messages_for(request.actor, answered=True)[:50])
    context = {"title": "群众留言", "waiting": waiting, "answered": answered, "today": clock.today()}
    return render(request, "citizen/staff/messages.html", context)


@staff_view()
def message_detail(request, message_id: int):
    item = messages.access_message_by_id(request.actor, message_id)
    error = ""
    if request.method == "POST":
        try:
            messages.do_answer_message(request.actor, item.pk, answer=request.POST.get("answer", ""))
        except ValidationFailed as e:
            error = next(iter(e.errors.values()))
        except DomainError as e:
            error = e.message
        else:
            flash.success(request, "已答复，群众将收到短信提醒。")
            return redirect("citizen_staff:message", item.pk)
    context = {
        "title": f"群众留言 {item.number}", "item": item, "error": error, "today": clock.today(),
        "phone_masked": item.account.phone_masked, "current_division_code": item.division_code,
    }  # fmt: skip
    return render(request, "citizen/staff/message.html", context, status=422 if error else 200)
