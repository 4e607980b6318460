"""Single sign-on with an outside identity provider (渝快办-style): an interface, and a stand-in.

Chongqing's 渝快办 signs people in with its own real-name check and hands the site back a
one-time code; the site exchanges the code for the person's identity. ``MINZHENG_CITIZEN_SSO``
names the adapter class (a dotted path; empty: no such button on the sign-in page). An adapter
has a ``label`` for the button, ``authorize_url(state, callback)`` — where to send the browser —
and ``identity(code)``, which returns the verified ``SsoIdentity`` or raises ``SsoRefused``.

``StandInSso`` plays the provider for the demo and tests: its "provider page" is served by this
site (``/citizen/sso/stand-in/``) and its codes are signed with the site's key and live five
minutes. It trusts what is typed there, exactly as the site trusts the real provider's real-name
check, so production refuses it (config/production.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.module_loading import import_string

STAND_IN = "minzheng.citizen.sso.StandInSso"


@dataclass(frozen=True)
class SsoIdentity:
    """What the provider vouches for: its own id of the person, their mobile number, and the
    name and ID number it has checked."""

    subject: str
    phone: str
    name: str
    id_number: str


class SsoRefused(Exception):
    """The provider did not vouch for anyone (bad, used or expired code)."""


class SingleSignOn(Protocol):
    label: str

    def authorize_url(self, *, state: str, callback: str) -> str: ...

    def identity(self, code: str) -> SsoIdentity: ...


def provider() -> SingleSignOn | None:
    path = getattr(settings, "MINZHENG_CITIZEN_SSO", "")
    return import_string(path)() if path else None


class StandInSso:
    label = "渝快办（演示）"
    salt = "minzheng.citizen.sso.stand-in"
    max_age_seconds = 300

    def authorize_url(self, *, state: str, callback: str) -> str:
        return f"{reverse('citizen:sso-stand-in')}?{urlencode({'state': state, 'callback': callback})}"

    def issue_code(self, identity: SsoIdentity) -> str:
        """The stand-in provider's side: a signed, short-lived code for ``identity``."""
        return signing.dumps(identity.__dict__, salt=self.salt, compress=True)

    def identity(self, code: str) -> SsoIdentity:
        try:
            data = signing.loads(code, salt=self.salt, max_age=self.max_age_seconds)
        except signing.BadSignature:
            raise SsoRefused() from None
        if not isinstance(data, dict) or set(data) != {"subject", "phone", "name", "id_number"}:
            raise SsoRefused()
        return SsoIdentity(**{k: str(v) for k, v in data.items()})
