"""申请救助 on the registry's person and household pages (``registry.next_steps``): the
application form with the applicant already chosen."""

from __future__ import annotations

from django.urls import reverse

from minzheng.assistance.permissions import AssistancePerm
from minzheng.registry.next_steps import NextStep, register_next_step


def _apply(person_id: int, program: str = "") -> str:
    url = reverse("assistance:application-create") + f"?applicant={person_id}"
    return url + (f"&program={program}" if program else "")


def _head_missing(household) -> str:
    if not household.head_id or household.head.is_deceased:
        return "户主已死亡或未设户主，请先变更户主"
    return ""


def register() -> None:
    register_next_step(NextStep(
        "assistance.apply", "申请救助", "person", lambda p: _apply(p.pk), AssistancePerm.ACCEPT_APPLICATION, order=30,
        hidden_when=lambda p: p.is_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "assistance.apply_dibao", "申请低保", "household", lambda h: _apply(h.head_id, "dibao"),
        AssistancePerm.ACCEPT_APPLICATION, order=30, reason_not=_head_missing,
    ))  # fmt: skip
