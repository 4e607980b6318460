"""Exit handlers: other lines whose payment rests on a 低保/特困 enrolment act when it exits.

``_exit`` (every 退出: the officer's, the review's 渐退期满, the death handler's) calls each
registered handler inside its own transaction, with the exited enrolment (``end_month`` set:
the last paid month), so the dependent payment stops in the same month and nothing has to run
by hand. A line registers from its AppConfig.ready(); assistance imports no line.
"""

from __future__ import annotations

from collections.abc import Callable

ExitHandler = Callable[[object], None]  # (the exited Enrolment) -> None

_handlers: dict[str, ExitHandler] = {}


def register_exit_handler(line: str, handler: ExitHandler) -> None:
    _handlers[line] = handler


def run_exit_handlers(enrolment) -> None:
    for _line, handler in sorted(_handlers.items()):
        handler(enrolment)


__all__ = ["ExitHandler", "register_exit_handler", "run_exit_handlers"]
