from __future__ import annotations

from minzheng.web.navigation import modules_for


def layout(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {}
    return {"nav_modules": modules_for(actor, request.path)}
