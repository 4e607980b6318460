"""Demo data of rescue management (``minzheng demo``): the station of the key project
(救助管理站综合楼, 80 beds, 马鞍街道红星社区), a year of cases through the line's own actions —
returned home (some of them people of the demo villages 大东门社区 and 兴盛社区, matched to the
registry, with their 返乡回访), left of their own will, in the station (two past their stay
limit, one of them in hospital), long-stay and settled, a minor (a protection case), a winter campaign with patrols, and
the 防走失 register of the demo villages. Dates relative to ``clock.today()``. Idempotent: a
second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.crypto import decrypt_text
from minzheng.registry.models import Person
from minzheng.rescue import actions
from minzheng.rescue.models import Station

DEMO_VILLAGES = ("500102006001", "500102119001")  # 大东门社区（敦仁街道）, 兴盛社区（珍溪镇）
STATION_SITE = "500102014010"  # 马鞍街道红星社区 (key project: 马鞍街道红星社区5组)
SOURCES = ("police", "city", "public", "self")
PLACES = ("人民路天桥下", "涪陵北站候车厅", "滨江路广场", "江东客运站", "兴华中路", "太白大道地下通道")
SURNAMES = "王李张刘陈杨赵黄周吴"
OUTSIDE = ("四川省达州市", "贵州省遵义市", "湖南省怀化市", "重庆市万州区", "湖北省恩施州")


def _arrival(today: dt.date, days_ago: int, rng: random.Random) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(rng.randrange(7, 22), rng.choice((0, 15, 30, 45))), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    if Station.objects.exists():
        return {"救助管理站": "已存在，未重复生成"}
    actor = actor or Actor.system("救助管理演示数据")
    rng = random.Random(seed)
    today = clock.today()
    station = actions.do_register_station(actor, name="涪陵区救助管理站", address="马鞍街道红星社区5组", location_code=STATION_SITE, capacity=80)
    beds = iter(station.beds.order_by("number"))
    counts = {"returned": 0, "left": 0, "in_station": 0, "in_hospital": 0, "long_stay": 0, "settled": 0}

    def take_in(days_ago: int, *, name: str = "不详", id_number: str = "", age: int | None = None, bed: bool = True, **kw):
        source = kw.pop("source", rng.choice(SOURCES))
        data = actions.IntakeInput(
            station_id=station.pk, name=name, sex=kw.pop("sex", rng.choice("MMMF")), source=source,
            source_unit={"police": "涪陵区公安分局敦仁派出所", "city": "涪陵区城市管理局"}.get(source, ""),
            found_place=rng.choice(PLACES), found_division_code=kw.pop("found", rng.choice(DEMO_VILLAGES)),
            arrived_at=_arrival(today, days_ago, rng), estimated_age=age if age is not None else rng.randrange(25, 80),
            id_number=id_number, features=kw.pop("features", "衣着破旧，随身编织袋"), health=kw.pop("health", "一般"),
            bed_id=next(beds).pk if bed else None, **kw,
        )  # fmt: skip
        return actions.do_intake(actor, data)

    def identify_and_return(case, days_after: int, *, home_village: str = "", address: str = ""):
        arrived = actions.arrival_day(case)
        on = min(arrived + dt.timedelta(days=days_after), today)
        case = actions.do_identify(
            actor, case, expected_version=case.version, name=case.name if case.name_known else f"{rng.choice(SURNAMES)}某",
            identified_on=on, home_division_code=home_village, home_address=address, how="本人陈述，公安机关核实",
        )  # fmt: skip
        handed = min(on + dt.timedelta(days=1), today)
        mode = rng.choice(("ticket", "escort", "collected"))
        case = actions.do_return_home(
            actor, case, expected_version=case.version, mode=mode, receiver_kind="family" if mode != "escort" else "village",
            receiver_name="家属" if mode != "escort" else "户籍地村（居）委会", handed_over_on=handed,
        )  # fmt: skip
        case = actions.do_confirm_arrival(actor, case, expected_version=case.version, arrived_on=handed)
        counts["returned"] += 1
        return case

    # Returned home during the year: people from elsewhere …
    for i in range(int(14 * max(scale, 0.5)) or 1):
        case = take_in(rng.randrange(20, 330), bed=False)
        identify_and_return(case, rng.randrange(1, 6), address=rng.choice(OUTSIDE))
    # … and people of the demo villages, matched to the registry (their person page shows it).
    for village in DEMO_VILLAGES:
        for person in Person.objects.filter(division_code=village, is_deceased=False, birth_date__lt=today.replace(year=today.year - 30)).order_by("id")[:2]:
            case = take_in(rng.randrange(15, 120), name=person.name, id_number=decrypt_text(person.id_number_encrypted), bed=False, found=village)
            case = identify_and_return(case, 1, home_village=person.division_code)
            actions.do_record_follow_up_visit(
                Actor.system("救助管理演示数据", scope_prefixes=(village,)), case.follow_up, expected_version=1,
                visited_on=min(case.arrived_home_on + dt.timedelta(days=7), today), found_at_home=True, note="在家，情绪稳定，家属已落实照料",
            )  # fmt: skip
            actions.do_register_wandering_risk(actor, person_id=person.pk, reason="曾流浪走失，经救助返乡", guardian="家属", case=case)
    # Left of their own will.
    for _ in range(3):
        case = take_in(rng.randrange(10, 200), bed=False)
        actions.do_leave(actor, case, expected_version=case.version, left_on=actions.arrival_day(case) + dt.timedelta(days=1), reason="本人要求离站，已签自行离站声明书")
        counts["left"] += 1
    # In the station now: two within the limit, two past it (on the workbench), a minor; one of
    # those past the limit is in hospital (送医救治 four days ago, the bed kept).
    for days_ago in (2, 5, 14, 25):
        case = take_in(days_ago)
        counts["in_station"] += 1
        if days_ago == 14:
            actions.do_send_to_hospital(
                actor, case, hospital="涪陵中心医院", reason="持续高热、咳嗽，疑似肺部感染", sent_on=today - dt.timedelta(days=4),
                escort="站内医护人员",
            )  # fmt: skip
            counts["in_hospital"] = 1
    take_in(1, name="小军", age=13, source="public", features="约13岁男孩，蓝色校服", found=DEMO_VILLAGES[0])
    counts["in_station"] += 1
    # Long-stay, and one settled.
    for i, days_ago in enumerate((200, 150)):
        case = take_in(days_ago, features="智力障碍，不能准确表达", health="需照料")
        case = actions.do_mark_long_stay(actor, case, expected_version=case.version)
        counts["long_stay"] += 1
        if i == 0:
            for kind, ref in (("report", "涪救〔2026〕12号"), ("search", "全国救助寻亲网公告；DNA比对未比中")):
                case = actions.do_add_settlement_document(actor, case, expected_version=case.version, kind=kind, reference=ref, dated_on=today)
            case = actions.do_start_settlement(actor, case, expected_version=case.version)
            for kind, ref in (("police", "涪公户〔2026〕3号"), ("placement", "安置协议2026-01")):
                case = actions.do_add_settlement_document(actor, case, expected_version=case.version, kind=kind, reference=ref, dated_on=today)
            actions.do_settle(actor, case, expected_version=case.version, placement="welfare", placement_unit="涪陵区社会福利院", settled_on=today)
            counts["settled"] += 1
    # The winter campaign and its patrols.
    start = dt.date(today.year if today.month >= 11 else today.year - 1, 11, 15)
    campaign = actions.do_create_campaign(actor, kind="winter", name=f"{start.year}年寒冬送温暖专项行动", start_on=start, end_on=dt.date(start.year + 1, 3, 15))
    day = start
    while day <= today:
        met = rng.randrange(0, 6)
        actions.do_record_patrol(
            actor, campaign_id=campaign.pk, town_code=rng.choice(("500102006", "500102014", "500102119")), on=day,
            area=rng.choice(PLACES), staff=rng.randrange(3, 8), met=met, aided=met, brought_in=min(met, rng.randrange(0, 2)),
        )  # fmt: skip
        day += dt.timedelta(days=7)
    return {"救助管理站床位": station.capacity, **{f"受助记录（{k}）": v for k, v in counts.items()}}
