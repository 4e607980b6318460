"""Indicator values by Excel (指标数值导入): an exchange spec, ``planning_values``.

The template, the upload → preview → commit pages, the error report (第N行 [列名] 原因) and the
idempotency by content are exchange's. What is planning's own: the check of each row with the
SAME validation as the entry form (``actions.validate_value_input``), the period locks,
duplicates within the file and values already pending; and the commit, where each row goes
through ``actions.do_submit_value`` — the action the entry form uses — and becomes a submission
pending approval. All or nothing: one bad row (also one refused at commit, e.g. a year locked
after the preview) imports nothing. A batch is seen only by its uploader. Values go to the
current plan (``selectors.current_plan``), fixed at the preview.
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport
from minzheng.exchange.spec import Column, ColumnType, ImportSpec, RowsRefused, register_spec
from minzheng.planning.actions import ValueInput, computation_blocks_entry, do_submit_value, is_locked, validate_value_input
from minzheng.core.district import district_code
from minzheng.planning.models import Indicator, Plan, ValueSubmission
from minzheng.planning.selectors import current_plan

KIND = "planning_values"
GROUP = "planning"
MAX_ROWS = 2000
TEXT, INT, DATE = ColumnType.TEXT, ColumnType.INT, ColumnType.DATE

COLUMNS = (
    Column("indicator_code", "指标编号", TEXT, True, 10, note="见“填表说明”末尾所列可填报指标，如 7、13、O06", example="7"),
    Column("indicator_name", "指标名称", TEXT, max_length=100, note="仅供核对，以指标编号为准", example="社会工作专业人才数量"),
    Column("year", "年度", INT, True, note="四位年份，如 2024", example=2024, min_value=2000, max_value=2100),
    Column("month", "月份", INT, note="1—12；年度值留空", min_value=1, max_value=12),
    Column("division", "区划", TEXT, True, 20, note="“全区”或乡镇（街道）名称", example="全区"),
    Column("value", "数值", TEXT, max_length=30, note="比率类指标可只填分子、分母", example="5200"),
    Column("numerator", "分子", TEXT, max_length=30, note="比率类指标：分子（如已建工作站的乡镇数）"),
    Column("denominator", "分母", TEXT, max_length=30, note="比率类指标：分母（如乡镇总数）"),
    Column("as_of", "数据截至日期", DATE, True, note="如 2024-12-31", example="2024-12-31"),
    Column("evidence", "佐证说明", TEXT, True, 500, note="数据来源、统计口径、文件名称等", example="区社工协会年度统计表"),
)
# validate_value_input's field → the column it concerns
FIELD_COLUMN = {"indicator": "indicator_code", "division_code": "division"}


def _column_key(field: str) -> str:
    key = FIELD_COLUMN.get(field, field)
    return key if key in {c.key for c in COLUMNS} else ""


def manual_indicators(plan: Plan) -> list[Indicator]:
    """Indicators that can be entered by hand for at least one year of the plan (computed ones
    only for the past years their computation cannot produce)."""
    return [
        i for i in Indicator.objects.filter(plan=plan).select_related("mirror_of").order_by("kind", "seq")
        if computation_blocks_entry(i, plan.start_year) is None
    ]


def _division_names() -> dict[str, str]:
    return {"全区": district_code(), "涪陵区": district_code()} | {t.name: t.code for t in get_directory().towns()}


def _value_input(values: dict, division_code: str) -> ValueInput:
    def text(key: str) -> str | None:
        v = values.get(key)
        return str(v) if v not in (None, "") else None

    return ValueInput(
        indicator_code=values["indicator_code"],
        year=values["year"],
        month=values.get("month") or 0,
        division_code=division_code,
        as_of=values["as_of"],
        evidence=values["evidence"],
        value=text("value"),
        numerator=text("numerator"),
        denominator=text("denominator"),
    )


def _division_code(values: dict) -> str:
    name = str(values.get("division") or "")
    return _division_names().get(name) or (name if name.isdigit() else "")


def _plan_of(plan_id: int | None) -> Plan | None:
    return Plan.objects.filter(pk=plan_id).first() if plan_id else current_plan()


def check_values(actor: Actor, parsed: ParsedImport, match: MatchResult, today: dt.date) -> dict:
    """Every row through the entry form's validation; locks, duplicates, pending values."""
    spec = SPEC
    plan = current_plan()
    if plan is None:
        for row in parsed.good_rows:
            parsed.reject(spec, row.number, None, "尚无规划，不能导入指标数值")
        return {}
    seen: dict[tuple, int] = {}
    for row in parsed.good_rows:
        values = row.values
        division = _division_code(values)
        if not division:
            parsed.reject(spec, row.number, "division", f"区划“{values.get('division')}”不存在")
            continue
        try:
            indicator, clean = validate_value_input(actor, plan, _value_input(values, division))
        except ValidationFailed as e:
            for field, message in e.errors.items():
                parsed.reject(spec, row.number, _column_key(field) or None, message)
            continue
        if is_locked(plan, clean["year"]):
            parsed.reject(spec, row.number, "year", f"{clean['year']}年度数据已锁定")
        key = (indicator.code, clean["year"], clean["month"], clean["division_code"])
        if key in seen:
            parsed.reject(spec, row.number, "indicator_code", f"与第{seen[key]}行重复（同一指标、同一期、同一区划）")
        else:
            seen[key] = row.number
        pending = ValueSubmission.objects.filter(
            indicator=indicator, year=clean["year"], month=clean["month"], division_code=clean["division_code"], status="pending"
        ).exists()
        if pending:
            parsed.reject(spec, row.number, "indicator_code", "该指标同一期、同一区划已有待审核的填报")
    return {"plan_id": plan.pk, "plan": plan.code}


def commit_values(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
    """Each row through do_submit_value, as if entered on the form; pending approval."""
    plan = _plan_of(batch.summary.get("plan_id"))
    count = 0
    for m in matched:
        try:
            do_submit_value(actor, plan, _value_input(m.values, _division_code(m.values)), batch=batch)
        except DomainError as e:
            if isinstance(e, ValidationFailed):
                raise RowsRefused([(m.number, _column_key(f), msg) for f, msg in e.errors.items()]) from e
            raise RowsRefused([(m.number, "", e.message)]) from e
        count += 1
    return {"inserted": count, "submissions": count}


def template_notes(actor: Actor) -> list[str]:
    """The indicators that may be entered by hand and the divisions the user may fill in."""
    plan = current_plan()
    lines = []
    if plan is not None:
        lines.append(
            "可填报的指标（指标编号 指标名称（单位，汇总方式））："
            + "；".join(f"{i.code} {i.name}（{i.unit}，{i.get_aggregation_display()}）" for i in manual_indicators(plan))
        )
    towns = [t.name for t in sorted(get_directory().towns(), key=lambda t: t.code) if actor.covers(t.code)]
    divisions = (["全区"] if actor.covers(district_code()) else []) + towns
    lines.append("可填写的区划：" + "、".join(divisions))
    return lines


SPEC = ImportSpec(
    kind=KIND,
    title="指标数值",
    source="区民政局各科室、乡镇（街道）",
    columns=COLUMNS,
    commit=commit_values,
    check=check_values,
    description="规划指标的手工填报数值，每行生成一条待审核填报",
    id_column=None,
    name_column=None,
    instructions=(
        "只能导入手工填报类指标（见本表末尾所列）；系统计算类指标由平台自动计算，不接受导入。",
        "乡镇（街道）的比率类指标须同时填写分子和分母，全区数值按合计分子÷合计分母计算。",
        "一次导入的所有行须全部通过校验才会导入（任一行有错误则整批不导入）；导入后每行生成一条待审核填报，由区级人员审核后生效。",
        "已锁定年度的数据不能导入。",
    ),
    perm=Perm.EDIT_INDICATORS,
    max_rows=MAX_ROWS,
    sheet_name="指标数据",
    listed=False,
    group=GROUP,
    all_or_nothing=True,
    owner_only=True,
    template_notes=template_notes,
)


def register() -> None:
    """Called by PlanningConfig.ready()."""
    register_spec(SPEC)


__all__ = ["KIND", "SPEC", "manual_indicators", "register"]
