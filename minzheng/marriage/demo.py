"""Demo data of the marriage registry (``minzheng demo``): one office with slots for the next
days and bookings; this year's registrations (a few hundred at the default scale) written in
bulk with their history, as the actions would have (the couples entered from generated ID
numbers, about one in ten with a party from another province); and through the line's own
actions, today: a marriage registered, one refused (under age), divorces in the cooling-off
period, awaiting both parties and issued, a reissue and a correction, a counselling referral and
the room's service records. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.cases.actions import actor_name_of
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.crypto import FieldCipher
from minzheng.core.district import district_code
from minzheng.core.idnumber import check_digit, mask_id_number
from minzheng.divisions.directory import get_directory
from minzheng.marriage import actions, services
from minzheng.marriage.enums import MarriageStatus, PriorStatus
from minzheng.marriage.models import Marriage, Office
from minzheng.marriage.workflow import MARRIAGE

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
PROVINCES = ("510104", "520102", "430102", "420102", "440106", "610113")  # other provinces' address codes


def _id(rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def seed_demo(*, seed: int, scale: float) -> dict:
    if Marriage.objects.exists():
        return {"婚姻登记": "已存在，未改动"}
    actor = Actor.system("演示数据：婚姻登记")
    rng = random.Random(f"{seed}-marriage")
    today = clock.today()
    office = actions.do_create_office(actor, name=f"{district_name()}婚姻登记处", address="演示地址")
    slots = []
    for offset in range(0, 5):
        day = today + dt.timedelta(days=offset)
        slots += actions.do_open_slots(actor, office, day=day, times=[(dt.time(9), dt.time(10)), (dt.time(10), dt.time(11)), (dt.time(14), dt.time(15))], capacity=6)
    for slot in slots[:8]:
        for _ in range(rng.randint(1, 4)):
            actions.do_book_appointment(actor, slot, kind=rng.choice(("marriage", "marriage", "divorce", "reissue")), man_name=_name(rng), woman_name=_name(rng), phone=f"138{rng.randrange(10**8):08d}")
    count = _bulk_history(actor, rng, today, office, n=max(40, int(scale * 15000)))
    live = _live_cases(actor, rng, today, office)
    return {"预约时段": len(slots), "历史结婚登记": count, **live}


def district_name() -> str:

    return get_directory().name(district_code()) or ""


def _bulk_history(actor: Actor, rng: random.Random, today: dt.date, office: Office, *, n: int) -> int:
    """Registrations from 1 January to yesterday, in bulk, each with its two history rows."""
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    cipher = FieldCipher()
    rows = []
    for i in range(n):
        day = start + dt.timedelta(days=rng.randrange(span))
        man_birth = day - dt.timedelta(days=365 * rng.randint(22, 45) + rng.randrange(365))
        woman_birth = day - dt.timedelta(days=365 * rng.randint(20, 42) + rng.randrange(365))
        man_area = rng.choice(PROVINCES) if rng.random() < 0.06 else rng.choice((district_code(), district_code(), "500101", "500103"))
        woman_area = rng.choice(PROVINCES) if rng.random() < 0.06 else rng.choice((district_code(), district_code(), "500115"))
        man_id, woman_id = _id(rng, man_area, man_birth, True), _id(rng, woman_area, woman_birth, False)
        prior = lambda: PriorStatus.SINGLE if rng.random() < 0.8 else rng.choice((PriorStatus.DIVORCED, PriorStatus.WIDOWED))  # noqa: E731
        rows.append(Marriage(
            number=f"JH{day.year}D{i + 1:05d}", division_code=district_code(), office=office, status=MarriageStatus.REGISTERED,
            man_name=_name(rng), man_id_encrypted="", man_id_index="", man_id_masked=mask_id_number(man_id), man_birth_date=man_birth, man_hukou_code=man_area,
            woman_name=_name(rng), woman_id_encrypted="", woman_id_index="", woman_id_masked=mask_id_number(woman_id), woman_birth_date=woman_birth, woman_hukou_code=woman_area,
            cross_province=services.is_cross_province(man_area, woman_area), man_prior=prior(), woman_prior=prior(),
            both_present=True, voluntary=True, declaration_signed=True, no_prohibited_relation=True, ceremony=rng.random() < 0.1,
            applied_on=day, step_started_on=day, registered_on=day, certificate_number=f"J{district_code()}-{day.year}-D{i + 1:05d}",
        ))  # fmt: skip
        rows[-1]._ids = (man_id, woman_id)
    encrypted = cipher.encrypt_many([x for r in rows for x in r._ids])
    indexes = cipher.index_many([x for r in rows for x in r._ids])
    for k, r in enumerate(rows):
        r.man_id_encrypted, r.woman_id_encrypted = encrypted[2 * k], encrypted[2 * k + 1]
        r.man_id_index, r.woman_id_index = indexes[2 * k], indexes[2 * k + 1]
    created = Marriage.objects.bulk_create(rows, batch_size=500)
    name = actor_name_of(actor)
    events = []
    for m in created:
        at = dt.datetime.combine(m.registered_on, dt.time(10), tzinfo=clock.now().tzinfo)
        events.append(CaseEvent(workflow=MARRIAGE.name, case_id=m.pk, division_code=m.division_code, action="create", label="结婚登记申请",
                                from_status="", to_status=MarriageStatus.APPLIED, actor_name=name, occurred_at=at))  # fmt: skip
        events.append(CaseEvent(workflow=MARRIAGE.name, case_id=m.pk, division_code=m.division_code, action="register", label="准予登记",
                                from_status=MarriageStatus.APPLIED, to_status=MarriageStatus.REGISTERED, reason=f"结婚证 {m.certificate_number}", actor_name=name, occurred_at=at))  # fmt: skip
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    return len(created)


def _party(rng, area, birth, male) -> actions.PartyInput:
    return actions.PartyInput(name=_name(rng), id_number=_id(rng, area, birth, male))


def _couple_input(rng, today, **kw) -> actions.MarriageInput:
    man_age = kw.pop("man_age", 30)
    return actions.MarriageInput(
        man=_party(rng, district_code(), today.replace(year=today.year - man_age) - dt.timedelta(days=40), True),
        woman=_party(rng, kw.pop("woman_area", district_code()), today.replace(year=today.year - 27) - dt.timedelta(days=40), False),
        both_present=True, voluntary=True, declaration_signed=True, no_prohibited_relation=True, **kw,
    )  # fmt: skip


def _live_cases(actor: Actor, rng: random.Random, today: dt.date, office: Office) -> dict:
    m = actions.do_apply_marriage(actor, _couple_input(rng, today, woman_area="510104", ceremony=True, office_id=office.pk))
    m = actions.do_register_marriage(actor, m, expected_version=m.version)
    young = actions.do_apply_marriage(actor, _couple_input(rng, today, man_age=21))
    actions.do_refuse_marriage(actor, young, expected_version=young.version)
    divorces = 0
    for old in Marriage.objects.filter(number__startswith=f"JH{today.year}D").order_by("id")[:3]:
        d = actions.do_apply_divorce(actor, actions.DivorceInput(agreement_children="婚生子一名由女方抚养，男方每月支付抚养费", agreement_property="共有住房归女方，女方补偿男方", marriage_id=old.pk, refer_counselling=divorces == 0))
        actions.do_accept_divorce(actor, d, expected_version=d.version)
        divorces += 1
    reissue = actions.do_open_amendment(actor, actions.AmendmentInput(kind="reissue", marriage_id=m.pk, applicant=m.man_name, certificate_kind="marriage", documents=("id_card", "archive")))
    actions.do_decide_amendment(actor, reissue, expected_version=reissue.version)
    correction = Marriage.objects.filter(number__startswith=f"JH{today.year}D").order_by("id")[5]
    actions.do_open_amendment(actor, actions.AmendmentInput(kind="correction", marriage_id=correction.pk, applicant=correction.woman_name, correction_field="woman_name", new_value=correction.woman_name[:-1] + "玉", documents=("id_card",)))
    for k in range(6):
        actions.do_record_session(actor, held_on=today - dt.timedelta(days=7 * k + 1), kind=rng.choice(("couple", "family", "premarital", "group")), people=rng.randint(2, 30), counsellor="婚姻家庭辅导员", topic="婚姻家庭关系辅导")
    return {"今日结婚登记": 1, "不予登记": 1, "冷静期中的离婚申请": divorces, "补领": 1, "更正（审查中）": 1, "辅导服务记录": 6}
