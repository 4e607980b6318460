"""Exports of registry lists: masked by default, like the screens.

Every module's export asks here for the ID numbers it writes: full numbers only for a role
allowed to reveal them (Perm.REVEAL_ID_NUMBER), masked otherwise; and records the export with
``audit_export`` (AuditAction.EXPORT with the row count, noting when full numbers left the
platform)."""

from __future__ import annotations

from collections.abc import Iterable

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import decrypt_text
from minzheng.core.xlsx import write_table
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person


def exports_full_id_numbers(actor: Actor) -> bool:
    return actor.has(Perm.REVEAL_ID_NUMBER)


def export_id_numbers(actor: Actor, person_ids: Iterable[int]) -> dict[int, str]:
    """{person id: the number this actor's export carries} — full or masked by role. The
    caller's rows are already scoped; this only reads the numbers of the people it names."""
    ids = {i for i in person_ids if i}
    if not ids:
        return {}
    full = exports_full_id_numbers(actor)
    rows = Person.objects.filter(pk__in=ids).values_list("pk", "id_number_masked", "id_number_encrypted")
    return {pk: (decrypt_text(encrypted) if full and encrypted else masked) for pk, masked, encrypted in rows}


def audit_export(
    actor: Actor, *, what: str, count: int, object_type: str, object_id: object = "", division_code: str = "",
    full_id_numbers: bool = False, extra: dict | None = None,
) -> None:
    note = "含完整身份证号码" if full_id_numbers else "证件号脱敏"
    record_audit_event(
        actor,
        AuditAction.EXPORT,
        object_type=object_type,
        object_id=object_id,
        division_code=division_code,
        summary=f"导出{what} {count} 条（{note}）",
        extra={"rows": count, "full_id_numbers": full_id_numbers, **(extra or {})},
    )

PERSON_HEADERS = ("序号", "姓名", "性别", "出生日期", "身份证号码", "乡镇（街道）", "村（社区）", "残疾等级", "状态")
EXPORT_LIMIT = 100_000


def persons_xlsx(qs) -> tuple[bytes, int]:
    directory = get_directory()
    rows = qs.values_list(
        "name", "sex", "birth_date", "id_number_masked", "division_code", "disability_grade", "is_deceased"
    )[:EXPORT_LIMIT]

    def gen():
        for i, (name, sex, birth, masked, code, grade, dead) in enumerate(rows.iterator(chunk_size=2000), 1):
            town = directory.town_of(code)
            yield (
                i,
                name,
                "男" if sex == "M" else "女",
                birth.isoformat(),
                masked,
                town.name if town else "",
                directory.name(code),
                f"{grade}级" if grade else "",
                "已死亡" if dead else "在册",
            )

    return write_table(PERSON_HEADERS, gen(), sheet_name="人员名单", text_columns=(4,))
