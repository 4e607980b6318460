"""Services other lines call on discovery (they never import its feeds or models).

Feed handlers: a line that must act on a department feed's rows itself (not only through an
alert) registers a handler for the feed's kind; the feed's commit calls it, in the import's
transaction, with the batch's new rows (``SignalRow``: person, event date, grade, code,
detail), after the alerts are raised. The 两项补贴 line stops a subsidy on a 残联 grade change
out of its range this way."""

from __future__ import annotations

from collections.abc import Callable

FeedHandler = Callable[[str, list], dict | None]  # (kind, [SignalRow]) -> counts to report

_handlers: dict[str, dict[str, FeedHandler]] = {}


def register_feed_handler(kind: str, line: str, handler: FeedHandler) -> None:
    _handlers.setdefault(kind, {})[line] = handler


def run_feed_handlers(kind: str, signals: list) -> dict:
    out: dict = {}
    for _line, handler in sorted(_handlers.get(kind, {}).items()):
        out.update(handler(kind, signals) or {})
    return out


__all__ = ["FeedHandler", "register_feed_handler", "run_feed_handlers"]
