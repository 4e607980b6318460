"""Rescue's panel on the registry's person page (registry/panels.py): the person's stays at
the station (station staff), the 返乡回访 and the 防走失 entry (their village and town)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.registry.panels import PanelRow
from minzheng.rescue.selectors import rescue_records_of_person


def person_panel(actor: Actor, person) -> list[PanelRow]:
    records = rescue_records_of_person(actor, person)
    rows = [
        PanelRow(
            f"{c.number} · {c.arrived_at:%Y-%m-%d}入站 · {c.get_status_display()}",
            reverse("rescue:case-detail", args=[c.pk]),
        )
        for c in records["cases"]
    ]
    rows += [
        PanelRow(
            f"返乡回访 · {f.returned_on:%Y-%m-%d}返回 · 已回访{len(f.visits)}次" + ("（已结束）" if f.closed_on else ""),
            reverse("rescue:follow-up-detail", args=[f.pk]),
        )
        for f in records["follow_ups"]
    ]
    rows += [
        PanelRow(
            f"易流浪走失人员 · {w.registered_on:%Y-%m-%d}登记" + (f" · 已于{w.ended_on:%Y-%m-%d}移出" if w.ended_on else f" · 下次核查{w.next_check_on:%Y-%m-%d}"),
            reverse("rescue:wandering-detail", args=[w.pk]),
        )
        for w in records["wandering"]
    ]
    return rows
