"""Demo data of the community-governance line (``minzheng demo``), at the seed's counts:
119 综合服务设施 in the first 119 communities (社区) of the real division list, 72 of them at
≥30 m² per 100 households — their areas follow the households the registry's snapshot counts
for the (synthetic) district, so indicator 6 is consistent at any scale; committees with
five-year terms (some ending within 90 days), an election at each step, 村（居）务公开 by quarter,
协商 and 三事分流 matters, 自治章程 and 村规民约, community workers in 三岗十八级 with training,
and the 25 district and 5 city demonstration sites of 专栏4. Names of people are synthetic.
Bulk-written (seconds); idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from minzheng.accounts.actor import Actor
from minzheng.cases.actions import record_event
from minzheng.communities.enums import (
    GRADE_BANDS,
    CharterKind,
    DisclosureCategory,
    ElectionStatus,
    MatterCategory,
    Ownership,
    Post,
    SiteEvaluation,
    SiteLevel,
    WorkerPost,
    DEFAULT_OWNER,
)
from minzheng.communities.models import (
    Candidate,
    Charter,
    CommitteeMember,
    Consultation,
    DemonstrationSite,
    Disclosure,
    Election,
    Matter,
    QualificationAnswer,
    ServiceFacility,
    Training,
    Worker,
)
from minzheng.communities.selectors import households_by_division
from minzheng.communities.workflow import ELECTION_WORKFLOW
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.divisions.outline import random_point_inside

FACILITIES = 119  # seed: 全区119个城乡社区综合服务设施
AT_STANDARD = 72  # seed: 每百户居民拥有综合服务设施面积达到30m²的有72个
DISTRICT_SITES, CITY_SITES = 25, 5  # 专栏4
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林"
GIVEN = "建国华明英秀兰红军平丽强勇敏静燕芳伟刚玉"
THEMES = ("三事分流", "五社联动", "三治结合", "智慧社区", "居民议事会", "红白理事会", "老旧小区治理", "“一老一小”服务")
DEPARTMENTS = ("区公安分局", "区纪委监委", "区人民法院", "区人民检察院", "区司法局")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def seed_demo(*, seed: int = 2021, scale: float = 1.0) -> dict:
    if ServiceFacility.objects.exists():
        return {"社区治理演示数据": "已存在，未重复生成"}
    actor = Actor.system("城乡社区治理演示数据")
    rng = random.Random(f"{seed}-communities")
    today = clock.today()
    communities = [v for v in get_directory().villages() if v.kind == "社区"]
    households = households_by_division([v.code for v in communities])
    with_households = [v for v in communities if households.get(v.code, 0) > 0]
    chosen = (with_households + [v for v in communities if v not in with_households])[:FACILITIES]
    standard = {v.code for v in rng.sample(with_households[: len(chosen)], min(AT_STANDARD, len(with_households)))}
    facilities = []
    places = random.Random(f"{seed}-facility-points")  # its own draws: the rest of the demo stays as it was
    for v in chosen:
        n = households.get(v.code, 0)
        per_100 = Decimal(rng.randint(305, 620)) / 10 if v.code in standard else Decimal(rng.randint(80, 290)) / 10
        area = (Decimal(n) * per_100 / 100).quantize(Decimal("0.01")) if n else Decimal(rng.randint(40, 120))
        facilities.append(ServiceFacility(
            division_code=v.code, name=f"{v.name}党群服务中心", area_m2=area, rooms=rng.randint(3, 9),
            functions="党群服务、便民服务、居民议事、养老服务站、儿童之家"[: rng.choice((9, 14, 20, 25))],
            hours="周一至周五 9:00—17:30；周六 9:00—12:00", ownership=rng.choice(Ownership.values),
            opened_on=dt.date(rng.randint(2012, 2022), rng.randint(1, 12), 1),
            **dict(zip(("lon", "lat"), (Decimal(str(c)) for c in random_point_inside(places)))),
        ))  # fmt: skip
    ServiceFacility.objects.bulk_create(facilities)

    members, workers, charters, disclosures, matters, meetings = [], [], [], [], [], []
    for i, v in enumerate(chosen):
        # 2021 换届: terms to 2026; a few villages elected later end within 90 days of today.
        start = dt.date(2021, 3, 1) if i % 10 else today - dt.timedelta(days=5 * 365 - rng.randint(20, 80))
        end = start.replace(year=start.year + 5) - dt.timedelta(days=1)
        if end < today:
            start, end = dt.date(2026, 3, 1), dt.date(2031, 2, 28)
        for post in (Post.CHAIR, Post.VICE_CHAIR, Post.MEMBER, Post.MEMBER, Post.MEMBER):
            members.append(CommitteeMember(division_code=v.code, name=_name(rng), post=post, is_woman=post == Post.MEMBER and rng.random() < 0.7,
                                           party_secretary=post == Post.CHAIR, term_start=start, term_end=end))  # fmt: skip
        for post in (WorkerPost.CHIEF, WorkerPost.DEPUTY, WorkerPost.STAFF, WorkerPost.STAFF):
            lo, hi = GRADE_BANDS[post]
            workers.append(Worker(division_code=v.code, name=_name(rng), post=post, grade=rng.randint(lo, min(hi, lo + 6)),
                                  started_on=dt.date(rng.randint(2008, 2023), rng.randint(1, 12), 1),
                                  certified_social_worker=rng.random() < 0.2))  # fmt: skip
        for kind in CharterKind.values:
            charters.append(Charter(division_code=v.code, kind=kind, version=1, approved_on=dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 10),
                                    approved_by="居民会议"))  # fmt: skip
        for quarter in range(1, 4 if today.month < 10 else 5):
            disclosures.append(Disclosure(division_code=v.code, year=today.year, quarter=quarter, category=rng.choice(DisclosureCategory.values),
                                          title=f"{today.year}年第{quarter}季度居务公开", published_on=dt.date(today.year, quarter * 3, 25)))  # fmt: skip
        if i % 3 == 0:
            meetings.append(Consultation(division_code=v.code, held_on=today - dt.timedelta(days=rng.randint(5, 200)),
                                         topic=rng.choice(("老旧小区加装电梯", "小区停车秩序", "背街小巷整治", "居民活动室使用")), participants=rng.randint(12, 40)))  # fmt: skip
            category = rng.choice(MatterCategory.values)
            matters.append(Matter(division_code=v.code, raised_on=today - dt.timedelta(days=rng.randint(5, 120)),
                                  title=rng.choice(("路灯损坏", "化粪池清掏", "邻里噪音纠纷", "楼道堆物清理")), category=category,
                                  owner=DEFAULT_OWNER[MatterCategory(category)]))  # fmt: skip
    CommitteeMember.objects.bulk_create(members)
    Worker.objects.bulk_create(workers)
    Charter.objects.bulk_create(charters)
    Disclosure.objects.bulk_create(disclosures)
    Consultation.objects.bulk_create(meetings)
    Matter.objects.bulk_create(matters)
    Training.objects.bulk_create([
        Training(worker=w, division_code=w.division_code, course="社区工作者能力提升培训", held_on=dt.date(today.year, 5, 20), hours=Decimal("16.0"))
        for w in Worker.objects.all()[: len(workers) // 2]
    ])  # fmt: skip

    # Elections at each step in the villages whose terms end soonest.
    soon = [v for i, v in enumerate(chosen) if i % 10 == 0][:3]
    for v, status in zip(soon, (ElectionStatus.QUALIFYING, ElectionStatus.SCHEDULED, ElectionStatus.VOTED), strict=False):
        term_start = today + dt.timedelta(days=30)
        election = Election.objects.create(division_code=v.code, status=status, term_start=term_start, term_end=term_start.replace(year=term_start.year + 5) - dt.timedelta(days=1),
                                           voting_date=term_start + dt.timedelta(days=14), registered_voters=max(50, households.get(v.code, 0) * 2),
                                           step_started_on=today)  # fmt: skip
        record_event(actor, ELECTION_WORKFLOW, election, action="create", label="启动换届选举", from_status="", to_status=ElectionStatus.QUALIFYING)
        for post in (Post.CHAIR, Post.VICE_CHAIR, Post.MEMBER, Post.MEMBER):
            c = Candidate.objects.create(election=election, division_code=v.code, name=_name(rng), post=post)
            for dept in DEPARTMENTS[: 5 if status != ElectionStatus.QUALIFYING else 3]:
                QualificationAnswer.objects.create(candidate=c, division_code=v.code, department=dept, passed=True, answered_on=today)
        if status != ElectionStatus.QUALIFYING:
            record_event(actor, ELECTION_WORKFLOW, election, action="qualify", label="资格联审通过", from_status=ElectionStatus.QUALIFYING, to_status=ElectionStatus.SCHEDULED)

    # 专栏4: 25 district and 5 city demonstration sites (2021–2025).
    sites = []
    for i, v in enumerate(rng.sample(chosen, DISTRICT_SITES)):
        sites.append(DemonstrationSite(division_code=v.code, level=SiteLevel.DISTRICT, year=2021 + i % 5, theme=rng.choice(THEMES),
                                       evaluation=rng.choice((SiteEvaluation.EXCELLENT, SiteEvaluation.GOOD, SiteEvaluation.PASSED))))  # fmt: skip
        if i < CITY_SITES:
            sites.append(DemonstrationSite(division_code=v.code, level=SiteLevel.CITY, year=2022 + i % 4, theme=sites[-1].theme,
                                           evaluation=SiteEvaluation.EXCELLENT))  # fmt: skip
    DemonstrationSite.objects.bulk_create(sites)
    return {"社区综合服务设施": len(facilities), "其中每百户30平方米以上": len(standard & {v.code for v in chosen}),
            "村（居）委会成员": len(members), "社区工作者": len(workers), "社区治理示范点": len(sites)}  # fmt: skip
