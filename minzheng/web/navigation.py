"""Module navigation. Service lines register their entry here; each says which
permission shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from collections.abc import Callable

from minzheng.accounts.permissions import Perm


@dataclass(frozen=True)
class Module:
    label: str
    url_name: str
    perm: Perm | None = None
    # For a module whose readers no single permission names (群众留言: the answerers of any topic).
    shown_to: Callable[[object], bool] | None = None


MODULES: list[Module] = [
    Module("工作台", "web:home"),
    Module("人员查询", "registry:person-search", Perm.VIEW_REGISTRY),
    Module("区划统计", "registry:division-detail", Perm.VIEW_REGISTRY),
    Module("审计日志", "web:audit-log", Perm.VIEW_AUDIT),
]


@dataclass(frozen=True)
class QuickAction:
    """A shortcut on the workbench (工作台): shown when the user holds ``perm`` and the page
    exists (an app not installed yet, or a page not built yet, is left out)."""

    label: str
    url_name: str
    perm: Perm | None = None


QUICK_ACTIONS: list[QuickAction] = [
    # The registry's own pages (the registry has no ready(); its modules are listed above too).
    # 立户 joins here (a QuickAction to the registry's new-household page, Perm.EDIT_REGISTRY)
    # once the registry has that page.
    QuickAction("登记人员", "registry:person-create", Perm.EDIT_REGISTRY),
    QuickAction("立户", "registry:household-create", Perm.EDIT_REGISTRY),
]


def register_quick_action(action: QuickAction) -> None:
    if action not in QUICK_ACTIONS:
        QUICK_ACTIONS.append(action)


def quick_actions_for(actor) -> list[dict]:
    out = []
    for a in QUICK_ACTIONS:
        if a.perm is not None and not actor.has(a.perm):
            continue
        try:
            out.append({"label": a.label, "url": reverse(a.url_name)})
        except NoReverseMatch:
            continue
    return out


def register_module(module: Module) -> None:
    if module not in MODULES:
        MODULES.append(module)


def modules_for(actor, current_path: str) -> list[dict]:
    out = []
    for m in MODULES:
        if m.perm is not None and not actor.has(m.perm):
            continue
        if m.shown_to is not None and not m.shown_to(actor):
            continue
        try:
            url = reverse(m.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        out.append({"label": m.label, "url": url, "active": active})
    return out
