"""What other lines know of a person, shown on the registry's person page (救助管理: the
person's stays at the rescue station, 返乡回访, 防走失 …).

The registry is below the service lines, so it does not know their records: each line
registers a panel (``register_person_panel``, from its ``AppConfig.ready``). The page asks
``person_panels(actor, person)``: for every panel whose permission the user holds, the line's
``rows(actor, person)`` — short Chinese lines, each with an optional link, read by the line
through its own scoped selectors — and shows the panels that have rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from minzheng.accounts.actor import Actor


@dataclass(frozen=True)
class PanelRow:
    text: str
    url: str = ""


@dataclass(frozen=True)
class PersonPanel:
    key: str  # unique, e.g. "rescue"
    title: str  # the panel's heading, e.g. "救助管理"
    rows: Callable[[Actor, object], list[PanelRow]]  # the person's records this user may see
    perm: StrEnum | None = None  # who sees the panel at all (None: everyone who sees the page)
    order: int = 100


_panels: dict[str, PersonPanel] = {}


def register_person_panel(panel: PersonPanel) -> None:
    _panels[panel.key] = panel


def person_panels(actor: Actor, person: object) -> list[dict]:
    """[{key, title, rows}] of the panels with rows for this user, in order."""
    out = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if panel.perm is not None and not actor.has(panel.perm):
            continue
        rows = panel.rows(actor, person)
        if rows:
            out.append({"key": panel.key, "title": panel.title, "rows": rows})
    return out
