"""Bearer tokens for /api/v1/. Tokens are random; only their SM3 digest is stored."""

from __future__ import annotations

import datetime as dt
import secrets

from cryptography.hazmat.primitives import hashes
from django.utils import timezone
from ninja.security import HttpBearer

from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import ApiToken

TOKEN_LIFETIME = dt.timedelta(hours=8)


def _digest(token: str) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(token.encode("ascii"))
    return h.finalize().hex()


def issue_token(user) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + TOKEN_LIFETIME
    ApiToken.objects.create(user=user, digest=_digest(token), expires_at=expires)
    return token, expires


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            row = ApiToken.objects.select_related("user").get(digest=_digest(token))
        except ApiToken.DoesNotExist:
            return None
        if row.expires_at < timezone.now() or not row.user.is_active or row.user.must_change_password:
            # An account still on its initial password reads nothing until it changes it.
            return None
        request.user = row.user
        request.actor = build_actor(row.user, request.META.get("REMOTE_ADDR"))
        return request.actor
