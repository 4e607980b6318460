"""Excel import of indicator values: a downloadable template (with 填表说明 and 字典 sheets, no
database ids), a full parse with row errors for the preview, and an all-or-nothing commit.

Each row becomes a submission pending approval, exactly as if entered on the form."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import xlsxwriter
from django.db import transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.planning.actions import ValueInput, computation_blocks_entry, do_submit_value, is_locked, validate_value_input
from minzheng.planning.enums import ImportStatus
from minzheng.planning.models import ImportBatch, Indicator, Plan, ValueSubmission

SHEET = "指标数据"
COLUMNS = [
    # (header, key, required, note)
    ("指标编号", "indicator_code", True, "见“字典”表，如 7、13、O06"),
    ("指标名称", "indicator_name", False, "仅供核对，以指标编号为准"),
    ("年度", "year", True, "四位年份，如 2024"),
    ("月份", "month", False, "1—12；年度值留空"),
    ("区划", "division", True, "“全区”或乡镇（街道）名称，见“字典”表"),
    ("数值", "value", False, "比率类指标可只填分子、分母"),
    ("分子", "numerator", False, "比率类指标：分子（如已建工作站的乡镇数）"),
    ("分母", "denominator", False, "比率类指标：分母（如乡镇总数）"),
    ("数据截至日期", "as_of", True, "如 2024-12-31"),
    ("佐证说明", "evidence", True, "数据来源、统计口径、文件名称等"),
]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def manual_indicators(plan: Plan) -> list[Indicator]:
    """Indicators that can be entered by hand for at least one year of the plan (computed ones
    only for the past years their computation cannot produce)."""
    return [
        i for i in Indicator.objects.filter(plan=plan).select_related("mirror_of").order_by("kind", "seq")
        if computation_blocks_entry(i, plan.start_year) is None
    ]


def template_xlsx(plan: Plan, actor: Actor) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    req = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1, "font_color": "#C62828"})
    grey = wb.add_format({"font_color": "#808080", "italic": True})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet(SHEET)
    for c, (header, key, required, note) in enumerate(COLUMNS):
        ws.write_string(0, c, header + ("*" if required else ""), req if required else head)
        ws.write_comment(0, c, note)
        width = {"indicator_name": 36, "evidence": 36, "division": 14}.get(key, 12)
        fmt = text if key in ("indicator_code", "division", "evidence", "indicator_name") else (date if key == "as_of" else None)
        ws.set_column(c, c, width, fmt)
    example = ["7", "社会工作专业人才数量", 2024, None, "全区", 5200, None, None, None, "区社工协会年度统计表（示例行，导入前请删除）"]
    for c, v in enumerate(example):
        if v is None:
            continue
        if isinstance(v, str):
            ws.write_string(1, c, v, grey)
        else:
            ws.write_number(1, c, v, grey)
    ws.write_datetime(1, 8, dt.datetime(2024, 12, 31), wb.add_format({"num_format": "yyyy-mm-dd", "font_color": "#808080", "italic": True}))
    ws.freeze_panes(1, 0)

    indicators = manual_indicators(plan)
    divisions = ["全区"] + [t.name for t in sorted(get_directory().towns(), key=lambda t: t.code) if actor.covers(t.code)]
    if not actor.covers(district_code()):
        divisions = divisions[1:]
    dic = wb.add_worksheet("字典")
    dic.write_row(0, 0, ["指标编号", "指标名称", "单位", "汇总方式", "区划"], head)
    for r, ind in enumerate(indicators, start=1):
        dic.write_string(r, 0, ind.code)
        dic.write_string(r, 1, ind.name)
        dic.write_string(r, 2, ind.unit)
        dic.write_string(r, 3, ind.get_aggregation_display())
    for r, name in enumerate(divisions, start=1):
        dic.write_string(r, 4, name)
    dic.set_column(0, 0, 10)
    dic.set_column(1, 1, 40)
    dic.set_column(3, 3, 28)
    dic.set_column(4, 4, 14)
    ws.data_validation(1, 0, MAX_ROWS, 0, {"validate": "list", "source": f"=字典!$A$2:$A${len(indicators) + 1}"})
    ws.data_validation(1, 4, MAX_ROWS, 4, {"validate": "list", "source": f"=字典!$E$2:$E${len(divisions) + 1}"})
    ws.data_validation(1, 3, MAX_ROWS, 3, {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 12,
                                           "error_message": "月份应为1—12，年度值留空"})

    notes = wb.add_worksheet("填表说明")
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 90)
    notes.write_row(0, 0, ["列", "填写要求"], head)
    for r, (header, _key, required, note) in enumerate(COLUMNS, start=1):
        notes.write_string(r, 0, header + ("（必填）" if required else ""))
        notes.write_string(r, 1, note, wrap)
    rules = [
        "只能导入手工填报类指标（见“字典”表）；系统计算类指标由平台自动计算，不接受导入。",
        "乡镇（街道）的比率类指标须同时填写分子和分母，全区数值按合计分子÷合计分母计算。",
        "一次导入的所有行须全部通过校验才会导入（任一行有错误则整批不导入）；导入后每行生成一条待审核填报，由区级人员审核后生效。",
        "已锁定年度的数据不能导入。请删除第2行示例后再填写。",
        f"每个文件最多{MAX_ROWS}行，文件不超过5MB。",
    ]
    for i, rule in enumerate(rules, start=len(COLUMNS) + 2):
        notes.write_string(i, 0, "说明")
        notes.write_string(i, 1, rule, wrap)
    wb.close()
    return buf.getvalue()


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _cell_date(v) -> dt.date | None | str:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip().replace("年", "-").replace("月", "-").replace("日", "").replace(".", "-").replace("/", "-")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        return "invalid"


def parse_workbook(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    if SHEET not in wb.sheet_names:
        raise ValidationFailed({"file": f"文件中没有“{SHEET}”工作表，请使用下载的模板"})
    return wb.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)


def parse_rows(actor: Actor, plan: Plan, table: list[list]) -> tuple[list[dict], list[dict]]:
    """(rows, errors): every row checked with the same validation as the form; errors name the
    row (Excel's numbering) and the column."""
    if not table:
        raise ValidationFailed({"file": "文件为空"})
    headers = [_cell_text(h).rstrip("*") for h in table[0]]
    expected = [h for h, *_ in COLUMNS]
    if headers[: len(expected)] != expected:
        raise ValidationFailed({"file": "表头与模板不一致，请使用下载的模板"})
    directory = get_directory()
    names = {"全区": district_code(), "涪陵区": district_code()} | {t.name: t.code for t in directory.towns()}
    labels = {key: header for header, key, *_ in COLUMNS}
    rows, errors, seen = [], [], {}
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ValidationFailed({"file": f"超过{MAX_ROWS}行，请分批导入"})
    for n, raw in enumerate(body, start=2):
        cells = {key: (raw[i] if i < len(raw) else None) for i, (_, key, *_rest) in enumerate(COLUMNS)}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        if "示例行" in _cell_text(cells["evidence"]):
            errors.append({"row": n, "column": labels["evidence"], "message": "请删除示例行"})
            continue
        row_errors: dict[str, str] = {}
        year_text, month_text = _cell_text(cells["year"]), _cell_text(cells["month"])
        year = int(year_text) if year_text.isdigit() else None
        month = int(month_text) if month_text.isdigit() else (0 if month_text == "" else None)
        if year is None:
            row_errors["year"] = "年度应为四位数字"
        if month is None:
            row_errors["month"] = "月份应为1—12的整数"
        division_name = _cell_text(cells["division"])
        division = names.get(division_name) or (division_name if division_name.isdigit() else "")
        if not division:
            row_errors["division"] = f"区划“{division_name}”不存在"
        as_of = _cell_date(cells["as_of"])
        if as_of == "invalid":
            row_errors["as_of"] = "日期格式应为 2024-12-31"
            as_of = None
        data = ValueInput(
            indicator_code=_cell_text(cells["indicator_code"]),
            year=year if year is not None else 0,
            month=month if month is not None else 0,
            division_code=division,
            as_of=as_of,
            evidence=_cell_text(cells["evidence"]),
            value=_cell_text(cells["value"]) or None,
            numerator=_cell_text(cells["numerator"]) or None,
            denominator=_cell_text(cells["denominator"]) or None,
        )
        clean = None
        if not row_errors:
            try:
                indicator, clean = validate_value_input(actor, plan, data)
            except ValidationFailed as e:
                for field, message in e.errors.items():
                    key = {"indicator": "indicator_code", "division_code": "division"}.get(field, field)
                    row_errors[key] = message
        if clean is not None:
            if is_locked(plan, clean["year"]):
                row_errors["year"] = f"{clean['year']}年度数据已锁定"
            key = (indicator.code, clean["year"], clean["month"], clean["division_code"])
            if key in seen:
                row_errors["indicator_code"] = f"与第{seen[key]}行重复（同一指标、同一期、同一区划）"
            else:
                seen[key] = n
            pending = ValueSubmission.objects.filter(
                indicator=indicator, year=clean["year"], month=clean["month"], division_code=clean["division_code"],
                status="pending",
            ).exists()
            if pending:
                row_errors["indicator_code"] = "该指标同一期、同一区划已有待审核的填报"
        for key, message in row_errors.items():
            errors.append({"row": n, "column": labels.get(key, key), "message": message})
        rows.append({
            "row": n,
            "indicator_code": data.indicator_code,
            "indicator_name": indicator.name if clean is not None else _cell_text(cells["indicator_name"]),
            "year": data.year,
            "month": data.month,
            "division_code": division,
            "division_name": directory.name(division) if division else division_name,
            "value": f"{clean['value'].normalize():f}" if clean is not None else _cell_text(cells["value"]),
            "numerator": _cell_text(cells["numerator"]),
            "denominator": _cell_text(cells["denominator"]),
            "as_of": as_of.isoformat() if isinstance(as_of, dt.date) else "",
            "evidence": data.evidence,
            "ok": not row_errors,
        })
    if not rows and not errors:
        raise ValidationFailed({"file": "没有可导入的数据行"})
    return rows, errors


@transaction.atomic
def do_preview_import(actor: Actor, plan: Plan, *, file_name: str, content: bytes) -> ImportBatch:
    actor.require(Perm.EDIT_INDICATORS)
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"file": "文件超过5MB"})
    if not content.startswith(b"PK"):
        raise ValidationFailed({"file": "请上传 .xlsx 格式的文件（使用下载的模板）"})
    try:
        table = parse_workbook(content)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 — a corrupt file is the user's input, not our bug
        raise ValidationFailed({"file": "无法读取该文件，请确认是 Excel（.xlsx）文件"}) from None
    rows, errors = parse_rows(actor, plan, table)
    home = next(iter(sorted(actor.scope_prefixes, key=len)), "")
    batch = ImportBatch.objects.create(
        plan=plan, division_code=home, file_name=file_name[:200], sha256=hashlib.sha256(content).hexdigest(),
        rows=rows, errors=errors, created_by_id=actor.user_id,
    )
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="planning_import",
        object_id=batch.pk,
        division_code=home,
        summary=f"上传指标数据文件“{file_name[:60]}”：{len(rows)}行，错误{len(errors)}处（待确认）",
    )
    return batch


def access_batch(actor: Actor, batch_id: object, *, for_update: bool = False) -> ImportBatch:
    batch = access_by_id(ImportBatch.objects.select_related("plan"), actor, batch_id, for_update=for_update)
    if batch.created_by_id != actor.user_id:
        from minzheng.core.errors import NotFound

        raise NotFound()
    return batch


@transaction.atomic
def do_commit_import(actor: Actor, batch_id: object) -> int:
    """All rows or none: any error (also one found again now) leaves nothing imported."""
    actor.require(Perm.EDIT_INDICATORS)
    batch = access_batch(actor, batch_id, for_update=True)
    if batch.status != ImportStatus.PREVIEWED:
        raise DomainError(f"该批次{batch.get_status_display()}，不能再次导入", code="not_previewed")
    if batch.errors:
        raise DomainError("该文件有错误，不能导入；请修改后重新上传", code="has_errors")
    count = 0
    for row in batch.rows:
        data = ValueInput(
            indicator_code=row["indicator_code"], year=row["year"], month=row["month"],
            division_code=row["division_code"], as_of=dt.date.fromisoformat(row["as_of"]) if row["as_of"] else None,
            evidence=row["evidence"], value=row["value"] or None, numerator=row["numerator"] or None,
            denominator=row["denominator"] or None,
        )
        try:
            do_submit_value(actor, batch.plan, data, batch=batch)
        except DomainError as e:
            # Something changed since the preview (a lock, a new pending value): nothing is imported.
            detail = "；".join(e.errors.values()) if isinstance(e, ValidationFailed) else e.message
            raise DomainError(f"第{row['row']}行：{detail}。整批未导入，请重新上传。", code="row_failed") from e
        count += 1
    batch.status = ImportStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.save(update_fields=["status", "committed_at"])
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="planning_import",
        object_id=batch.pk,
        division_code=batch.division_code,
        summary=f"导入指标数据“{batch.file_name[:60]}”{count}条（待审核）",
    )
    return count


@transaction.atomic
def do_discard_import(actor: Actor, batch_id: object) -> None:
    batch = access_batch(actor, batch_id, for_update=True)
    if batch.status == ImportStatus.PREVIEWED:
        batch.status = ImportStatus.DISCARDED
        batch.save(update_fields=["status"])
        record_audit_event(actor, AuditAction.UPDATE, object_type="planning_import", object_id=batch.pk,
                           division_code=batch.division_code, summary="放弃导入批次")


def error_report_xlsx(batch: ImportBatch) -> bytes:
    from minzheng.core.xlsx import write_table

    content, _ = write_table(
        ["行号", "列", "错误原因"],
        [[e["row"], e["column"], e["message"]] for e in batch.errors],
        sheet_name="错误报告",
    )
    return content

