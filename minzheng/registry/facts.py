"""The bridge from the registry to the rules engine (docs/rules.md §4–§5).

Two readers of the same facts, kept equal by ``test_facts_bridge``:

* ``household_facts(household, period=...)`` — one household as the engine's JSON facts, for
  the per-case evaluator (the "why" panel, an application);
* ``load_facts_frames(division_prefix=..., period=...)`` — the whole registry (or one
  division) as the engine's two batch frames, read in bulk: one SQL statement for the
  households and one for the members, straight into Arrow by connectorx in two partitions
  where a second connection sees what Django's does (PostgreSQL outside a transaction;
  never SQLite: ``arrow_uri``), else formatted as CSV by the database
  itself (COPY … TO STDOUT on PostgreSQL, group_concat(printf(…)) on SQLite) and parsed by
  Polars — no ORM row objects, no per-row Python objects.

Which members count (the same rule in both):

* the household's **current** memberships (``valid_to`` is null) — the facts as they stand
  now; the period only chooses the parameters and the day ages are taken on;
* of living people: a deceased person is not a member (the generator closes their
  membership; a death recorded on a person whose membership is still open is left out too);
* born on or before the last day of the period — a child born later did not exist in that
  month (the engine rejects such a birth date).

A household with no member left is not evaluated (``household_facts`` raises
``NoMembersInPeriod``; the frames leave it out).

Mapping of the registry's fields to the engine's facts: money in fen → yuan (exact);
``able_to_work`` is "work capacity is not none" (as ``assistance/facts.py``);
``disability_category`` is null when the grade is 0; an empty ``child_status`` is null; the
household's one recorded vehicle value is its ``vehicle_values`` (none when 0).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import Prefetch

from minzheng.accounts.scoping import prefix_upper_bound
from minzheng.core.money import format_yuan
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Household, HouseholdMembership, Person
from minzheng.rules import MEMBER_SCHEMA, Period

try:  # Arrow straight from the database; without it the CSV path below serves
    import connectorx as cx
except ImportError:  # pragma: no cover - installed from pyproject
    cx = None

__all__ = [
    "NoMembersInPeriod",
    "current_memberships",
    "household_facts",
    "load_facts_frames",
    "load_solo_frames",
    "member_facts",
    "person_facts",
    "read_columns",
    "read_frame",
]


class NoMembersInPeriod(ValueError):
    """The household has no living current member born by the end of the period."""


def _period(period: str | Period) -> Period:
    return Period.of(period)


# ---------------------------------------------------------------------------------------------
# Per case
# ---------------------------------------------------------------------------------------------


def member_facts(person: Person, relation: str) -> dict[str, Any]:
    grade = int(person.disability_grade or 0)
    return {
        "id": str(person.pk),
        "relation": relation,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "disability_category": (person.disability_category or None) if grade else None,
        "disability_grade": grade,
        "serious_illness": bool(person.serious_illness),
        "student": bool(person.student),
        "able_to_work": person.work_capacity != "none",
        "has_capable_supporter": bool(person.has_capable_supporter),
        "self_care": person.self_care,
        "child_status": person.child_status or None,
        "in_institution": bool(person.in_institution),
        "monthly_income": {
            "wage": format_yuan(person.income_wage_fen, grouping=False),
            "business": format_yuan(person.income_business_fen, grouping=False),
            "property": format_yuan(person.income_property_fen, grouping=False),
            "transfer": format_yuan(person.income_transfer_fen, grouping=False),
        },
    }


def current_memberships() -> Prefetch:
    """Prefetch for many households at once:
    ``Household.objects.prefetch_related(current_memberships())`` — then ``household_facts``
    reads the prefetched rows instead of querying per household."""
    return Prefetch(
        "memberships",
        queryset=HouseholdMembership.objects.filter(valid_to__isnull=True).select_related("person").order_by("id"),
        to_attr="current_memberships",
    )


def household_facts(household: Household, *, period: str | Period) -> dict[str, Any]:
    """The engine's JSON facts for one household in ``period`` (see the module docstring)."""
    period = _period(period)
    memberships = getattr(household, "current_memberships", None)
    if memberships is None:
        memberships = (
            HouseholdMembership.objects.filter(household_id=household.pk, valid_to__isnull=True)
            .select_related("person")
            .order_by("id")
        )
    members = [
        member_facts(m.person, m.relation)
        for m in memberships
        if not m.person.is_deceased and m.person.birth_date <= period.end
    ]
    if not members:
        raise NoMembersInPeriod(f"家庭 {household.pk} 在 {period} 没有在世的现有成员")
    vehicle = int(household.vehicle_value_fen or 0)
    return {
        "period": str(period),
        "household": {
            "zone": household.zone,
            "division_code": household.division_code,
            "financial_assets": format_yuan(household.financial_assets_fen, grouping=False),
            "vehicle_values": [format_yuan(vehicle, grouping=False)] if vehicle else [],
            "rigid_spending_12m": format_yuan(household.rigid_spending_12m_fen, grouping=False),
            "members": members,
        },
    }


# ---------------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------------
#
# Moving values through a database driver costs far more than computing with them, so the
# member query returns eight integer columns: the ids, the birth date as days since
# 1970-01-01, the four incomes, and every enumeration and flag of the person packed into one
# integer by CASE expressions (decoded by Polars in a few vectorised steps); the rows travel
# as one CSV text (`read_columns`).

# Each packed field: (name, SQL value, bit offset, bit width, codes). The SQL value is an
# enumeration mapped to its position in `codes` (anything else gets the field's last code
# value, 2**width - 1), or a 0/1 expression when `codes` is None.
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "child_in_law", "other")
_PACKED: tuple[tuple[str, str, int, int, tuple[str, ...] | None], ...] = (
    ("relation", "m.relation", 0, 4, RELATIONS),
    ("sex", "p.sex", 4, 2, ("M", "F")),
    (
        "disability_category",
        "p.disability_category",
        6,
        4,
        ("", "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"),
    ),
    ("self_care", "p.self_care", 10, 2, ("able", "partly_unable", "unable")),
    ("child_status", "p.child_status", 12, 2, ("", "orphan", "de_facto_unsupported")),
    ("serious_illness", "p.serious_illness", 14, 1, None),
    ("student", "p.student", 15, 1, None),
    ("able_to_work", "(CASE WHEN p.work_capacity = 'none' THEN 0 ELSE 1 END)", 16, 1, None),
    ("has_capable_supporter", "p.has_capable_supporter", 17, 1, None),
    ("in_institution", "p.in_institution", 18, 1, None),
)
_GRADE_SHIFT = 20  # disability_grade, 0..4, in bits 20..22


def person_facts(person: Person, *, period: str | Period) -> dict[str, Any]:
    """The engine's facts for one person's own programs (an allowance, a subsidy): their
    household's facts in ``period`` when they are a current member of it, else a household of
    that one person in their village (zone from the household, else the division tree)."""
    household = person.household if person.household_id else None
    if household is not None:
        try:
            facts = household_facts(household, period=period)
        except NoMembersInPeriod:
            facts = None
        if facts is not None and any(m["id"] == str(person.pk) for m in facts["household"]["members"]):
            return facts
    info = get_directory().get(person.division_code)
    return {
        "period": str(_period(period)),
        "household": {
            "zone": (household.zone if household is not None else "") or (info.zone if info and info.zone else "rural"),
            "division_code": person.division_code,
            "financial_assets": "0.00",
            "vehicle_values": [],
            "rigid_spending_12m": "0.00",
            "members": [member_facts(person, "head")],
        },
    }


def _packed_sql(vendor: str, relation: str = "m.relation") -> str:
    parts = []
    for name, column, shift, width, codes in _PACKED:
        if name == "relation":
            column = relation
        if codes is None:
            value = f"CAST({column} AS INTEGER)" if vendor == "postgresql" and column.startswith("p.") else column
        else:
            whens = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(codes))
            value = f"(CASE COALESCE({column}, '') {whens} ELSE {(1 << width) - 1} END)"
        parts.append(f"{value} * {1 << shift}")
    parts.append(f"p.disability_grade * {1 << _GRADE_SHIFT}")
    return " + ".join(parts)


def _days_sql(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _member_select(vendor: str, *, household: str = "m.household_id", relation: str = "m.relation") -> list[tuple[str, str]]:
    return [
        (household, "household_id"),
        ("p.id", "member_id"),
        (_days_sql(vendor, "p.birth_date"), "birth_days"),
        (_packed_sql(vendor, relation), "packed"),
        ("p.income_wage_fen", "income_wage_fen"),
        ("p.income_business_fen", "income_business_fen"),
        ("p.income_property_fen", "income_property_fen"),
        ("p.income_transfer_fen", "income_transfer_fen"),
    ]


_HOUSEHOLD_SELECT: list[tuple[str, str]] = [
    ("h.id", "household_id"),
    ("(CASE h.zone WHEN 'urban' THEN 0 WHEN 'rural' THEN 1 ELSE 3 END)", "zone_code"),
    ("h.financial_assets_fen", "financial_assets_fen"),
    ("h.vehicle_value_fen", "max_vehicle_value_fen"),
    ("h.rigid_spending_12m_fen", "rigid_spending_12m_fen"),
    ("h.division_code", "division_code"),
]


def read_frame(sql: str, params: list[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One statement into a frame with the given column names and types (any values; for
    small and middle-sized reads — rows come through the driver one by one on SQLite)."""
    if connection.vendor == "postgresql":
        return _copy_out(sql, params, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_columns(
    columns: list[tuple[str, str]], rest: str, params: list[Any], schema: dict[str, pl.DataType],
    *, partition_column: str | None = None,
) -> pl.DataFrame:
    """``SELECT <columns> <rest>`` into a frame, for reads of millions of rows.

    Moving values one by one through a database driver costs far more than the query. The
    fastest way is Arrow straight from the database (``_arrow_read``: connectorx, in two
    partitions of ``partition_column``), taken when another connection can see what Django's
    sees. Otherwise the database formats the rows as CSV itself and hands over one text:
    ``COPY (…) TO STDOUT`` on PostgreSQL; on SQLite ``group_concat(printf(…))`` (SQLite's 1 GB
    string limit allows some 20 million rows). Polars parses the text. Text values must
    therefore be codes without commas, quotes or line breaks; NULL arrives as an empty field.
    """
    if partition_column is not None and (uri := arrow_uri()) is not None:
        return _arrow_read(uri, columns, rest, params, schema, partition_column)
    select = ", ".join(sql for sql, _ in columns)
    if connection.vendor == "postgresql":
        return _copy_out(f"SELECT {select} {rest}", params, schema)
    # "%%s": Django's SQLite cursor turns %s into a placeholder and %% into %.
    template = ",".join(["%%s"] * len(columns))
    sql = f"SELECT group_concat(printf('{template}', {select}), char(10)) {rest}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        text = cursor.fetchone()[0]
    if not text:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(io.BytesIO(text.encode()), has_header=False, new_columns=list(schema), schema=schema)


ARROW_PARTITIONS = 2  # one per core of the 2-core machine; measured in docs/performance.md


def arrow_uri() -> str | None:
    """The connectorx address of Django's database, or None when a second connection would not
    read what Django's does: inside a transaction (its uncommitted writes are invisible to
    another connection — every test runs in one), a server reached by a socket, or
    ``MINZHENG_ARROW_READS`` off.

    Never on SQLite: connectorx carries its own copy of the SQLite library, and two copies in
    one process with the same database file open undo each other's POSIX locks — the copy
    closing last believes itself alone, checkpoints and resets the WAL under the other
    (sqlite.org/howtocorrupt.html, 2.2.1). The bench database was found corrupt twice
    ("freelist count wrong") after in-process Arrow reads; docs/performance.md."""
    if not getattr(settings, "MINZHENG_ARROW_READS", True) or connection.in_atomic_block or cx is None:
        return None
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = db.get("HOST") or ""
        if not host or host.startswith("/"):
            return None
        auth = quote(db.get("USER") or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else "")
        # Without JIT, as Django's own connections (config/settings.py).
        return f"postgresql://{auth}@{host}:{db.get('PORT') or 5432}/{quote(db['NAME'], safe='')}?cxprotocol=binary&options=-c%20jit%3Doff"
    return None


def _literal(value: Any) -> str:
    """A parameter written into the SQL (connectorx takes none): the values these reads bind
    are flags, numbers, dates and division codes."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if connection.vendor == "postgresql" else str(int(value))
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _arrow_read(
    uri: str, columns: list[tuple[str, str]], rest: str, params: list[Any], schema: dict[str, pl.DataType], partition_column: str
) -> pl.DataFrame:
    pieces = rest.split("%s")
    if len(pieces) != len(params) + 1:
        raise ValueError("parameter count does not match the statement")
    bound = pieces[0] + "".join(_literal(value) + piece for value, piece in zip(params, pieces[1:]))
    select = ", ".join(f"{sql} AS {name}" for (sql, _), name in zip(columns, schema))
    queries = [f"SELECT {select} {bound} AND ({partition_column} % {ARROW_PARTITIONS}) = {k}" for k in range(ARROW_PARTITIONS)]
    table = cx.read_sql(uri, queries, return_type="arrow")
    if table.num_rows == 0:
        return pl.DataFrame(schema=schema)
    frame = pl.from_arrow(table)
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _copy_out(sql: str, params: list[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3; Django's default ClientCursor binds client-side
        query = raw.mogrify(sql, params) if params else sql
        buffer = io.BytesIO()
        with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=schema)


def _prefix_where(column: str, division_prefix: str | None, params: list[Any]) -> str:
    if not division_prefix:
        return ""
    params.extend([division_prefix, prefix_upper_bound(division_prefix)])
    return f" AND {column} >= %s AND {column} < %s"


IDS_CHUNK = 5000  # integer ids per IN (...) list: well under SQLite's 32,766 variables


def _in_where(column: str, ids: Sequence[int] | None, params: list[Any]) -> str:
    if ids is None:
        return ""
    params.extend(ids)
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})"


def _household_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {name: pl.Int64 for _, name in _HOUSEHOLD_SELECT}
    schema["division_code"] = pl.Utf8
    return schema


def _finish_households(households: pl.DataFrame) -> pl.DataFrame:
    return households.select(
        "household_id",
        pl.col("zone_code").replace_strict({0: "urban", 1: "rural"}, default=None, return_dtype=pl.Utf8).alias("zone"),
        "financial_assets_fen",
        "max_vehicle_value_fen",
        "rigid_spending_12m_fen",
        "division_code",
    )


def load_facts_frames(
    *,
    division_prefix: str | None = None,
    period: str | Period | None = None,
    household_ids: Sequence[int] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The registry as the engine's batch frames ``(households, members)``, in the engine's
    schema (``rules.HOUSEHOLD_SCHEMA`` + ``division_code``, ``rules.MEMBER_SCHEMA`` with
    Int64 ``member_id`` = person id), sorted by household and person id.

    ``division_prefix`` limits the read to one town or village; ``household_ids`` to a list
    of households (read in chunks of ``IDS_CHUNK`` ids, two statements per chunk; an empty
    list reads nothing); ``period`` leaves out members born after its last day. Households
    without a member left are dropped.
    """
    if household_ids is None:
        return _load_facts_chunk(division_prefix=division_prefix, period=period, household_ids=None)
    ids = sorted({int(h) for h in household_ids})
    parts = [
        _load_facts_chunk(division_prefix=division_prefix, period=period, household_ids=ids[start : start + IDS_CHUNK])
        for start in range(0, len(ids), IDS_CHUNK)
    ] or [_load_facts_chunk(division_prefix=division_prefix, period=period, household_ids=[])]
    if len(parts) == 1:
        return parts[0]
    return pl.concat([h for h, _ in parts]), pl.concat([m for _, m in parts])


def _load_facts_chunk(
    *, division_prefix: str | None, period: str | Period | None, household_ids: list[int] | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    vendor = connection.vendor
    qn = connection.ops.quote_name
    household_table = qn(Household._meta.db_table)
    membership_table = qn(HouseholdMembership._meta.db_table)
    person_table = qn(Person._meta.db_table)
    if household_ids is not None and not household_ids:
        return _finish_households(pl.DataFrame(schema=_household_schema())), _decode_members(
            pl.DataFrame(schema={name: pl.Int64 for _, name in _member_select(vendor)})
        )

    params: list[Any] = []
    where = _prefix_where("h.division_code", division_prefix, params)
    where += _in_where("h.id", household_ids, params)
    whole = household_ids is None  # a big read: Arrow in partitions where it can (read_columns)
    households = read_columns(_HOUSEHOLD_SELECT, f"FROM {household_table} h WHERE 1 = 1{where}", params, _household_schema(),
                              partition_column="h.id" if whole else None)  # fmt: skip

    member_select = _member_select(vendor)
    params = [False]
    join = ""
    where = " AND p.is_deceased = %s"
    if period is not None:
        where += " AND p.birth_date <= %s"
        params.append(_period(period).end)
    if division_prefix:
        join = f" JOIN {household_table} h ON h.id = m.household_id"
        where += _prefix_where("h.division_code", division_prefix, params)
    where += _in_where("m.household_id", household_ids, params)
    rest = f"FROM {membership_table} m JOIN {person_table} p ON p.id = m.person_id{join} WHERE m.valid_to IS NULL{where}"
    raw = read_columns(member_select, rest, params, {name: pl.Int64 for _, name in member_select},
                       partition_column="m.household_id" if whole else None)  # fmt: skip
    members = _decode_members(raw)
    households = households.join(members.select("household_id").unique(), on="household_id", how="semi")
    return _finish_households(households).sort("household_id"), members.sort("household_id", "member_id")


def load_solo_frames(
    person_ids: Iterable[int], *, period: str | Period | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """People who live in no household, each as a one-person household whose id is the
    negative person id (relation ``head``; the zone of their division, else rural; no
    household assets), in the same schema as ``load_facts_frames``. Living people only,
    born by the end of ``period``; chunked like ``household_ids``."""
    vendor = connection.vendor
    person_table = connection.ops.quote_name(Person._meta.db_table)
    ids = sorted({int(p) for p in person_ids})
    member_select = _member_select(vendor, household="-p.id", relation="'head'")
    select = [*member_select, ("p.division_code", "division_code")]
    schema: dict[str, pl.DataType] = {name: pl.Int64 for _, name in member_select}
    schema["division_code"] = pl.Utf8
    chunks = []
    for start in range(0, len(ids), IDS_CHUNK):
        params: list[Any] = [False]
        where = " AND p.is_deceased = %s"
        if period is not None:
            where += " AND p.birth_date <= %s"
            params.append(_period(period).end)
        where += _in_where("p.id", ids[start : start + IDS_CHUNK], params)
        chunks.append(read_columns(select, f"FROM {person_table} p WHERE 1 = 1{where}", params, schema))
    raw = pl.concat(chunks) if chunks else pl.DataFrame(schema=schema)
    directory = get_directory()
    zones = {}
    for code in raw["division_code"].unique().to_list():
        info = directory.get(code)
        zones[code] = info.zone if info and info.zone else "rural"
    households = raw.select(
        "household_id",
        pl.col("division_code").replace_strict(zones, default="rural", return_dtype=pl.Utf8).alias("zone"),
        *(pl.lit(0, dtype=pl.Int64).alias(name) for name in ("financial_assets_fen", "max_vehicle_value_fen", "rigid_spending_12m_fen")),
        "division_code",
    )
    members = _decode_members(raw.drop("division_code"))
    return households.sort("household_id"), members.sort("household_id", "member_id")


def _field(name: str, shift: int, width: int) -> pl.Expr:
    return ((pl.col("packed") // (1 << shift)) % (1 << width)).alias(name)


def _decode_members(raw: pl.DataFrame) -> pl.DataFrame:
    decoded = []
    for name, _, shift, width, codes in _PACKED:
        value = _field(name, shift, width)
        if codes is None:
            decoded.append((value == 1).alias(name))
            continue
        mapping = {i: (code or None) for i, code in enumerate(codes)}
        if name == "relation":
            default: str | None = "other"  # the engine reads relation as free text
        else:
            default = None  # an unknown value becomes null: the batch validation names it
        decoded.append(value.replace_strict(mapping, default=default, return_dtype=pl.Utf8).alias(name))
    grade = (pl.col("packed") // (1 << _GRADE_SHIFT)).cast(pl.Int8).alias("disability_grade")
    frame = raw.select(
        "household_id",
        "member_id",
        pl.col("birth_days").cast(pl.Int32).cast(pl.Date).alias("birth_date"),
        grade,
        *decoded,
        "income_wage_fen",
        "income_business_fen",
        "income_property_fen",
        "income_transfer_fen",
    )
    # A category recorded without a grade is not a disability (as household_facts does).
    frame = frame.with_columns(
        pl.when(pl.col("disability_grade") > 0).then(pl.col("disability_category")).alias("disability_category")
    )
    return frame.select([pl.col(name) if name == "member_id" else pl.col(name).cast(dtype) for name, dtype in MEMBER_SCHEMA.items()])
