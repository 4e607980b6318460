"""Marital status on the registry's person page (registry/panels.py): the person's marriages in
our records, the spouse (a link to the spouse's page when the spouse is in the registry) and
how each ended. Only users holding the line's view permission see the panel."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.marriage.permissions import MarriagePerm
from minzheng.marriage.selectors import marriages_of_person
from minzheng.registry.panels import PanelRow, PersonPanel, register_person_panel


def marital_status(actor: Actor, person) -> str:
    marriages = marriages_of_person(actor, person)
    if any(m.ended_on is None for m in marriages):
        return "已婚"
    return "离婚或婚姻关系已终止" if marriages else ""


def rows(actor: Actor, person) -> list[PanelRow]:
    out = []
    marriages = marriages_of_person(actor, person)
    if not marriages:
        return out
    out.append(PanelRow(f"婚姻状况（本处登记）：{marital_status(actor, person)}"))
    for m in marriages:
        is_man = m.man_id_index == person.id_number_index
        spouse_name = m.woman_name if is_man else m.man_name
        state = "有效" if m.ended_on is None else f"{m.ended_on:%Y-%m-%d}{m.get_end_kind_display()}"
        out.append(PanelRow(f"{m.registered_on:%Y-%m-%d}结婚登记 {m.certificate_number}（{state}）", reverse("marriage:marriage-detail", args=[m.pk])))
        spouse = m.woman_person if is_man else m.man_person
        if spouse is not None:
            out.append(PanelRow(f"配偶：{spouse_name}", reverse("registry:person-detail", args=[spouse.pk])))
        else:
            out.append(PanelRow(f"配偶：{spouse_name}（非本区在册人员）"))
    return out


def register() -> None:
    register_person_panel(PersonPanel(key="marriage", title="婚姻登记", rows=rows, perm=MarriagePerm.VIEW_MARRIAGE, order=40))
