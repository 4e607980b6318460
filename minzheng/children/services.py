"""What other lines (adoption first) may call on the children line besides its lists and
writes:

- ``register_file_section(hook)``: add a section to the child's file (一人一档) without this
  line importing the caller. ``hook(actor, person) -> list[{"title": str, "rows": [str]}]``
  reads through the caller's own scoped selectors; register it from the caller's ready().
- ``child_facts(actor, person)``: the child's standing with this line — a live recognition
  (category, placement, number), the current institution stay — for checks such as the
  adoption conditions (an orphan, a child in an institution). Scoped: a child outside the
  actor's divisions has no facts here (the caller reads the person through registry access).

Ending a child's recognition or discharging a child after an adoption is registered goes
through ``actions.do_end_recognition(…, end_reason=EndReason.ADOPTED)`` and
``actions.do_discharge_child(…, reason=DischargeReason.ADOPTED)``.
"""

from __future__ import annotations

from collections.abc import Callable

from minzheng.accounts.actor import Actor
from minzheng.children.enums import Status
from minzheng.children.selectors import list_recognitions_for, list_residents_for

FileSection = dict
_SECTION_HOOKS: list[Callable[[Actor, object], list[FileSection]]] = []


def register_file_section(hook: Callable[[Actor, object], list[FileSection]]) -> None:
    if hook not in _SECTION_HOOKS:
        _SECTION_HOOKS.append(hook)


def file_sections(actor: Actor, person) -> list[FileSection]:
    return [section for hook in _SECTION_HOOKS for section in (hook(actor, person) or [])]


def child_facts(actor: Actor, person) -> dict:
    live = list_recognitions_for(actor, status=Status.RECOGNISED).filter(person_id=person.pk).first()
    stay = list_residents_for(actor).filter(person_id=person.pk).first()
    return {
        "recognition": None if live is None else {
            "number": live.number, "category": live.category, "category_label": live.get_category_display(),
            "placement": live.placement, "id": live.pk,
        },
        "institution": None if stay is None else {
            "name": stay.institution.name, "resident_id": stay.pk, "admitted_on": stay.admitted_on,
        },
    }
