"""Deciding a death report from the person page (ADR 0004); the task page of active discovery
and the API call the same two actions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minzheng.accounts.permissions import Perm
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.registry.access import access_death_report_by_id
from minzheng.registry.actions import do_confirm_death_report, do_refute_death_report
from minzheng.web.decorators import staff_view


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _back(request, report):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("registry:person-detail", args=[report.person_id]))


def _decide(request, report_id: int, step):
    report = access_death_report_by_id(request.actor, report_id)  # 404 outside the user's scope
    try:
        step(report)
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    except DomainError as e:
        messages.error(request, e.message)
    return _back(request, report)


@require_POST
@staff_view(Perm.EDIT_REGISTRY)
def confirm(request, report_id: int):
    def step(report):
        do_confirm_death_report(request.actor, report, expected_version=_version(request), note=request.POST.get("note", ""))
        messages.success(request, "已确认死亡：人员库已登记死亡，救助自死亡次月起停发。")

    return _decide(request, report_id, step)


@require_POST
@staff_view(Perm.EDIT_REGISTRY)
def refute(request, report_id: int):
    def step(report):
        do_refute_death_report(request.actor, report, reason=request.POST.get("reason", ""), expected_version=_version(request))
        messages.success(request, "已核实有误：已恢复发放，暂停期间的月份将在下次发放时补发。")

    return _decide(request, report_id, step)
