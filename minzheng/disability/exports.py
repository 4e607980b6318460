"""Download of the coverage lists (应保未保, 应退未退) with the screen's filters, through the one
export helper: amounts as numeric 0.00 cells, ID numbers as text (full only for a role allowed
to reveal them), audited with its row count."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.xlsx import Column, write_export
from minzheng.disability.selectors import Coverage
from minzheng.divisions.directory import get_directory
from minzheng.registry.exports import (
    audit_export,
    export_id_numbers,
    exports_full_id_numbers,
)

COLUMNS = [
    Column("类型", width=10), Column("补贴项目", width=20), Column("姓名", width=10), Column("身份证号码", width=20),
    Column("乡镇（街道）"), Column("村（社区）"), Column("金额（元/月）", "fen", 14), Column("说明", width=24),
]


def coverage_xlsx(actor: Actor, items: list[Coverage], *, filters: dict[str, str]) -> tuple[bytes, int]:
    directory = get_directory()
    person_ids = [r["person"].pk for c in items for r in (*c.missed, *c.wrongly_paid)]
    ids = export_id_numbers(actor, sorted(set(person_ids)))

    def places(code: str) -> tuple[str, str]:
        town = directory.town_of(code)
        return (town.name if town else "", directory.name(code))

    rows = []
    for c in items:
        for r in c.missed:
            rows.append(["应保未保", c.label, r["person"].name, ids.get(r["person"].pk, ""), *places(r["division_code"]), r["amount_fen"], "按最新筛查符合条件，尚未享受"])
        for r in c.wrongly_paid:
            rows.append(["应退未退", c.label, r["person"].name, ids.get(r["person"].pk, ""), *places(r["division_code"]), r["amount_fen"], r["reason"]])
    content, count = write_export(COLUMNS, rows, sheet_name="覆盖核查", total_label="合计", empty_note="没有应保未保或应退未退人员")
    audit_export(
        actor, what="两项补贴覆盖核查清单", count=count, object_type="disability_coverage",
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count
