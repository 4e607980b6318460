"""专项救助转介 on the registry's household and person pages, and 社区康复档案 on the person
page for the rehabilitation staff (``registry.next_steps``)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.referrals.permissions import ReferralPerm
from minzheng.registry.next_steps import NextStep, register_next_step


def register_steps() -> None:
    register_next_step(NextStep(
        "referrals.household", "专项救助转介", "household",
        lambda h: reverse("referrals:new") + f"?household={h.pk}", ReferralPerm.REFER, order=60,
    ))  # fmt: skip
    register_next_step(NextStep(
        "referrals.person", "专项救助转介", "person",
        lambda p: reverse("referrals:new") + f"?person={p.pk}", ReferralPerm.REFER, order=60,
        hidden_when=lambda p: p.is_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "referrals.rehab", "社区康复档案", "person",
        lambda p: reverse("referrals:rehab-new") + f"?person={p.pk}", ReferralPerm.REHAB, order=61,
        hidden_when=lambda p: p.is_deceased,
    ))  # fmt: skip
