"""Demo data of active discovery (called by `minzheng demo`, after assistance and screening).

`seed_demo(seed=, scale=)` registers some 三留守 people with their visit schedules (and a few
visits), then imports one small synthetic file of each of the six department feeds through
the exchange app's own preview → commit (good rows only), so the feed's rule raises alerts and
tasks exactly as for a real file. Each file has `MATCHED` rows for real registry people — half of
them, where there are enough, in the demo users' divisions (敦仁街道 and its 大东门社区, 珍溪镇) —
plus `UNMATCHED` rows for valid ID numbers nobody has and `BAD` rows that fail validation, so
the import reports show something. A few assessment tasks get an outcome, for the dashboard.

Deterministic for a seed and registry (event dates count back from today). Idempotent: a feed
already imported by the demo (its file name) is skipped, and the 三留守 step runs only while the
registry of 三留守 people is empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.assistance.enums import Program
from minzheng.assistance.selectors import live_enrolment_person_ids, live_enrolments
from minzheng.core.crypto import blind_index, decrypt_text
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.core.district import district_code
from minzheng.core.idnumber import check_digit
from minzheng.discovery.actions import do_record_task_outcome, do_record_visit, do_register_left_behind
from minzheng.discovery.alerts import village_workers
from minzheng.discovery.enums import FeedKind, LeftBehindCategory, RiskLevel, TaskKind, TaskOutcome, TaskStatus
from minzheng.discovery.models import LeftBehind, Task
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode, ImportBatch
from minzheng.registry.models import Person

FOCUS = ("500102006001", "500102006", "500102119")  # 大东门社区, 敦仁街道, 珍溪镇: the demo users
MATCHED = 24  # rows of real people per feed (fewer when the registry has fewer candidates)
UNMATCHED = 3  # valid ID numbers of nobody in the registry
BAD = 2  # rows that fail validation (check digit, a required column left empty)
LEFT_BEHIND = {LeftBehindCategory.ELDERLY: 12, LeftBehindCategory.CHILD: 8, LeftBehindCategory.WOMAN: 6}
VISITED_SHARE = 3  # every third 三留守 person has had a visit
OUTCOME_SHARE = 4  # every fourth new assessment task has an outcome
FEED_ORDER = ("death", "medical_discharge", "disability_certificate", "unemployment", "school_leaving", "disaster")


def filename(kind: str) -> str:
    """The demo file's name as the upload list shows it: 演示数据-死亡信息.csv."""
    return f"演示数据-{FeedKind(kind).label}.csv"


def seed_demo(*, seed: int, scale: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not Person.objects.filter(is_deceased=False).exists():
        out["说明"] = "人口库为空，未生成主动发现演示数据"
        return out
    actor = Actor.system("演示数据：主动发现")
    today = clock.today()
    rng = random.Random(seed)
    people = _People(rng, today)

    if LeftBehind.objects.exists():
        out["三留守"] = "已有名册，未改动"
    else:
        out["三留守"] = _seed_left_behind(actor, people, rng, today)

    imported = []
    for kind in FEED_ORDER:
        label = FeedKind(kind).label
        if ImportBatch.objects.filter(kind=kind, filename=filename(kind), status=BatchStatus.COMMITTED).exists():
            out[label] = "已导入，未改动"
            continue
        rows = ROW_MAKERS[kind](people, rng, today)
        batch = _import(actor, kind, rows, rng, today)
        imported.append(batch.pk)
        out[label] = (
            f"{batch.total_rows} 行：导入 {batch.imported_rows}，未匹配 {batch.unmatched_rows}，"
            f"错误 {batch.error_rows}；预警 {batch.summary.get('alerts', 0)} 条"
        )
    if imported:
        out["任务办结"] = _close_some_tasks(actor, imported)
    return out


# ---------------------------------------------------------------------------------------------
# Choosing people
# ---------------------------------------------------------------------------------------------


class _People:
    """Living registry people picked deterministically, half from the demo users' divisions
    where possible, each person used in at most one feed."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.used: set[int] = set()

    def pick(self, query: Q, n: int, *, reuse: bool = False) -> list[int]:
        """n people: a quarter from the demo village, up to half from the demo divisions,
        the rest from the district (topped up from the demo divisions when short)."""
        rows = sorted(
            Person.objects.filter(query, is_deceased=False).values_list("id", "division_code").distinct()
        )
        rows = [r for r in rows if reuse or r[0] not in self.used]
        village = [pk for pk, code in rows if code.startswith(FOCUS[0])]
        towns = [pk for pk, code in rows if code.startswith(FOCUS[1:]) and not code.startswith(FOCUS[0])]
        rest = [pk for pk, code in rows if not code.startswith(FOCUS)]
        for group in (village, towns, rest):
            self.rng.shuffle(group)
        chosen = village[: n // 4]
        focus = [*towns, *village[n // 4 :]]
        chosen += focus[: n // 2 - len(chosen)]
        chosen += rest[: n - len(chosen)]
        chosen += focus[n // 2 - len(village[: n // 4]) :][: n - len(chosen)]
        chosen.sort()
        self.used.update(chosen)
        return chosen

    def born(self, *, min_age: int | None = None, max_age: int | None = None) -> Q:
        q = Q()
        if min_age is not None:
            q &= Q(birth_date__lte=born_by(self.today, min_age))
        if max_age is not None:  # younger than max_age + 1
            q &= Q(birth_date__gt=born_by(self.today, max_age + 1))
        return q


def _identity(person_ids: list[int]) -> list[tuple[str, str]]:
    people = Person.objects.filter(id__in=person_ids).order_by("id").values_list("id_number_encrypted", "name")
    return [(decrypt_text(enc), name) for enc, name in people]


def _unknown_ids(rng: random.Random, n: int) -> list[str]:
    """Valid ID numbers (sequence 9xx, which the generator never issues) of nobody."""
    out: list[str] = []
    while len(out) < n:
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        first = f"{district_code()}{birth:%Y%m%d}9{rng.randrange(100):02d}"
        number = first + check_digit(first)
        if number not in out and not Person.objects.filter(id_number_index=blind_index(number)).exists():
            out.append(number)
    return out


def _day(rng: random.Random, today: dt.date, back: int = 60) -> dt.date:
    return today - dt.timedelta(days=rng.randrange(1, back))


# ---------------------------------------------------------------------------------------------
# The six feeds: (headers, rows for the people) — one maker per feed
# ---------------------------------------------------------------------------------------------


def _live_enrolled(people: _People) -> Q:
    subjects, payees = live_enrolment_person_ids()
    return Q(id__in=subjects) | Q(id__in=payees)


def _death(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "死亡日期", "信息来源"]
    ids = people.pick(_live_enrolled(people), MATCHED)
    sources = ["公安户籍注销", "卫健死亡医学证明", "殡葬火化"]
    rows = [[n, name, _day(rng, today), rng.choice(sources)] for n, name in _identity(ids)]
    return headers, rows, lambda n, name: [n, name, _day(rng, today), "公安户籍注销"]


def _medical(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "结算单号", "医疗机构", "入院日期", "出院（结算）日期", "医疗总费用（元）", "医保报销合计（元）", "个人自付（元）"]
    hospitals = ["涪陵中心医院", "涪陵区人民医院", "重庆大学附属涪陵医院", "涪陵区中医院"]

    def row(n, name):
        discharged = _day(rng, today)
        total = rng.randrange(20_000, 160_000)
        own = int(total * rng.uniform(0.3, 0.6))
        return [
            n, name, f"JS{discharged:%Y%m%d}{rng.randrange(10**5):05d}", rng.choice(hospitals),
            discharged - dt.timedelta(days=rng.randrange(3, 30)), discharged, total, total - own, own,
        ]  # fmt: skip

    ids = people.pick(people.born(min_age=40), MATCHED)
    return headers, [row(n, name) for n, name in _identity(ids)], row


def _disability(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "办理类型", "残疾类别", "残疾等级", "办理日期"]
    categories = ["肢体残疾", "视力残疾", "智力残疾", "精神残疾", "听力残疾", "多重残疾"]

    def row(n, name):
        kind = rng.choice(["新办", "新办", "等级变更", "换领"])
        return [n, name, kind, rng.choice(categories), rng.choice(["一级", "二级", "二级", "三级"]), _day(rng, today)]

    ids = people.pick(people.born(min_age=16), MATCHED)
    return headers, [row(n, name) for n, name in _identity(ids)], row


def _unemployment(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "失业登记日期", "原工作单位", "领取失业保险金", "失业保险金月额（元）"]
    employers = ["涪陵榨菜集团", "某某建材有限公司", "白涛化工园区某企业", "某某物流有限公司"]

    def row(n, name):
        insured = rng.random() < 0.5
        return [n, name, _day(rng, today), rng.choice(employers), "是" if insured else "否", rng.choice([1500, 1620, 1800]) if insured else 0]

    dibao = live_enrolments().filter(program=Program.DIBAO, household__isnull=False)
    working_age = people.born(min_age=18, max_age=59)
    ids = people.pick(working_age & Q(household_id__in=dibao.values("household_id")), MATCHED // 3)
    ids += people.pick(working_age, MATCHED - len(ids))
    return headers, [row(n, name) for n, name in _identity(sorted(ids))], row


def _school(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "学校名称", "学段", "离校日期", "离校原因"]
    schools = ["涪陵区实验小学", "涪陵区第五中学", "珍溪镇中心小学", "敦仁小学"]

    def row(n, name, reasons=("辍学", "休学", "长期旷课", "转学", "毕业")):
        return [n, name, rng.choice(schools), rng.choice(["小学", "初中"]), _day(rng, today), rng.choice(reasons)]

    # The 三留守 children (registered by this seeder first) leave school: the rule's alerts.
    children = LeftBehind.objects.filter(active=True, category=LeftBehindCategory.CHILD).values("person_id")
    left_behind = people.pick(Q(id__in=children) & people.born(min_age=6, max_age=15), MATCHED // 3, reuse=True)
    others = people.pick(people.born(min_age=7, max_age=15), MATCHED - len(left_behind))
    rows = [row(n, name, ("辍学", "休学", "长期旷课")) for n, name in _identity(left_behind)]
    rows += [row(n, name) for n, name in _identity(others)]
    return headers, rows, row


def _disaster(people: _People, rng: random.Random, today: dt.date):
    headers = ["身份证号码", "姓名", "发生日期", "灾害事故类型", "受灾程度", "人员伤亡", "预计经济损失（元）", "简要情况"]
    summaries = {"火灾": "住房起火，家具家电烧毁", "洪涝": "房屋进水，农作物受损", "地质灾害": "山体滑坡，房屋部分垮塌", "风雹": "屋顶瓦片被掀，农作物受损"}

    def row(n, name):
        kind = rng.choice(list(summaries))
        return [n, name, _day(rng, today), kind, rng.choice(["一般", "较重", "严重"]), rng.choice(["无", "无", "受伤"]), rng.randrange(1, 80) * 1000, summaries[kind]]

    ids = people.pick(people.born(min_age=18), MATCHED)
    return headers, [row(n, name) for n, name in _identity(ids)], row


ROW_MAKERS = {
    "death": _death,
    "medical_discharge": _medical,
    "disability_certificate": _disability,
    "unemployment": _unemployment,
    "school_leaving": _school,
    "disaster": _disaster,
}


def _import(actor: Actor, kind: str, made, rng: random.Random, today: dt.date) -> ImportBatch:
    headers, rows, row = made
    rows = list(rows)
    for number in _unknown_ids(rng, UNMATCHED):
        rows.insert(rng.randrange(len(rows) + 1), row(number, "查无此人"))
    # Bad rows: a wrong check digit; a required column left empty.
    wrong = _unknown_ids(rng, 1)[0]
    wrong = wrong[:-1] + ("1" if wrong[-1] != "1" else "2")
    rows.insert(rng.randrange(len(rows) + 1), row(wrong, "号码有误"))
    empty = row(_unknown_ids(rng, 1)[0], "")
    rows.insert(rng.randrange(len(rows) + 1), empty)
    assert BAD == 2
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in r])
    content = buffer.getvalue().encode("utf-8-sig")
    preview = do_preview_import(actor, kind, filename=filename(kind), content=content, today=today)
    return do_commit_import(actor, preview.batch, CommitMode.GOOD_ROWS_ONLY, today=today)


# ---------------------------------------------------------------------------------------------
# 三留守 and task outcomes
# ---------------------------------------------------------------------------------------------


def _seed_left_behind(actor: Actor, people: _People, rng: random.Random, today: dt.date) -> str:
    queries = {
        LeftBehindCategory.ELDERLY: people.born(min_age=60, max_age=90),
        LeftBehindCategory.CHILD: people.born(min_age=6, max_age=15),
        LeftBehindCategory.WOMAN: people.born(min_age=20, max_age=55) & Q(sex="F"),
    }
    chosen = [(category, pk) for category, n in LEFT_BEHIND.items() for pk in people.pick(queries[category], n)]
    divisions = dict(Person.objects.filter(id__in=[pk for _, pk in chosen]).values_list("id", "division_code"))
    workers = village_workers(set(divisions.values()))
    risks = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.LOW]
    guardians = ["祖父（务农）", "祖母（务农）", "外祖母", "姑姑"]
    situations = {
        LeftBehindCategory.ELDERLY: "子女均在外务工，独自居住，患慢性病",
        LeftBehindCategory.CHILD: "父母在外务工，由祖辈照料",
        LeftBehindCategory.WOMAN: "丈夫长期在外务工，独自照料老人和子女",
    }
    visits = 0
    for i, (category, pk) in enumerate(chosen):
        entry = do_register_left_behind(
            actor,
            pk,
            category=category,
            risk_level=risks[i % len(risks)],
            guardian=rng.choice(guardians) if category == LeftBehindCategory.CHILD else "",
            situation=situations[category],
            responsible_user_id=workers.get(divisions[pk]),
            registered_on=today - dt.timedelta(days=rng.randrange(10, 120)),
        )
        if i % VISITED_SHARE == 0:
            day = entry.registered_on + dt.timedelta(days=rng.randrange(1, (today - entry.registered_on).days))
            do_record_visit(
                actor,
                entry,
                visited_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30))),
                place="家中",
                findings="身体状况稳定，生活基本能自理，已告知联系方式",
                risk_level_after=entry.risk_level,
            )
            visits += 1
    return f"登记 {len(chosen)} 人，走访 {visits} 次"


def _close_some_tasks(actor: Actor, batch_ids: list[int]) -> str:
    tasks = list(
        Task.objects.filter(
            alert__batch_id__in=batch_ids, kind=TaskKind.ASSESS, status=TaskStatus.OPEN
        ).order_by("id")[::OUTCOME_SHARE]
    )
    outcomes = [TaskOutcome.APPLICATION_STARTED, TaskOutcome.VISITED, TaskOutcome.NOT_NEEDED]
    for i, task in enumerate(tasks):
        outcome = outcomes[i % len(outcomes)]
        note = "经入户核实，家庭收入和支出情况不符合救助条件" if outcome == TaskOutcome.NOT_NEEDED else ""
        do_record_task_outcome(actor, task, outcome=outcome, note=note)
    return f"{len(tasks)} 项"
