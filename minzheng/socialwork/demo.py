"""Demo data of the social-work line (``minzheng demo``): the district's guidance centre, a
社工站 in every town, 社工室 in the demo villages, the six agencies of the 2020 baseline (names,
numbers those of demo 社会服务机构 of the social-organisation register, so linked to it, else
synthetic and marked 演示), professionals at the seed's scale of the baseline's 3,700 (222
certified) taken from the registry, and two purchased projects (one in service in 敦仁街道, one
of the district closed with its payments) — each through the line's actions. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.registry.selectors import list_persons_for
from minzheng.socialwork import actions
from minzheng.socialwork.models import Agency
from minzheng.sociorgs.selectors import list_organisations_for

DEMO_VILLAGES = ("500102006001", "500102119001")
DEMO_TOWN = "500102006"
BASELINE_PROFESSIONALS, BASELINE_CERTIFIED, BASELINE_AGENCIES = 3700, 222, 6
MARK = "演示"


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("社会工作演示数据")
    if Agency.objects.exists():
        return {"社会工作演示数据": "已存在，未重复生成"}
    rng = random.Random(seed)
    directory = get_directory()
    today = clock.today()
    district = district_code()
    towns = sorted(t.code for t in directory.towns())
    # the agencies are registered social-service organisations of the demo register where there are
    # any (社会服务机构 in operation and on no serious list): same name and credit code, so linked
    orgs = [o for o in list_organisations_for(actor, org_type="service", status="active").order_by("registered_on", "id")[:50]
            if not actions.organisation_refusal(o)][:BASELINE_AGENCIES]  # fmt: skip
    agencies = []
    for i in range(BASELINE_AGENCIES):
        org = orgs[i] if i < len(orgs) else None
        agencies.append(actions.do_register_agency(
            actor, name=org.name if org else f"涪陵区社会工作服务机构{i + 1}（{MARK}）",
            registration_no=org.credit_code if org else f"52500102DEMO{i + 1:04d}",
            division_code=district if i == 0 else (org.division_code[:9] if org else rng.choice(towns)),
            registered_on=org.registered_on if org else dt.date(2015 + i, 6, 1), private=i > 0,
        ))  # fmt: skip
    centre = actions.do_register_station(actor, level="centre", name="涪陵区社会工作指导中心", division_code=district, premises_sqm=300,
                                         opened_on=dt.date(2021, 6, 1), agency=agencies[0])  # fmt: skip
    stations = {district: centre}
    for code in towns:
        stations[code] = actions.do_register_station(actor, level="town", name=f"{directory.name(code)}社会工作站", division_code=code,
                                                     premises_sqm=60 + rng.randrange(60), opened_on=dt.date(2021 + rng.randrange(4), rng.randrange(1, 13), 1),
                                                     agency=rng.choice(agencies))  # fmt: skip
    for code in DEMO_VILLAGES:
        stations[code] = actions.do_register_station(actor, level="village", name=f"{directory.name(code)}社会工作室", division_code=code,
                                                     premises_sqm=30, opened_on=dt.date(2023, 3, 1))  # fmt: skip
    wanted = max(1, round(BASELINE_PROFESSIONALS * scale))
    certified = max(1, round(BASELINE_CERTIFIED * scale))
    people = [p for p in list_persons_for(actor).filter(is_deceased=False).order_by("id")[: wanted * 20] if 22 <= age_on(p.birth_date, today) <= 58]
    rng.shuffle(people)
    made = 0
    for i, person in enumerate(people[:wanted]):
        level = rng.choice(["assistant", "assistant", "social_worker", "senior"]) if i < certified else "none"
        code = person.division_code[:9]
        actions.do_register_professional(
            actor, person=person, division_code=code, employer=f"{directory.name(code)}社会工作站", post="驻站社工",
            education=rng.choice(["high_school", "college", "college", "bachelor", "bachelor", "postgraduate"]), cert_level=level,
            cert_number=f"SG{2015 + i % 11}{i:05d}" if level != "none" else "", cert_year=2015 + i % 11 if level != "none" else None,
            training_hours=rng.randrange(0, 80), joined_on=dt.date(2016 + rng.randrange(10), rng.randrange(1, 13), 1),
            station=stations.get(code), agency=rng.choice(agencies),
        )  # fmt: skip
        made += 1
    running = actions.do_create_project(actor, title=f"敦仁街道困境儿童关爱服务（{MARK}）", division_code=DEMO_TOWN, budget_fen=20_000_000,
                                        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2027, 2, 28), target_groups=["children", "left_behind"],
                                        indicators="个案30个、小组活动12次、社区活动6次")  # fmt: skip
    running = actions.do_contract_project(actor, running, expected_version=running.version, agency=agencies[1])
    running = actions.do_start_project(actor, running, expected_version=running.version)
    actions.do_record_service(actor, running, kind="case", held_on=dt.date(2026, 5, 10), people_served=4, summary="留守儿童个案跟进")
    actions.do_record_service(actor, running, kind="group", held_on=dt.date(2026, 7, 15), people_served=12, summary="暑假公益课堂")
    actions.do_propose_payment(actor, running, milestone="签约首付", amount_fen=6_000_000)
    closed = actions.do_create_project(actor, title=f"涪陵区银龄陪伴计划（{MARK}）", division_code=district, budget_fen=50_000_000,
                                       starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31), target_groups=["elderly"])  # fmt: skip
    closed = actions.do_contract_project(actor, closed, expected_version=closed.version, agency=agencies[0])
    closed = actions.do_start_project(actor, closed, expected_version=closed.version)
    closed = actions.do_evaluate_project(actor, closed, expected_version=closed.version, stage="midterm", score=85, evaluated_on=dt.date(2025, 7, 1))
    actions.do_evaluate_project(actor, closed, expected_version=closed.version, stage="final", score=90, evaluated_on=dt.date(2026, 1, 20))
    return {"社工服务机构": len(agencies), "社会工作站点": len(stations), "社会工作专业人才": made, "购买服务项目": 2}
