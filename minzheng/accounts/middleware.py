from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from minzheng.accounts.actor import build_actor


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class ActorMiddleware:
    """Builds request.actor once; sends users with an initial password to change it."""

    EXEMPT_PREFIXES = ("/static/", "/api/", "/login/", "/logout/", "/password/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = build_actor(getattr(request, "user", None), client_ip(request))
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(reverse("web:password-change"))
        return self.get_response(request)
