"""The lottery centre's monthly sales file (福彩销售额导入): an exchange spec, ``lottery_sales``.

One row per outlet and month: 投注站编号, 销售月份, 销售额（元）. The template, preview → commit,
the error report (第N行 [列名] 原因) and the idempotency by content (the same file lands once)
are exchange's. The line's own checks, before anything is written: the outlet exists in the
importer's divisions and was open in the month, the amount is not negative, an outlet and month
appear once in the file and have not been imported before (a month already imported is refused
by name: a correction is not overwritten silently). All or nothing: one bad row imports nothing.
The commit writes each row through ``actions.do_record_sales``.
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport
from minzheng.exchange.spec import (
    Column,
    ColumnType,
    ImportSpec,
    RowsRefused,
    register_spec,
)
from minzheng.lottery.access import access_outlet_by_licence
from minzheng.lottery.actions import do_record_sales, validate_sales

KIND = "lottery_sales"
GROUP = "lottery"
COLUMNS = (
    Column("licence_no", "投注站编号", ColumnType.TEXT, True, 20, note="福彩中心的投注站编号，须已在本平台登记", example="50010201001"),
    Column("month", "销售月份", ColumnType.MONTH, True, note="如 2026-11", example="2026-11"),
    Column("sales", "销售额（元）", ColumnType.DECIMAL_YUAN, True, note="该投注站当月销售额，最多两位小数，不能为负数", example="125000.00"),
)
FIELD_COLUMN = {"licence_no": "licence_no", "month": "month", "sales": "sales"}


def check_sales(actor: Actor, parsed: ParsedImport, match: MatchResult, today: dt.date) -> dict:
    seen: dict[tuple[str, dt.date], int] = {}
    total = 0
    months: set[str] = set()
    for row in parsed.good_rows:
        values = row.values
        licence = str(values["licence_no"]).strip()
        outlet = access_outlet_by_licence(actor, licence)
        if outlet is None:
            parsed.reject(SPEC, row.number, "licence_no", f"投注站编号“{licence}”未登记或不在您的管辖范围内")
            continue
        key = (licence, values["month"])
        if key in seen:
            parsed.reject(SPEC, row.number, "month", f"与第{seen[key]}行重复（同一投注站、同一月份）")
            continue
        seen[key] = row.number
        errors = validate_sales(outlet, values["month"], values["sales"])
        for field, message in errors.items():
            parsed.reject(SPEC, row.number, FIELD_COLUMN.get(field), message)
        if not errors:
            total += values["sales"]
            months.add(values["month"].strftime("%Y-%m"))
    return {"sales_fen": total, "months": sorted(months)}


def commit_sales(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
    """Each row through do_record_sales, as one typed on a screen; all or nothing."""
    count = 0
    for m in matched:
        outlet = access_outlet_by_licence(actor, str(m.values["licence_no"]))
        try:
            if outlet is None:
                raise ValidationFailed({"licence_no": "投注站未登记或不在您的管辖范围内"})
            do_record_sales(actor, outlet, month=m.values["month"], sales_fen=m.values["sales"], batch_id=batch.pk)
        except DomainError as e:
            if isinstance(e, ValidationFailed):
                raise RowsRefused([(m.number, FIELD_COLUMN.get(f, ""), msg) for f, msg in e.errors.items()]) from e
            raise RowsRefused([(m.number, "", e.message)]) from e
        count += 1
    return {"inserted": count}


SPEC = ImportSpec(
    kind=KIND,
    title="福利彩票销售额",
    source="重庆市福利彩票发行中心（涪陵区）",
    description="各投注站月销售额，每行一个投注站一个月",
    columns=COLUMNS,
    commit=commit_sales,
    check=check_sales,
    id_column=None,
    name_column=None,
    unique_key=("licence_no", "month"),
    perm=Perm.MANAGE_LOTTERY,
    listed=False,
    group=GROUP,
    all_or_nothing=True,
    max_rows=20_000,
    instructions=("同一投注站同一月份只能导入一次；已导入的月份如需更正，请联系区民政局。",),
)


def register() -> None:
    """Called by LotteryConfig.ready()."""
    register_spec(SPEC)
