"""Matching rows to registry persons by ID number through the keyed blind index, in bulk.

One query per chunk of numbers (never per row), through the actor's scope. A number with no
person is reported as unmatched; a person is never created here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.core.exceptions import EmptyResultSet
from django.db.models import F
from django.db.models.lookups import In

from minzheng.accounts.actor import Actor
from minzheng.core.crypto import FieldCipher
from minzheng.core.idnumber import mask_id_number
from minzheng.exchange.parsing import ParsedImport, Row, RowError
from minzheng.exchange.spec import ImportSpec
from minzheng.registry.models import Person

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    division_code: str
    household_id: int | None
    is_deceased: bool
    name: str


class InValues(In):
    """``<field> IN (%s, %s, …)`` with values that are already database values (ints, the hex
    of a blind index). Django's ``__in`` lookup prepares each value through the field — seconds
    for a hundred thousand values; this lookup binds them as they are. Use it only with values
    of the column's own type.

        Person.objects.visible_to(actor).filter(InValues("id_number_index", chunk))
    """

    def __init__(self, field: str, values):
        super().__init__(F(field), list(values))

    def get_prep_lookup(self):
        return self.rhs

    def process_rhs(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        return f"({', '.join(['%s'] * len(self.rhs))})", tuple(self.rhs)

    def as_postgresql(self, compiler, connection):
        # One array parameter instead of thousands of placeholders (psycopg binds client-side).
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


def raw_rows(queryset) -> list[tuple]:
    """Run a ``values_list`` queryset's own SQL and return the driver's tuples, without Django's
    per-row converters (a date stays text on SQLite, a boolean 0/1). The queryset — and so its
    scoping through ``visible_to`` — is built by the ORM as usual; only the row loop is skipped,
    which is most of the cost for a hundred thousand rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(slots=True)
class MatchedRow:
    number: int
    values: dict[str, Any]
    # None: a spec without an ID column, or an unknown ID number the spec's commit registers
    # (ImportSpec.register_unmatched).
    person: PersonRef | None
    id_index: str  # the blind index of the ID number (safe to keep; the number itself is not); "" without one


@dataclass
class MatchResult:
    matched: list[MatchedRow] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)  # {row, id_number (masked), name}
    warnings: list[RowError] = field(default_factory=list)
    summary: dict = field(default_factory=dict)  # what the spec's check reports (e.g. planned counts)


def lookup_persons(actor: Actor, indexes: Iterable[str], *, chunk: int = CHUNK) -> dict[str, PersonRef]:
    """{blind index: person} for the indexes that exist in the actor's scope."""

    wanted = list(dict.fromkeys(indexes))
    found: dict[str, PersonRef] = {}
    base = Person.objects.visible_to(actor)
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        rows = raw_rows(
            base.filter(InValues("id_number_index", part)).values_list(
                "id_number_index", "id", "division_code", "household_id", "is_deceased", "name"
            )
        )
        for index, pk, division, household, deceased, name in rows:
            found[index] = PersonRef(pk, division, household, bool(deceased), name)
    return found


def match_rows(actor: Actor, spec: ImportSpec, rows: list[Row]) -> MatchResult:
    """Attach a registry person to every row by its ID number; list the rest as unmatched."""
    result = MatchResult()
    if spec.id_column is None:
        result.matched = [MatchedRow(row.number, row.values, None, "") for row in rows]
        return result
    cipher = FieldCipher()
    indexes = [cipher.index(row.values[spec.id_column]) for row in rows]
    persons = lookup_persons(actor, indexes)
    name_key = spec.name_column
    for row, index in zip(rows, indexes, strict=True):
        person = persons.get(index)
        if person is None and spec.register_unmatched:
            result.matched.append(MatchedRow(row.number, row.values, None, index))
            continue
        if person is None:
            result.unmatched.append(
                {
                    "row": row.number,
                    "id_number": mask_id_number(row.values[spec.id_column]),
                    "name": (row.values.get(name_key) or "") if name_key else "",
                }
            )
            continue
        if name_key and row.values.get(name_key) and row.values[name_key] != person.name:
            result.warnings.append(
                RowError(row.number, spec.column(name_key).header, "与登记姓名不一致，已按身份证号码匹配，请核对")
            )
        result.matched.append(MatchedRow(row.number, row.values, person, index))
    return result


def match_parsed(actor: Actor, spec: ImportSpec, parsed: ParsedImport) -> MatchResult:
    return match_rows(actor, spec, parsed.rows)


__all__ = ["MatchResult", "MatchedRow", "PersonRef", "lookup_persons", "match_parsed", "match_rows", "raw_rows", "InValues"]
