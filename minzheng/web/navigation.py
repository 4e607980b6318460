"""Module navigation. Service lines register their entry here; each says which
permission shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from minzheng.accounts.permissions import Perm


@dataclass(frozen=True)
class Module:
    label: str
    url_name: str
    perm: Perm | None = None


MODULES: list[Module] = [
    Module("工作台", "web:home"),
    Module("人员查询", "registry:person-search", Perm.VIEW_REGISTRY),
    Module("区划统计", "registry:division-detail", Perm.VIEW_REGISTRY),
    Module("审计日志", "web:audit-log", Perm.VIEW_AUDIT),
]


def register_module(module: Module) -> None:
    if module not in MODULES:
        MODULES.append(module)


def modules_for(actor, current_path: str) -> list[dict]:
    out = []
    for m in MODULES:
        if m.perm is not None and not actor.has(m.perm):
            continue
        try:
            url = reverse(m.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        out.append({"label": m.label, "url": url, "active": active})
    return out
