from __future__ import annotations

from django import template

from minzheng.divisions.directory import get_directory

register = template.Library()


@register.simple_tag(takes_context=True)
def jurisdiction_tree(context) -> list[dict]:
    """Towns and villages the actor may see; a village worker sees only their villages."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or not actor.scope_prefixes:
        return []
    current = context.get("current_division_code", "")
    directory = get_directory()
    towns: dict[str, dict] = {}
    for village in directory.villages():
        if not actor.covers(village.code):
            continue
        town = directory.get(village.parent_code)
        node = towns.setdefault(
            town.code,
            {
                "code": town.code,
                "name": town.name,
                "children": [],
                "current": current == town.code,
                "open": False,
                "town_visible": actor.covers(town.code),
            },
        )
        node["children"].append({"code": village.code, "name": village.name, "current": current == village.code})
        if current.startswith(town.code):
            node["open"] = True
    out = []
    for node in towns.values():
        if not node["town_visible"]:
            # A village worker: list the villages themselves, not the town above them.
            out.extend({"code": c["code"], "name": c["name"], "children": [], "current": c["current"]} for c in node["children"])
        else:
            out.append(node)
    return out
