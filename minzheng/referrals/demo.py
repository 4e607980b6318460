"""Demo data of referrals and 精神障碍社区康复 (``minzheng demo``): in each demo village a few
households referred (one fed back, one received, one open and overdue), and two rehabilitation
files with their services, each through the line's own actions. Idempotent: a second run adds
nothing."""

from __future__ import annotations

import datetime as dt


from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.referrals import actions
from minzheng.referrals.defaults import ensure_default_units
from minzheng.referrals.enums import ReferralOutcome
from minzheng.referrals.models import ReceivingUnit, Referral, RehabFile
from minzheng.registry.models import Household, Person

DEMO_VILLAGES = ("500102006001", "500102119001")
REASONS = {
    "medical": "家庭成员患慢性病，长期门诊费用负担较重，申请医疗救助",
    "education": "子女在读高中，学费和生活费困难，申请教育救助",
    "housing": "住房为C级危房，需改造，申请住房救助",
    "employment": "户内劳动力失业超过半年，申请就业援助",
}


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("专项救助转介演示数据")
    today = clock.today()
    referrals = files = 0
    ensure_default_units()
    if not Referral.objects.exists():
        units = {u.kind: u for u in ReceivingUnit.objects.filter(active=True).order_by("id")}
        for village in DEMO_VILLAGES:
            households = list(Household.objects.filter(division_code=village, member_count__gt=0).order_by("id")[:4])
            for i, (household, kind) in enumerate(zip(households, REASONS)):
                if kind not in units:
                    continue
                referral = actions.do_refer(
                    actor, household_id=household.pk, kind=kind, receiving_unit_id=units[kind].pk,
                    reason=REASONS[kind], deadline_on=today + dt.timedelta(days=14),
                )
                referrals += 1
                if i == 0:
                    referral = actions.do_receive_referral(actor, referral, expected_version=referral.version, receiver_name="经办科室")
                    actions.do_record_feedback(actor, referral, expected_version=referral.version, outcome=ReferralOutcome.ASSISTED,
                                               feedback="已纳入救助，按规定报销")
                elif i == 1:
                    actions.do_receive_referral(actor, referral, expected_version=referral.version, receiver_name="经办科室")
                elif i == 2:
                    # an open referral already past its deadline, for the workbench's 超期 list
                    Referral.objects.filter(pk=referral.pk).update(deadline_on=today - dt.timedelta(days=3))
    if not RehabFile.objects.exists():
        for village in DEMO_VILLAGES:
            people = list(
                Person.objects.filter(division_code=village, is_deceased=False, birth_date__lt=today.replace(year=today.year - 25))
                .order_by("-id")[:1]
            )
            for person in people:
                file = actions.do_open_rehab_file(
                    actor, person_id=person.pk, diagnosis="schizophrenia", guardian_name="家属",
                    guardian_relation="配偶", institution="涪陵区精神卫生中心社区康复站",
                )
                actions.do_record_rehab_service(actor, file, served_on=today, content="生活技能训练", provider="社区康复站")
                files += 1
    return {"referrals": referrals, "rehab_files": files}
