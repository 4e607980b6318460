from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from minzheng.core.errors import NotFound, PermissionDenied


def render_error(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"status": status, "title": title, "message": message}, status=status)


def staff_view(perm=None):
    """Login required, optional permission, and DomainError → the same Chinese error pages."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if perm is not None:
                    request.actor.require(perm)
                return view(request, *args, **kwargs)
            except NotFound as e:
                return render_error(request, 404, "未找到", e.message)
            except PermissionDenied as e:
                return render_error(request, 403, "无权限", e.message)

        return wrapper

    return decorator
