"""The volunteer panel on the registry's person page: the person as a volunteer, their service
requests, and the action to raise one (from the elderly person's or the child's file, or a
三留守 visit — the registry's panel hook, so no other line's screens are touched)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.registry.panels import PanelRow
from minzheng.volunteers import selectors
from minzheng.volunteers.permissions import VolunteerPerm


def person_rows(actor: Actor, person) -> list[PanelRow]:
    rows: list[PanelRow] = []
    volunteer = selectors.volunteer_of(actor, person)
    if volunteer is not None:
        total = selectors.total_hours_of(volunteer) or 0
        rows.append(PanelRow(f"注册志愿者，累计服务{total}小时", reverse("volunteers:volunteer-detail", args=[volunteer.pk])))
    for req in selectors.requests_of(actor, person)[:5]:
        rows.append(PanelRow(f"服务需求（{req.get_source_display()}）：{req.need}，{req.get_status_display()}",
                             reverse("volunteers:request-detail", args=[req.pk])))  # fmt: skip
    if actor.has(VolunteerPerm.MANAGE_VOLUNTEERS) and actor.covers(person.division_code or "") and not person.is_deceased:
        rows.append(PanelRow("发起志愿服务需求", reverse("volunteers:request-new", args=[person.pk])))
        if volunteer is None:
            rows.append(PanelRow("登记为志愿者", reverse("volunteers:volunteer-new") + f"?person={person.pk}"))
    return rows
