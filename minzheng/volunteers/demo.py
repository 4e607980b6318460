"""Demo data of the volunteer line (``minzheng demo``): volunteer stations in 40 % of the
community service facilities in use (indicator 9's 2020 baseline; the register of
``communities``, whose demo runs first), the demo villages' first, three organisations (synthetic, marked 演示), volunteers at the baseline participation
of 15.17 % of every village's living residents (adults chosen at random; the demo villages one
by one through ``do_register_volunteer``, the rest of the district through the bulk action), two
activities with hours, one certificate and an open service request. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from minzheng.accounts.actor import Actor
from minzheng.communities.selectors import facilities_to_choose
from minzheng.core import clock
from minzheng.core.ages import age_on, born_by
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.registry.selectors import list_persons_for
from minzheng.volunteers import actions
from minzheng.volunteers.models import Organisation

DEMO_VILLAGES = ("500102006001", "500102119001")
BASELINE_STATION_SHARE = 0.40
BASELINE_PARTICIPATION = Decimal("0.1517")
MARK = "演示"


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("志愿服务演示数据")
    if Organisation.objects.exists():
        return {"志愿服务演示数据": "已存在，未重复生成"}
    rng = random.Random(seed)
    directory = get_directory()
    today = clock.today()
    # Indicator 9's baseline: stations in 40 % of the facilities in use (the demo villages' first).
    facilities = list(facilities_to_choose(actor))
    first = [f for f in facilities if f.division_code in DEMO_VILLAGES]
    rest = [f for f in facilities if f.division_code not in DEMO_VILLAGES]
    wanted = round(len(facilities) * BASELINE_STATION_SHARE)
    hosting = first + rng.sample(rest, max(0, min(len(rest), wanted - len(first))))
    stations = {}
    for f in hosting:
        if f.division_code not in stations:
            stations[f.division_code] = actions.do_register_station(
                actor, name=f"{directory.name(f.division_code)}志愿服务站", division_code=f.division_code,
                opened_on=dt.date(2019 + rng.randrange(6), rng.randrange(1, 13), 1), facility_id=f.pk)
    for code in DEMO_VILLAGES:  # a demo village without a registered facility keeps a station outside one
        if code not in stations:
            stations[code] = actions.do_register_station(actor, name=f"{directory.name(code)}志愿服务站", division_code=code,
                                                         opened_on=dt.date(2020, 3, 1))  # fmt: skip
    orgs = [actions.do_register_organisation(actor, name=f"涪陵区志愿者协会（{MARK}）", division_code=district_code(), founded_on=dt.date(2012, 3, 5))]
    for code in sorted({c[:9] for c in DEMO_VILLAGES}):
        orgs.append(actions.do_register_organisation(actor, name=f"{directory.name(code)}志愿服务队（{MARK}）", division_code=code,
                                                     founded_on=dt.date(2018, 3, 5)))  # fmt: skip
    volunteers = []
    for code in DEMO_VILLAGES:
        people = list(list_persons_for(actor, division_code=code).filter(is_deceased=False).order_by("id"))
        wanted = round(len(people) * BASELINE_PARTICIPATION)
        adults = [p for p in people if age_on(p.birth_date, today) >= 18]
        rng.shuffle(adults)
        org = next(o for o in orgs if o.division_code == code[:9])
        for person in adults[:wanted]:
            volunteers.append(actions.do_register_volunteer(actor, person=person, consent_on=dt.date(2026, 3, 5), organisation=org,
                                                            skills=rng.choice(["助老", "助残", "理发", "法律咨询", "文艺", "环境整治"])))  # fmt: skip
    # the rest of the district at the same rate, in bulk (scale 1.0: ≈ 175,000 people)
    by_village: dict[str, list[tuple[int, bool]]] = {}
    adult_born_by = born_by(today, 18)
    rows = list_persons_for(actor).filter(is_deceased=False).exclude(division_code__in=DEMO_VILLAGES).values_list("division_code", "pk", "birth_date")
    for code, pk, born in rows.order_by("division_code", "pk").iterator(chunk_size=20000):
        by_village.setdefault(code, []).append((pk, born <= adult_born_by))
    chosen: list[int] = []
    for code, people in by_village.items():
        adults = [pk for pk, adult in people if adult]
        rng.shuffle(adults)
        chosen += adults[: round(len(people) * BASELINE_PARTICIPATION)]
    by_town = {o.division_code: o for o in orgs}
    bulk = actions.do_register_volunteers_in_bulk(actor, person_ids=chosen, consent_on=dt.date(2026, 3, 5), organisations=by_town,
                                                  source="演示数据") if chosen else 0  # fmt: skip
    hours = 0
    for code in DEMO_VILLAGES:
        activity = actions.do_create_activity(actor, title=f"{directory.name(code)}敬老志愿服务", division_code=code, held_on=dt.date(2026, 10, 29),
                                              station=stations.get(code))  # fmt: skip
        for v in [v for v in volunteers if v.division_code == code][:10]:
            actions.do_sign_in(actor, activity, v, hours=rng.choice(["1.5", "2", "3"]))
            hours += 1
    if volunteers:
        actions.do_issue_certificate(actor, volunteers[0])
    elders = [p for p in list_persons_for(actor, division_code=DEMO_VILLAGES[0]).filter(is_deceased=False).order_by("id")[:200]
              if age_on(p.birth_date, today) >= 70]  # fmt: skip
    if elders:
        actions.do_raise_request(actor, person=elders[0], source="elderly", need="每周上门陪伴聊天、代购生活用品")
    return {"志愿服务站点": len(stations), "志愿服务组织": len(orgs), "注册志愿者": len(volunteers) + bulk, "签到记录": hours}
