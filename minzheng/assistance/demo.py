"""Demo data of the casework line, on top of the generated registry.

`seed_demo(seed=…, scale=…)` (called by `minzheng demo` after the registry and the demo
accounts exist):
1. enrols most of the households and people the rules engine finds eligible for 低保 and
   特困 (evaluated in batch over the whole registry; the rest are left for screening to find),
   in bulk, as if imported from the bureau's existing roster;
2. walks a handful of applications in 大东门社区 (敦仁街道) and 兴盛社区 (珍溪镇) — the demo
   accounts' villages — through the real actions to different steps, two of them accepted
   weeks ago so the 待办 list shows 临期 and 超期;
3. prepares this month's payroll (approval is left to a demo user: maker-checker) and opens
   the review tasks that are due.

Idempotent: a second call finds its earlier enrolments and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
from django.db import transaction
from django.db.models import F, Q, Sum

from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.models import User
from minzheng.assistance import actions, notices, payroll, reviews
from minzheng.core.clock import as_of, today
from minzheng.core.periods import month_start_after
from minzheng.assistance.enums import EnrolmentSource, NoticeKind, Outcome, Program, Status, SubjectKind
from minzheng.assistance.models import Application, Enrolment, EnrolmentChange
from minzheng.core import bulk
from minzheng.core.crypto import FieldCipher
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.core.masking import mask_account
from minzheng.registry.facts import load_facts_frames
from minzheng.registry.models import Household, HouseholdMembership, Person
from minzheng.rules import FactsValidationError, evaluate_batch

DEMO_MARK = "演示数据：存量名册"
ENROL_SHARE = 0.9  # of the engine-eligible: the other 10 % are 漏保 for screening to find
CASE_VILLAGES = ("500102006001", "500102119001")


def seed_demo(*, seed: int, scale: float) -> dict:
    if Enrolment.objects.filter(status_reason=DEMO_MARK).exists():
        return {"社会救助": "演示数据已存在，未改动"}
    system = Actor.system("演示数据：社会救助")
    summary: dict = {}
    period = f"{today():%Y-%m}"
    try:
        summary.update(enrol_eligible(system, seed=seed, period=period))
    except DomainError as e:
        summary["在保对象"] = f"未生成（{e.message}）"
    summary["演示申请"] = seed_cases(seed=seed)
    try:
        batches = payroll.run_all(system, period=period)
        summary["本月发放表"] = "，".join(f"{Program(b.program).label}{b.payments}笔" for b in batches if b.payments)
    except DomainError as e:
        summary["本月发放表"] = f"未生成（{e.message}）"
    summary["复核任务"] = reviews.do_generate_review_tasks(system, horizon_days=60)
    summary["在保对象公示"] = publish_demo_notices(system)
    return summary


def publish_demo_notices(actor: Actor) -> str:
    """A running 在保对象公示 in each case village, so that the citizens' site has notices to read
    and object to (they run for the publicity days from the day the demo is made)."""
    published = []
    for village in CASE_VILLAGES:
        try:
            notice = notices.do_publish_notice(actor, division_code=village, kind=NoticeKind.ROSTER)
        except ValidationFailed:
            continue  # nobody enrolled in that village at this scale
        published.append(f"{get_directory().path_name(village)}{len(notice.entries)}条")
    return "，".join(published) or "无"


def enrol_eligible(actor: Actor, *, seed: int, period: str) -> dict:
    """Batch-evaluate the registry and bulk-enrol a share of the eligible (no per-row ORM)."""
    households, members = load_facts_frames(period=period)
    if households.is_empty():
        return {"在保对象": 0}
    try:
        result = evaluate_batch(households, members, period).results
    except FactsValidationError as e:
        raise DomainError(f"规则引擎不能计算{period}：{e}") from None
    rng = random.Random(f"minzheng:{seed}:assistance-demo")
    dibao = result.filter((pl.col("program") == "dibao") & pl.col("eligible"))
    addons = (
        result.filter((pl.col("program") == "dibao_addon") & pl.col("eligible"))
        .group_by("household_id")
        .agg(pl.col("amount_fen").sum().alias("addon_fen"))
    )
    dibao = dibao.join(addons, on="household_id", how="left").with_columns(
        (pl.col("amount_fen") + pl.col("addon_fen").fill_null(0)).alias("total_fen")
    )
    tekun = result.filter((pl.col("program") == "tekun") & pl.col("eligible"))
    chosen_households = [r for r in dibao.select("household_id", "total_fen").rows() if rng.random() < ENROL_SHARE]
    chosen_people = [r for r in tekun.select("member_id", "amount_fen").rows() if rng.random() < ENROL_SHARE]
    # 特困 people are not also in a 低保 household's enrolment here (one or the other).
    tekun_households = set(
        HouseholdMembership.objects.filter(person_id__in=[p for p, _ in chosen_people], valid_to__isnull=True).values_list("household_id", flat=True)
    )
    chosen_households = [(h, a) for h, a in chosen_households if h not in tekun_households]

    info = {
        h: (head, code, zone, n)
        for h, head, code, zone, n in Household.objects.filter(pk__in=[h for h, _ in chosen_households]).values_list(
            "pk", "head_id", "division_code", "zone", "member_count"
        )
    }
    people = {
        p: (code,) for p, code in Person.objects.filter(pk__in=[p for p, _ in chosen_people]).values_list("pk", "division_code")
    }
    cipher = FieldCipher()
    day = today()
    start_choices = [month_start_after(day, -m) for m in range(1, 37)]
    rows = []
    for household_id, amount in chosen_households:
        head, code, zone, n = info[household_id]
        if head is None:
            continue
        rows.append(_row(Program.DIBAO, SubjectKind.HOUSEHOLD, household_id, household_id, None, head, code, zone, n, amount, rng.choice(start_choices), rng, cipher))
    for person_id, amount in chosen_people:
        (code,) = people[person_id]
        zone = "urban" if code[9:12] < "200" else "rural"
        rows.append(_row(Program.TEKUN, SubjectKind.PERSON, person_id, None, person_id, person_id, code, zone, 1, amount, rng.choice(start_choices), rng, cipher))
    text, number, date = pl.Utf8, pl.Int64, pl.Date
    schema = {
        "program": text, "subject_kind": text, "subject_id": number, "household_id": number, "person_id": number,
        "payee_id": number, "division_code": text, "zone": text, "people_covered": number, "amount_fen": number,
        "start_month": date, "status": text, "status_changed_on": date, "status_reason": text, "source": text,
        "bank_name": text, "bank_account_encrypted": text, "bank_account_masked": text, "review_cycle_months": number,
        "next_review_on": date,
    }
    columns = list(schema)
    with transaction.atomic():
        first = bulk.max_id(Enrolment) + 1
        frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
            pl.int_range(first, first + len(rows), dtype=pl.Int64).alias("id")
        )
        bulk.bulk_insert(Enrolment, ["id", *columns], frame)
        bulk.reset_sequences(Enrolment)
        changes = frame.select(
            pl.col("id").alias("enrolment_id"), "division_code", pl.lit("start").alias("kind"),
            pl.col("start_month").alias("effective_month"), pl.col("amount_fen").alias("new_amount_fen"),
            pl.lit("active").alias("new_status"), pl.col("status_reason").alias("reason"),
        )
        bulk.bulk_insert(EnrolmentChange, changes.columns, changes)
    return {"在保低保家庭": len(chosen_households), "在保特困人员": len(chosen_people)}


def _row(program, kind, subject_id, household_id, person_id, payee_id, code, zone, people, amount, start, rng, cipher):
    account = "622848" + "".join(rng.choice("0123456789") for _ in range(13))
    review = month_start_after(start, 12)
    while review <= today():
        review = month_start_after(review, 12)
    return (
        program.value, kind.value, subject_id, household_id, person_id, payee_id, code, zone, people, int(amount),
        start, "active", start, DEMO_MARK, EnrolmentSource.ROSTER.value, "重庆农村商业银行",
        cipher.encrypt(account), mask_account(account), 12, review,
    )


def _user(name: str):
    user = User.objects.filter(username=name, is_active=True).first()
    return build_actor(user) if user else None


def seed_cases(*, seed: int) -> str:
    """A few applications per demo village, each stopped at a different step."""
    rng = random.Random(f"minzheng:{seed}:assistance-cases")
    made = 0
    for village in CASE_VILLAGES:
        town = village[:9]
        village_actor, town_actor = _user(f"village_{village}"), _user(f"town_{town}")
        approver, district = _user(f"approver_{town}"), _user("district_staff")
        # The second worker is one of the demo accounts (accounts.actions.demo_accounts).
        second = User.objects.filter(username=f"cun_xieli_{village}", is_active=True).first()
        if not (village_actor and town_actor and district and second):
            continue
        enrolled = set(Enrolment.objects.filter(division_code=village, subject_kind="household").values_list("subject_id", flat=True))
        # The poorest households not yet enrolled (most of them qualify).
        income = Sum(
            F("memberships__person__income_wage_fen") + F("memberships__person__income_business_fen")
            + F("memberships__person__income_property_fen") + F("memberships__person__income_transfer_fen"),
            filter=Q(memberships__valid_to__isnull=True),
        )
        candidates = list(
            Household.objects.filter(division_code=village, head__isnull=False, member_count__gte=1)
            .exclude(pk__in=enrolled)
            .exclude(pk__in=Application.objects.values_list("household_id", flat=True).exclude(household_id=None))
            .annotate(income=income)
            .order_by(F("income") / F("member_count"), "id")[:16]
        )
        rng.shuffle(candidates)
        # Two cases accepted weeks ago — one past its limit (超期), one near it (临期) — then
        # one at each step; a 公示 that started two days ago, a confirmation whose 公示 ended.
        targets = [Status.ECONOMIC_CHECK, Status.INVESTIGATION, Status.SUBMITTED, Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW, Status.PUBLICITY, Status.CONFIRMATION]
        ages = [46, 38, 0, 0, 0, 0, 2, 12]
        for household, target, age in zip(candidates, targets, ages):
            try:
                with transaction.atomic():
                    _walk(household, target, age, village_actor, town_actor, approver, district, second)
                made += 1
            except DomainError:
                continue
    return f"{made} 件"


def _walk(household, target, age_days, village_actor, town_actor, approver, district, second) -> None:
    start = today() - dt.timedelta(days=age_days)
    with as_of(start):
        app = actions.do_create_application(
            village_actor,
            actions.ApplicationInput(
                program=Program.DIBAO, applicant_id=household.head_id, household_id=household.pk,
                reason="家庭收入低，生活困难（演示）", authorization_signed=True, authorization_signed_on=start,
                bank_name="重庆农村商业银行", bank_account="6228480000" + f"{household.pk:09d}",
            ),
        )
        if target == Status.SUBMITTED:
            return
        app = actions.do_accept_application(town_actor, app, expected_version=app.version)
        if target == Status.INVESTIGATION:
            return
        app = actions.do_record_investigation(
            village_actor, app, expected_version=app.version, second_investigator_id=second.pk, visited_on=start,
            living_conditions="住房及生活状况一般（演示）", findings="情况基本属实（演示）", recommendation=Outcome.APPROVE,
        )
        if target == Status.ECONOMIC_CHECK:
            return
        app = actions.do_complete_economic_check(town_actor, app, expected_version=app.version)
        if target == Status.REVIEW:
            return
        verdict, _ = actions.evaluate_application(app)
        outcome = Outcome.APPROVE if verdict.eligible else Outcome.REFUSE
        app = actions.do_review_application(town_actor, app, expected_version=app.version, outcome=outcome, opinion="" if verdict.eligible else "规则引擎测算不符合条件（演示）")
    if target == Status.CONFIRMATION and app.status == Status.PUBLICITY:
        closing = app.publicity_end + dt.timedelta(days=1)
        if closing <= today():
            with as_of(closing):
                actions.do_close_publicity(town_actor, app, expected_version=app.version)
