"""What a locked-out login answers (django-axes ``AXES_LOCKOUT_CALLABLE``): the API's JSON error
shape (ErrorsOut) on /api/, the lock page everywhere else. Status 429 either way."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

LOCKED = "登录失败次数过多，账号已临时锁定，请30分钟后再试，或联系系统管理员解锁"


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        body = {"detail": LOCKED, "errors": [{"field": "username", "message": LOCKED}]}
        return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/locked.html", status=429)
