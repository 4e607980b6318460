"""The stand-in a record's number holds until its id is known.

Case and certificate numbers are built from the record's id (认定编号 DSR202612000123), so the
row is first written with a unique placeholder and numbered right after, in the same
transaction. The placeholder has one fixed length that every number field holds: one built
from a timestamp and a household id once outgrew a 32-character field on PostgreSQL (SQLite
does not enforce the length), failing every 低保边缘 registration at the district's size.
"""

from __future__ import annotations

import uuid

PLACEHOLDER_LENGTH = 19


def placeholder_number() -> str:
    """A unique (64 random bits) placeholder of PLACEHOLDER_LENGTH characters."""
    return f"tmp{uuid.uuid4().hex[:16]}"
