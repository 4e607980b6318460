"""The existing allowance list (存量孤儿、事实无人抚养儿童名单), imported through exchange.

One ``ImportSpec`` (group ``children``, not a department feed, all-or-nothing): one bad row
imports nothing and names the row. The check at preview: the child is registered in the
importer's scope (the list does not register people), alive and under 18, once in the file,
not already recognised; the village code is the child's; the guardian's ID number is
registered; and the amount on the list equals the rules engine's standard for the first month
the platform pays. The commit goes through ``actions.do_import_recognised_child`` — the
recognition (source 存量名单), the engine's verdict stored, the registry status set and the
allowance enrolled in assistance's program, exactly as a decision does.
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.cases.levels import Level
from minzheng.children.actions import RecognitionInput, do_import_recognised_child
from minzheng.children.allowances import evaluate_child
from minzheng.children.enums import ALLOWANCE_PROGRAM, GROUNDS_OF, Category, HarmKind, Placement, ReporterKind, Source, Status
from minzheng.children.models import Recognition
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.protection import ReportInput, do_report_minor
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.money import format_yuan
from minzheng.core.periods import next_month, period_of
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport
from minzheng.exchange.spec import ID_NUMBER, Choice, Column, ColumnType as T, ImportSpec, RowsRefused, register_spec
from minzheng.registry.selectors import find_person_by_id_number, list_persons_for

GROUP = "children"
KIND = "children_roster"

CATEGORIES = tuple(Choice(c.value, c.label) for c in Category if c in ALLOWANCE_PROGRAM)
PLACEMENTS = (Choice(Placement.SCATTERED, "散居"), Choice(Placement.INSTITUTIONAL, "集中供养", ("集中", "机构养育")))
GROUNDS = tuple(
    Choice(g.value, g.label) for c in ALLOWANCE_PROGRAM for g in GROUNDS_OF[c]
)

COLUMNS = (
    ID_NUMBER,
    Column("name", "姓名", T.TEXT, True, 50, example="张小明"),
    Column("division_code", "村（社区）代码", T.TEXT, True, 12, note="12位统计用区划代码，须与人口库登记一致", example="500102006001"),
    Column("category", "儿童类别", T.CHOICE, True, choices=CATEGORIES, example="孤儿"),
    Column("ground", "认定情形", T.CHOICE, True, choices=GROUNDS, example="父母双方均死亡"),
    Column("placement", "养育方式", T.CHOICE, True, choices=PLACEMENTS, example="散居"),
    Column("guardian_id_number", "监护人身份证号码", T.ID_NUMBER, note="散居儿童必填（基本生活费领款人）", example="500102198001011234"),
    Column("guardian_relation", "监护人与儿童关系", T.TEXT, max_length=20, example="祖父"),
    Column("recognised_on", "认定日期", T.DATE, True, example="2024-05-20"),
    Column("start", "发放起始年月", T.MONTH, True, example="2024-06"),
    Column("amount", "月基本生活费（元）", T.DECIMAL_YUAN, True, note="须与现行标准一致", example="1651.00"),
)


def _authorize(actor: Actor) -> None:
    actor.require(ChildrenPerm.REVIEW_RECOGNITION)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("存量名单须由乡镇（街道）或区民政局导入")


def _check(actor: Actor, parsed: ParsedImport, match: MatchResult, today_: dt.date) -> dict:
    spec = SPEC
    for unmatched in match.unmatched:
        parsed.reject(spec, unmatched["row"], "id_number", "该儿童未在人口库登记（或不在您的辖区），请先在人口管理中登记")
    by_number = {m.number: m for m in match.matched}
    persons = list_persons_for(actor).in_bulk([m.person.id for m in match.matched if m.person is not None])
    live = set(
        Recognition.objects.filter(
            person_id__in=list(persons), status__in=[Status.SUBMITTED, Status.PUBLICITY, Status.DECISION, Status.RECOGNISED],
            category__in=list(ALLOWANCE_PROGRAM),
        ).values_list("person_id", flat=True)
    )
    today = clock.today()
    first = next_month(today)
    seen: dict[str, int] = {}
    planned = 0
    for row in parsed.good_rows:
        values, m = row.values, by_number.get(row.number)
        if m is None or m.person is None:
            continue
        person = persons.get(m.person.id)
        number = values["id_number"]
        if number in seen:
            parsed.reject(spec, row.number, "id_number", f"与第{seen[number]}行重复")
            continue
        seen[number] = row.number
        if person is None or person.is_deceased:
            parsed.reject(spec, row.number, "id_number", "该儿童已登记死亡")
            continue
        if age_on(person.birth_date, today) >= 18:
            parsed.reject(spec, row.number, "id_number", "该人员已年满18周岁")
            continue
        if person.pk in live:
            parsed.reject(spec, row.number, "id_number", "该儿童已有孤儿或事实无人抚养儿童认定")
            continue
        if values["division_code"] != person.division_code:
            parsed.reject(spec, row.number, "division_code", "与人口库登记的村（社区）不一致")
            continue
        if values["ground"] not in {g.value for g in GROUNDS_OF[Category(values["category"])]}:
            parsed.reject(spec, row.number, "ground", f"不属于{Category(values['category']).label}的认定情形")
            continue
        if values["start"] > first:
            parsed.reject(spec, row.number, "start", "不能晚于下月")
            continue
        guardian_number = values.get("guardian_id_number")
        if guardian_number:
            if find_person_by_id_number(actor, guardian_number) is None:
                parsed.reject(spec, row.number, "guardian_id_number", "监护人未在人口库登记（或不在您的辖区）")
                continue
        elif values["placement"] == Placement.SCATTERED:
            parsed.reject(spec, row.number, "guardian_id_number", "散居儿童须填写监护人身份证号码")
            continue
        verdict = evaluate_child(person, values["category"], values["placement"], period_of(today))
        if not verdict.eligible:
            parsed.reject(spec, row.number, "id_number", "规则引擎判定不符合条件")
            continue
        if verdict.amount_fen != values["amount"]:
            parsed.reject(spec, row.number, "amount", f"与现行标准（{format_yuan(verdict.amount_fen, grouping=False)}元）不符")
            continue
        planned += 1
    return {"enrolments_planned": planned}


def _commit(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
    imported = 0
    for m in sorted(matched, key=lambda r: r.number):
        v = m.values
        try:
            guardian = find_person_by_id_number(actor, v["guardian_id_number"]) if v.get("guardian_id_number") else None
            do_import_recognised_child(
                actor,
                RecognitionInput(
                    person_id=m.person.id,
                    category=v["category"],
                    source=Source.ROSTER,
                    grounds=[v["ground"]],
                    placement=v["placement"],
                    guardian_id=guardian.pk if guardian else None,
                    guardian_relation=v.get("guardian_relation") or "",
                ),
                recognised_on=v["recognised_on"],
                start_month=v["start"],
                amount_fen=v["amount"],
                reference=f"存量名单导入（导入批次 {batch.pk}，第{m.number}行）",
            )
        except ValidationFailed as e:
            key, message = next(iter(e.errors.items()), ("", e.message))
            raise RowsRefused([(m.number, key if key in {c.key for c in COLUMNS} else "", message)]) from e
        except DomainError as e:
            raise RowsRefused([(m.number, "", e.message)]) from e
        imported += 1
    return {"inserted": imported, "enrolments": imported}


SPEC = ImportSpec(
    kind=KIND,
    title="存量孤儿、事实无人抚养儿童名单",
    source="乡镇（街道）或区民政局存量名单",
    columns=COLUMNS,
    commit=_commit,
    check=_check,
    authorize=_authorize,
    perm=ChildrenPerm.REVIEW_RECOGNITION,
    listed=False,
    group=GROUP,
    all_or_nothing=True,
    name_mismatch_is_error=True,
    description="一个文件有任何错误即整体不导入，改正后重新上传；儿童须已在人口库登记；金额须与现行标准一致",
)




# ----------------------------------------------------------------------------------------------
# 强制报告 feed: schools, hospitals and the police send their reports as a file or through the
# API (POST /api/v1/exchange/feeds/children_mandatory_report). Each row becomes a case through
# protection.do_report_minor, exactly as the form; all-or-nothing.
# ----------------------------------------------------------------------------------------------

REPORT_KIND = "children_mandatory_report"
REPORTERS = tuple(Choice(k.value, k.label) for k in ReporterKind)
HARMS = tuple(Choice(k.value, k.label) for k in HarmKind)

REPORT_COLUMNS = (
    Column("id_number", "未成年人身份证号码", T.ID_NUMBER, note="不详的可不填", example="500102201506100011"),
    Column("name", "未成年人姓名", T.TEXT, True, 50, example="王小明"),
    Column("division_code", "发生地村（社区）代码", T.TEXT, True, 12, example="500102006001"),
    Column("reporter_kind", "报告主体", T.CHOICE, True, choices=REPORTERS, example="学校、幼儿园"),
    Column("reporter_unit", "报告单位", T.TEXT, max_length=80, example="大东门小学"),
    Column("harm_kind", "侵害或危险情形", T.CHOICE, True, choices=HARMS, example="家庭暴力"),
    Column("description", "报告内容", T.TEXT, True, 1000, example="学生手臂多处淤青"),
    Column("reported_on", "报告日期", T.DATE, True, example="2026-12-01"),
)


def _report_check(actor: Actor, parsed: ParsedImport, match: MatchResult, today_: dt.date) -> dict:
    directory = get_directory()
    for row in parsed.good_rows:
        code = row.values["division_code"]
        info = directory.get(code)
        if info is None or info.level != DivisionLevel.VILLAGE:
            parsed.reject(REPORT_SPEC, row.number, "division_code", f"“{code}”不是有效的村（社区）代码")
        elif not actor.covers(code):
            parsed.reject(REPORT_SPEC, row.number, "division_code", "不在您的管辖范围内")
    return {"reports_planned": len(parsed.good_rows)}


def _person_id(actor: Actor, number: str | None) -> int | None:
    person = find_person_by_id_number(actor, number) if number else None
    return person.pk if person is not None else None


def _report_commit(actor: Actor, batch, matched: list[MatchedRow], *, today: dt.date) -> dict:
    count = 0
    for m in sorted(matched, key=lambda r: r.number):
        v = m.values
        try:
            do_report_minor(
                actor,
                ReportInput(
                    division_code=v["division_code"], child_name=v["name"], reporter_kind=v["reporter_kind"],
                    reporter_unit=v.get("reporter_unit") or "", harm_kinds=[v["harm_kind"]], description=v["description"],
                    person_id=_person_id(actor, v.get("id_number")),
                    reported_at=dt.datetime.combine(v["reported_on"], dt.time(0, 0), tzinfo=dt.UTC),
                ),
            )
        except ValidationFailed as e:
            key, message = next(iter(e.errors.items()), ("", e.message))
            raise RowsRefused([(m.number, key if key in {c.key for c in REPORT_COLUMNS} else "", message)]) from e
        except DomainError as e:
            raise RowsRefused([(m.number, "", e.message)]) from e
        count += 1
    return {"inserted": count, "reports": count}


REPORT_SPEC = ImportSpec(
    kind=REPORT_KIND,
    title="强制报告（未成年人受侵害）",
    source="学校、医疗机构、公安机关",
    columns=REPORT_COLUMNS,
    commit=_report_commit,
    check=_report_check,
    perm=ChildrenPerm.REPORT_MINOR,
    listed=False,  # /exchange/?group=children; the department feed list stays the screening staff's
    group=GROUP,
    all_or_nothing=True,
    id_column=None,  # the child's ID number is often unknown: looked up at commit when given
    name_column=None,
    description="每行一份报告；未成年人身份证号码不详的可不填",
)


def register() -> None:
    """Called by ChildrenConfig.ready()."""
    register_spec(SPEC)
    register_spec(REPORT_SPEC)
