"""One reader for a list API's ``offset`` and ``limit`` (issue 20): checked at the edge, the
field named in Chinese, never clamped silently and never passed on to the database unchecked
(an offset of 10^20 overflows its integer; a negative one is not a position)."""

from __future__ import annotations

from minzheng.core.errors import ValidationFailed

# Beyond any list the district holds (1.15 M people); keeps the database's integer in range.
MAX_OFFSET = 10_000_000


def window(offset: int, limit: int, *, max_limit: int) -> slice:
    """The rows a list answers, or ValidationFailed naming ``offset`` / ``limit``."""
    errors: dict[str, str] = {}
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = f"起始位置应在0至{MAX_OFFSET}之间"
    if not 1 <= limit <= max_limit:
        errors["limit"] = f"每次返回条数应在1至{max_limit}之间"
    if errors:
        raise ValidationFailed(errors)
    return slice(offset, offset + limit)
