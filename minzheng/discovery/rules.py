"""The rules that turn department signals into alert candidates — in bulk.

Each rule takes the new signals of one feed and returns candidates; ``alerts.py`` then drops
those already alerted (per subject, program and period) and writes alerts and tasks.

| feed | fires when | alert → program / task |
| --- | --- | --- |
| 医保 | out-of-pocket costs of the household over the last N months ≥ the minimum and > a share of the household's annual income | 刚性支出困难家庭 (if the engine finds the household eligible with that spending) else 支出型临时救助 / 入户核实 |
| 残联 | a new certificate or a grade change to grade 1–2 (the care subsidy's grades), not yet enrolled, engine-eligible | 重度残疾人护理补贴 / 入户核实 |
| 死亡 | no rule: every death row is a registry death report (ADR 0004, ``feeds._report_deaths``) | 死亡核实 (registry.deaths handlers) |
| 人社 | member of a household with live 低保 → 低保复核; otherwise the engine finds the household 低保-eligible once the job's wage is gone | 低保复核 / 复核, or 低保申请 / 入户核实 |
| 教育 | a left-behind child on the 三留守 registry (or an orphan / de-facto unsupported child) drops out, is suspended or long absent | 儿童关爱保护 / 走访 |
| 应急 | severity 较重/严重, or casualties, or the loss ≥ the minimum; no temporary assistance in the recent months | 急难型临时救助 / 入户核实 |

Thresholds are dated parameters (``params.py``); the engine's own parameters (dibao standard,
care-subsidy grades, rigid-spending rules) are read from the engine. "Already covered" is
checked against live enrolments and open applications (assistance) and, where a program is
defined in the engine, against the engine's eligibility for the household as it now is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db.models import F, Sum

from minzheng.accounts.actor import Actor
from minzheng.assistance import selectors as assistance_selectors
from minzheng.core.periods import add_months, period_of
from minzheng.discovery.enums import AlertKind, AlertProgram, FeedKind, TaskKind
from minzheng.discovery.params import Used, param, rules_parameters
from minzheng.exchange.matching import InValues, raw_rows
from minzheng.registry.facts import load_facts_frames, load_solo_frames
from minzheng.rules import Period, evaluate_batch
from minzheng.core.money import format_yuan
from minzheng.discovery.models import LeftBehind, Signal
from minzheng.registry.models import Person

CHUNK = 2000
BIG_CHUNK = 5000  # integer ids: well under SQLite's 32,766 variables


@dataclass(slots=True)
class SignalRow:
    id: int
    person_id: int
    household_id: int | None
    division_code: str
    event_date: dt.date
    amount_fen: int
    grade: int
    code: str
    detail: dict


@dataclass
class Candidate:
    kind: str
    program: str
    task_kind: str
    subject_key: str
    period: str
    person_id: int
    household_id: int | None
    division_code: str
    signal_id: int | None
    reason: str
    facts: dict = field(default_factory=dict)
    used: list[Used] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return any(u.provisional for u in self.used)

    @classmethod
    def from_signal(cls, s, *, household_level: bool, period: str | None = None, **fields) -> Candidate:
        """The fields every rule takes from the signal that fired it, in one place."""
        return cls(
            subject_key=subject_key(s.person_id, s.household_id if household_level else None, household_level=household_level),
            period=period or period_of(s.event_date),
            person_id=s.person_id,
            household_id=s.household_id,
            division_code=s.division_code,
            signal_id=s.id,
            **fields,
        )


def subject_key(person_id: int, household_id: int | None, *, household_level: bool) -> str:
    if household_level and household_id is not None:
        return f"h{household_id}"
    return f"p{person_id}"


# ---------------------------------------------------------------------------------------------
# Coverage: enrolments and applications (assistance), in bulk
# ---------------------------------------------------------------------------------------------


@dataclass
class Coverage:
    person_programs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    household_programs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    enrolments: dict[tuple[str, int], list[dict]] = field(default_factory=lambda: defaultdict(list))


def live_enrolments(actor: Actor, person_ids: Iterable[int], household_ids: Iterable[int]) -> Coverage:
    coverage = Coverage()
    base = assistance_selectors.live_enrolments(actor)
    fields = ("id", "program", "subject_kind", "person_id", "household_id", "amount_fen", "status")
    for key, ids in (("person_id", sorted(set(person_ids))), ("household_id", sorted({h for h in household_ids if h}))):
        for start in range(0, len(ids), CHUNK):
            for pk, program, kind, person, household, amount, status in raw_rows(
                base.filter(InValues(key, ids[start : start + CHUNK])).values_list(*fields)
            ):
                row = {"id": pk, "program": program, "subject_kind": kind, "amount_fen": amount, "status": status}
                if person is not None and key == "person_id":
                    coverage.person_programs[person].add(program)
                    coverage.enrolments[("p", person)].append(row)
                if household is not None and key == "household_id":
                    coverage.household_programs[household].add(program)
                    coverage.enrolments[("h", household)].append(row)
    return coverage


def recent_temporary(actor: Actor, person_ids: set[int], household_ids: set[int], since: dt.date) -> tuple[set[int], set[int]]:
    """(persons, households) with a temporary-assistance application (not refused) or enrolment
    since the date: already being helped, so not alerted for the same kind of need."""
    persons: set[int] = set()
    households: set[int] = set()
    apps, enrols = assistance_selectors.temporary_help_since(actor, since)
    for qs in (apps, enrols):
        for key, ids, out in (("person_id", sorted(person_ids), persons), ("household_id", sorted(household_ids), households)):
            for start in range(0, len(ids), CHUNK):
                out.update(v for (v,) in raw_rows(qs.filter(InValues(key, ids[start : start + CHUNK])).values_list(key)) if v)
    return persons, households


def open_dibao_applications(actor: Actor, household_ids: set[int]) -> set[int]:
    ids = sorted(household_ids)
    out: set[int] = set()
    qs = assistance_selectors.open_dibao_applications(actor)
    for start in range(0, len(ids), CHUNK):
        out.update(v for (v,) in raw_rows(qs.filter(InValues("household_id", ids[start : start + CHUNK])).values_list("household_id")))
    return out


# ---------------------------------------------------------------------------------------------
# The engine, in batch
# ---------------------------------------------------------------------------------------------


def engine_period(as_of: dt.date) -> Period:
    """The month to evaluate; beyond the parameters' reviewed coverage, its last month."""
    coverage = rules_parameters().coverage
    period = Period.of(as_of)
    return min(max(period, coverage.first), coverage.last)


def subject_household(person_id: int, household_id: int | None) -> int:
    """The frame household of a person: their household, or their one-person pseudo household
    (id = the negative person id) when they live in none."""
    return household_id if household_id is not None else -person_id


def load_frames(household_ids: Iterable[int], solo_person_ids: Iterable[int], as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The engine's batch frames for these households and one-person pseudo households, read
    in bulk by the registry's loader (``registry.facts``) for the month ``engine_period(as_of)``."""
    period = engine_period(as_of)
    households, members = load_facts_frames(household_ids=[int(h) for h in household_ids if h is not None], period=period)
    solo_households, solo_members = load_solo_frames(solo_person_ids, period=period)
    households = pl.concat([households, solo_households])
    members = pl.concat([members, solo_members])
    # The engine refuses a frame with a disability grade without a category (registry
    # validation prevents it; a stray row must not block everyone else).
    bad = members.filter((pl.col("disability_grade") > 0) & pl.col("disability_category").is_null())["household_id"].unique()
    if bad.len():
        members = members.filter(~pl.col("household_id").is_in(bad.implode()))
        households = households.filter(~pl.col("household_id").is_in(bad.implode()))
    return households, members


def engine_eligible(households: pl.DataFrame, members: pl.DataFrame, as_of: dt.date, programs: set[str]) -> pl.DataFrame:
    """Rows (program, household_id, member_id) the engine finds eligible, for the programs asked."""
    if households.height == 0:
        return pl.DataFrame(schema={"program": pl.Utf8, "household_id": pl.Int64, "member_id": pl.Int64})
    result = evaluate_batch(households, members, engine_period(as_of), parameters=rules_parameters())
    return result.results.filter(pl.col("program").is_in(list(programs)) & pl.col("eligible")).select(
        "program", "household_id", "member_id"
    )


def household_income_fen(members: pl.DataFrame) -> dict[int, int]:
    """Monthly household income (fen) per frame household."""
    if members.height == 0:
        return {}
    income = members.group_by("household_id").agg(
        (pl.col("income_wage_fen") + pl.col("income_business_fen") + pl.col("income_property_fen") + pl.col("income_transfer_fen"))
        .sum()
        .alias("monthly")
    )
    return dict(zip(income["household_id"].to_list(), income["monthly"].to_list(), strict=True))


# ---------------------------------------------------------------------------------------------
# The rules, one per feed
# ---------------------------------------------------------------------------------------------


def medical_rule(actor: Actor, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    """Costs are added up per household in SQL first (a bill counts for the household the
    patient belonged to when the feed arrived); only the households above the line are loaded
    in full and re-checked with the engine."""

    lookback = param("medical.lookback_months", as_of)
    share = param("medical.share_of_household_income", as_of)
    minimum = param("medical.min_out_of_pocket", as_of)
    since = add_months(as_of, -int(lookback.value))
    frame_of = {s.id: subject_household(s.person_id, s.household_id) for s in signals}
    real = sorted({s.household_id for s in signals if s.household_id})
    solo = sorted({s.person_id for s in signals if not s.household_id})
    window = Signal.objects.visible_to(actor).filter(kind=FeedKind.MEDICAL, event_date__gt=since, event_date__lte=as_of)
    people = Person.objects.visible_to(actor).filter(is_deceased=False)
    income = (
        F("income_wage_fen") + F("income_business_fen") + F("income_property_fen") + F("income_transfer_fen")
    )
    spent: dict[int, int] = defaultdict(int)
    monthly: dict[int, int] = {}
    for start in range(0, len(real), BIG_CHUNK):
        part = real[start : start + BIG_CHUNK]
        by_household = window.filter(InValues("household_id", part)).values("household_id")
        for hh, total in raw_rows(by_household.annotate(t=Sum("amount_fen")).values_list("household_id", "t")):
            spent[hh] += int(total or 0)
        members = people.filter(InValues("household_id", part)).values("household_id")
        for hh, total in raw_rows(members.annotate(m=Sum(income)).values_list("household_id", "m")):
            monthly[hh] = int(total or 0)
    for start in range(0, len(solo), BIG_CHUNK):
        part = solo[start : start + BIG_CHUNK]
        alone = window.filter(InValues("person_id", part), household_id__isnull=True).values("person_id")
        for person, total in raw_rows(alone.annotate(t=Sum("amount_fen")).values_list("person_id", "t")):
            spent[-person] += int(total or 0)
        for person, total in raw_rows(people.filter(InValues("id", part)).annotate(m=income).values_list("id", "m")):
            monthly[-person] = int(total or 0)
    firing: dict[int, tuple[int, int]] = {}
    threshold = int(minimum.value * 100)
    for hh, oop in spent.items():
        annual = monthly.get(hh, 0) * 12
        if hh in monthly and oop >= threshold and oop > share.value * annual:
            firing[hh] = (oop, annual)
    if not firing:
        return []
    # Re-check with the engine: with this spending, is it a 刚性支出困难家庭?
    households, members = load_frames([h for h in firing if h > 0], [-h for h in firing if h < 0], as_of)
    oop_frame = pl.DataFrame({"household_id": list(firing), "oop": [v[0] for v in firing.values()]}, schema={"household_id": pl.Int64, "oop": pl.Int64})
    households = (
        households.join(oop_frame, on="household_id", how="left")
        .with_columns(pl.max_horizontal("rigid_spending_12m_fen", pl.col("oop").fill_null(0)).alias("rigid_spending_12m_fen"))
        .drop("oop")
    )
    rigid = set(engine_eligible(households, members, as_of, {"rigid_spending_hardship"})["household_id"].to_list())
    real_households = {h for h in firing if h > 0}
    coverage = live_enrolments(actor, [-h for h in firing if h < 0], real_households)
    recent_p, recent_h = recent_temporary(
        actor, {-h for h in firing if h < 0}, real_households, add_months(as_of, -int(param("covered.temporary_recent_months", as_of).value))
    )
    # The signal shown on the alert: the household's largest new bill.
    best: dict[int, SignalRow] = {}
    for s in signals:
        hh = frame_of[s.id]
        if hh in firing and (hh not in best or s.amount_fen > best[hh].amount_fen):
            best[hh] = s
    out = []
    for hh, (oop, annual) in firing.items():
        s = best.get(hh)
        if s is None:
            continue
        on_dibao = bool(coverage.household_programs.get(hh, set()) & {"dibao"} if hh > 0 else coverage.person_programs.get(-hh, set()) & {"tekun"})
        is_rigid = hh in rigid and not on_dibao
        if not is_rigid and ((hh > 0 and hh in recent_h) or (hh < 0 and -hh in recent_p)):
            continue  # already being helped with temporary assistance
        program = AlertProgram.RIGID_SPENDING if is_rigid else AlertProgram.TEMPORARY_EXPENDITURE
        if annual:
            reason = (
                f"近{lookback.value}个月家庭个人自付医疗费用{format_yuan(oop)}元，为家庭年收入{format_yuan(annual)}元的"
                f"{oop / annual * 100:.0f}%，超过{share.value * 100:.0f}%"
            )
        else:
            reason = f"近{lookback.value}个月家庭个人自付医疗费用{format_yuan(oop)}元，家庭无申报收入"
        out.append(
            Candidate.from_signal(
                s,
                household_level=True,
                period=period_of(as_of),
                kind=AlertKind.MEDICAL_EXPENSE,
                program=program,
                task_kind=TaskKind.ASSESS,
                reason=reason,
                facts={
                    "out_of_pocket_12m_fen": oop,
                    "annual_income_fen": annual,
                    "share_threshold": str(share.value),
                    "minimum_fen": int(minimum.value * 100),
                    "engine_rigid_spending_hardship": hh in rigid,
                    "on_dibao_or_tekun": on_dibao,
                },
                used=[lookback, share, minimum],
            )
        )
    return out


def disability_rule(actor: Actor, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    relevant = []
    for s in signals:
        max_grade = param("disability.care_subsidy.max_grade", s.event_date, rules=True)
        if s.code in ("new", "grade_change") and 1 <= s.grade <= int(max_grade.value):
            relevant.append((s, max_grade))
    if not relevant:
        return []
    coverage = live_enrolments(actor, [s.person_id for s, _ in relevant], ())
    relevant = [(s, g) for s, g in relevant if "severe_disability_care_subsidy" not in coverage.person_programs.get(s.person_id, set())]
    if not relevant:
        return []
    households, members = load_frames(
        {s.household_id for s, _ in relevant if s.household_id}, {s.person_id for s, _ in relevant if not s.household_id}, as_of
    )
    # The certificate as the feed reports it, whatever the registry still says.
    overlay = pl.DataFrame(
        {
            "member_id": [s.person_id for s, _ in relevant],
            "new_grade": [s.grade for s, _ in relevant],
            "new_category": [s.detail.get("category") or "multiple" for s, _ in relevant],
        },
        schema={"member_id": pl.Int64, "new_grade": pl.Int8, "new_category": pl.Utf8},
    ).unique("member_id", keep="last")
    members = (
        members.join(overlay, on="member_id", how="left")
        .with_columns(
            pl.coalesce("new_grade", "disability_grade").alias("disability_grade"),
            pl.coalesce("new_category", "disability_category").alias("disability_category"),
        )
        .drop("new_grade", "new_category")
    )
    eligible = engine_eligible(households, members, as_of, {"severe_disability_care_subsidy"})
    eligible_people = set(eligible["member_id"].to_list())
    out = []
    for s, max_grade in relevant:
        if s.person_id not in eligible_people:
            continue
        change = {"new": "新办残疾人证", "grade_change": "残疾等级变更"}[s.code]
        out.append(
            Candidate.from_signal(
                s,
                household_level=False,
                kind=AlertKind.SEVERE_DISABILITY,
                program=AlertProgram.CARE_SUBSIDY,
                task_kind=TaskKind.ASSESS,
                reason=f"{s.event_date:%Y-%m-%d}{change}为{s.grade}级，尚未享受重度残疾人护理补贴",
                facts={"grade": s.grade, "change": s.code, "max_grade": int(max_grade.value)},
                used=[max_grade],
            )
        )
    return out


def unemployment_rule(actor: Actor, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    households_with = {s.household_id for s in signals if s.household_id}
    coverage = live_enrolments(actor, [], households_with)
    on_dibao = {h for h in households_with if "dibao" in coverage.household_programs.get(h, set())}
    out: list[Candidate] = []
    rest = []
    for s in signals:
        if s.household_id in on_dibao:
            out.append(
                Candidate.from_signal(
                    s,
                    household_level=True,
                    kind=AlertKind.JOB_LOSS,
                    program=AlertProgram.DIBAO_REVIEW,
                    task_kind=TaskKind.REVIEW,
                    reason=f"低保家庭成员{s.event_date:%Y-%m-%d}办理失业登记，家庭收入可能变化，请复核保障金额",
                    facts={"registered_on": s.event_date.isoformat(), "benefit_fen": s.amount_fen},
                )
            )
        else:
            rest.append(s)
    if not rest:
        return out
    households, members = load_frames(
        {s.household_id for s in rest if s.household_id}, {s.person_id for s in rest if not s.household_id}, as_of
    )
    # The household as it is after the job loss: no wage, the unemployment benefit as a transfer.
    overlay = pl.DataFrame(
        {"member_id": [s.person_id for s in rest], "benefit": [s.amount_fen for s in rest]},
        schema={"member_id": pl.Int64, "benefit": pl.Int64},
    ).unique("member_id", keep="last")
    before = engine_eligible(households, members, as_of, {"dibao"})
    members = (
        members.join(overlay, on="member_id", how="left")
        .with_columns(
            pl.when(pl.col("benefit").is_not_null()).then(0).otherwise(pl.col("income_wage_fen")).alias("income_wage_fen"),
            (pl.col("income_transfer_fen") + pl.col("benefit").fill_null(0)).alias("income_transfer_fen"),
        )
        .drop("benefit")
    )
    after = set(engine_eligible(households, members, as_of, {"dibao"})["household_id"].to_list())
    already = set(before["household_id"].to_list())
    pending = open_dibao_applications(actor, {h for h in after if h > 0})
    monthly_after = household_income_fen(members)
    standard = param(
        "dibao.standard.urban", engine_period(as_of).start, rules=True
    )  # shown for reference; the engine picks urban or rural itself
    for s in rest:
        hh = subject_household(s.person_id, s.household_id)
        if hh not in after or hh in pending:
            continue
        size = members.filter(pl.col("household_id") == hh).height or 1
        out.append(
            Candidate.from_signal(
                s,
                household_level=True,
                kind=AlertKind.INCOME_BELOW_STANDARD,
                program=AlertProgram.DIBAO_APPLICATION,
                task_kind=TaskKind.ASSESS,
                reason=(
                    f"家庭成员{s.event_date:%Y-%m-%d}办理失业登记，扣除其工资收入后家庭月人均收入约"
                    f"{format_yuan(monthly_after.get(hh, 0) // size)}元，低于低保标准，可能符合低保条件"
                ),
                facts={
                    "registered_on": s.event_date.isoformat(),
                    "benefit_fen": s.amount_fen,
                    "monthly_income_after_fen": monthly_after.get(hh, 0),
                    "members": size,
                    "eligible_before": hh in already,
                },
                used=[standard],
            )
        )
    return out


def school_rule(actor: Actor, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    leaving = [s for s in signals if s.code in ("dropout", "suspended", "absent")]
    if not leaving:
        return []
    ids = sorted({s.person_id for s in leaving})
    left_behind: set[int] = set()
    vulnerable: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        children = LeftBehind.objects.visible_to(actor).filter(InValues("person_id", part), category="child", active=True)
        left_behind.update(v for (v,) in raw_rows(children.values_list("person_id")))
        people = Person.objects.visible_to(actor).filter(InValues("id", part)).exclude(child_status="")
        vulnerable.update(raw_rows(people.values_list("id", "child_status")))
    labels = {"orphan": "孤儿", "de_facto_unsupported": "事实无人抚养儿童"}
    reasons = {"dropout": "辍学", "suspended": "休学", "absent": "长期旷课"}
    out = []
    for s in leaving:
        if s.person_id in left_behind:
            who = "农村留守儿童"
        elif s.person_id in vulnerable:
            who = labels.get(vulnerable[s.person_id], "困境儿童")
        else:
            continue
        out.append(
            Candidate.from_signal(
                s,
                household_level=False,
                kind=AlertKind.CHILD_LEFT_SCHOOL,
                program=AlertProgram.CHILD_CARE,
                task_kind=TaskKind.VISIT,
                reason=f"{who}{s.event_date:%Y-%m-%d}{reasons[s.code]}（{s.detail.get('school', '')}），请尽快走访",
                facts={"reason": s.code, "who": who},
            )
        )
    return out


def disaster_rule(actor: Actor, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    minimum = param("disaster.min_loss", as_of)
    recent_months = param("covered.temporary_recent_months", as_of)
    fired = []
    for s in signals:
        severity = s.detail.get("severity")
        casualty = s.detail.get("casualty")
        if severity in ("serious", "severe") or casualty in ("injured", "death") or s.amount_fen >= int(minimum.value * 100):
            fired.append(s)
    if not fired:
        return []
    recent_p, recent_h = recent_temporary(
        actor,
        {s.person_id for s in fired},
        {s.household_id for s in fired if s.household_id},
        add_months(as_of, -int(recent_months.value)),
    )
    labels = {"general": "一般", "serious": "较重", "severe": "严重"}
    out = []
    for s in fired:
        if s.person_id in recent_p or (s.household_id and s.household_id in recent_h):
            continue
        out.append(
            Candidate.from_signal(
                s,
                household_level=True,
                kind=AlertKind.DISASTER,
                program=AlertProgram.TEMPORARY_URGENT,
                task_kind=TaskKind.ASSESS,
                reason=(
                    f"{s.event_date:%Y-%m-%d}遭遇{s.detail.get('event_label', '灾害事故')}，"
                    f"受灾程度{labels.get(s.detail.get('severity'), '—')}，预计损失{format_yuan(s.amount_fen)}元"
                    + ("，有人员伤亡" if s.detail.get("casualty") in ("injured", "death") else "")
                ),
                facts={"loss_fen": s.amount_fen, "severity": s.detail.get("severity"), "casualty": s.detail.get("casualty")},
                used=[minimum, recent_months],
            )
        )
    return out


RULES = {
    FeedKind.MEDICAL: medical_rule,
    FeedKind.DISABILITY: disability_rule,
    FeedKind.UNEMPLOYMENT: unemployment_rule,
    FeedKind.SCHOOL_LEAVING: school_rule,
    FeedKind.DISASTER: disaster_rule,
}


def candidates_for(actor: Actor, kind: str, signals: list[SignalRow], as_of: dt.date) -> list[Candidate]:
    rule = RULES.get(kind)  # the death feed has none: its rows are death reports (ADR 0004)
    if not signals or rule is None:
        return []
    return rule(actor, signals, as_of)


def signal_rows(rows: Iterable[Any]) -> list[SignalRow]:
    """SignalRow from ``values_list(*SIGNAL_FIELDS)`` tuples."""
    return [SignalRow(*r) for r in rows]


SIGNAL_FIELDS = ("id", "person_id", "household_id", "division_code", "event_date", "amount_fen", "grade", "code", "detail")

__all__ = ["Candidate", "RULES", "SIGNAL_FIELDS", "SignalRow", "candidates_for", "signal_rows"]
