"""The adoptions of a child on the children line's file (一人一档), through the section hook that
line offers (children.services.register_file_section): children does not import this line."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.adoption.selectors import adoptions_of_person
from minzheng.children.services import register_file_section


def adoption_rows(actor: Actor, person) -> list[dict]:
    """One row per adoption of the child the actor may see (a village worker sees none: adoption
    files are not the village's); no section at all when there is nothing to show."""
    rows = [
        f"{a.number}　{a.get_kind_display()}　收养人 {a.adopter.name}　{a.get_status_display()}"
        for a in adoptions_of_person(actor, person).order_by("id")
    ]
    return [{"title": "收养登记", "rows": rows}] if rows else []


def register() -> None:
    register_file_section(adoption_rows)
