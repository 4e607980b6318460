"""Exports of registry lists: masked by default, like the screens."""

from __future__ import annotations

from minzheng.core.xlsx import write_table
from minzheng.divisions.directory import get_directory

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
