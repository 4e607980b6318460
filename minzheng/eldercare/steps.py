"""能力评估 and 登记探访 on the registry's person page (``registry.next_steps``), for people
old enough for the elderly services (``elderly.min_age``)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.core.ages import age_on
from minzheng.core.clock import today
from minzheng.eldercare.permissions import EldercarePerm
from minzheng.registry.next_steps import NextStep, register_next_step
from minzheng.eldercare.params import ParameterNotSet, param


def _not_elder(person) -> str:
    day = today()
    try:
        min_age = param("elderly.min_age", day).value
    except ParameterNotSet:
        return ""  # the action itself will say what is missing
    if age_on(person.birth_date, day) < min_age:
        return f"未满{min_age}周岁"
    return ""


def register() -> None:
    for key, label, url_name, order in (
        ("eldercare.assess", "能力评估", "eldercare:assessment-new", 40),
        ("eldercare.visit", "登记探访", "eldercare:visit-target-new", 41),
    ):
        register_next_step(NextStep(
            key, label, "person", lambda p, u=url_name: reverse(u, args=[p.pk]), EldercarePerm.MANAGE_ELDERCARE,
            order=order, reason_not=_not_elder, hidden_when=lambda p: p.is_deceased,
        ))  # fmt: skip
