"""认定低收入家庭 on the registry's household page (``registry.next_steps``): the recognition
form with the household already chosen."""

from __future__ import annotations

from django.urls import reverse

from minzheng.lowincome.permissions import LowIncomePerm
from minzheng.registry.next_steps import NextStep, register_next_step


def register() -> None:
    register_next_step(NextStep(
        "lowincome.recognise", "认定低收入家庭", "household",
        lambda h: reverse("lowincome:recognition-new") + f"?household={h.pk}",
        LowIncomePerm.REGISTER_LOW_INCOME, order=40,
    ))  # fmt: skip
