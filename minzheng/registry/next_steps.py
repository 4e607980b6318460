"""What one can do next from a person's or a household's page (申请救助, 能力评估, 编辑, 立户 …).

The registry is below the service lines, so it does not know their screens: each line
registers its steps (``register_next_step``, from its ``AppConfig.ready``), the registry its
own. A page asks ``next_steps(actor, "person", person)``: the steps the user's role may take
(a step whose permission the user lacks is not shown at all), each with its link, or — when
it does not apply to this person now — the short reason instead of the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from minzheng.accounts.actor import Actor


def _always(obj: object) -> str:
    return ""


@dataclass(frozen=True)
class NextStep:
    key: str  # unique, e.g. "assistance.apply"
    label: str  # the button, e.g. "申请救助"
    subject: str  # "person" or "household"
    url: Callable[[object], str]  # the link for this person or household
    perm: StrEnum | None = None  # who may take it (None: everyone who sees the page)
    order: int = 100  # left to right
    reason_not: Callable[[object], str] = _always  # "" when it applies, else why not (shown)
    hidden_when: Callable[[object], bool] = lambda obj: False  # does not concern this one at all


_steps: dict[str, NextStep] = {}


def register_next_step(step: NextStep) -> None:
    if step.subject not in ("person", "household"):
        raise ValueError(f"next step {step.key}: subject must be person or household")
    _steps[step.key] = step


def next_steps(actor: Actor, subject: str, obj: object) -> list[dict]:
    """[{key, label, url, reason}] in order; ``url`` is "" when ``reason`` says why not."""
    out = []
    for step in sorted((s for s in _steps.values() if s.subject == subject), key=lambda s: (s.order, s.key)):
        if step.perm is not None and not actor.has(step.perm):
            continue
        if step.hidden_when(obj):
            continue
        reason = step.reason_not(obj)
        out.append({"key": step.key, "label": step.label, "url": "" if reason else step.url(obj), "reason": reason})
    return out


def registered_steps() -> list[NextStep]:
    return sorted(_steps.values(), key=lambda s: (s.subject, s.order, s.key))
