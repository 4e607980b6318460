"""The registry's own next steps on person and household pages (see ``next_steps``)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.registry.next_steps import NextStep, register_next_step
from minzheng.registry.permissions import RegistryPerm

EDIT = RegistryPerm.EDIT_REGISTRY


def _deceased(person) -> str:
    return "已登记死亡" if person.is_deceased else ""


def register() -> None:
    register_next_step(NextStep(
        "registry.edit", "编辑信息", "person", lambda p: reverse("registry:person-edit", args=[p.pk]), EDIT, order=10,
        reason_not=_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.establish", "立户", "person", lambda p: reverse("registry:household-create") + f"?head={p.pk}", EDIT,
        order=20, hidden_when=lambda p: bool(p.household_id) or p.is_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.join", "加入家庭", "person", lambda p: reverse("registry:person-join", args=[p.pk]), EDIT, order=21,
        hidden_when=lambda p: bool(p.household_id) or p.is_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.death", "登记死亡", "person", lambda p: reverse("registry:person-death", args=[p.pk]), EDIT, order=90,
        hidden_when=lambda p: p.is_deceased,
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.add_member", "添加成员", "household", lambda h: reverse("registry:household-member-add", args=[h.pk]),
        EDIT, order=10,
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.split", "分户", "household", lambda h: reverse("registry:household-split", args=[h.pk]), EDIT, order=20,
        reason_not=lambda h: "" if h.member_count >= 2 else "本户只有一名成员，无需分户",
    ))  # fmt: skip
    register_next_step(NextStep(
        "registry.head", "变更户主", "household", lambda h: reverse("registry:household-head", args=[h.pk]), EDIT, order=21,
        reason_not=lambda h: "" if h.member_count >= 2 or (h.head and h.head.is_deceased) else "本户没有其他成员可任户主",
    ))  # fmt: skip
