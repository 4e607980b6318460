"""Who may see what: village workers, town officers, users without an assignment."""

import pytest

from minzheng.accounts.models import Role
from minzheng.core.errors import NotFound
from minzheng.core.models import AuditEvent
from minzheng.registry.access import access_household_by_id, access_person_by_id
from minzheng.registry.selectors import division_statistics, list_households_for, search_persons
from minzheng.registry.access import access_division_by_code
from minzheng.registry.selectors import visible_child_divisions

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN_OTHER = "500102006003"  # 黔靖街社区, also 敦仁街道
XINGSHENG = "500102119001"  # 兴盛社区, 珍溪镇


@pytest.fixture
def population(make_household):
    return {
        "mine": make_household(DADONGMEN, names=("张三丰", "李四")),
        "same_town": make_household(DUNREN_OTHER, names=("张无忌",)),
        "other_town": make_household(XINGSHENG, names=("张翠山", "殷素素")),
    }


def test_village_worker_sees_only_own_village(population, make_user, actor_of):
    actor = actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    qs, _ = search_persons(actor, "张")
    assert sorted(p.name for p in qs) == ["张三丰"]
    assert list_households_for(actor).count() == 1
    assert division_statistics(actor, "500102006")["total"] == 2  # town-level code, still only the village


def test_village_worker_gets_not_found_for_other_village(population, make_user, actor_of):
    actor = actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    other = population["same_town"]
    with pytest.raises(NotFound):
        access_person_by_id(actor, other.head_id)
    with pytest.raises(NotFound):
        access_household_by_id(actor, other.pk)
    # "missing" and "not yours" are the same answer
    with pytest.raises(NotFound) as missing:
        access_person_by_id(actor, 987654321)
    with pytest.raises(NotFound) as not_yours:
        access_person_by_id(actor, other.head_id)
    assert missing.value.message == not_yours.value.message
    assert not AuditEvent.objects.filter(action="view", object_id=str(other.head_id)).exists()


def test_town_officer_sees_every_village_of_the_town_and_nothing_outside(population, make_user, actor_of):
    actor = actor_of(make_user(Role.TOWN_OFFICER, "500102006"))
    qs, _ = search_persons(actor, "张")
    assert sorted(p.name for p in qs) == ["张三丰", "张无忌"]
    assert access_person_by_id(actor, population["same_town"].head_id).name == "张无忌"
    with pytest.raises(NotFound):
        access_person_by_id(actor, population["other_town"].head_id)
    assert list_households_for(actor).count() == 2


def test_user_without_assignment_sees_nothing(population, make_user, actor_of):
    actor = actor_of(make_user(Role.DISTRICT_STAFF))
    qs, _ = search_persons(actor, "张")
    assert qs.count() == 0
    assert list_households_for(actor).count() == 0
    assert division_statistics(actor, "500102")["total"] == 0
    with pytest.raises(NotFound):
        access_person_by_id(actor, population["mine"].head_id)


def test_district_staff_sees_the_whole_district(population, make_user, actor_of):
    actor = actor_of(make_user(Role.DISTRICT_STAFF, "500102"))
    qs, _ = search_persons(actor, "张")
    assert sorted(p.name for p in qs) == ["张三丰", "张无忌", "张翠山"]


def test_viewing_a_person_is_audited(population, make_user, actor_of):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN)
    person = access_person_by_id(actor_of(user), population["mine"].head_id)
    event = AuditEvent.objects.get(action="view", object_type="person", object_id=str(person.pk))
    assert event.username == user.username
    assert event.ip_address == "127.0.0.1"
    assert event.division_code == DADONGMEN
    assert "500102195201" not in event.summary  # masked, never the full number


def test_division_page_access_is_limited_to_the_users_own_divisions(make_user, actor_of):
    town_officer = actor_of(make_user(Role.TOWN_OFFICER, "500102006"))
    assert access_division_by_code(town_officer).code == "500102006"  # no code: the first assignment
    assert access_division_by_code(town_officer, DADONGMEN).name == "大东门社区"
    for refused in (XINGSHENG, "500102119", "500102", "500102006999"):  # other town, above, unknown
        with pytest.raises(NotFound):
            access_division_by_code(town_officer, refused)
    children = visible_child_divisions(town_officer, "500102006")
    assert len(children) == 17 and children[0].code == DADONGMEN  # 敦仁街道's 17 communities
    assert all(c.parent_code == "500102006" for c in children)

    worker = actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    assert [c.code for c in visible_child_divisions(worker, "500102006")] == [DADONGMEN]
    with pytest.raises(NotFound, match="未分配辖区"):
        access_division_by_code(actor_of(make_user(Role.DISTRICT_STAFF)))
