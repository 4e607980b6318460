"""Fixtures of the casework tests: staff at each level, a low-income household in 大东门社区
(敦仁街道), and a helper that walks a case through the workflow with the real actions."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance import actions
from minzheng.assistance.enums import Outcome, Program, Status
from minzheng.registry.models import Household, Person

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"
DISTRICT = "500102"
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _pinned_today(travel):
    travel(MONDAY)


@pytest.fixture
def staff(make_user, actor_of):
    """Users and their actors: s.village, s.village2, s.town, s.approver, s.district, s.district2,
    s.other_town (珍溪镇), s.other_village (兴盛社区)."""

    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("village2", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("district2", Role.DISTRICT_STAFF, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_approver", Role.TOWN_APPROVER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def poor_household(make_household, system_actor):
    """Two people, small incomes: eligible for 低保 (urban standard 770 in 2026)."""
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    people = list(Person.objects.filter(household=household).order_by("id"))
    Person.objects.filter(pk=people[0].pk).update(income_transfer_fen=30000, work_capacity="none")
    Person.objects.filter(pk=people[1].pk).update(income_wage_fen=50000)
    Household.objects.filter(pk=household.pk).update(financial_assets_fen=100000, zone="urban")
    household.refresh_from_db()
    return household


@pytest.fixture
def rich_household(make_household):
    household = make_household(DADONGMEN, names=("赵有钱", "钱多多"))
    people = list(Person.objects.filter(household=household).order_by("id"))
    Person.objects.filter(pk=people[0].pk).update(income_wage_fen=800000)
    Household.objects.filter(pk=household.pk).update(zone="urban")
    household.refresh_from_db()
    return household


def dibao_input(household, **kw):
    return actions.ApplicationInput(
        program=Program.DIBAO,
        applicant_id=household.head_id,
        household_id=household.pk,
        reason="家庭收入低，生活困难",
        authorization_signed=True,
        authorization_signed_on=MONDAY,
        bank_name="重庆农村商业银行",
        bank_account="6228480000123456789",
        **kw,
    )


@pytest.fixture
def new_case(staff, poor_household):
    def make(household=None, **kw):
        return actions.do_create_application(staff.village, dibao_input(household or poor_household, **kw))

    return make


class Walker:
    """Walks a case forward with the real actions, as the right people."""

    def __init__(self, staff, travel):
        self.s = staff
        self.travel = travel

    def accept(self, app):
        return actions.do_accept_application(self.s.town, app, expected_version=app.version)

    def investigate(self, app, actor=None, second=None):
        return actions.do_record_investigation(
            actor or self.s.village,
            app,
            expected_version=app.version,
            second_investigator_id=(second or self.s.village2_user).pk,
            visited_on=app.accepted_on,
            living_conditions="住房简陋，家具陈旧",
            findings="家庭收入来源少，情况属实",
            recommendation=Outcome.APPROVE,
        )

    def check(self, app, actor=None):
        return actions.do_complete_economic_check(actor or self.s.town, app, expected_version=app.version)

    def review(self, app, outcome=Outcome.APPROVE, opinion="", actor=None):
        return actions.do_review_application(actor or self.s.town, app, expected_version=app.version, outcome=outcome, opinion=opinion)

    def close_publicity(self, app, actor=None):
        return actions.do_close_publicity(actor or self.s.town, app, expected_version=app.version)

    def approve(self, app, actor=None, **kw):
        return actions.do_approve_application(actor or self.s.district, app, expected_version=app.version, **kw)

    def to(self, app, status):
        """Advance to `status` (publicity is closed on the day after it ends)."""
        order = [Status.SUBMITTED, Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW, Status.PUBLICITY, Status.CONFIRMATION, Status.APPROVED]
        steps = {
            Status.SUBMITTED: self.accept,
            Status.INVESTIGATION: self.investigate,
            Status.ECONOMIC_CHECK: self.check,
            Status.REVIEW: self.review,
            Status.CONFIRMATION: self.approve,
        }
        while order.index(app.status) < order.index(status):
            if app.status == Status.PUBLICITY:
                self.travel(app.publicity_end + dt.timedelta(days=1))
                app = self.close_publicity(app)
            else:
                app = steps[app.status](app)
        return app


@pytest.fixture
def walk(staff, travel):
    return Walker(staff, travel)
