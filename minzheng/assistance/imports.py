"""Excel/CSV imports: the departments' data for the economic check, and the bureau's
existing rosters (低保 households with members, 特困 persons).

The files are read, validated and matched by the import framework (``minzheng.exchange``):
each kind is an ``ImportSpec`` (not registered as a department feed, so it is not listed on
/exchange/), its template is exchange's, and so are the cell checks, the matching by blind
index and the error report (汇总, 错误明细, 未匹配人员). What stays here are the checks that
are the bureau's own — one 户主 per household, relations, duplicate ID numbers in a roster,
scope and division codes, a name that differs from the registry (an error here) — and the
commit.

Every import is two steps: upload → every row checked, a preview with row-level errors
(第N行 [列名] 原因) → commit, in ONE transaction, only when there is no error at all. A roster
with one bad row therefore imports nothing and says which row; the corrected file imports
everything. Full ID numbers are never stored in the job's errors or summary — only masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.clock import today
from minzheng.core.periods import month_start_after
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
from minzheng.core.masking import mask_account
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.exchange.matching import MatchedRow, match_rows
from minzheng.exchange.parsing import FileUnreadable, ParsedImport, RowError, group_rows, iter_table, parse_upload
from minzheng.exchange.spec import ID_NUMBER, Choice, Column, ColumnType, ImportSpec
from minzheng.exchange.workbook import build_error_report, build_template
from minzheng.registry.enums import Relation, SelfCare
from minzheng.registry.models import HouseholdMembership, Person

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000

# ----------------------------------------------------------------------------------------------
# Specs (exchange's columns; not registered, so not on /exchange/)
# ----------------------------------------------------------------------------------------------

TEXT, MONEY, DATE, MONTH, INT, CHOICE = (
    ColumnType.TEXT, ColumnType.DECIMAL_YUAN, ColumnType.DATE, ColumnType.MONTH, ColumnType.INT, ColumnType.CHOICE,
)  # fmt: skip
NAME = Column("name", "姓名", TEXT, max_length=50, note="用于核对，可不填；填写的须与登记姓名一致", example="张三")
DATA_DATE = Column("as_of", "数据日期", DATE, example="2026-10-31")

DEPARTMENT_COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.DEPT_PENSION: (ID_NUMBER, NAME, Column("item", "待遇项目", TEXT, True, 100, note="如 城乡居民基本养老保险", example="城乡居民基本养老保险"), Column("monthly", "月发放金额（元）", MONEY, True, example="185.00"), DATA_DATE),
    ImportKind.DEPT_WAGES: (ID_NUMBER, NAME, Column("item", "单位名称", TEXT, max_length=100, example="某某建材有限公司"), Column("monthly", "月工资收入（元）", MONEY, True, example="2600.00"), DATA_DATE),
    ImportKind.DEPT_BUSINESS: (ID_NUMBER, NAME, Column("item", "市场主体名称", TEXT, True, 100, example="某某副食店"), Column("code", "统一社会信用代码", TEXT, max_length=18, example="92500102MA00000000"), Column("state", "登记状态", TEXT, max_length=20, example="存续")),
    ImportKind.DEPT_VEHICLE: (ID_NUMBER, NAME, Column("item", "号牌号码", TEXT, True, 20, example="渝G12345"), Column("model", "品牌型号", TEXT, max_length=50, example="五菱"), Column("value", "车辆现值（元）", MONEY, True, example="18000.00")),
    ImportKind.DEPT_REAL_ESTATE: (ID_NUMBER, NAME, Column("item", "不动产坐落", TEXT, True, 100, example="涪陵区某街道某小区1栋"), Column("area", "建筑面积（平方米）", TEXT, max_length=20, example="68.5"), Column("quantity", "套数", INT, min_value=0, example="1")),
    ImportKind.DEPT_DEPOSITS: (ID_NUMBER, NAME, Column("item", "金融机构", TEXT, True, 100, example="某某银行涪陵支行"), Column("asset_type", "资产类型", TEXT, max_length=50, example="活期存款"), Column("value", "余额或市值（元）", MONEY, True, example="3200.00")),
    ImportKind.DEPT_PROVIDENT_FUND: (ID_NUMBER, NAME, Column("item", "缴存单位", TEXT, max_length=100, example="某某公司"), Column("value", "账户余额（元）", MONEY, True, example="5400.00")),
    ImportKind.DEPT_DEATH: (ID_NUMBER, NAME, Column("death_date", "死亡日期", DATE, True, example="2026-10-20"), Column("item", "信息来源", TEXT, max_length=100, example="公安户籍注销")),
}

RELATIONS = tuple(Choice(value, label) for value, label in Relation.choices)
SELF_CARE = tuple(Choice(value, label) for value, label in SelfCare.choices)
ZONES = (Choice("urban", "城镇"), Choice("rural", "农村"))
DIVISION = Column("division_code", "村（社区）代码", TEXT, True, 12, note="12位统计用区划代码", example="500102006001")
BANK_NAME = Column("bank_name", "开户银行", TEXT, max_length=50, example="重庆农村商业银行")

ROSTER_COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.ROSTER_DIBAO: (
        Column("group", "户编号", TEXT, True, 20, note="同一户的成员填写相同的户编号", example="1"),
        ID_NUMBER,
        Column("name", "姓名", TEXT, True, 50, example="张三"),
        Column("relation", "与户主关系", CHOICE, True, choices=RELATIONS, example="户主"),
        DIVISION,
        Column("zone", "城乡类别", CHOICE, choices=ZONES, note="户主行必填", example="城镇"),
        Column("amount", "月保障金额（元）", MONEY, note="户主行必填，全户月保障金额", example="960.00"),
        Column("start", "保障起始年月", MONTH, note="户主行必填，不能晚于下月", example="2024-03", allow_future=True),
        BANK_NAME,
        Column("bank_account", "银行账号", TEXT, max_length=40, note="户主行填写，8至30位数字，单元格须为文本格式", example="6228480000123456789"),
    ),
    ImportKind.ROSTER_TEKUN: (
        ID_NUMBER,
        Column("name", "姓名", TEXT, True, 50, example="李四"),
        DIVISION,
        Column("amount", "月保障金额（元）", MONEY, True, note="基本生活标准＋照料护理补贴", example="1101.00"),
        Column("start", "保障起始年月", MONTH, True, note="不能晚于下月", example="2023-09", allow_future=True),
        Column("self_care", "生活自理能力", CHOICE, choices=SELF_CARE, example="具备生活自理能力"),
        BANK_NAME,
        Column("bank_account", "银行账号", TEXT, max_length=40, note="8至30位数字，单元格须为文本格式", example="6228480000987654321"),
    ),
}


def _not_committed_through_exchange(*args, **kwargs) -> dict:
    raise RuntimeError("assistance imports are committed by assistance.imports.do_commit_import")


def _make_spec(kind: str) -> ImportSpec:
    label = ImportKind(kind).label
    roster = kind not in DEPARTMENT_IMPORT_KINDS
    return ImportSpec(
        kind=f"assistance_{kind}",
        title=label,
        source="乡镇（街道）或区民政局存量名册" if roster else label,
        columns=ROSTER_COLUMNS[kind] if roster else DEPARTMENT_COLUMNS[kind],
        commit=_not_committed_through_exchange,
        description="一个文件有任何错误即整体不导入，改正后重新上传" if roster else "按身份证号码匹配人员库，未匹配的行不导入",
        instructions=("低保名册：同一户的成员填写相同的户编号，每户有且只有一名户主；金额、起始年月、城乡类别填在户主行。",) if kind == ImportKind.ROSTER_DIBAO else (),
        perm=Perm.REVIEW_APPLICATION,
        max_rows=MAX_ROWS,
    )


SPECS: dict[str, ImportSpec] = {kind: _make_spec(kind) for kind in ImportKind.values}


def spec_for(kind: str) -> ImportSpec:
    return SPECS[kind]


def template_xlsx(kind: str) -> bytes:
    """exchange's template: 数据 (with * on required headers and a grey example row), 填表说明,
    and the hidden 字典 feeding the dropdowns when the kind has any."""
    return build_template(spec_for(kind))


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


def _check_readable(filename: str, content: bytes) -> None:
    """A file exchange cannot read at all is refused at upload, not kept as a job."""
    try:
        next(iter_table(content, filename), None)
    except FileUnreadable as e:
        raise ValidationFailed({"file": str(e)}) from None


@transaction.atomic
def do_upload_import(actor: Actor, *, kind: str, filename: str, content: bytes) -> ImportJob:
    if kind not in ImportKind.values:
        raise ValidationFailed({"kind": "请选择导入类型"})
    _require(actor, kind)
    if not content:
        raise ValidationFailed({"file": "文件为空"})
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": "文件不能超过20MB"})
    _check_readable(filename, content)
    parsed, plan = _check(actor, kind, filename, content)
    errors = _error_list(parsed)
    job = ImportJob.objects.create(
        kind=kind,
        division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
        filename=filename[:200],
        content=content,
        total_rows=parsed.total_rows,
        error_count=len(errors),
        errors=errors,
        summary={**plan.summary, "rows": parsed.total_rows, "report": _report_state(parsed)},
        created_by_id=actor.user_id,
    )
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_job", object_id=job.pk,
        summary=f"上传{ImportKind(kind).label}：{job.total_rows}行，错误{len(errors)}处（预览，未导入）",
    )  # fmt: skip
    return job


def _check(actor: Actor, kind: str, filename: str, content: bytes):
    """exchange reads and validates every cell (today from the casework clock); then the
    matching and this app's own checks. Returns (parsed, plan); errors are in ``parsed``."""
    spec = spec_for(kind)
    parsed = parse_upload(spec, bytes(content), filename=filename, today=today())
    if parsed.file_errors:
        return parsed, _EmptyPlan()
    if kind in DEPARTMENT_IMPORT_KINDS:
        return parsed, _plan_department(actor, kind, spec, parsed)
    return parsed, _plan_roster(actor, kind, spec, parsed)


def _error_list(parsed: ParsedImport) -> list[dict]:
    errors = [{"row": 1, "column": "", "message": m} for m in parsed.file_errors]
    errors += [{"row": e.row, "column": e.column, "message": e.message} for e in sorted(parsed.errors, key=lambda e: (e.row, e.column))]
    return errors


def _report_state(parsed: ParsedImport) -> dict:
    """What exchange's error report needs besides the errors (cells already masked)."""
    return {
        "file_errors": parsed.file_errors,
        "bad_rows": {str(n): cells for n, cells in parsed.bad_rows.items()},
        "bad_cells": sorted([n, k] for n, k in parsed.bad_cells),
    }


class _EmptyPlan:
    summary: dict = {}


@transaction.atomic
def do_commit_import(actor: Actor, job: ImportJob) -> ImportJob:
    """All or nothing: re-read the stored file, re-check, write everything in this transaction."""
    _require(actor, job.kind)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.PREVIEW:
        raise DomainError("该导入任务已处理，请勿重复导入", code="stale")
    parsed, plan = _check(actor, job.kind, job.filename, bytes(job.content))
    if not parsed.ok:
        errors = _error_list(parsed)
        ImportJob.objects.filter(pk=job.pk).update(
            errors=errors, error_count=len(errors), summary={**job.summary, "report": _report_state(parsed)}
        )
        raise DomainError(f"文件有{len(errors)}处错误，未导入任何数据；请修改后重新上传", code="import_errors")
    result = plan.apply(actor, job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTED, committed_at=timezone.now(), summary={**job.summary, **result})
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_job", object_id=job.pk,
        summary=f"导入{ImportKind(job.kind).label}：" + "，".join(f"{k} {v}" for k, v in result.items() if isinstance(v, int)),
        extra=result,
    )  # fmt: skip
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


def error_report_xlsx(job: ImportJob) -> bytes:
    """exchange's error report (汇总, 错误明细 with the bad cells highlighted, 未匹配人员)."""
    spec = spec_for(job.kind)
    state = job.summary.get("report") or {}
    parsed = ParsedImport(spec.kind, total_rows=job.total_rows, file_errors=list(state.get("file_errors", [])))
    parsed.errors = [RowError(e["row"], e["column"], e["message"]) for e in job.errors]
    parsed.bad_rows = {int(n): cells for n, cells in (state.get("bad_rows") or {}).items()}
    parsed.bad_cells = {(n, k) for n, k in state.get("bad_cells", [])}
    unmatched = job.summary.get("unmatched") or []
    summary = [
        ("文件名", job.filename),
        ("数据行数", job.total_rows),
        ("有错误的行", len(parsed.bad_rows)),
        ("错误", job.error_count),
        ("未匹配到人员", job.summary.get("unmatched_count", len(unmatched))),
        ("结果", "有错误，未导入任何数据" if job.error_count else ImportStatus(job.status).label),
    ]
    return build_error_report(spec, parsed, unmatched=unmatched, summary=summary)


# ----------------------------------------------------------------------------------------------
# Matching (exchange's, by blind index) — a name that differs from the registry is an error here
# ----------------------------------------------------------------------------------------------


def _good_rows(parsed: ParsedImport):
    return [r for r in parsed.rows if r.number not in parsed.bad_rows]


def _match(actor: Actor, spec: ImportSpec, parsed: ParsedImport):
    result = match_rows(actor, spec, _good_rows(parsed))
    mismatched = {w.row for w in result.warnings}
    matched: list[MatchedRow] = []
    for m in result.matched:
        if m.number in mismatched:
            parsed.reject(spec, m.number, "name", f"与登记姓名不一致（登记为 {m.person.name}）")
        else:
            matched.append(m)
    return matched, result.unmatched


# ----------------------------------------------------------------------------------------------
# Department data
# ----------------------------------------------------------------------------------------------


@dataclass
class _DeptPlan:
    kind: str
    matched: list[MatchedRow]
    summary: dict

    def apply(self, actor: Actor, job: ImportJob) -> dict:
        records = []
        deaths = 0
        for m in self.matched:
            values = m.values
            records.append(
                DepartmentRecord(
                    job=job,
                    department=self.kind,
                    person_id=m.person.id,
                    division_code=m.person.division_code,
                    row_number=m.number,
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


def _birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _plan_department(actor: Actor, kind: str, spec: ImportSpec, parsed: ParsedImport) -> _DeptPlan:
    matched, unmatched = _match(actor, spec, parsed)
    if kind == ImportKind.DEPT_DEATH:  # a death in the future is refused by exchange's date check
        for m in matched:
            if m.values["death_date"] < _birth_date(m.values["id_number"]):
                parsed.reject(spec, m.number, "death_date", "死亡日期不合理")
    matched = [m for m in matched if m.number not in parsed.bad_rows]
    return _DeptPlan(kind, matched, {"matched": len(matched), "unmatched_count": len(unmatched), "unmatched": unmatched[:1000]})


def _apply_deaths(actor: Actor, matched: list[MatchedRow]) -> int:
    """Record each death in the registry (its own action) and stop assistance from next month."""
    from minzheng.assistance.actions import do_stop_for_death
    from minzheng.registry.actions import do_record_death

    people = Person.objects.in_bulk([m.person.id for m in matched])
    count = 0
    for m in matched:
        person = people[m.person.id]
        if person.is_deceased:
            continue
        death = m.values["death_date"]
        person = do_record_death(actor, person, death_date=death)
        do_stop_for_death(actor, person, death_date=death, source=m.values.get("item") or "部门死亡信息")
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
    review = month_start_after(start, 12)
    while review <= today():
        review = month_start_after(review, 12)
    return review


def _plan_roster(actor: Actor, kind: str, spec: ImportSpec, parsed: ParsedImport) -> _RosterPlan:
    directory = get_directory()
    matched, _unmatched = _match(actor, spec, parsed)
    people = Person.objects.in_bulk([m.person.id for m in matched])
    person_of = {m.number: people[m.person.id] for m in matched}
    program = Program.DIBAO if kind == ImportKind.ROSTER_DIBAO else Program.TEKUN
    next_month = month_start_after(today().replace(day=1), 1)
    seen_numbers: dict[str, int] = {}

    def check_account(row: int, values: dict) -> str:
        account = (values.get("bank_account") or "").replace(" ", "")
        if account and not (account.isdigit() and 8 <= len(account) <= 30):
            parsed.reject(spec, row, "bank_account", "应为8至30位数字")
        return account

    def check_figures(row: int, values: dict) -> None:
        if values.get("amount") is not None and values["amount"] <= 0:
            parsed.reject(spec, row, "amount", "应大于0")
        if values.get("start") and values["start"] > next_month:
            parsed.reject(spec, row, "start", "不能晚于下月")

    # Checks of each row against the roster (duplicates) and the registry (scope, deaths).
    for row in _good_rows(parsed):
        number, values = row.values["id_number"], row.values
        if number in seen_numbers:
            parsed.reject(spec, row.number, "id_number", f"与第{seen_numbers[number]}行重复")
        seen_numbers.setdefault(number, row.number)
        person = person_of.get(row.number)
        if person is None and Person.objects.filter(id_number_index=blind_index(number)).exists():
            parsed.reject(spec, row.number, "id_number", "该人员登记在您辖区以外，不能导入")
        if person is not None and person.is_deceased:
            parsed.reject(spec, row.number, "id_number", "该人员已登记死亡")
        code = values["division_code"]
        info = directory.get(code)
        if info is None or info.level != DivisionLevel.VILLAGE:
            parsed.reject(spec, row.number, "division_code", f"“{code}”不是有效的村（社区）代码")
        elif not actor.covers(code):
            parsed.reject(spec, row.number, "division_code", "不在您的管辖范围内")

    groups: list[dict] = []
    if kind == ImportKind.ROSTER_TEKUN:
        for row in _good_rows(parsed):
            values = row.values
            person = person_of.get(row.number)
            check_figures(row.number, values)
            if person is not None and Enrolment.objects.filter(program=program, subject_kind=SubjectKind.PERSON, subject_id=person.pk, status__in=("active", "suspended")).exists():
                parsed.reject(spec, row.number, "id_number", "该人员已在特困供养中")
            account = check_account(row.number, values)
            info = directory.get(values["division_code"])
            groups.append({
                "row": row.number, "division_code": values["division_code"], "zone": (info.zone if info and info.zone else "rural"),
                "amount": values["amount"], "start": values["start"], "bank_name": values.get("bank_name"),
                "bank_account": account,
                "members": [{"id_number": values["id_number"], "name": values["name"], "person": person, "self_care": values.get("self_care") or SelfCare.ABLE}],
            })  # fmt: skip
        return _RosterPlan(kind, groups, {"enrolments_planned": len(groups), "people_new": sum(1 for g in groups if g["members"][0]["person"] is None)})

    # 低保: rows grouped by 户编号 (a household with any bad row is left out: the file is refused
    # anyway); the 户主 row carries the household's figures.
    for group_key, members in group_rows(spec, parsed, "group").complete.items():
        heads = [r for r in members if r.values["relation"] == Relation.HEAD]
        first_row = members[0].number
        if len(heads) != 1:
            parsed.reject(spec, first_row, "relation", f"户编号 {group_key} 应有且只有一名户主（现有{len(heads)}名）")
            continue
        head_row, head = heads[0].number, heads[0].values
        for key in ("amount", "start", "zone"):
            if head.get(key) in (None, ""):
                parsed.reject(spec, head_row, key, "户主行必填")
        check_figures(head_row, head)
        account = check_account(head_row, head)
        if len({r.values["division_code"] for r in members}) != 1:
            parsed.reject(spec, first_row, "division_code", f"户编号 {group_key} 的成员应在同一村（社区）")
        head_person = person_of.get(head_row)
        household_id = head_person.household_id if head_person else None
        if household_id and Enrolment.objects.filter(program=program, subject_kind=SubjectKind.HOUSEHOLD, subject_id=household_id, status__in=("active", "suspended")).exists():
            parsed.reject(spec, head_row, "id_number", "该家庭已在低保中")
        for member in members:
            person = person_of.get(member.number)
            if person is None or member.number == head_row:
                continue
            current = HouseholdMembership.objects.filter(person=person, valid_to__isnull=True).first()
            if current and current.household_id != household_id:
                parsed.reject(spec, member.number, "id_number", "该人员已在其他家庭中，请先在人口管理中办理迁出")
        groups.append({
            "row": head_row,
            "division_code": head["division_code"],
            "zone": head.get("zone") or "rural",
            "amount": head.get("amount"),
            "start": head.get("start"),
            "bank_name": head.get("bank_name"),
            "bank_account": account,
            "members": [
                {"id_number": r.values["id_number"], "name": r.values["name"], "relation": r.values["relation"], "person": person_of.get(r.number)}
                for r in sorted(members, key=lambda r: r.values["relation"] != Relation.HEAD)
            ],
        })  # fmt: skip
    return _RosterPlan(kind, groups, {"enrolments_planned": len(groups), "people_new": sum(1 for g in groups for m in g["members"] if m["person"] is None)})
