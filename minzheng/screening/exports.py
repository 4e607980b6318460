"""Downloads of the screening lists — 疑点清单 and the results of a run — with the screen's
filters applied, through the one export helper (core.xlsx.write_export): amounts as numeric
0.00 cells, ID numbers as text (full only for a role allowed to reveal them), every export
audited with its row count."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from minzheng.accounts.actor import Actor
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.registry.exports import (
    audit_export,
    export_id_numbers,
    exports_full_id_numbers,
)
from minzheng.registry.selectors import household_heads, person_names
from minzheng.screening.models import Discrepancy, ScreeningRun
from minzheng.screening.selectors import PROGRAM_SHORT

EXPORT_LIMIT = 100_000
CHUNK = 2_000

DISCREPANCY_COLUMNS = [
    Column("类型", width=12), Column("救助项目"), Column("对象", width=10), Column("身份证号码", width=20),
    Column("户主", width=10), Column("乡镇（街道）"), Column("村（社区）"),
    Column("按规则应发（元/月）", "fen", 16), Column("实际发放（元/月）", "fen", 16), Column("差额（元/月）", "fen", 14),
]
RESULT_COLUMNS = [
    Column("户主", width=10), Column("户主身份证号码", width=20), Column("乡镇（街道）"), Column("村（社区）"),
    Column("救助项目"), Column("对象", width=10), Column("符合条件", width=8), Column("在保", width=6),
    Column("按规则应发（元/月）", "fen", 16),
]


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _lookups(actor: Actor, person_ids: Iterable[int], household_ids: Iterable[int]):
    people, heads = {}, {}
    for chunk in _chunks(sorted({i for i in person_ids if i})):
        people.update(person_names(actor, chunk))
    for chunk in _chunks(sorted({i for i in household_ids if i})):
        heads.update(household_heads(actor, chunk))
    ids: dict[int, str] = {}
    wanted = set(people) | {head for head, _name in heads.values() if head}
    for chunk in _chunks(sorted(wanted)):
        ids.update(export_id_numbers(actor, chunk))
    return people, heads, ids


def _places(code: str) -> tuple[str, str]:
    directory = get_directory()
    town = directory.town_of(code)
    return (town.name if town else "", directory.name(code))


def discrepancies_xlsx(actor: Actor, run: ScreeningRun, qs, *, filters: dict[str, str]) -> tuple[bytes, int]:
    items: list[Discrepancy] = list(qs[:EXPORT_LIMIT])
    people, heads, ids = _lookups(actor, (d.person_id for d in items), (d.household_id for d in items))
    rows = []
    for d in items:
        head_id, head_name = heads.get(d.household_id, (None, ""))
        subject_id = d.person_id if d.person_id else head_id
        subject_name = people.get(d.person_id, "") if d.person_id else head_name
        difference = (
            d.actual_amount_fen - d.expected_amount_fen
            if d.actual_amount_fen is not None and d.expected_amount_fen is not None
            else None
        )
        rows.append([
            d.get_kind_display(), PROGRAM_SHORT.get(d.program, d.program), subject_name, ids.get(subject_id, ""),
            head_name, *_places(d.division_code), d.expected_amount_fen, d.actual_amount_fen, difference,
        ])
    content, count = write_export(DISCREPANCY_COLUMNS, rows, sheet_name="疑点清单", empty_note="没有符合条件的疑点")
    audit_export(
        actor, what=f"筛查疑点清单（{run.period}）", count=count, object_type="screening_run", object_id=run.pk,
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count


def results_xlsx(actor: Actor, run: ScreeningRun, qs, *, filters: dict[str, str]) -> tuple[bytes, int]:
    """Every stored result (eligible or enrolled) under the chosen division, one row per
    household and program (and person, for a person's program)."""
    items = list(
        qs.values_list("program", "household_id", "person_id", "division_code", "eligible", "enrolled", "amount_fen")[:EXPORT_LIMIT]
    )
    people, heads, ids = _lookups(actor, (i[2] for i in items), (i[1] for i in items))
    rows = []
    for program, household_id, person_id, code, eligible, enrolled, amount in items:
        head_id, head_name = heads.get(household_id, (None, ""))
        rows.append([
            head_name, ids.get(head_id, ""), *_places(code), PROGRAM_SHORT.get(program, program),
            people.get(person_id, "") if person_id else "（全户）", "是" if eligible else "否", "是" if enrolled else "否",
            amount if eligible else None,
        ])
    content, count = write_export(RESULT_COLUMNS, rows, sheet_name="筛查结果", total_label="合计", empty_note="没有筛查结果")
    audit_export(
        actor, what=f"筛查结果（{run.period}）", count=count, object_type="screening_run", object_id=run.pk,
        full_id_numbers=exports_full_id_numbers(actor), extra={"filters": filters},
    )
    return content, count
