"""Masked display of personal data — the one place it is done."""

from __future__ import annotations

from minzheng.core.idnumber import mask_id_number

__all__ = ["mask_id_number", "mask_phone", "mask_name", "mask_account"]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张*明 / 张*: for public notices where local policy asks for masked names."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_account(value: str | None) -> str:
    if not value:
        return ""
    return "*" * max(0, len(value) - 4) + value[-4:]
