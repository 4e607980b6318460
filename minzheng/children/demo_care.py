"""Demo data of left-behind children's care (``minzheng demo``, after discovery's seeder has
registered the 三留守 children): in each demo village, for up to two left-behind children, an
assessment (安全处境、监护情况、身心健康, risk level) and a 关爱服务 plan with its responsible
person (the village's 儿童主任 where appointed) and review date — through the line's actions.
Idempotent: a child already assessed is skipped."""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.children.actions import do_assess_left_behind_child, do_save_care_plan
from minzheng.children.demo import DEMO_VILLAGES
from minzheng.children.enums import WorkerRole
from minzheng.children.selectors import assessments_of, list_child_workers_for
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.periods import add_months
from minzheng.discovery.enums import LeftBehindCategory
from minzheng.discovery.selectors import list_left_behind_for

PLANS = (
    (("good", "watch", "good"), "medium", "祖辈年迈，学习缺少辅导（演示数据）", ["tutoring", "guardian_guidance"]),
    (("watch", "watch", "watch"), "high", "独自上学路途较远，情绪低落（演示数据）", ["counselling", "day_care", "social_work"]),
)


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("儿童福利演示数据（留守儿童关爱服务）")
    today = clock.today()
    directors = {w.division_code: w.name for w in list_child_workers_for(actor) if w.role == WorkerRole.DIRECTOR}
    assessed = plans = 0
    for village in DEMO_VILLAGES:
        entries = list(list_left_behind_for(actor, division_code=village, category=LeftBehindCategory.CHILD)[:2])
        for entry, (conditions, risk, findings, measures) in zip(entries, PLANS):
            if assessments_of(actor, entry.person).exists():
                continue
            try:
                a = do_assess_left_behind_child(
                    actor, entry.person, assessed_on=today - dt.timedelta(days=7), safety=conditions[0],
                    guardianship=conditions[1], health=conditions[2], risk_level=risk, findings=findings,
                )
                do_save_care_plan(
                    actor, entry.person, measures=measures, responsible=directors.get(village, "村（社区）儿童主任"),
                    review_on=add_months(today, 3), detail="按计划开展关爱服务（演示数据）", assessment_id=a.pk,
                )
            except DomainError:
                continue
            assessed += 1
            plans += 1
    return {"assessments": assessed, "care_plans": plans}
