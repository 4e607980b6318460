"""Demo data of the 两项补贴 line (``minzheng demo``, after assistance and before screening).

Through the line's own actions only — the path a real roster and real applications take:

- most of the people the rules engine finds eligible this month (≈ 85 %) are imported as the
  existing subsidy list (``do_import_subsidised_person``, what the roster ImportSpec's commit
  calls): the certificate checked, the engine's verdict stored, the subsidy enrolled in
  assistance's program; the rest are left for the coverage screen's 应保未保 list;
- in each demo village (大东门社区, 兴盛社区) a few eligible people not yet enrolled get an
  application that stops at a different step (待受理, 乡镇审核, 待审批), taken by the demo
  accounts of that village and town and the district.

Screening's demo then finds these programs enrolled and leaves them to this line. Idempotent:
a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
from django.contrib.auth import get_user_model

from minzheng.accounts.actor import Actor, build_actor
from minzheng.core import clock
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError
from minzheng.disability.actions import (
    CATEGORY_DIGIT,
    ApplicationInput,
    do_accept_application,
    do_import_subsidised_person,
    do_register_application,
    do_review_application,
)
from minzheng.disability.enums import Outcome, Source, Subsidy
from minzheng.disability.models import SubsidyApplication
from minzheng.disability.verdict import period_for
from minzheng.registry.facts import load_facts_frames
from minzheng.registry.models import Person
from minzheng.rules import evaluate_batch

ENROL_SHARE = 0.85
DEMO_VILLAGES = {"500102006001": "500102006", "500102119001": "500102119"}
CASES_PER_VILLAGE = 3


def _eligible(period: str) -> dict[str, list[tuple[int, int]]]:
    """{program: [(person id, amount fen)]} the engine finds eligible in the period."""
    households, members = load_facts_frames(period=period)
    if households.is_empty():
        return {}
    result = evaluate_batch(households, members, period).results
    out = {}
    for subsidy in Subsidy:
        rows = result.filter((pl.col("program") == subsidy.value) & pl.col("eligible")).select("member_id", "amount_fen").rows()
        out[subsidy.value] = sorted((int(m), int(a)) for m, a in rows if m is not None)
    return out


def _input(person: Person, subsidy: str, source: str, rng: random.Random) -> ApplicationInput:
    number = decrypt_text(person.id_number_encrypted)
    issued = dt.date(2015 + rng.randrange(11), rng.randrange(1, 13), rng.randrange(1, 28))
    return ApplicationInput(
        person_id=person.pk, subsidy=subsidy, source=source,
        certificate_number=f"{number}{CATEGORY_DIGIT[person.disability_category]}{person.disability_grade}",
        certificate_category=person.disability_category, certificate_grade=person.disability_grade,
        certificate_issued_on=min(issued, clock.today()), certificate_checked=True,
    )


def _demo_actor(username: str) -> Actor | None:
    user = get_user_model().objects.filter(username=username).first()
    return build_actor(user) if user is not None else None


def seed_demo(*, seed: int, scale: float) -> dict:
    if SubsidyApplication.objects.exists():
        return {"两项补贴": "已有数据，未改动"}
    system = Actor.system("两项补贴演示数据：存量名单")
    rng = random.Random(f"minzheng:{seed}:disability-demo")
    today = clock.today()
    eligible = _eligible(period_for(today))
    if not eligible:
        return {"两项补贴": "人口库为空，未生成"}
    people = Person.objects.in_bulk([p for rows in eligible.values() for p, _ in rows])
    imported = {s.value: 0 for s in Subsidy}
    left: dict[str, list[Person]] = {}
    refused = 0
    for program, rows in eligible.items():
        for person_id, amount in rows:
            person = people[person_id]
            if person.division_code in DEMO_VILLAGES and len(left.setdefault(person.division_code, [])) < CASES_PER_VILLAGE:
                left[person.division_code].append((person, program))
                continue
            if rng.random() >= ENROL_SHARE or person.disability_category not in CATEGORY_DIGIT:
                continue
            start = dt.date(today.year - rng.randrange(0, 4), rng.randrange(1, 13), 1)
            try:
                do_import_subsidised_person(
                    system, _input(person, program, Source.ROSTER, rng), approved_on=min(start, today),
                    start_month=min(start, today.replace(day=1)), amount_fen=amount, reference="演示存量名单",
                )
            except DomainError:
                refused += 1  # e.g. a living subsidy whose 低保 household was left for screening to find
                continue
            imported[program] += 1
    cases = 0
    for village, town in DEMO_VILLAGES.items():
        village_actor, town_actor = _demo_actor(f"village_{village}"), _demo_actor(f"town_{town}")
        if village_actor is None or town_actor is None:
            continue
        for step, (person, program) in enumerate(left.get(village, [])):
            try:
                a = do_register_application(village_actor, _input(person, program, Source.APPLICATION, rng))
                if step >= 1:
                    a = do_accept_application(town_actor, a, expected_version=a.version)
                if step >= 2:
                    a = do_review_application(town_actor, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="经核实，情况属实")
            except DomainError:
                continue
            cases += 1
    return {
        "两项补贴存量名单": f"生活补贴 {imported[Subsidy.LIVING]} 人，护理补贴 {imported[Subsidy.CARE]} 人（未导入 {refused} 人）",
        "两项补贴办理中申请": f"{cases} 件",
    }
