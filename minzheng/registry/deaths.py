"""What each service line does when a department reports a death (ADR 0004).

The registry owns the death report and its three actions (``registry.actions``:
``do_report_death``, ``do_confirm_death_report``, ``do_refute_death_report``). It sits below
the service lines, so it cannot call them: each line registers one ``DeathHandler`` (in its
``AppConfig.ready``) saying what it does on report, on confirmation and on refutation. The
actions call every handler in ``order``, in their own transaction, with their own actor, and
keep the lines' one-line descriptions of what they did in ``DeathReport.effects``.

No Django signals: the list of handlers is explicit, ordered, and a handler's failure fails
the action (nothing half-done).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from minzheng.accounts.actor import Actor

# A step receives the actor and the report (with ``person`` loaded) and returns what it did,
# one short Chinese sentence per effect (shown on the person page), or [] if nothing.
Step = Callable[[Actor, "object"], list[str]]


def _nothing(actor: Actor, report: object) -> list[str]:
    return []


@dataclass(frozen=True)
class DeathHandler:
    line: str  # the app label, e.g. "assistance"
    label: str  # shown with its effects, e.g. "社会救助"
    order: int  # payments first (lower), then tasks
    on_report: Step = _nothing
    on_confirm: Step = _nothing
    on_refute: Step = _nothing


_handlers: dict[str, DeathHandler] = {}


def register_death_handler(handler: DeathHandler) -> None:
    _handlers[handler.line] = handler


def death_handlers() -> list[DeathHandler]:
    return sorted(_handlers.values(), key=lambda h: (h.order, h.line))


def run_handlers(step: str, actor: Actor, report) -> list[dict]:
    """Run one step of every handler; [{"line", "label", "text"}] for the report's effects."""
    out = []
    for handler in death_handlers():
        for text in getattr(handler, step)(actor, report):
            out.append({"line": handler.line, "label": handler.label, "text": text})
    return out


__all__ = ["DeathHandler", "death_handlers", "register_death_handler", "run_handlers"]
