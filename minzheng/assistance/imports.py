"""Excel/CSV imports: the departments' data for the economic check, and the bureau's
existing rosters (低保 households with members, 特困 persons).

Every import is two steps: upload → every row parsed and checked, a preview with row-level
errors (第N行 [列名] 原因) → commit, in ONE transaction, only when there is no error at all.
A roster with one bad row therefore imports nothing and says which row; the corrected file
imports everything. People are matched by ID number through the blind index (the full number
is never stored in the job's error list or summary — only masked).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import xlsxwriter
from django.db import transaction
from django.utils import timezone
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance.clock import add_months, today
from minzheng.assistance.enums import (
    DEPARTMENT_IMPORT_KINDS,
    ChangeKind,
    EnrolmentSource,
    EnrolmentStatus,
    ImportKind,
    ImportStatus,
    Level,
    Program,
    SubjectKind,
)
from minzheng.assistance.models import DepartmentRecord, Enrolment, EnrolmentChange, ImportJob
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import blind_index, encrypt_text
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.masking import mask_account
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.registry.enums import Relation, SelfCare
from minzheng.registry.models import HouseholdMembership, Person

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    header: str  # without the *
    key: str
    required: bool = False
    kind: str = "text"  # text | id | money | int | date | month | choice
    help: str = ""
    example: str = ""


ID = Column("身份证号码", "id_number", True, "id", "18位，单元格须为文本格式", "500102195201207809")
NAME = Column("姓名", "name", False, "text", "用于核对，可不填", "张三")

DEPARTMENT_COLUMNS: dict[str, list[Column]] = {
    ImportKind.DEPT_PENSION: [ID, NAME, Column("待遇项目", "item", True, help="如 城乡居民基本养老保险", example="城乡居民基本养老保险"), Column("月发放金额（元）", "monthly", True, "money", example="185.00"), Column("数据日期", "as_of", False, "date", example="2026-10-31")],
    ImportKind.DEPT_WAGES: [ID, NAME, Column("单位名称", "item", False, example="某某建材有限公司"), Column("月工资收入（元）", "monthly", True, "money", example="2600.00"), Column("数据日期", "as_of", False, "date", example="2026-10-31")],
    ImportKind.DEPT_BUSINESS: [ID, NAME, Column("市场主体名称", "item", True, example="某某副食店"), Column("统一社会信用代码", "code", False, example="92500102MA00000000"), Column("登记状态", "state", False, example="存续")],
    ImportKind.DEPT_VEHICLE: [ID, NAME, Column("号牌号码", "item", True, example="渝G12345"), Column("品牌型号", "model", False, example="五菱"), Column("车辆现值（元）", "value", True, "money", example="18000.00")],
    ImportKind.DEPT_REAL_ESTATE: [ID, NAME, Column("不动产坐落", "item", True, example="涪陵区某街道某小区1栋"), Column("建筑面积（平方米）", "area", False, "text", example="68.5"), Column("套数", "quantity", False, "int", example="1")],
    ImportKind.DEPT_DEPOSITS: [ID, NAME, Column("金融机构", "item", True, example="某某银行涪陵支行"), Column("资产类型", "asset_type", False, example="活期存款"), Column("余额或市值（元）", "value", True, "money", example="3200.00")],
    ImportKind.DEPT_PROVIDENT_FUND: [ID, NAME, Column("缴存单位", "item", False, example="某某公司"), Column("账户余额（元）", "value", True, "money", example="5400.00")],
    ImportKind.DEPT_DEATH: [ID, NAME, Column("死亡日期", "death_date", True, "date", example="2026-10-20"), Column("信息来源", "item", False, example="公安户籍注销")],
}

RELATION_BY_LABEL = {label: value for value, label in Relation.choices}
SELF_CARE_BY_LABEL = {label: value for value, label in SelfCare.choices}
ZONE_BY_LABEL = {"城镇": "urban", "农村": "rural"}

ROSTER_COLUMNS: dict[str, list[Column]] = {
    ImportKind.ROSTER_DIBAO: [
        Column("户编号", "group", True, help="同一户的成员填写相同的户编号", example="1"),
        ID,
        Column("姓名", "name", True, example="张三"),
        Column("与户主关系", "relation", True, "choice", "户主、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、儿媳/女婿、其他", "户主"),
        Column("村（社区）代码", "division_code", True, help="12位统计用区划代码", example="500102006001"),
        Column("城乡类别", "zone", False, "choice", "户主行必填：城镇 或 农村", "城镇"),
        Column("月保障金额（元）", "amount", False, "money", "户主行必填，全户月保障金额", "960.00"),
        Column("保障起始年月", "start", False, "month", "户主行必填，格式 YYYY-MM", "2024-03"),
        Column("开户银行", "bank_name", False, example="重庆农村商业银行"),
        Column("银行账号", "bank_account", False, help="户主行填写，单元格须为文本格式", example="6228480000123456789"),
    ],
    ImportKind.ROSTER_TEKUN: [
        ID,
        Column("姓名", "name", True, example="李四"),
        Column("村（社区）代码", "division_code", True, help="12位统计用区划代码", example="500102119001"),
        Column("月保障金额（元）", "amount", True, "money", "基本生活标准＋照料护理补贴", "1101.00"),
        Column("保障起始年月", "start", True, "month", "格式 YYYY-MM", "2023-09"),
        Column("生活自理能力", "self_care", False, "choice", "具备生活自理能力、部分丧失生活自理能力、完全丧失生活自理能力", "具备生活自理能力"),
        Column("开户银行", "bank_name", False, example="重庆农村商业银行"),
        Column("银行账号", "bank_account", False, help="单元格须为文本格式", example="6228480000987654321"),
    ],
}


def columns_for(kind: str) -> list[Column]:
    return DEPARTMENT_COLUMNS.get(kind) or ROSTER_COLUMNS[kind]


# ----------------------------------------------------------------------------------------------
# Templates
# ----------------------------------------------------------------------------------------------


def template_xlsx(kind: str) -> bytes:
    """Sheet 1: headers (* = required), text format on code columns, one grey example row;
    sheet 2: 填表说明."""
    columns = columns_for(kind)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("数据")
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    text = wb.add_format({"num_format": "@"})
    example = wb.add_format({"num_format": "@", "font_color": "#808080"})
    for c, col in enumerate(columns):
        ws.write_string(0, c, col.header + ("*" if col.required else ""), head)
        ws.set_column(c, c, max(14, len(col.header) * 2 + 4), text)
        ws.write_string(1, c, col.example, example)
    ws.freeze_panes(1, 0)
    notes = wb.add_worksheet("填表说明")
    notes.write_string(0, 0, f"{ImportKind(kind).label} 导入模板", wb.add_format({"bold": True}))
    notes.write_string(1, 0, "第一行为表头，带*的列为必填；第二行灰色为示例，导入前请删除。身份证号码、银行账号列请保持文本格式。")
    for r, col in enumerate(columns, start=3):
        notes.write_string(r, 0, col.header)
        notes.write_string(r, 1, "必填" if col.required else "选填")
        notes.write_string(r, 2, col.help)
    notes.set_column(0, 0, 20)
    notes.set_column(2, 2, 60)
    wb.close()
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------
# Reading files
# ----------------------------------------------------------------------------------------------


class FileFormatError(DomainError):
    code = "file_format"


def read_rows(filename: str, content: bytes) -> list[list]:
    """All rows of the first sheet (or the CSV), cells as the reader gives them."""
    name = filename.lower()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileFormatError("CSV 文件编码无法识别，请保存为 UTF-8 或 GBK")
        return [row for row in csv.reader(io.StringIO(text))]
    if name.endswith((".xlsx", ".xls", ".xlsm", ".ods")):
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 - any reader error is a bad file for the user
            raise FileFormatError("无法读取该文件，请使用导入模板（.xlsx）") from None
    raise FileFormatError("只支持 .xlsx、.xls 或 .csv 文件")


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).translate(_FULLWIDTH).strip()


def _money(value) -> int:
    if isinstance(value, float):
        value = repr(value)
    text = _text(value).replace(",", "").replace("元", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("金额应为数字") from None
    if amount < 0:
        raise ValueError("金额不能为负数")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError("金额最多两位小数")
    return int(fen)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    m = re.fullmatch(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?", text)
    if not m:
        raise ValueError("日期格式应为 YYYY-MM-DD")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError("日期不存在") from None


def _month(value) -> dt.date:
    if isinstance(value, (dt.date, dt.datetime)):
        return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)
    text = _text(value)
    m = re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError("年月格式应为 YYYY-MM")
    return dt.date(int(m[1]), int(m[2]), 1)


@dataclass
class Parsed:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number in the file, values)
    errors: list[dict] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


def parse(kind: str, rows: list[list]) -> Parsed:
    """Header check, then every cell of every row; row numbers are the file's (header = 1)."""
    columns = columns_for(kind)
    out = Parsed()
    if not rows:
        out.error(1, "", "文件为空")
        return out
    header = [_text(h).rstrip("*").strip() for h in rows[0]]
    positions = {}
    for col in columns:
        if col.header in header:
            positions[col.key] = header.index(col.header)
        elif col.required:
            out.error(1, col.header, "缺少必填列，请使用导入模板")
    if out.errors:
        return out
    data_rows = rows[1:]
    if len(data_rows) > MAX_ROWS:
        out.error(1, "", f"一次最多导入{MAX_ROWS}行")
        return out
    for offset, raw in enumerate(data_rows, start=2):
        if all(_text(v) == "" for v in raw):
            continue
        values: dict = {}
        for col in columns:
            pos = positions.get(col.key)
            cell = raw[pos] if pos is not None and pos < len(raw) else None
            if _text(cell) == "":
                if col.required:
                    out.error(offset, col.header, "必填项为空")
                values[col.key] = None
                continue
            try:
                if col.kind == "id":
                    values[col.key] = parse_id_number(cell).value
                elif col.kind == "money":
                    values[col.key] = _money(cell)
                elif col.kind == "int":
                    values[col.key] = int(_text(cell))
                elif col.kind == "date":
                    values[col.key] = _date(cell)
                elif col.kind == "month":
                    values[col.key] = _month(cell)
                else:
                    values[col.key] = _text(cell)
            except InvalidIdNumber as e:
                out.error(offset, col.header, e.message)
            except ValueError as e:
                out.error(offset, col.header, str(e) or "格式不正确")
        out.rows.append((offset, values))
    if not out.rows and not out.errors:
        out.error(2, "", "文件中没有数据行")
    return out


# ----------------------------------------------------------------------------------------------
# Jobs
# ----------------------------------------------------------------------------------------------


def _require(actor: Actor, kind: str) -> None:
    actor.require(Perm.REVIEW_APPLICATION)
    if kind in DEPARTMENT_IMPORT_KINDS:
        if actor.level != Level.DISTRICT:
            raise PermissionDenied("部门核对数据须由区民政局导入")
    else:
        actor.require(Perm.EDIT_REGISTRY)
        if actor.level not in (Level.TOWN, Level.DISTRICT):
            raise PermissionDenied("存量名册须由乡镇（街道）或区民政局导入")


@transaction.atomic
def do_upload_import(actor: Actor, *, kind: str, filename: str, content: bytes) -> ImportJob:
    if kind not in ImportKind.values:
        raise ValidationFailed({"kind": "请选择导入类型"})
    _require(actor, kind)
    if not content:
        raise ValidationFailed({"file": "文件为空"})
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": "文件不能超过20MB"})
    try:
        rows = read_rows(filename, content)
    except FileFormatError as e:
        raise ValidationFailed({"file": e.message}) from None
    errors, summary = preview(actor, kind, rows)
    job = ImportJob.objects.create(
        kind=kind,
        division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
        filename=filename[:200],
        content=content,
        total_rows=summary.get("rows", 0),
        error_count=len(errors),
        errors=errors,
        summary=summary,
        created_by_id=actor.user_id,
    )
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_job", object_id=job.pk,
        summary=f"上传{ImportKind(kind).label}：{job.total_rows}行，错误{len(errors)}处（预览，未导入）",
    )
    return job


def preview(actor: Actor, kind: str, rows: list[list]) -> tuple[list[dict], dict]:
    parsed = parse(kind, rows)
    if kind in DEPARTMENT_IMPORT_KINDS:
        plan = _plan_department(actor, kind, parsed)
    else:
        plan = _plan_roster(actor, kind, parsed)
    errors = sorted(parsed.errors, key=lambda e: (e["row"], e["column"]))
    return errors, {**plan.summary, "rows": len(parsed.rows)}


@transaction.atomic
def do_commit_import(actor: Actor, job: ImportJob) -> ImportJob:
    """All or nothing: re-read the stored file, re-check, write everything in this transaction."""
    _require(actor, job.kind)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.PREVIEW:
        raise DomainError("该导入任务已处理，请勿重复导入", code="stale")
    rows = read_rows(job.filename, bytes(job.content))
    parsed = parse(job.kind, rows)
    plan = _plan_department(actor, job.kind, parsed) if job.kind in DEPARTMENT_IMPORT_KINDS else _plan_roster(actor, job.kind, parsed)
    if parsed.errors:
        ImportJob.objects.filter(pk=job.pk).update(errors=sorted(parsed.errors, key=lambda e: (e["row"], e["column"])), error_count=len(parsed.errors))
        raise DomainError(f"文件有{len(parsed.errors)}处错误，未导入任何数据；请修改后重新上传", code="import_errors")
    result = plan.apply(actor, job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTED, committed_at=timezone.now(), summary={**job.summary, **result})
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_job", object_id=job.pk,
        summary=f"导入{ImportKind(job.kind).label}：" + "，".join(f"{k} {v}" for k, v in result.items() if isinstance(v, int)),
        extra=result,
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def do_discard_import(actor: Actor, job: ImportJob) -> ImportJob:
    _require(actor, job.kind)
    if job.status != ImportStatus.PREVIEW:
        raise DomainError("该导入任务已处理", code="stale")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DISCARDED, content=b"")
    record_audit_event(actor, AuditAction.DELETE, object_type="import_job", object_id=job.pk, summary=f"放弃导入{ImportKind(job.kind).label}")
    job.refresh_from_db()
    return job


# ----------------------------------------------------------------------------------------------
# Department data
# ----------------------------------------------------------------------------------------------


@dataclass
class _DeptPlan:
    kind: str
    matched: list[tuple[int, dict, Person]]
    summary: dict

    def apply(self, actor: Actor, job: ImportJob) -> dict:
        records = []
        deaths = 0
        for row, values, person in self.matched:
            records.append(
                DepartmentRecord(
                    job=job,
                    department=self.kind,
                    person=person,
                    division_code=person.division_code,
                    row_number=row,
                    item=(values.get("item") or values.get("asset_type") or "")[:100],
                    monthly_income_fen=values.get("monthly") or 0,
                    asset_value_fen=values.get("value") or 0,
                    quantity=values.get("quantity") or (1 if self.kind == ImportKind.DEPT_REAL_ESTATE else 0),
                    as_of=values.get("as_of") or values.get("death_date"),
                )
            )
        DepartmentRecord.objects.bulk_create(records, batch_size=2000)
        if self.kind == ImportKind.DEPT_DEATH:
            deaths = _apply_deaths(actor, self.matched)
        return {"imported": len(records), "deaths_recorded": deaths, "unmatched": self.summary.get("unmatched_count", 0)}


def _match(actor: Actor, numbers: list[str]) -> dict[str, Person]:
    indexes = {blind_index(n): n for n in numbers}
    found: dict[str, Person] = {}
    keys = list(indexes)
    for i in range(0, len(keys), 900):
        for person in Person.objects.visible_to(actor).filter(id_number_index__in=keys[i : i + 900]):
            found[indexes[person.id_number_index]] = person
    return found


def _plan_department(actor: Actor, kind: str, parsed: Parsed) -> _DeptPlan:
    numbers = [v["id_number"] for _, v in parsed.rows if v.get("id_number")]
    people = _match(actor, numbers)
    matched, unmatched = [], []
    for row, values in parsed.rows:
        number = values.get("id_number")
        if not number:
            continue
        person = people.get(number)
        if person is None:
            unmatched.append({"row": row, "id_number": mask_id_number(number), "name": values.get("name") or ""})
            continue
        if values.get("name") and values["name"] != person.name:
            parsed.error(row, "姓名", f"与登记姓名不一致（登记为 {person.name}）")
            continue
        if kind == ImportKind.DEPT_DEATH:
            death = values.get("death_date")
            if death and (death > today() or death < person.birth_date):
                parsed.error(row, "死亡日期", "死亡日期不合理")
                continue
        matched.append((row, values, person))
    return _DeptPlan(kind, matched, {"matched": len(matched), "unmatched_count": len(unmatched), "unmatched": unmatched[:1000]})


def _apply_deaths(actor: Actor, matched) -> int:
    """Record each death in the registry (its own action) and stop assistance from next month."""
    from minzheng.assistance.actions import do_stop_for_death
    from minzheng.registry.actions import do_record_death

    count = 0
    for _row, values, person in matched:
        if person.is_deceased:
            continue
        death = values["death_date"]
        person = do_record_death(actor, person, death_date=death)
        do_stop_for_death(actor, person, death_date=death, source=values.get("item") or "部门死亡信息")
        count += 1
    return count


# ----------------------------------------------------------------------------------------------
# Rosters
# ----------------------------------------------------------------------------------------------


@dataclass
class _RosterPlan:
    kind: str
    groups: list[dict]
    summary: dict

    def apply(self, actor: Actor, job: ImportJob) -> dict:
        from minzheng.registry.actions import PersonInput, do_add_household_member, do_create_household, do_register_person

        created_people = created_households = 0
        enrolments = []
        for group in self.groups:
            persons = []
            for member in group["members"]:
                person = member["person"]
                if person is None:
                    person = do_register_person(
                        actor,
                        PersonInput(
                            id_number=member["id_number"],
                            name=member["name"],
                            division_code=group["division_code"],
                            self_care=member.get("self_care") or SelfCare.ABLE,
                        ),
                    )
                    created_people += 1
                persons.append((person, member))
            household = None
            if self.kind == ImportKind.ROSTER_DIBAO:
                head = next(p for p, m in persons if m["relation"] == Relation.HEAD)
                household = head.household if head.household_id else None
                if household is None:
                    household = do_create_household(actor, head=head, zone=group["zone"], since=group["start"])
                    created_households += 1
                for person, member in persons:
                    if member["relation"] == Relation.HEAD or person.household_id == household.pk:
                        continue
                    do_add_household_member(actor, household, person, relation=member["relation"], since=group["start"])
                household.refresh_from_db()
            payee = persons[0][0] if self.kind == ImportKind.ROSTER_TEKUN else household.head
            account = group.get("bank_account") or ""
            enrolments.append(
                Enrolment(
                    program=Program.DIBAO if self.kind == ImportKind.ROSTER_DIBAO else Program.TEKUN,
                    subject_kind=SubjectKind.HOUSEHOLD if household else SubjectKind.PERSON,
                    subject_id=household.pk if household else payee.pk,
                    household=household,
                    person=None if household else payee,
                    payee=payee,
                    division_code=group["division_code"],
                    zone=group["zone"],
                    people_covered=len(persons) if household else 1,
                    amount_fen=group["amount"],
                    start_month=group["start"],
                    status=EnrolmentStatus.ACTIVE,
                    status_changed_on=today(),
                    status_reason=f"存量名册导入（导入批次 {job.pk}，第{group['row']}行）",
                    source=EnrolmentSource.ROSTER,
                    bank_name=group.get("bank_name") or "",
                    bank_account_encrypted=encrypt_text(account) if account else "",
                    bank_account_masked=mask_account(account),
                    review_cycle_months=12,
                    next_review_on=_next_review(group["start"]),
                )
            )
        created = Enrolment.objects.bulk_create(enrolments, batch_size=1000)
        EnrolmentChange.objects.bulk_create(
            [
                EnrolmentChange(
                    enrolment=e, division_code=e.division_code, kind=ChangeKind.START, effective_month=e.start_month,
                    new_amount_fen=e.amount_fen, new_status=e.status, reason=e.status_reason[:200], actor_id=actor.user_id,
                )
                for e in created
            ],
            batch_size=1000,
        )
        return {"enrolments": len(created), "people_created": created_people, "households_created": created_households}


def _next_review(start: dt.date) -> dt.date:
    """Yearly from the start month, the first such date after today."""
    review = add_months(start, 12)
    while review <= today():
        review = add_months(review, 12)
    return review


def _plan_roster(actor: Actor, kind: str, parsed: Parsed) -> _RosterPlan:
    directory = get_directory()
    numbers = [v["id_number"] for _, v in parsed.rows if v.get("id_number")]
    people = _match(actor, numbers)
    seen_numbers: dict[str, int] = {}
    groups: list[dict] = []
    program = Program.DIBAO if kind == ImportKind.ROSTER_DIBAO else Program.TEKUN

    def check_common(row: int, values: dict) -> bool:
        ok = True
        number = values.get("id_number")
        if number:
            if number in seen_numbers:
                parsed.error(row, "身份证号码", f"与第{seen_numbers[number]}行重复")
                ok = False
            seen_numbers.setdefault(number, row)
            person = people.get(number)
            if person is not None and values.get("name") and person.name != values["name"]:
                parsed.error(row, "姓名", f"与登记姓名不一致（登记为 {person.name}）")
                ok = False
            if person is None and Person.objects.filter(id_number_index=blind_index(number)).exists():
                parsed.error(row, "身份证号码", "该人员登记在您辖区以外，不能导入")
                ok = False
            if person is not None and person.is_deceased:
                parsed.error(row, "身份证号码", "该人员已登记死亡")
                ok = False
        code = values.get("division_code")
        if code:
            info = directory.get(code)
            if info is None or info.level != DivisionLevel.VILLAGE:
                parsed.error(row, "村（社区）代码", f"“{code}”不是有效的村（社区）代码")
                ok = False
            elif not actor.covers(code):
                parsed.error(row, "村（社区）代码", "不在您的管辖范围内")
                ok = False
        return ok

    if kind == ImportKind.ROSTER_TEKUN:
        for row, values in parsed.rows:
            check_common(row, values)
            number = values.get("id_number")
            person = people.get(number) if number else None
            if values.get("amount") is not None and values["amount"] <= 0:
                parsed.error(row, "月保障金额（元）", "应大于0")
            if values.get("start") and values["start"] > add_months(today().replace(day=1), 1):
                parsed.error(row, "保障起始年月", "不能晚于下月")
            care = values.get("self_care")
            if care and care not in SELF_CARE_BY_LABEL:
                parsed.error(row, "生活自理能力", "取值应为：" + "、".join(SELF_CARE_BY_LABEL))
            if person is not None and Enrolment.objects.filter(program=program, subject_kind=SubjectKind.PERSON, subject_id=person.pk, status__in=("active", "suspended")).exists():
                parsed.error(row, "身份证号码", "该人员已在特困供养中")
            account = (values.get("bank_account") or "").replace(" ", "")
            if account and not (account.isdigit() and 8 <= len(account) <= 30):
                parsed.error(row, "银行账号", "应为8至30位数字")
            code = values.get("division_code") or ""
            info = directory.get(code)
            groups.append({
                "row": row, "division_code": code, "zone": (info.zone if info and info.zone else "rural"),
                "amount": values.get("amount"), "start": values.get("start"), "bank_name": values.get("bank_name"),
                "bank_account": account,
                "members": [{"id_number": number, "name": values.get("name"), "person": person, "self_care": SELF_CARE_BY_LABEL.get(care or "", SelfCare.ABLE)}],
            })
        return _RosterPlan(kind, groups, {"enrolments_planned": len(groups), "people_new": sum(1 for g in groups if g["members"][0]["person"] is None)})

    # 低保: rows grouped by 户编号; the 户主 row carries the household's figures.
    by_group: dict[str, list[tuple[int, dict]]] = {}
    for row, values in parsed.rows:
        check_common(row, values)
        rel = values.get("relation")
        if rel and rel not in RELATION_BY_LABEL:
            parsed.error(row, "与户主关系", "取值应为：" + "、".join(RELATION_BY_LABEL))
        if values.get("group"):
            by_group.setdefault(values["group"], []).append((row, values))
    for group_key, members in by_group.items():
        heads = [(r, v) for r, v in members if v.get("relation") == "户主"]
        first_row = members[0][0]
        if len(heads) != 1:
            parsed.error(first_row, "与户主关系", f"户编号 {group_key} 应有且只有一名户主（现有{len(heads)}名）")
            continue
        head_row, head = heads[0]
        for column, key in (("月保障金额（元）", "amount"), ("保障起始年月", "start"), ("城乡类别", "zone")):
            if head.get(key) in (None, ""):
                parsed.error(head_row, column, "户主行必填")
        if head.get("zone") and head["zone"] not in ZONE_BY_LABEL:
            parsed.error(head_row, "城乡类别", "应为“城镇”或“农村”")
        if head.get("amount") is not None and head["amount"] <= 0:
            parsed.error(head_row, "月保障金额（元）", "应大于0")
        if head.get("start") and head["start"] > add_months(today().replace(day=1), 1):
            parsed.error(head_row, "保障起始年月", "不能晚于下月")
        account = (head.get("bank_account") or "").replace(" ", "")
        if account and not (account.isdigit() and 8 <= len(account) <= 30):
            parsed.error(head_row, "银行账号", "应为8至30位数字")
        codes = {v.get("division_code") for _, v in members}
        if len(codes) != 1:
            parsed.error(first_row, "村（社区）代码", f"户编号 {group_key} 的成员应在同一村（社区）")
        head_person = people.get(head.get("id_number") or "")
        household_id = head_person.household_id if head_person else None
        if household_id and Enrolment.objects.filter(program=program, subject_kind=SubjectKind.HOUSEHOLD, subject_id=household_id, status__in=("active", "suspended")).exists():
            parsed.error(head_row, "身份证号码", "该家庭已在低保中")
        for row, values in members:
            person = people.get(values.get("id_number") or "")
            if person is None or values is head:
                continue
            current = HouseholdMembership.objects.filter(person=person, valid_to__isnull=True).first()
            if current and current.household_id != household_id:
                parsed.error(row, "身份证号码", "该人员已在其他家庭中，请先在人口管理中办理迁出")
        if head_person is not None and not household_id:
            pass  # a new household is set up for the head
        groups.append({
            "row": head_row,
            "division_code": head.get("division_code") or "",
            "zone": ZONE_BY_LABEL.get(head.get("zone") or "", "rural"),
            "amount": head.get("amount"),
            "start": head.get("start"),
            "bank_name": head.get("bank_name"),
            "bank_account": account,
            "members": [
                {"id_number": v.get("id_number"), "name": v.get("name"), "relation": RELATION_BY_LABEL.get(v.get("relation") or "", Relation.OTHER), "person": people.get(v.get("id_number") or "")}
                for _, v in sorted(members, key=lambda m: m[1].get("relation") != "户主")
            ],
        })
    return _RosterPlan(kind, groups, {"enrolments_planned": len(groups), "people_new": sum(1 for g in groups for m in g["members"] if m["person"] is None)})


def error_report_xlsx(job: ImportJob) -> bytes:
    from minzheng.core.xlsx import write_table

    content, _ = write_table(["行号", "列名", "错误原因"], [[e["row"], e["column"], e["message"]] for e in job.errors], sheet_name="错误报告")
    return content
