"""Fixtures of the funeral tests: staff at each level in 敦仁街道 and 珍溪镇, the district's funeral
home with its filed prices, a town public-welfare cemetery and a commercial one with plots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.assistance.models import Enrolment
from minzheng.funerals import actions

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区
DISTRICT = "500102"
D = dt.date

PRICES = {"transport": "300", "refrigeration_day": "60", "body_bag": "50", "cremation": "500", "urn": "280"}


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("checker", Role.DISTRICT_STAFF, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def system():
    return Actor.system("测试数据准备")


@pytest.fixture
def home(system):
    facility = actions.do_register_facility(
        system, name="涪陵区殡仪馆", kind="funeral_home", division_code=DISTRICT, opened_on=D(2010, 1, 1),
        bank_name="重庆农村商业银行", bank_account="6224 0000 1111 2222",
    )  # fmt: skip
    for item, price in PRICES.items():
        actions.do_file_price(system, facility, item=item, price_yuan=Decimal(price), effective_from=D(2024, 1, 1), reference="涪发改价〔2024〕1号")
    return facility


@pytest.fixture
def public_cemetery(system):
    cemetery = actions.do_register_facility(
        system, name="敦仁街道公益性公墓", kind="public_cemetery", division_code=DUNREN, capacity=4, opened_on=D(2022, 5, 1),
        demonstration=True,
    )  # fmt: skip
    actions.do_add_plots(system, cemetery, kind="tree", numbers=["S-01", "S-02"])
    actions.do_add_plots(system, cemetery, kind="traditional", numbers=["C-01"])
    return cemetery


@pytest.fixture
def commercial(system):
    cemetery = actions.do_register_facility(
        system, name="重庆息园", kind="commercial_cemetery", division_code=ZHENXI, capacity=10, opened_on=D(2015, 3, 1)
    )
    actions.do_add_plots(system, cemetery, kind="lawn", numbers=["L-01"])
    return cemetery


@pytest.fixture
def deceased(make_person):
    return make_person(DADONGMEN, "郑特困", birth="19400303")


def enrol_tekun(person, amount_fen=100100):
    return Enrolment.objects.create(
        program="tekun", subject_kind="person", subject_id=person.pk, person=person, payee=person,
        division_code=person.division_code, zone="urban", amount_fen=amount_fen, start_month=D(2026, 1, 1),
        status="active", status_changed_on=D(2026, 1, 1), source="roster",
    )  # fmt: skip


def notify(actor, person, **kw):
    data = dict(source="family", death_date=D(2026, 11, 30), death_place="家中", contact_name="郑大", contact_phone="13800001111")
    data.update(kw)
    return actions.do_notify_death(actor, person=person, **data)


def through_cremation(staff, person, home, *, cremated_on=D(2026, 12, 2)):
    record = notify(staff.village, person, funeral_home=home)
    record = actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    record = actions.do_record_services(staff.district, record, expected_version=record.version, storage_days=2,
                                        farewell_on=D(2026, 12, 2), mourning_kind="centralized", mourning_venue="大东门社区治丧点")  # fmt: skip
    return actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=cremated_on, certificate_no="HH2026-0001")
