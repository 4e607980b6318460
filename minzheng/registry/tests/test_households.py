"""Household changes on screens' actions: 立户, members joining, moving and leaving, 分户, a new
head. Each change is dated and kept as membership history; bad input is refused in Chinese
with nothing written; another village's household or person is refused."""

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.registry.actions import (
    do_add_household_member,
    do_change_household_head,
    do_create_household,
    do_move_household_member,
    do_record_death,
    do_record_departure,
    do_split_household,
    do_update_person,
)
from minzheng.registry.models import Household, HouseholdMembership, Person

pytestmark = pytest.mark.django_db

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"
TODAY = dt.date(2026, 12, 4)  # the suite's frozen clock


@pytest.fixture
def worker(make_user, actor_of):
    return actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))


def history(household):
    return [
        (m.person.name, m.relation, m.valid_from, m.valid_to, m.reason_joined, m.reason_left)
        for m in HouseholdMembership.objects.filter(household=household).select_related("person").order_by("id")
    ]


def test_establish_household_dated_and_named_by_head_and_address(worker, make_person):
    head = make_person(DADONGMEN, "王大贵")
    household = do_create_household(worker, head=head, address="大东门社区人民路12号", zone="urban", since=dt.date(2026, 11, 30))
    assert (household.division_code, household.zone, household.member_count) == (DADONGMEN, "urban", 1)
    assert str(household) == "王大贵户（大东门社区人民路12号）"
    assert history(household) == [("王大贵", "head", dt.date(2026, 11, 30), None, "established", "")]
    event = AuditEvent.objects.filter(object_type="household", object_id=str(household.pk)).get()
    assert event.summary == "立户，户主 王大贵（2026-11-30）"


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"since": dt.date(2026, 12, 5)}, "since", "变动日期不能晚于今天"),
        ({"zone": "town"}, "zone", "城乡类别应为城镇或农村"),
        ({"address": "路" * 201}, "address", "住址不能超过200个字符"),
    ],
)
def test_establish_refuses_bad_input_and_writes_nothing(worker, make_person, kwargs, field, message):
    head = make_person(DADONGMEN, "王大贵")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        do_create_household(worker, head=head, **kwargs)
    assert e.value.errors[field] == message
    assert Household.objects.count() == 0 and HouseholdMembership.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_establish_refuses_a_person_already_in_a_household(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    with pytest.raises(ValidationFailed) as e:
        do_create_household(worker, head=household.head)
    assert e.value.errors == {"head": "王大贵已在其他家庭中，请先办理迁出或分户"}
    assert Household.objects.count() == 1


def test_another_village_is_refused(worker, make_person, make_household):
    stranger = make_person(XINGSHENG, "张翠山")
    theirs = make_household(XINGSHENG, names=("殷素素",))
    mine = make_household(DADONGMEN, names=("王大贵",))
    with pytest.raises(NotFound):
        do_create_household(worker, head=stranger)
    with pytest.raises(NotFound):
        do_add_household_member(worker, mine, stranger, relation="spouse")
    with pytest.raises(NotFound):
        do_add_household_member(worker, theirs, make_person(DADONGMEN, "王小"), relation="child")
    with pytest.raises(NotFound):
        do_record_departure(worker, theirs, theirs.head)
    assert Household.objects.count() == 2
    assert HouseholdMembership.objects.count() == 2


def test_member_joins_and_leaves_with_dates(worker, make_household, make_person):
    household = make_household(DADONGMEN, names=("王大贵",))
    child = make_person(DADONGMEN, "王小明", birth="20150301")
    do_add_household_member(worker, household, child, relation="child", reason="birth", since=dt.date(2026, 11, 1))
    household.refresh_from_db()
    assert household.member_count == 2
    do_record_departure(worker, household, child, on=dt.date(2026, 12, 1))
    household.refresh_from_db()
    child.refresh_from_db()
    assert household.member_count == 1 and child.household_id is None
    assert history(household)[1] == ("王小明", "child", dt.date(2026, 11, 1), dt.date(2026, 12, 1), "birth", "moved_out")
    summaries = list(AuditEvent.objects.filter(object_type="household", action="update").order_by("id").values_list("summary", flat=True))
    assert summaries[-2:] == [
        "王大贵户增加成员 王小明（子女，出生，2026-11-01）",
        "王大贵户减少成员 王小明（迁出，2026-12-01）",
    ]


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"relation": "head"}, "relation", "请选择与户主关系（户主请通过变更户主办理）"),
        ({"relation": "cousin"}, "relation", "请选择与户主关系（户主请通过变更户主办理）"),
        ({"relation": "child", "since": dt.date(2027, 1, 1)}, "since", "变动日期不能晚于今天"),
        ({"relation": "child", "reason": "death"}, "reason", "加入原因不正确"),
    ],
)
def test_adding_refuses_bad_input(worker, make_household, make_person, kwargs, field, message):
    household = make_household(DADONGMEN, names=("王大贵",))
    child = make_person(DADONGMEN, "王小明")
    with pytest.raises(ValidationFailed) as e:
        do_add_household_member(worker, household, child, **kwargs)
    assert e.value.errors[field] == message
    household.refresh_from_db()
    assert household.member_count == 1 and HouseholdMembership.objects.count() == 1


def test_departure_before_joining_or_of_the_head_is_refused(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    spouse = Person.objects.get(name="刘小芳")
    joined = HouseholdMembership.objects.get(person=spouse).valid_from
    with pytest.raises(ValidationFailed) as e:
        do_record_departure(worker, household, spouse, on=joined - dt.timedelta(days=1))
    assert e.value.errors == {"on": f"变动日期不能早于{joined.year}年{joined.month}月{joined.day}日（加入本户的日期）"}
    with pytest.raises(ValidationFailed) as e:
        do_record_departure(worker, household, household.head)
    assert e.value.errors == {"person": "王大贵是户主，请先变更户主再办理迁出"}
    assert HouseholdMembership.objects.filter(valid_to__isnull=True).count() == 2


def test_move_to_another_household(worker, make_household):
    first = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    second = make_household(DADONGMEN, names=("李老汉",))
    spouse = Person.objects.get(name="刘小芳")
    do_move_household_member(worker, spouse, second, relation="child", on=TODAY)
    first.refresh_from_db()
    second.refresh_from_db()
    spouse.refresh_from_db()
    assert (first.member_count, second.member_count, spouse.household_id) == (1, 2, second.pk)
    assert history(first)[1][3::2] == (TODAY, "moved_out")
    assert history(second)[1] == ("刘小芳", "child", TODAY, None, "moved_in", "")


def test_split_household(worker, make_household, make_person):
    household = make_household(DADONGMEN, names=("王大贵", "王二", "李梅"))
    son, daughter_in_law = Person.objects.get(name="王二"), Person.objects.get(name="李梅")
    new = do_split_household(worker, household, head=son, members={daughter_in_law.pk: "spouse"}, address="人民路14号", on=TODAY)
    household.refresh_from_db()
    assert (household.member_count, new.member_count, new.head_id, new.zone) == (1, 2, son.pk, household.zone)
    assert str(new) == "王二户（人民路14号）"
    assert [h[3::2] for h in history(household)[1:]] == [(TODAY, "split"), (TODAY, "split")]
    assert history(new) == [("王二", "head", TODAY, None, "split", ""), ("李梅", "spouse", TODAY, None, "split", "")]
    assert AuditEvent.objects.filter(object_type="household", object_id=str(new.pk), summary__startswith="分户：王二、李梅从王大贵户分出").exists()


@pytest.mark.parametrize(
    "who, members, message",
    [
        ("王大贵", {}, "原户主不能随分户迁出；如需由原户主另立户，请先变更原户户主"),
        ("王二", {"李梅": "spouse"}, "原户至少要留下一名成员"),
        ("王二", {"外人": "spouse"}, "只能选择本户的现有成员"),
        ("王二", {"李梅": "head"}, "请为每位随迁成员选择与新户主的关系"),
    ],
)
def test_split_refuses_bad_choices(worker, make_household, make_person, who, members, message):
    household = make_household(DADONGMEN, names=("王大贵", "王二", "李梅"))
    if "外人" in members:
        make_person(DADONGMEN, "外人")
    if message == "原户至少要留下一名成员":
        do_record_death(worker, household.head, death_date=dt.date(2026, 11, 20))  # only 王二 and 李梅 left
        household.refresh_from_db()
    ids = {Person.objects.get(name=n).pk: r for n, r in members.items()}
    before = HouseholdMembership.objects.count()
    with pytest.raises(ValidationFailed) as e:
        do_split_household(worker, household, head=Person.objects.get(name=who), members=ids)
    assert e.value.errors == {"members": message}
    assert Household.objects.count() == 1 and HouseholdMembership.objects.count() == before


def test_change_head_keeps_who_was_head_when(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    spouse = Person.objects.get(name="刘小芳")
    do_change_household_head(worker, household, spouse, old_head_relation="spouse", on=TODAY)
    household.refresh_from_db()
    assert household.head_id == spouse.pk and str(household) == "刘小芳户"
    current = dict(HouseholdMembership.objects.filter(household=household, valid_to__isnull=True).values_list("person__name", "relation"))
    assert current == {"王大贵": "spouse", "刘小芳": "head"}
    closed = list(HouseholdMembership.objects.filter(household=household, valid_to=TODAY).values_list("person__name", "relation", "reason_left").order_by("id"))
    assert closed == [("王大贵", "head", "head_changed"), ("刘小芳", "spouse", "head_changed")]
    assert household.member_count == 2


def test_change_head_refuses_non_member_and_missing_relation(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    other = make_household(DADONGMEN, names=("李老汉",))
    with pytest.raises(ValidationFailed) as e:
        do_change_household_head(worker, household, other.head, old_head_relation="spouse")
    assert e.value.errors == {"new_head": "新户主须为本户的现有成员"}
    with pytest.raises(ValidationFailed) as e:
        do_change_household_head(worker, household, Person.objects.get(name="刘小芳"))
    assert e.value.errors == {"old_head_relation": "请选择原户主与新户主的关系"}
    household.refresh_from_db()
    assert household.head.name == "王大贵" and HouseholdMembership.objects.count() == 3


def test_death_of_head_then_new_head(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "刘小芳"))
    do_record_death(worker, household.head, death_date=dt.date(2026, 11, 20))
    household.refresh_from_db()
    assert household.member_count == 1
    do_change_household_head(worker, household, Person.objects.get(name="刘小芳"), on=TODAY)
    household.refresh_from_db()
    assert str(household) == "刘小芳户"
    with pytest.raises(ValidationFailed) as e:
        do_record_death(worker, Person.objects.get(name="王大贵"), death_date=dt.date(2026, 11, 20))
    assert e.value.errors == {"death_date": "王大贵已登记死亡"}


def test_edit_facts_the_rules_engine_reads(worker, make_person):
    person = make_person(DADONGMEN, "王小明", birth="20150301")
    changes = {
        "child_status": "de_facto_unsupported",
        "has_capable_supporter": False,
        "in_institution": False,
        "disability_category": "intellectual",
        "disability_grade": 2,
        "self_care": "partly_unable",
        "student": True,
        "income_transfer_fen": 30000,
    }
    do_update_person(worker, person, expected_version=person.version, changes=changes)
    person.refresh_from_db()
    assert {f: getattr(person, f) for f in changes} == changes
    event = AuditEvent.objects.filter(object_type="person", action="update").get()
    assert event.changed_fields["child_status"] == ["", "de_facto_unsupported"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"child_status": "orphan2"}, "child_status", "儿童类别选项不正确"),
        ({"income_wage_fen": -1}, "income_wage_fen", "工资性收入不能为负数"),
        ({"disability_grade": 2}, "disability_category", "请选择残疾类别"),
        ({"disability_category": "visual"}, "disability_grade", "已填写残疾类别，请同时填写残疾等级"),
        ({"in_institution": "yes"}, "in_institution", "应为“是”或“否”"),
    ],
)
def test_edit_refuses_bad_facts_and_writes_nothing(worker, make_person, changes, field, message):
    person = make_person(DADONGMEN, "王小明")
    with pytest.raises(ValidationFailed) as e:
        do_update_person(worker, person, expected_version=person.version, changes=changes)
    assert e.value.errors[field] == message
    assert Person.objects.get(pk=person.pk).version == person.version
    assert not AuditEvent.objects.filter(object_type="person", action="update").exists()


def test_edit_of_another_village_person_is_refused(worker, make_person):
    person = make_person(XINGSHENG, "张翠山")
    with pytest.raises(NotFound):
        do_update_person(worker, person, expected_version=person.version, changes={"serious_illness": True})
    assert Person.objects.get(pk=person.pk).serious_illness is False
