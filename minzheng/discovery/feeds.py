"""The six department feeds of active discovery, declared with the exchange framework.

Each spec's ``commit`` writes the good, matched rows as ``Signal`` rows — skipping rows already
imported (same kind and row key), so a re-import changes nothing — and then runs the feed's
rule to raise alerts and tasks, in the import's transaction. The death feed has no rule: each
new row is a registry death report (``do_report_death``, ADR 0004), whose handlers suspend the
person's payments and open the village's 死亡核实 task.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import polars as pl


from minzheng.accounts.actor import Actor
from minzheng.core.bulk import bulk_insert
from minzheng.discovery.enums import FEED_SOURCES, FeedKind
from minzheng.discovery.models import Signal
from minzheng.discovery.services import run_feed_handlers
from minzheng.exchange.matching import InValues, MatchedRow, raw_rows
from minzheng.exchange.models import ImportBatch
from minzheng.exchange.spec import ID_NUMBER, NAME, Choice, Column, ColumnType, ImportSpec, register_spec
from minzheng.registry.actions import do_report_death
from minzheng.registry.enums import DeathSource, DisabilityCategory
from minzheng.registry.models import Person
from django.db import connection
from minzheng.discovery.rules import SignalRow

CHUNK = 5000

T = ColumnType

DISABILITY_CATEGORIES = tuple(Choice(code, label, (label.replace("残疾", ""),)) for code, label in DisabilityCategory.choices)
GRADES = (
    Choice("1", "一级", ("1级", "一")),
    Choice("2", "二级", ("2级", "二")),
    Choice("3", "三级", ("3级", "三")),
    Choice("4", "四级", ("4级", "四")),
)
CHANGE_TYPES = (
    Choice("new", "新办"),
    Choice("grade_change", "等级变更", ("变更",)),
    Choice("renewal", "换领", ("换证",)),
    Choice("revoked", "注销"),
)
# The registry's death sources (ADR 0004), with the words departments write for them.
DEATH_SOURCES = (
    Choice(DeathSource.POLICE.value, DeathSource.POLICE.label, ("公安",)),
    Choice(DeathSource.HEALTH.value, DeathSource.HEALTH.label, ("卫健", "医学死亡证明")),
    Choice(DeathSource.FUNERAL.value, DeathSource.FUNERAL.label, ("殡葬", "火化")),
)
YES_NO = (Choice("yes", "是"), Choice("no", "否"))
SCHOOL_STAGES = (Choice("primary", "小学"), Choice("junior", "初中"), Choice("senior", "高中"), Choice("vocational", "中职"))
LEAVING_REASONS = (
    Choice("dropout", "辍学"),
    Choice("suspended", "休学"),
    Choice("absent", "长期旷课", ("旷课",)),
    Choice("transfer", "转学"),
    Choice("graduated", "毕业"),
)
EVENT_TYPES = (
    Choice("fire", "火灾"),
    Choice("flood", "洪涝"),
    Choice("geological", "地质灾害"),
    Choice("storm", "风雹"),
    Choice("traffic", "交通事故"),
    Choice("other", "其他意外"),
)
SEVERITIES = (Choice("general", "一般"), Choice("serious", "较重"), Choice("severe", "严重"))
CASUALTIES = (Choice("none", "无"), Choice("injured", "受伤"), Choice("death", "死亡"))


def _born_after(v: dict) -> bool:
    """The death date is before the birth date read from the ID number."""
    number, death = str(v.get("id_number") or ""), v.get("death_date")
    if len(number) != 18 or death is None:
        return False
    try:
        return death < dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False


def _label(choices: tuple[Choice, ...], code: str | None) -> str:
    return next((c.label for c in choices if c.code == code), "")


# ---------------------------------------------------------------------------------------------
# What each feed keeps of a row: (event date, amount, grade, code, detail) and its business key
# ---------------------------------------------------------------------------------------------


def _medical(v: dict) -> tuple:
    detail = {"hospital": v["hospital"], "settlement_no": v["settlement_no"], "total_fen": v["total_fen"]}
    if v.get("admitted_on"):
        detail["admitted_on"] = v["admitted_on"].isoformat()
    if v.get("reimbursed_fen") is not None:
        detail["reimbursed_fen"] = v["reimbursed_fen"]
    return v["discharged_on"], v["out_of_pocket_fen"], 0, "", detail


def _disability(v: dict) -> tuple:
    return v["issued_on"], 0, int(v["grade"]), v["change_type"], {"category": v["category"]}


def _death(v: dict) -> tuple:
    return v["death_date"], 0, 0, v["source"], {"source_label": _label(DEATH_SOURCES, v["source"])}


def _unemployment(v: dict) -> tuple:
    detail = {"insurance": v["insurance"]}
    if v.get("employer"):
        detail["employer"] = v["employer"]
    return v["registered_on"], v.get("benefit_fen") or 0, 0, v["insurance"], detail


def _school(v: dict) -> tuple:
    detail = {"school": v["school"], "stage": v.get("stage") or ""}
    return v["left_on"], 0, 0, v["reason"], detail


def _disaster(v: dict) -> tuple:
    detail = {
        "event_type": v["event_type"],
        "event_label": _label(EVENT_TYPES, v["event_type"]),
        "severity": v["severity"],
        "casualty": v["casualty"],
    }
    if v.get("summary"):
        detail["summary"] = v["summary"]
    return v["event_date"], v.get("loss_fen") or 0, 0, v["event_type"], detail


def _row_key(kind: str, row: MatchedRow, key_columns: tuple[str, ...]) -> str:
    """A hash over the blind index of the ID number and the rest of the business key: stable
    across files, and it keeps no ID number."""
    parts = [kind, row.id_index, *(str(row.values.get(k) or "") for k in key_columns if k != "id_number")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


SIGNAL_SCHEMA = {
    "kind": pl.Utf8, "batch_id": pl.Int64, "row_number": pl.Int64, "row_key": pl.Utf8, "person_id": pl.Int64,
    "household_id": pl.Int64, "division_code": pl.Utf8, "event_date": pl.Date, "amount_fen": pl.Int64,
    "grade": pl.Int64, "code": pl.Utf8, "detail": pl.Utf8, "name_mismatch": pl.Boolean,
}  # fmt: skip
SIGNAL_COLUMNS = list(SIGNAL_SCHEMA)


def refresh_statistics(*models) -> None:
    """After a bulk load, PostgreSQL's planner still believes the table is as small as at its
    last ANALYZE and may scan it for every chunk of ids (seconds, then minutes). ANALYZE
    samples the table (tens of milliseconds) inside the transaction. SQLite needs nothing."""

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _report_deaths(actor: Actor, batch: ImportBatch, kept: list[tuple[MatchedRow, object]], *, today) -> dict:
    """ADR 0004: each new death row becomes a registry death report (the one action
    ``do_report_death``): payments of the person are suspended and the village gets a 死亡核实
    task through the lines' handlers. Nobody is marked deceased here."""
    created = already = 0
    people = Person.objects.in_bulk([row.person.id for row, _signal in kept])
    for row, signal in kept:
        outcome = do_report_death(
            actor,
            person=people[row.person.id],
            death_date=signal.event_date,
            source=signal.code,
            reference=f"数据交换批次{batch.pk}第{row.number}行（{_label(DEATH_SOURCES, signal.code)}）",
        )
        if outcome.created:
            created += 1
        else:
            already += 1
    # Each new report raised one 死亡核实 alert and task (discovery's death handler).
    return {"death_reports": created, "death_reports_existing": already, "alerts": created}


INSERT_CHUNK = 20_000  # signals per INSERT frame (all in the import's one transaction)


def _committer(kind: str, extract: Callable[[dict], tuple], key_columns: tuple[str, ...], after=None):
    def commit(actor: Actor, batch: ImportBatch, rows: list[MatchedRow], *, today) -> dict:
        keyed = {}
        for row in rows:
            keyed.setdefault(_row_key(kind, row, key_columns), row)
        keys = list(keyed)
        known: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            known.update(
                r[0] for r in raw_rows(Signal.objects.filter(kind=kind).filter(InValues("row_key", keys[start : start + CHUNK])).values_list("row_key"))
            )
        # local import: discovery.alerts imports this module at its top (a cycle).
        from minzheng.discovery.alerts import raise_alerts

        fresh = []
        kept = []
        inserted = 0
        for key, row in sorted(keyed.items()):  # row-key order: the unique index is appended to
            if key in known:
                continue
            if len(fresh) == INSERT_CHUNK:  # inserted a chunk at a time: no frame of the whole file
                inserted += bulk_insert(Signal, SIGNAL_COLUMNS, pl.DataFrame(fresh, schema=SIGNAL_SCHEMA, orient="row"))
                fresh.clear()
            event_date, amount, grade, code, detail = extract(row.values)
            person = row.person
            fresh.append(
                (
                    kind, batch.pk, row.number, key, person.id, person.household_id, person.division_code,
                    event_date, amount, grade, code, json.dumps(detail, ensure_ascii=False),
                    bool(row.values.get("name") and row.values["name"] != person.name),
                )
            )  # fmt: skip
            kept.append((key, row, SignalRow(0, person.id, person.household_id, person.division_code, event_date, amount, grade, code, detail)))
        if fresh:
            inserted += bulk_insert(Signal, SIGNAL_COLUMNS, pl.DataFrame(fresh, schema=SIGNAL_SCHEMA, orient="row"))
        del fresh
        if inserted > 1000:
            refresh_statistics(Signal)
        # The new signals' ids (for the alerts), without reading the rows back.
        ids = dict(raw_rows(Signal.objects.filter(batch_id=batch.pk).values_list("row_key", "id")))
        signals = []
        for key, _row, signal in kept:
            signal.id = ids[key]
            signals.append(signal)
        result = {"inserted": inserted, "skipped": len(rows) - inserted, "signals": inserted}
        if after is not None:
            result.update(after(actor, batch, [(row, signal) for _key, row, signal in kept], today=today))
        else:
            result.update(raise_alerts(actor, kind, signals, batch_id=batch.pk, today=today))
        result.update(run_feed_handlers(kind, signals))  # lines acting on the rows themselves (services.py)
        return result

    return commit


def _spec(kind: FeedKind, columns: tuple[Column, ...], unique_key: tuple[str, ...], extract, description: str, after=None, **kw) -> ImportSpec:
    return ImportSpec(
        kind=kind.value,
        title=kind.label,
        source=FEED_SOURCES[kind],
        columns=columns,
        unique_key=unique_key,
        description=description,
        commit=_committer(kind.value, extract, unique_key, after),
        **kw,
    )


MEDICAL = _spec(
    FeedKind.MEDICAL,
    (
        ID_NUMBER,
        NAME,
        Column("settlement_no", "结算单号", T.TEXT, required=True, max_length=40, note="医保结算单据号，同一结算只报一次", example="JS2026031500012"),
        Column("hospital", "医疗机构", T.TEXT, required=True, max_length=60, example="涪陵中心医院"),
        Column("admitted_on", "入院日期", T.DATE, note="门诊慢特病可不填", example="2026-03-01"),
        Column("discharged_on", "出院（结算）日期", T.DATE, required=True, example="2026-03-15"),
        Column("total_fen", "医疗总费用（元）", T.DECIMAL_YUAN, required=True, example=38600),
        Column("reimbursed_fen", "医保报销合计（元）", T.DECIMAL_YUAN, note="基本医保、大病保险、医疗救助等报销之和", example=24300),
        Column("out_of_pocket_fen", "个人自付（元）", T.DECIMAL_YUAN, required=True, note="个人负担的合规及自费费用", example=14300),
    ),
    ("id_number", "settlement_no"),
    _medical,
    "住院或门诊慢特病结算中个人自付费用较高的人员，用于发现因病支出型困难家庭。",
    row_check=lambda v: [
        *([("admitted_on", "入院日期晚于出院日期")] if v.get("admitted_on") and v["admitted_on"] > v["discharged_on"] else []),
        *([("out_of_pocket_fen", "个人自付不能超过医疗总费用")] if v["out_of_pocket_fen"] > v["total_fen"] else []),
    ],
)

DISABILITY = _spec(
    FeedKind.DISABILITY,
    (
        ID_NUMBER,
        NAME,
        Column("change_type", "办理类型", T.CHOICE, required=True, choices=CHANGE_TYPES, example="新办"),
        Column("category", "残疾类别", T.CHOICE, required=True, choices=DISABILITY_CATEGORIES, example="肢体残疾"),
        Column("grade", "残疾等级", T.CHOICE, required=True, choices=GRADES, example="二级"),
        Column("issued_on", "办理日期", T.DATE, required=True, example="2026-03-10"),
    ),
    ("id_number", "change_type", "issued_on"),
    _disability,
    "新办、换领、变更等级或注销的第二代残疾人证。",
    instructions=("残疾人证号不需填写：人员以身份证号码匹配。",),
)

DEATH = _spec(
    FeedKind.DEATH,
    (
        ID_NUMBER,
        NAME,
        Column("death_date", "死亡日期", T.DATE, required=True, example="2026-03-08"),
        Column("source", "信息来源", T.CHOICE, required=True, choices=DEATH_SOURCES, example="公安户籍注销"),
    ),
    ("id_number", "death_date", "source"),
    _death,
    "户籍注销、死亡医学证明、火化信息。导入后不直接登记死亡：暂停该人员的各项救助金发放，并派发死亡核实任务给所在村（社区）。",
    after=_report_deaths,
    instructions=(
        "同一死亡信息（身份证号码、死亡日期、信息来源相同）重复报送不会重复处理；同一人待核实期间其他部门再报送的，并入同一核实任务。",
        "人员库不会因导入直接登记死亡：村（社区）核实属实后才登记死亡并终止保障；核实有误的恢复发放并补发暂停期间的月份。",
    ),
    row_check=lambda v: [("death_date", "死亡日期早于出生日期")] if _born_after(v) else [],
)

UNEMPLOYMENT = _spec(
    FeedKind.UNEMPLOYMENT,
    (
        ID_NUMBER,
        NAME,
        Column("registered_on", "失业登记日期", T.DATE, required=True, example="2026-03-02"),
        Column("employer", "原工作单位", T.TEXT, max_length=100, example="某某建材有限公司"),
        Column("insurance", "领取失业保险金", T.CHOICE, required=True, choices=YES_NO, example="否"),
        Column("benefit_fen", "失业保险金月额（元）", T.DECIMAL_YUAN, note="未领取的填0或不填", example=0),
    ),
    ("id_number", "registered_on"),
    _unemployment,
    "新办理失业登记的人员。",
)

SCHOOL_LEAVING = _spec(
    FeedKind.SCHOOL_LEAVING,
    (
        ID_NUMBER,
        NAME,
        Column("school", "学校名称", T.TEXT, required=True, max_length=60, example="涪陵区某某小学"),
        Column("stage", "学段", T.CHOICE, choices=SCHOOL_STAGES, example="小学"),
        Column("left_on", "离校日期", T.DATE, required=True, example="2026-03-06"),
        Column("reason", "离校原因", T.CHOICE, required=True, choices=LEAVING_REASONS, example="辍学"),
    ),
    ("id_number", "left_on"),
    _school,
    "义务教育及高中阶段辍学、休学、长期旷课、转学、毕业的学生。",
)

DISASTER = _spec(
    FeedKind.DISASTER,
    (
        ID_NUMBER,
        NAME,
        Column("event_date", "发生日期", T.DATE, required=True, example="2026-03-12"),
        Column("event_type", "灾害事故类型", T.CHOICE, required=True, choices=EVENT_TYPES, example="火灾"),
        Column("severity", "受灾程度", T.CHOICE, required=True, choices=SEVERITIES, example="较重"),
        Column("casualty", "人员伤亡", T.CHOICE, required=True, choices=CASUALTIES, example="无"),
        Column("loss_fen", "预计经济损失（元）", T.DECIMAL_YUAN, example=30000),
        Column("summary", "简要情况", T.TEXT, max_length=200, example="住房厨房起火，家具家电烧毁"),
    ),
    ("id_number", "event_date", "event_type"),
    _disaster,
    "自然灾害、火灾、交通事故等意外事件的受灾户（填写户主或受灾人）。",
)

FEED_SPECS = (MEDICAL, DISABILITY, DEATH, UNEMPLOYMENT, SCHOOL_LEAVING, DISASTER)


def register_feeds() -> None:
    for spec in FEED_SPECS:
        register_spec(spec)


__all__ = ["FEED_SPECS", "register_feeds"]
