"""The register as a download, with the screen's filters: ID numbers masked unless the role may
reveal them, every export audited (one helper: core.xlsx.write_export)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.registry.exports import (
    audit_export,
    export_id_numbers,
    exports_full_id_numbers,
)

EXPORT_LIMIT = 200_000
COLUMNS = [
    Column("姓名", width=10), Column("身份证号码", width=20), Column("类别", width=16), Column("乡镇（街道）"),
    Column("村（社区）"), Column("纳入日期", "date", 12), Column("来源", width=12), Column("来源说明", width=28),
]


def register_xlsx(actor: Actor, qs, *, filters: dict[str, str]) -> tuple[bytes, int]:
    directory = get_directory()
    rows = list(qs[:EXPORT_LIMIT])
    ids = export_id_numbers(actor, [r.person_id for r in rows])
    data = []
    for r in rows:
        town = directory.town_of(r.division_code)
        data.append([
            r.person.name, ids.get(r.person_id, r.person.id_number_masked), r.get_tier_display(), town.name if town else "",
            directory.name(r.division_code), r.since, r.get_source_kind_display(), r.source_label,
        ])
    content, count = write_export(COLUMNS, data, sheet_name="低收入人口名册", empty_note="没有符合条件的人员")
    audit_export(
        actor, what="低收入人口名册", count=count, object_type="lowincome_register",
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count
