from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from minzheng.divisions.directory import directory_generation, get_directory

register = template.Library()


@lru_cache(maxsize=256)
def _tree_for(scope_prefixes: tuple[str, ...], generation: int) -> tuple[dict, ...]:
    """Towns and villages under these prefixes, URLs included. Cached per scope: a district
    user's tree has 433 villages, and reversing a URL for each on every page is not free."""
    directory = get_directory()
    base = reverse("registry:division-detail")  # /divisions/
    towns: dict[str, dict] = {}
    for village in directory.villages():
        if not any(village.code.startswith(p) for p in scope_prefixes):
            continue
        town = directory.get(village.parent_code)
        node = towns.setdefault(
            town.code,
            {
                "code": town.code,
                "name": town.name,
                "url": f"{base}{town.code}/",
                "children": [],
                "town_visible": any(town.code.startswith(p) for p in scope_prefixes),
            },
        )
        node["children"].append({"code": village.code, "name": village.name, "url": f"{base}{village.code}/"})
    out = []
    for node in towns.values():
        if node["town_visible"]:
            out.append(node)
        else:
            # A village worker: list the villages themselves, not the town above them.
            out.extend({**c, "children": []} for c in node["children"])
    return tuple(out)


@lru_cache(maxsize=256)
def _tree_html(scope_prefixes: tuple[str, ...], generation: int) -> str:
    """The rendered tree, once per scope: rendering ~900 nodes per page cost ~30 ms.
    The division on screen is marked in the browser (app.js reads data-current)."""
    return render_to_string("web/_tree_nodes.html", {"tree": _tree_for(scope_prefixes, generation)})


@register.simple_tag(takes_context=True)
def jurisdiction_tree(context):
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or not actor.scope_prefixes:
        return ""
    return mark_safe(_tree_html(actor.scope_prefixes, directory_generation()))
