"""The district this deployment serves (涪陵区 500102 by default), from settings."""

from __future__ import annotations

from django.conf import settings


def district_code() -> str:
    """Six-digit code of the district; the 12-digit form pads it with zeros."""
    return settings.MINZHENG_DISTRICT_CODE
