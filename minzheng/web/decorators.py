from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


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
            except ValidationFailed as e:
                # A query or form value no view caught (a junk division, month, page…): the field's
                # reason in Chinese, nothing written (issue 20).
                return render_error(request, 400, "输入有误", "；".join(e.errors.values()))
            except DomainError as e:
                return render_error(request, 409, "无法办理", e.message)

        return wrapper

    return decorator
