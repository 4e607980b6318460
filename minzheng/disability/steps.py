"""申请两项补贴 on the registry's person page (``registry.next_steps``), for a living person."""

from __future__ import annotations

from django.urls import reverse

from minzheng.disability.permissions import DisabilityPerm
from minzheng.registry.next_steps import NextStep, register_next_step


def register() -> None:
    register_next_step(NextStep(
        "disability.apply", "申请两项补贴", "person",
        lambda p: f"{reverse('disability:application-new')}?person={p.pk}", DisabilityPerm.REGISTER_SUBSIDY,
        order=30, hidden_when=lambda p: p.is_deceased,
    ))  # fmt: skip
