"""The social-assistance line's import specs: the departments' data for the economic check and
the bureau's existing rosters (低保 households with members, 特困 persons).

Each kind is an exchange ``ImportSpec`` (registered in ``AssistanceConfig.ready``, group
``assistance``, not listed among the department feeds of /exchange/): the template, the upload
→ preview → commit screens, the error report (第N行 [列名] 原因) and the idempotency by content
are exchange's. What is this line's own:

- who may import (``authorize``): department data the district; rosters the town or district,
  with the right to register people;
- the checks across rows and against the registry (``check``): one 户主 per household, the
  household's figures on the head row, duplicate ID numbers, village codes in the importer's
  scope, people registered outside it, deceased people, people already enrolled;
- the commit, through this line's actions: ``registry.actions`` for new people and households,
  ``actions.do_create_enrolment`` (the same action an approved application goes through: the
  review cycle from the ``dibao.review.*`` parameters, the START change with who did it) and
  ``actions.do_record_department_data``.

Every kind is all-or-nothing: one bad row imports nothing and names the row; a row an action
refuses at commit time (someone enrolled the household in between) refuses the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance.actions import DepartmentRow, NewEnrolment, do_create_enrolment, do_record_department_data
from minzheng.core.clock import today
from minzheng.core.periods import month_start_after
from minzheng.assistance.enums import (
    DEPARTMENT_IMPORT_KINDS,
    EnrolmentSource,
    ImportKind,
    Level,
    Program,
    SubjectKind,
)
from minzheng.assistance.selectors import enrolled_subject_ids
from minzheng.core.crypto import encrypt_text
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_account
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport, group_rows
from minzheng.exchange.spec import ID_NUMBER, Choice, Column, ColumnType, ImportSpec, RowsRefused, register_spec
from minzheng.registry.actions import PersonInput, do_add_household_member, do_create_household, do_register_person
from minzheng.registry.enums import Relation, SelfCare
from minzheng.registry.selectors import current_household_ids, list_persons_for, registered_indexes

GROUP = "assistance"
MAX_ROWS = 100_000

# The department kinds of the economic check. A death reported by a department is not one of
# them: it is discovery's death feed, verified before anything stops (ADR 0004).
DEPARTMENT_KINDS = tuple(DEPARTMENT_IMPORT_KINDS)
ROSTER_KINDS = (ImportKind.ROSTER_DIBAO, ImportKind.ROSTER_TEKUN)

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


def spec_kind(kind: str) -> str:
    """The exchange kind of an assistance kind: roster_dibao → assistance_roster_dibao."""
    return f"assistance_{kind}"


# ----------------------------------------------------------------------------------------------
# Who may import
# ----------------------------------------------------------------------------------------------


def _district_only(actor: Actor) -> None:
    if actor.level != Level.DISTRICT:
        raise PermissionDenied("部门核对数据须由区民政局导入")


def _town_or_district(actor: Actor) -> None:
    actor.require(Perm.EDIT_REGISTRY)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("存量名册须由乡镇（街道）或区民政局导入")


# ----------------------------------------------------------------------------------------------
# Department data: matched rows become DepartmentRecords (unmatched rows are reported, not kept)
# ----------------------------------------------------------------------------------------------


def _commit_department(kind: str):
    def commit(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
        rows = [
            DepartmentRow(
                person_id=m.person.id,
                division_code=m.person.division_code,
                row_number=m.number,
                item=(m.values.get("item") or m.values.get("asset_type") or "")[:100],
                monthly_income_fen=m.values.get("monthly") or 0,
                asset_value_fen=m.values.get("value") or 0,
                quantity=m.values.get("quantity") or (1 if kind == ImportKind.DEPT_REAL_ESTATE else 0),
                as_of=m.values.get("as_of"),
            )
            for m in matched
        ]
        count = do_record_department_data(actor, batch_id=batch.pk, department=kind, rows=rows)
        return {"inserted": count, "imported": count, "unmatched": batch.unmatched_rows}

    return commit


# ----------------------------------------------------------------------------------------------
# Rosters: checks at preview, the commit through the registry's and this line's actions
# ----------------------------------------------------------------------------------------------


def _roster_check(kind: str):
    program = Program.DIBAO if kind == ImportKind.ROSTER_DIBAO else Program.TEKUN

    def check(actor: Actor, parsed: ParsedImport, match: MatchResult, today_: dt.date) -> dict:
        spec = SPECS[kind]
        directory = get_directory()
        next_month = month_start_after(today(), 1)
        by_number = {m.number: m for m in match.matched}
        elsewhere = registered_indexes([m.id_index for m in match.matched if m.person is None])
        seen: dict[str, int] = {}

        for row in parsed.good_rows:
            values, m = row.values, by_number.get(row.number)
            number = values["id_number"]
            if number in seen:
                parsed.reject(spec, row.number, "id_number", f"与第{seen[number]}行重复")
            seen.setdefault(number, row.number)
            if m is not None and m.person is None and m.id_index in elsewhere:
                parsed.reject(spec, row.number, "id_number", "该人员登记在您辖区以外，不能导入")
            if m is not None and m.person is not None and m.person.is_deceased:
                parsed.reject(spec, row.number, "id_number", "该人员已登记死亡")
            code = values["division_code"]
            info = directory.get(code)
            if info is None or info.level != DivisionLevel.VILLAGE:
                parsed.reject(spec, row.number, "division_code", f"“{code}”不是有效的村（社区）代码")
            elif not actor.covers(code):
                parsed.reject(spec, row.number, "division_code", "不在您的管辖范围内")

        def check_figures(number: int, values: dict) -> None:
            account = (values.get("bank_account") or "").replace(" ", "")
            if account and not (account.isdigit() and 8 <= len(account) <= 30):
                parsed.reject(spec, number, "bank_account", "应为8至30位数字")
            if values.get("amount") is not None and values["amount"] <= 0:
                parsed.reject(spec, number, "amount", "应大于0")
            if values.get("start") and values["start"] > next_month:
                parsed.reject(spec, number, "start", "不能晚于下月")

        if kind == ImportKind.ROSTER_TEKUN:
            persons = [m.person.id for m in match.matched if m.person is not None]
            enrolled = enrolled_subject_ids(program, SubjectKind.PERSON, persons)
            for row in parsed.good_rows:
                check_figures(row.number, row.values)
                m = by_number.get(row.number)
                if m is not None and m.person is not None and m.person.id in enrolled:
                    parsed.reject(spec, row.number, "id_number", "该人员已在特困供养中")
            good = parsed.good_rows
            return {"enrolments_planned": len(good), "people_new": sum(1 for r in good if by_number[r.number].person is None)}

        # 低保: rows grouped by 户编号; the 户主 row carries the household's figures.
        groups = group_rows(spec, parsed, "group").complete
        heads_households = {
            m.person.household_id for m in match.matched if m.person is not None and m.person.household_id
        }
        enrolled = enrolled_subject_ids(program, SubjectKind.HOUSEHOLD, list(heads_households))
        member_ids = [m.person.id for m in match.matched if m.person is not None]
        households_of = current_household_ids(member_ids)
        planned = new_people = 0
        for group_key, members in groups.items():
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
            if len({r.values["division_code"] for r in members}) != 1:
                parsed.reject(spec, first_row, "division_code", f"户编号 {group_key} 的成员应在同一村（社区）")
            head_person = by_number[head_row].person
            household_id = head_person.household_id if head_person else None
            if household_id and household_id in enrolled:
                parsed.reject(spec, head_row, "id_number", "该家庭已在低保中")
            for member in members:
                person = by_number[member.number].person
                if person is None or member.number == head_row:
                    continue
                current = households_of.get(person.id)
                if current and current != household_id:
                    parsed.reject(spec, member.number, "id_number", "该人员已在其他家庭中，请先在人口管理中办理迁出")
            planned += 1
            new_people += sum(1 for r in members if by_number[r.number].person is None)
        return {"enrolments_planned": planned, "people_new": new_people}

    return check


def _refused(number: int, error: DomainError) -> RowsRefused:
    if isinstance(error, ValidationFailed):
        key, message = next(iter(error.errors.items()), ("", error.message))
        key = key if key in ("id_number", "name", "division_code", "relation", "amount", "start", "bank_account") else ""
        return RowsRefused([(number, key, message)])
    return RowsRefused([(number, "", error.message)])


def _roster_commit(kind: str):
    program = Program.DIBAO if kind == ImportKind.ROSTER_DIBAO else Program.TEKUN

    def commit(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
        directory = get_directory()
        existing = list_persons_for(actor).in_bulk([m.person.id for m in matched if m.person is not None])
        created_people = created_households = enrolments = 0

        def person_of(m: MatchedRow):
            nonlocal created_people
            if m.person is not None:
                return existing[m.person.id]
            created_people += 1
            return do_register_person(
                actor,
                PersonInput(
                    id_number=m.values["id_number"],
                    name=m.values["name"],
                    division_code=m.values["division_code"],
                    self_care=m.values.get("self_care") or SelfCare.ABLE,
                ),
            )

        if kind == ImportKind.ROSTER_TEKUN:
            groups = [[m] for m in matched]
        else:
            by_key: dict[str, list[MatchedRow]] = defaultdict(list)
            for m in matched:
                by_key[str(m.values["group"])].append(m)
            groups = [sorted(rows, key=lambda m: m.values["relation"] != Relation.HEAD) for rows in by_key.values()]

        for rows in groups:
            head = rows[0]
            current = head.number
            try:
                household = None
                persons = []
                for m in rows:
                    current = m.number
                    persons.append(person_of(m))
                current = head.number
                payee = persons[0]
                if program == Program.DIBAO:
                    household = payee.household if payee.household_id else None
                    if household is None:
                        household = do_create_household(actor, head=payee, zone=head.values["zone"], since=head.values["start"])
                        created_households += 1
                    for person, m in zip(persons[1:], rows[1:], strict=True):
                        current = m.number
                        if person.household_id != household.pk:
                            do_add_household_member(actor, household, person, relation=m.values["relation"], since=head.values["start"])
                    current = head.number
                    household.refresh_from_db()
                info = directory.get(head.values["division_code"])
                zone = head.values.get("zone") or (info.zone if info and info.zone else "rural")
                account = (head.values.get("bank_account") or "").replace(" ", "")
                do_create_enrolment(
                    actor,
                    NewEnrolment(
                        program=program,
                        household=household,
                        person=None if household else payee,
                        payee=payee,
                        division_code=head.values["division_code"],
                        zone=zone,
                        people_covered=len(persons),
                        amount_fen=head.values["amount"],
                        start_month=head.values["start"],
                        decided_on=today,
                        reason=f"存量名册导入（导入批次 {batch.pk}，第{head.number}行）",
                        source=EnrolmentSource.ROSTER,
                        bank_name=head.values.get("bank_name") or "",
                        bank_account_encrypted=encrypt_text(account) if account else "",
                        bank_account_masked=mask_account(account),
                    ),
                )
                enrolments += 1
            except DomainError as e:
                raise _refused(current, e) from e
        return {"inserted": enrolments, "enrolments": enrolments, "people_created": created_people, "households_created": created_households}

    return commit


# ----------------------------------------------------------------------------------------------
# The specs
# ----------------------------------------------------------------------------------------------


def _make_spec(kind: str) -> ImportSpec:
    roster = kind in ROSTER_KINDS
    common = dict(
        kind=spec_kind(kind),
        title=ImportKind(kind).label,
        perm=Perm.REVIEW_APPLICATION,
        max_rows=MAX_ROWS,
        listed=False,
        group=GROUP,
        all_or_nothing=True,
        name_mismatch_is_error=True,
    )
    if roster:
        return ImportSpec(
            **common,
            source="乡镇（街道）或区民政局存量名册",
            columns=ROSTER_COLUMNS[kind],
            commit=_roster_commit(kind),
            check=_roster_check(kind),
            authorize=_town_or_district,
            register_unmatched=True,
            description="一个文件有任何错误即整体不导入，改正后重新上传；身份证号码未登记的人员导入时建档",
            instructions=("低保名册：同一户的成员填写相同的户编号，每户有且只有一名户主；金额、起始年月、城乡类别填在户主行。",)
            if kind == ImportKind.ROSTER_DIBAO
            else (),
        )
    return ImportSpec(
        **common,
        source=ImportKind(kind).label,
        columns=DEPARTMENT_COLUMNS[kind],
        commit=_commit_department(kind),
        authorize=_district_only,
        description="经济状况核对数据：按身份证号码匹配人员库，未匹配的行不导入；有任何错误即整体不导入",
    )


SPECS: dict[str, ImportSpec] = {kind: _make_spec(kind) for kind in (*ROSTER_KINDS, *DEPARTMENT_KINDS)}


def register() -> None:
    """Called by AssistanceConfig.ready()."""
    for spec in SPECS.values():
        register_spec(spec)


__all__ = ["DEPARTMENT_KINDS", "GROUP", "ROSTER_KINDS", "SPECS", "register", "spec_kind"]
