"""The departments' rosters of people in hardship, imported through exchange (docs/exchange.md).

Two department feeds, listed on /exchange/ for the district: 防止返贫监测对象 (区农业农村委 —
乡村振兴) and 困难重点优抚对象 (区退役军人事务局). Each row: the person (registered in the
registry), the date the department listed them, and — when the department has lifted them —
the date it did. All or nothing: one bad row imports nothing and names the row. The checks are
``actions.roster_problems`` (the action asks the same), the commit is
``actions.do_import_department_roster`` (one bulk, audited action; the register takes the
changes at once).
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.core.errors import PermissionDenied
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport
from minzheng.exchange.spec import ID_NUMBER, NAME, Column, ColumnType as T, ImportSpec, RowsRefused, register_spec
from minzheng.lowincome.actions import RosterRefused, RosterRow, do_import_department_roster, roster_problems
from minzheng.lowincome.enums import LISTING_DEPARTMENT, ListingKind
from minzheng.lowincome.permissions import LowIncomePerm

KIND_OF_SPEC = {"lowincome_relapse": ListingKind.RELAPSE, "lowincome_youfu": ListingKind.YOUFU}
SPEC_OF_KIND = {kind: spec_kind for spec_kind, kind in KIND_OF_SPEC.items()}

COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("listed_on", "纳入日期", T.DATE, True, example="2025-06-01"),
    Column("ended_on", "解除日期", T.DATE, note="部门已解除（退出名单）的填写；仍在名单中的不填", example=""),
    Column("note", "备注", T.TEXT, max_length=200, example=""),
)


def _authorize(actor: Actor) -> None:
    actor.require(LowIncomePerm.IMPORT_DEPARTMENT_ROSTERS)
    if not actor.is_system and actor.level != "district":
        raise PermissionDenied("部门困难人员名单须由区民政局导入")


def _rows(matched) -> list[RosterRow]:
    return [
        RosterRow(row=m.number, person_id=m.person.id, listed_on=m.values["listed_on"], ended_on=m.values.get("ended_on"),
                  note=(m.values.get("note") or "").strip())
        for m in sorted(matched, key=lambda m: m.number)
        if m.person is not None
    ]  # fmt: skip


def _check_for(kind: ListingKind):
    def check(actor: Actor, parsed: ParsedImport, match: MatchResult, today_: dt.date) -> dict:
        spec = SPECS[kind]
        for unmatched in match.unmatched:
            parsed.reject(spec, unmatched["row"], "id_number", "该人员未在人口库登记，请先在人口管理中登记")
        good = {row.number for row in parsed.good_rows}
        rows = [r for r in _rows(match.matched) if r.row in good]
        for number, key, reason in roster_problems(kind, rows):
            parsed.reject(spec, number, key, reason)
        return {"listings_planned": len(rows)}

    return check


def _commit_for(kind: ListingKind):
    def commit(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
        try:
            counts = do_import_department_roster(actor, kind=kind, rows=_rows(matched), source_label=f"{LISTING_DEPARTMENT[kind]}名单（导入批次 {batch.pk}）")
        except RosterRefused as e:
            raise RowsRefused(e.rows) from e
        return {"inserted": counts["listed"] + counts["history"], "lifted": counts["lifted"], "skipped": counts["unchanged"]}

    return commit


SPECS = {
    kind: ImportSpec(
        kind=SPEC_OF_KIND[kind],
        title=f"{kind.label}名单",
        source=LISTING_DEPARTMENT[kind],
        columns=COLUMNS,
        commit=_commit_for(kind),
        check=_check_for(kind),
        authorize=_authorize,
        perm=LowIncomePerm.IMPORT_DEPARTMENT_ROSTERS,
        all_or_nothing=True,
        name_mismatch_is_error=True,
        unique_key=("id_number",),
        description="部门提供的名单：仍在名单中的只填纳入日期，已解除的同时填写解除日期；再次导入同一名单不会重复纳入",
    )
    for kind in ListingKind
}


def register() -> None:
    for spec in SPECS.values():
        register_spec(spec)
