"""People's names for screens: whoever acted is shown by name, never by login name.

Records keep the username that acted (audit rows, screening runs, documents' 制表人); screens
and documents turn it into the account's 姓名 (``User.display_name``). The system actor and an
empty value read 系统; a username that no longer exists reads 已停用账号; no one at all (None) reads
as nothing, for the template to word (未审核).
"""

from __future__ import annotations

from collections.abc import Iterable

from minzheng.accounts.models import User
from minzheng.accounts.roles import Role
from minzheng.divisions.directory import get_directory

SYSTEM_NAME = "系统"
UNKNOWN_ACCOUNT = "已停用账号"
NAMELESS = "（未填写姓名）"
SYSTEM_USERNAMES = frozenset({"", "system"})


def display_names(usernames: Iterable[str]) -> dict[str, str]:
    """{username: 姓名} for many usernames in one query."""
    wanted = {u for u in usernames if u and u not in SYSTEM_USERNAMES}
    names = {u: SYSTEM_NAME for u in SYSTEM_USERNAMES}
    for username, name in User.objects.filter(username__in=wanted).values_list("username", "display_name"):
        names[username] = name or NAMELESS
    for username in wanted - names.keys():
        names[username] = UNKNOWN_ACCOUNT
    return names


def display_name_of(value: object) -> str:
    """A User, an Actor or a stored username → the name people know. None (nobody, e.g. a
    case not yet reviewed) → '' so the template can say 未审核; '' or 'system' → 系统."""
    if value is None:
        return ""
    if getattr(value, "is_system", False):
        return SYSTEM_NAME
    name = getattr(value, "display_name", None)
    if isinstance(name, str) and name:
        return name
    username = getattr(value, "username", value)
    if not isinstance(username, str):
        return str(value)
    return display_names([username])[username]


def role_unit_label(role: str, scope_prefixes: Iterable[str] = ()) -> str:
    """What a nameless account reads as on screen: its role and unit (乡镇（街道）经办人 · 敦仁街道),
    never its login name. The unit is the narrowest division the account works in when it works
    in one, the district's name otherwise."""

    labels = dict(Role.choices)
    role_label = labels.get(role, "")
    prefixes = sorted(set(scope_prefixes), key=len)
    unit = ""
    if len(prefixes) == 1 and len(prefixes[0]) > 6:
        unit = get_directory().name(prefixes[0])
    if role_label and unit:
        return f"{role_label} · {unit}"
    return role_label or unit


def actor_name_of(actor) -> str:
    """The name recorded for an actor's step (a case's history, a request's 办理人): never empty,
    never a login name."""
    if actor.is_system:
        return actor.display_name or "系统"
    # build_actor falls back on the login name when the account has no 姓名: a login name is
    # never shown, the account's role and unit are.
    if actor.display_name and actor.display_name != actor.username:
        return actor.display_name
    return role_unit_label(actor.role, actor.scope_prefixes) or "未知用户"
