"""Jurisdiction scoping — the ONE module through which scoped rows are read.

Every scoped row carries the 12-digit code of its division in `division_code`. An actor
sees the rows under its assigned prefixes. Both entry points fail closed: no assignment,
nothing visible; and "missing" and "not yours" raise the same NotFound.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, TypeVar

from django.db import models

from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.core.query_params import documented

if TYPE_CHECKING:
    from minzheng.accounts.actor import Actor

M = TypeVar("M", bound=models.Model)


def prefix_upper_bound(prefix: str) -> str:
    """Smallest digit string greater than every code starting with `prefix`.

    A range (code >= p AND code < next(p)) uses a plain b-tree index on SQLite and on
    PostgreSQL, whatever the collation, where LIKE 'p%' may not.
    """
    if not _ASCII_DIGITS.fullmatch(prefix):
        raise ValueError("a division prefix is ASCII digits")
    digits = list(prefix)
    i = len(digits) - 1
    while i >= 0 and digits[i] == "9":
        digits[i] = "0"
        i -= 1
    if i < 0:
        raise ValueError("a prefix of only nines has no digit-string upper bound")
    digits[i] = str(int(digits[i]) + 1)
    return "".join(digits[: i + 1])


_ASCII_DIGITS = re.compile(r"[0-9]+")
DIVISION_PARAM_PATTERN = r"^[0-9]{2,12}$"  # as the API document states it
DIVISION_PARAM = re.compile(DIVISION_PARAM_PATTERN[1:-1])
DIVISION_PARAM_MESSAGE = "区划代码应为2至12位数字"
# The API's ``division`` query parameter: read by ``parse_division_param`` (through ``within``
# and the selectors), its rule stated in the document.
Division = Annotated[str, documented("区划代码（2至12位数字）：只看该区划及其下级；留空为全部", pattern=DIVISION_PARAM_PATTERN)]


def parse_division_param(raw: object, *, field: str = "division") -> str | None:
    """THE parser of a division picked in a request (query string, form, API): None when absent,
    the code when it is 2–12 ASCII digits, else ValidationFailed naming the field — never a
    Unicode digit such as ²（str.isdigit() accepts it), never "everything" for junk."""
    code = str(raw or "").strip()
    if not code:
        return None
    if not DIVISION_PARAM.fullmatch(code):
        raise ValidationFailed({field: DIVISION_PARAM_MESSAGE})
    return code


def prefix_q(prefix: str, field: str = "division_code") -> models.Q:
    if not DIVISION_PARAM.fullmatch(prefix or ""):
        raise ValidationFailed({"division": DIVISION_PARAM_MESSAGE})
    if set(prefix) == {"9"}:
        # No digit string is above every code starting with nines; codes are digit strings of at
        # most 12 characters, so "≥ 99…9" alone selects exactly those starting with it.
        return models.Q(**{f"{field}__gte": prefix})
    return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix_upper_bound(prefix)})


def scope_q(actor: Actor, field: str = "division_code") -> models.Q | None:
    if not actor.scope_prefixes:
        return None
    return reduce(or_, (prefix_q(p, field) for p in actor.scope_prefixes))


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every model that carries `division_code`."""

    scope_field = "division_code"

    def visible_to(self, actor: Actor):
        q = scope_q(actor, self.scope_field)
        if q is None:
            return self.none()
        return self.filter(q)

    def within(self, actor: Actor, division_code: str | None):
        """visible_to, narrowed to one division the actor picked in the tree."""
        qs = self.visible_to(actor)
        division_code = parse_division_param(division_code)
        if division_code:
            qs = qs.filter(prefix_q(division_code, self.scope_field))
        return qs


def access_by_id(queryset: models.QuerySet, actor: Actor, object_id: object, *, for_update: bool = False):
    """Fetch one scoped row for this actor, or NotFound. The only single-row read path."""
    try:
        pk = int(object_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    qs = queryset.visible_to(actor)
    if for_update:
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of a select_related join.
        qs = qs.select_for_update(of=("self",))
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def check_division_in_scope(actor: Actor, division_code: str) -> None:
    """For writes that place a row in a division: the actor must cover it."""
    if not division_code or not actor.covers(division_code):
        raise NotFound("区划不存在或不在您的管辖范围内")
