"""Demo data of the social-organisation line (``minzheng demo``): the register at the plan's
2020 count — 633 organisations (涪陵府发〔2022〕27号: “社会组织达633个”) — spread over the 27 towns
and streets, with valid synthetic credit codes, the 2025 年检 conclusions, some grades, two
listings, a 成立登记 in 筹备 and an open penalty case. Names, codes and split by type are
synthetic (演示). Bulk-written for speed (a second or two); idempotent."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.core.credit_code import check_character
from minzheng.divisions.directory import get_directory
from minzheng.sociorgs import actions
from minzheng.sociorgs.enums import (
    CREDIT_CODE_PREFIX,
    Authority,
    OrgType,
    PartyStatus,
    Sector,
)
from minzheng.sociorgs.models import AnnualInspection, Assessment, Organisation
from minzheng.sociorgs.params import add_months

PLAN_COUNT = 633
SUFFIX = {OrgType.ASSOCIATION: ("协会", "商会", "研究会", "联合会"), OrgType.SERVICE: ("服务中心", "培训学校", "社会工作服务中心", "养老院"),
          OrgType.FOUNDATION: ("基金会",)}  # fmt: skip
TOPIC = ("养老服务", "志愿服务", "书画", "老年体育", "茶叶", "榨菜产业", "青少年", "社区发展", "科普", "乡村振兴", "文化艺术", "慈善助学")


def demo_code(org_type: str, n: int) -> str:
    first = f"{CREDIT_CODE_PREFIX[org_type]}500102MJ{n:07d}"[:17]
    return first + check_character(first)


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("社会组织演示数据")
    if Organisation.objects.exists():
        return {"社会组织演示数据": "已存在，未重复生成"}
    rng = random.Random(seed)
    directory = get_directory()
    towns = sorted(t.code for t in directory.towns())
    villages = {t: [v.code for v in directory.villages(t)] for t in towns}
    orgs = []
    for n in range(1, PLAN_COUNT + 1):
        roll = rng.random()
        org_type = OrgType.ASSOCIATION if roll < 0.45 else OrgType.SERVICE if roll < 0.98 else OrgType.FOUNDATION
        town = towns[(n * 7) % len(towns)] if n > 40 else towns[0]
        place = rng.choice(villages[town]) if villages[town] and rng.random() < 0.6 else town
        sector = rng.choice(Sector.values)
        name = f"涪陵区{directory.name(town)}{rng.choice(TOPIC)}{rng.choice(SUFFIX[org_type])}（演示{n:03d}）"
        capital = rng.choice((30_000, 50_000, 100_000, 200_000)) * 100 if org_type != OrgType.FOUNDATION else 2_000_000 * 100
        registered = dt.date(2000 + rng.randrange(21), rng.randrange(1, 13), rng.randrange(1, 28))
        orgs.append(Organisation(
            name=name, credit_code=demo_code(org_type, n), org_type=org_type, sector=sector, division_code=place, address="（演示地址）",
            legal_representative=f"{rng.choice('张王李赵刘陈杨黄周吴')}{rng.choice('明华强丽军芳伟敏静涛')}", supervising_unit="" if rng.random() < 0.5 else "涪陵区某业务主管单位（演示）",
            registered_capital_fen=capital, party_status=rng.choice(PartyStatus.values), registered_on=registered,
            authority=Authority.MUNICIPAL if org_type == OrgType.FOUNDATION else Authority.DISTRICT,
            certificate_no=f"涪演示证字第{n:04d}号",
        ))  # fmt: skip
    Organisation.objects.bulk_create(orgs, batch_size=500)
    orgs = list(Organisation.objects.order_by("id"))
    inspections, assessments = [], []
    for org in orgs:
        if org.registered_on <= dt.date(2025, 6, 30):
            result = rng.choices(("pass", "basic", "fail", "missing"), (80, 12, 3, 5))[0]
            inspections.append(AnnualInspection(organisation=org, division_code=org.division_code, year=2025, result=result,
                                                submitted_on=None if result == "missing" else dt.date(2026, 5, rng.randrange(1, 31))))  # fmt: skip
        if rng.random() < 0.12 and org.registered_on < dt.date(2019, 1, 1):
            day = dt.date(2022 + rng.randrange(4), rng.randrange(1, 13), 15)
            assessments.append(Assessment(organisation=org, division_code=org.division_code, grade=rng.choice(("5A", "4A", "3A", "3A", "2A")),
                                          assessed_on=day, valid_until=add_months(day, 60) - dt.timedelta(days=1)))  # fmt: skip
    AnnualInspection.objects.bulk_create(inspections, batch_size=500)
    Assessment.objects.bulk_create(assessments, batch_size=500)
    missing = [i.organisation for i in inspections if i.result == "missing"][:2]
    for org in missing:
        actions.do_list_organisation(actor, org, kind="abnormal", reason="未按规定参加2025年度年检（演示）", listed_on=dt.date(2026, 6, 15))
    case = actions.do_submit_procedure(actor, kind="establish", submitted_on=dt.date(2026, 11, 20), data={
        "name": "涪陵区敦仁街道邻里互助协会（演示）", "org_type": "association", "sector": "community", "division_code": towns[0],
        "address": "（演示地址）", "legal_representative": "周敏", "supervising_unit": "", "registered_capital": "30000", "party_status": "joint"})  # fmt: skip
    for kind in ("prep_application", "funds_proof", "premises_proof", "founders", "charter_draft"):
        actions.do_receive_document(actor, case, kind=kind, received_on=dt.date(2026, 11, 20))
    if missing:
        actions.do_file_penalty_case(actor, kind="penalty", organisation=missing[0], facts="连续未参加年检（演示）", filed_on=dt.date(2026, 11, 1))
    return {"社会组织": len(orgs), "年检结论": len(inspections), "评估等级": len(assessments)}
