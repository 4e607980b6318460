"""Downloads of the lists caseworkers work from — 待办 and 保障对象 — with the screen's filters
applied, through the one export helper (core.xlsx.write_export): money as numeric 0.00 cells,
ID numbers as text, full only for a role allowed to reveal them, every export audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.assistance.selectors import TodoRow
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.registry.exports import (
    audit_export,
    export_id_numbers,
    exports_full_id_numbers,
)

EXPORT_LIMIT = 100_000

TODO_COLUMNS = [
    Column("申请编号", width=18), Column("救助项目"), Column("申请人", width=10), Column("身份证号码", width=20),
    Column("乡镇（街道）"), Column("村（社区）"), Column("当前环节"), Column("办理时限", "date", 12),
    Column("剩余工作日", "int", 10), Column("提醒", width=8),
]
ENROLMENT_COLUMNS = [
    Column("领款人", width=10), Column("身份证号码", width=20), Column("救助项目"), Column("乡镇（街道）"), Column("村（社区）"),
    Column("保障人数", "count", 8), Column("月保障金额（元）", "fen", 14), Column("起始月份", width=10),
    Column("下次复核", "date", 12), Column("状态", width=8),
]
TONE_LABELS = {"danger": "已超期", "warn": "临期", "ok": "", "neutral": ""}


def _places(code: str) -> tuple[str, str]:
    directory = get_directory()
    town = directory.town_of(code)
    return (town.name if town else "", directory.name(code))


def todo_xlsx(actor: Actor, rows: list[TodoRow], *, filters: dict[str, str]) -> tuple[bytes, int]:
    ids = export_id_numbers(actor, [r.application.applicant_id for r in rows])
    data = []
    for r in rows:
        a = r.application
        data.append([
            a.number, a.get_program_display(), a.applicant.name, ids.get(a.applicant_id, ""), *_places(a.division_code),
            a.get_status_display(), a.deadline_on, r.remaining, TONE_LABELS.get(r.tone, ""),
        ])
    content, count = write_export(TODO_COLUMNS, data, sheet_name="救助待办", empty_note="没有符合条件的待办")
    audit_export(
        actor, what="救助待办", count=count, object_type="application",
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count


def enrolments_xlsx(actor: Actor, qs, *, filters: dict[str, str]) -> tuple[bytes, int]:
    enrolments = list(qs.select_related("payee")[:EXPORT_LIMIT])
    ids = export_id_numbers(actor, [e.payee_id for e in enrolments])
    data = [
        [
            e.payee.name, ids.get(e.payee_id, ""), e.get_program_display(), *_places(e.division_code),
            e.people_covered, e.amount_fen, e.start_month.strftime("%Y-%m") if e.start_month else "",
            e.next_review_on, e.get_status_display(),
        ]
        for e in enrolments
    ]
    content, count = write_export(
        ENROLMENT_COLUMNS, data, sheet_name="保障对象", total_label="合计", empty_note="没有符合条件的保障对象"
    )
    audit_export(
        actor, what="保障对象名单", count=count, object_type="enrolment",
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count
