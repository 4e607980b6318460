"""Demo data of the funeral line (``minzheng demo``): the district's funeral home with its filed
prices, 殡仪服务站 in four towns, public-welfare cemeteries in some towns (with plots of every
kind), one commercial cemetery, the 火化区 (the streets, and the demo villages from dated
decisions) and 文明治丧区, and in the demo villages a few deaths at different steps — each
through the line's own actions, so a cremation is a death notification like any other. The
prices and document numbers are synthetic (marked 演示). Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory
from minzheng.funerals import actions
from minzheng.funerals.models import Facility, Plot
from minzheng.registry.models import Person

DEMO_VILLAGES = ("500102006001", "500102119001")
DEMO_TOWNS = ("500102006", "500102119")
DEMO_PRICES = {"transport": "300", "refrigeration_day": "60", "body_bag": "50", "cremation": "500", "urn": "280", "ashes_storage_year": "100"}
MARK = "演示数据"


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("殡葬管理演示数据")
    if Facility.objects.exists():
        return {"殡葬演示数据": "已存在，未重复生成"}
    rng = random.Random(seed)
    directory = get_directory()
    today = clock.today()
    district = district_code()
    home = actions.do_register_facility(
        actor, name="涪陵区殡仪馆", kind="funeral_home", division_code=district, opened_on=dt.date(2008, 6, 1),
        address="涪陵区青龙山（演示）", bank_name="重庆农村商业银行涪陵分行", bank_account="6224000011112222",
    )  # fmt: skip
    for item, price in DEMO_PRICES.items():
        actions.do_file_price(actor, home, item=item, price_yuan=Decimal(price), effective_from=dt.date(2024, 1, 1),
                              reference=f"涪发改价〔2024〕1号（{MARK}）")  # fmt: skip
    towns = sorted(t.code for t in directory.towns())
    station_towns = list(DEMO_TOWNS) + [t for t in towns if t not in DEMO_TOWNS][:2]
    for code in station_towns:
        actions.do_register_facility(actor, name=f"{directory.name(code)}殡仪服务站", kind="service_station", division_code=code,
                                     opened_on=dt.date(2022 + rng.randrange(4), rng.randrange(1, 13), 1))  # fmt: skip
    cemeteries = []
    for code in towns:
        if code in DEMO_TOWNS or rng.random() < 0.45:
            cemetery = actions.do_register_facility(
                actor, name=f"{directory.name(code)}农村公益性公墓", kind="public_cemetery", division_code=code, capacity=300,
                opened_on=dt.date(2019 + rng.randrange(7), rng.randrange(1, 13), 1), demonstration=rng.random() < 0.5,
            )  # fmt: skip
            cemeteries.append(cemetery)
    commercial = actions.do_register_facility(actor, name="重庆息园（演示）", kind="commercial_cemetery", division_code=DEMO_TOWNS[1],
                                              capacity=2000, opened_on=dt.date(2015, 3, 1))  # fmt: skip
    for cemetery in [*cemeteries[:4], commercial]:
        for kind, prefix in (("traditional", "C"), ("tree", "S"), ("flower", "H"), ("lawn", "L"), ("wall", "B")):
            actions.do_add_plots(actor, cemetery, kind=kind, numbers=[f"{prefix}-{i:03d}" for i in range(1, 21)])
    for town in towns:
        if directory.name(town).endswith("街道"):
            actions.do_set_zone(actor, division_code=town, kind="cremation", since=dt.date(2005, 1, 1), reference=f"重庆市人民政府批复（{MARK}）")
            actions.do_set_zone(actor, division_code=town, kind="civilized", since=dt.date(2022, 1, 1), reference=f"涪陵区文明治丧区划定（{MARK}）")
    if DEMO_VILLAGES[1][:9] not in {t for t in towns if directory.name(t).endswith("街道")}:
        actions.do_set_zone(actor, division_code=DEMO_VILLAGES[1], kind="cremation", since=dt.date(2026, 1, 1), reference=f"渝府〔2025〕火化区调整（{MARK}）")
    records = _demo_records(actor, home, today)
    graves = 0
    for village in DEMO_VILLAGES:
        actions.do_report_illegal_grave(actor, division_code=village, found_on=today - dt.timedelta(days=20), location="后山林地（演示）")
        graves += 1
    return {"殡葬设施": Facility.objects.count(), "墓位": Plot.objects.count(), "殡葬服务记录": records, "散埋乱葬": graves}


def _demo_records(actor: Actor, home: Facility, today: dt.date) -> int:
    """In each demo village: one death just notified, one cremated, one interred (eco)."""
    made = 0
    for village in DEMO_VILLAGES:
        elders = list(Person.objects.filter(division_code=village, is_deceased=False, birth_date__lt=dt.date(1940, 1, 1)).order_by("id")[:3])
        for step, person in enumerate(elders):
            death = today - dt.timedelta(days=10 - step * 3)
            try:
                record = actions.do_notify_death(actor, person=person, source="family", death_date=death, death_place="家中",
                                                 contact_name=f"{person.name[0]}家属", contact_phone="13800000000")  # fmt: skip
                made += 1
                if step == 0:
                    continue
                record = actions.do_transport_body(actor, record, expected_version=record.version, transported_on=death, funeral_home=home)
                record = actions.do_record_services(actor, record, expected_version=record.version, storage_days=2,
                                                    mourning_kind="centralized", mourning_venue="社区治丧点")  # fmt: skip
                record = actions.do_cremate(actor, record, expected_version=record.version, cremated_on=death + dt.timedelta(days=2),
                                            certificate_no=f"YS{person.pk:08d}")  # fmt: skip
                if step == 2:
                    cemetery = Facility.objects.filter(kind="commercial_cemetery").first()
                    plot = Plot.objects.filter(cemetery=cemetery, kind="tree", status="available").order_by("number").first()
                    actions.do_inter(actor, record, expected_version=record.version, interred_on=death + dt.timedelta(days=3),
                                     cemetery=cemetery, plot=plot)  # fmt: skip
            except DomainError:
                continue  # a demo person already handled elsewhere (a death recorded by another seeder)
    return made
