"""The existing subsidy lists (存量两项补贴名单), imported through exchange — the one intake path.

One ``ImportSpec`` (group ``disability``, not a department feed, all-or-nothing): one bad row
imports nothing and names the row and the field. The check at preview: the person is
registered in the importer's scope, alive, once per subsidy in the file, not already
subsidised; the village code is the person's; the certificate is well formed (a grade out of
1–4 is refused under 残疾等级); the amount equals the rules engine's for this month. The
commit goes through ``actions.do_import_subsidised_person`` — the case (source 存量名单), the
engine's verdict stored, the registry's disability set and the subsidy enrolled in
assistance's program, exactly as a decision does.
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.cases.levels import Level
from minzheng.core import clock
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.money import format_yuan
from minzheng.core.periods import next_month
from minzheng.disability.actions import (
    GRADE_ERROR,
    ApplicationInput,
    Certificate,
    do_import_subsidised_person,
    validate_certificate,
)
from minzheng.disability.enums import LIVE_STATUSES, Source, Subsidy
from minzheng.disability.models import SubsidyApplication
from minzheng.disability.permissions import DisabilityPerm
from minzheng.disability.verdict import evaluate, period_for
from minzheng.exchange.matching import MatchedRow, MatchResult
from minzheng.exchange.parsing import ParsedImport
from minzheng.exchange.spec import (
    ID_NUMBER,
    Choice,
    Column,
    ImportSpec,
    RowsRefused,
    register_spec,
)
from minzheng.exchange.spec import ColumnType as T
from minzheng.registry.enums import DisabilityCategory
from minzheng.registry.selectors import list_persons_for

GROUP = "disability"
KIND = "disability_roster"

SUBSIDIES = (
    Choice(Subsidy.LIVING, Subsidy.LIVING.label, ("生活补贴",)),
    Choice(Subsidy.CARE, Subsidy.CARE.label, ("护理补贴",)),
)
CATEGORIES = tuple(Choice(code, label, (label.replace("残疾", ""),)) for code, label in DisabilityCategory.choices)

COLUMNS = (
    ID_NUMBER,
    Column("name", "姓名", T.TEXT, True, 50, example="张三"),
    Column("division_code", "村（社区）代码", T.TEXT, True, 12, note="12位统计用区划代码，须与人口库登记一致", example="500102006001"),
    Column("subsidy", "补贴项目", T.CHOICE, True, choices=SUBSIDIES, example="重度残疾人护理补贴"),
    Column("certificate_number", "残疾人证号", T.TEXT, True, 20, note="20位：身份证号码加残疾类别、残疾等级各1位", example="50010219600101123X42"),
    Column("certificate_category", "残疾类别", T.CHOICE, True, choices=CATEGORIES, example="肢体残疾"),
    Column("certificate_grade", "残疾等级", T.INT, True, note="填1至4", example=2),
    Column("certificate_issued_on", "发证日期", T.DATE, True, example="2022-05-20"),
    Column("approved_on", "批准日期", T.DATE, True, example="2023-01-10"),
    Column("start", "发放起始年月", T.MONTH, True, example="2023-02"),
    Column("amount", "月补贴金额（元）", T.DECIMAL_YUAN, True, note="须与现行标准一致", example="80.00"),
)
KEYS = {c.key for c in COLUMNS}


def _authorize(actor: Actor) -> None:
    actor.require(DisabilityPerm.REVIEW_SUBSIDY)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("存量名单须由乡镇（街道）或区民政局导入")


def _check(actor: Actor, parsed: ParsedImport, match: MatchResult, today_: dt.date) -> dict:
    spec = SPEC
    for unmatched in match.unmatched:
        parsed.reject(spec, unmatched["row"], "id_number", "该人员未在人口库登记（或不在您的辖区），请先在人口管理中登记")
    by_number = {m.number: m for m in match.matched}
    persons = list_persons_for(actor).in_bulk([m.person.id for m in match.matched if m.person is not None])
    live = set(
        SubsidyApplication.objects.filter(person_id__in=list(persons), status__in=LIVE_STATUSES).values_list("person_id", "subsidy")
    )
    today = clock.today()
    first = next_month(today)
    seen: dict[tuple[str, str], int] = {}
    planned = 0
    for row in parsed.good_rows:
        values, m = row.values, by_number.get(row.number)
        grade = values.get("certificate_grade")
        if grade is None or not 1 <= int(grade) <= 4:
            parsed.reject(spec, row.number, "certificate_grade", GRADE_ERROR)
            continue
        if m is None or m.person is None:
            continue
        person = persons.get(m.person.id)
        key = (values["id_number"], values["subsidy"])
        if key in seen:
            parsed.reject(spec, row.number, "id_number", f"与第{seen[key]}行重复")
            continue
        seen[key] = row.number
        if person is None or person.is_deceased:
            parsed.reject(spec, row.number, "id_number", "该人员已登记死亡")
            continue
        if (person.pk, values["subsidy"]) in live:
            parsed.reject(spec, row.number, "id_number", f"该人员已有{Subsidy(values['subsidy']).label}")
            continue
        if values["division_code"] != person.division_code:
            parsed.reject(spec, row.number, "division_code", "与人口库登记的村（社区）不一致")
            continue
        try:
            validate_certificate(Certificate(values["certificate_number"], values["certificate_category"], grade, values["certificate_issued_on"]))
        except ValidationFailed as e:
            key_, message = next(iter(e.errors.items()))
            parsed.reject(spec, row.number, key_ if key_ in KEYS else "certificate_number", message)
            continue
        if not values["certificate_number"].upper().startswith(values["id_number"].upper()):
            parsed.reject(spec, row.number, "certificate_number", "残疾人证号前18位与身份证号码不一致")
            continue
        if values["start"] > first:
            parsed.reject(spec, row.number, "start", "不能晚于下月")
            continue
        verdict = evaluate(person, values["subsidy"], period_for(today), category=values["certificate_category"], grade=int(grade))
        if not verdict.eligible:
            parsed.reject(spec, row.number, "certificate_grade" if values["subsidy"] == Subsidy.CARE else "id_number", f"规则引擎判定不符合条件：{verdict.failed_text}")
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
            do_import_subsidised_person(
                actor,
                ApplicationInput(
                    person_id=m.person.id,
                    subsidy=v["subsidy"],
                    source=Source.ROSTER,
                    certificate_number=v["certificate_number"],
                    certificate_category=v["certificate_category"],
                    certificate_grade=v["certificate_grade"],
                    certificate_issued_on=v["certificate_issued_on"],
                    certificate_checked=True,
                ),
                approved_on=v["approved_on"],
                start_month=v["start"],
                amount_fen=v["amount"],
                reference=f"存量名单导入（导入批次 {batch.pk}，第{m.number}行）",
            )
        except ValidationFailed as e:
            key, message = next(iter(e.errors.items()), ("", e.message))
            raise RowsRefused([(m.number, key if key in KEYS else "", message)]) from e
        except DomainError as e:
            raise RowsRefused([(m.number, "", e.message)]) from e
        imported += 1
    return {"inserted": imported, "enrolments": imported}


SPEC = ImportSpec(
    kind=KIND,
    title="存量残疾人两项补贴名单",
    source="乡镇（街道）或区民政局存量名单",
    columns=COLUMNS,
    commit=_commit,
    check=_check,
    authorize=_authorize,
    perm=DisabilityPerm.REVIEW_SUBSIDY,
    listed=False,
    group=GROUP,
    all_or_nothing=True,
    name_mismatch_is_error=True,
    description="一个文件有任何错误即整体不导入，改正后重新上传；人员须已在人口库登记；残疾等级填1至4；金额须与现行标准一致",
)


def register() -> None:
    """Called by DisabilityConfig.ready()."""
    register_spec(SPEC)
