"""家庭户变更 at the couple's request (issue 16 point 5): the registrar records it, the household's
village sees it in its 待办 and does it through the registry (迁出 + 婚入 on the same day) or
declines with a reason; another village or town cannot touch it; bad requests write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import User
from minzheng.accounts.roles import Role
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.marriage import actions
from minzheng.registry.actions import do_add_household_member, do_complete_household_join, do_create_household, do_decline_household_join
from minzheng.registry.models import HouseholdJoinRequest, HouseholdMembership, Person

pytestmark = pytest.mark.django_db

DADONGMEN, XINGSHENG = "500102006001", "500102119001"


@pytest.fixture
def homes(system_actor, couple, make_person):
    """王建国 heads his household in 大东门社区 with his mother; 李秀英 lives in her father's
    household in 兴盛社区."""
    man, woman = couple
    his = do_create_household(system_actor, head=man)
    do_add_household_member(system_actor, his, make_person(DADONGMEN, "王母"), relation="parent")
    hers = do_create_household(system_actor, head=make_person(XINGSHENG, "李父"))
    do_add_household_member(system_actor, hers, woman, relation="child")
    return his, hers


@pytest.fixture
def villages(make_user, actor_of):
    return {
        "dadongmen": actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN, username="v_ddm")),
        "xingsheng": actor_of(make_user(Role.VILLAGE_WORKER, XINGSHENG, username="v_xs")),
        "zhenxi_town": actor_of(make_user(Role.TOWN_OFFICER, "500102119", username="t_zx")),
    }


def test_the_wife_joins_the_husbands_household_when_the_village_does_it(registrar, married, homes, villages, couple, client):
    man, woman = couple
    his, hers = homes
    request = actions.do_request_household_change(registrar, married, expected_version=married.version, mover="woman", relation="spouse")
    assert (request.person_id, request.household_id, request.division_code, request.status, request.reason) == (
        woman.pk, his.pk, DADONGMEN, "pending", "marriage"
    )
    assert request.source_label == f"结婚登记 {married.number}（结婚证 {married.certificate_number}），双方申请"
    # nothing moved yet; a second request for her is refused
    assert HouseholdMembership.objects.get(person=woman, valid_to__isnull=True).household_id == hers.pk
    married.refresh_from_db()
    with pytest.raises(ValidationFailed) as e:
        actions.do_request_household_change(registrar, married, expected_version=married.version, mover="woman", relation="spouse")
    assert e.value.errors == {"person": "李秀英已有一项待办理的家庭户变更申请"}
    # her own village (兴盛) and town (珍溪) cannot see or do it: the household is in 大东门
    for actor in (villages["xingsheng"], villages["zhenxi_town"]):
        with pytest.raises(NotFound):
            do_complete_household_join(actor, request, expected_version=request.version)
    # the 大东门 worker sees it in the 待办 and on the requests page, and does it
    client.force_login(User.objects.get(username="v_ddm"))
    assert "家庭户变更" in client.get("/").content.decode()
    page = client.get("/household-requests/").content.decode()
    assert "李秀英" in page and "办理（今日迁入）" in page and "兴盛社区" in page
    response = client.post(f"/household-requests/{request.pk}/complete/", {"version": request.version})
    assert response.status_code == 302
    now = HouseholdMembership.objects.get(person=woman, valid_to__isnull=True)
    assert (now.household_id, now.relation, now.reason_joined, now.valid_from) == (his.pk, "spouse", "marriage", dt.date(2026, 12, 4))
    old = HouseholdMembership.objects.get(person=woman, household=hers)
    assert (old.valid_to, old.reason_left) == (dt.date(2026, 12, 4), "moved_out")
    assert Person.objects.get(pk=woman.pk).division_code == DADONGMEN
    his.refresh_from_db()
    hers.refresh_from_db()
    assert (his.member_count, hers.member_count) == (3, 1)
    request.refresh_from_db()
    assert (request.status, request.decided_on) == ("done", dt.date(2026, 12, 4))
    assert request.decided_by_name and request.decided_by_name != "v_ddm"
    # the registrar reads the outcome on the marriage page
    client.force_login(User.objects.get(username="registrar"))
    assert "已办理" in client.get(f"/marriage/marriages/{married.pk}/").content.decode()
    # done once: a second click is refused by name
    with pytest.raises(DomainError) as e:
        do_complete_household_join(villages["dadongmen"], request, expected_version=request.version)
    assert e.value.message == "该申请的状态为“已办理”，不能再办理"


def test_a_declined_request_names_its_reason_and_changes_nothing(registrar, married, homes, villages, couple):
    man, woman = couple
    request = actions.do_request_household_change(registrar, married, expected_version=married.version, mover="man", relation="child_in_law")
    assert request.household_id == homes[1].pk and request.division_code == XINGSHENG
    with pytest.raises(ValidationFailed) as e:
        do_decline_household_join(villages["xingsheng"], request, expected_version=request.version, reason=" ")
    assert e.value.errors == {"decline_reason": "请填写不予办理的理由"}
    # 王建国 heads a household with others: the village cannot move him before the head changes
    with pytest.raises(ValidationFailed) as e:
        do_complete_household_join(villages["xingsheng"], request, expected_version=request.version)
    assert e.value.errors == {"person": "王建国是原户（王建国户）户主，请先由原户所在村（社区）变更户主"}
    assert HouseholdMembership.objects.get(person=man, valid_to__isnull=True).household_id == homes[0].pk
    done = do_decline_household_join(villages["xingsheng"], request, expected_version=request.version, reason="当事人撤回迁入意愿")
    assert (done.status, done.decline_reason) == ("declined", "当事人撤回迁入意愿")
    assert HouseholdMembership.objects.get(person=man, valid_to__isnull=True).household_id == homes[0].pk
    # a new request may follow the declined one
    married.refresh_from_db()
    actions.do_request_household_change(registrar, married, expected_version=married.version, mover="man", relation="child_in_law")
    assert HouseholdJoinRequest.objects.filter(status="pending").count() == 1


def test_bad_requests_are_refused_and_write_nothing(registrar, married, homes, others, couple, make_person):
    with pytest.raises(ValidationFailed) as e:
        actions.do_request_household_change(registrar, married, expected_version=married.version, mover="both", relation="spouse")
    assert e.value.errors == {"mover": "请选择迁入的一方"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_request_household_change(registrar, married, expected_version=married.version, mover="woman", relation="head")
    assert e.value.errors == {"relation": "请选择与户主的关系"}
    # only the registrar asks; the village worker and the district staff may not
    for actor in (others["village"], others["staff"]):
        with pytest.raises(PermissionDenied):
            actions.do_request_household_change(actor, married, expected_version=married.version, mover="woman", relation="spouse")
    assert not HouseholdJoinRequest.objects.exists()


def test_a_spouse_in_no_household_simply_joins(registrar, married, villages, couple, system_actor):
    man, woman = couple
    his = do_create_household(system_actor, head=man)
    request = actions.do_request_household_change(registrar, married, expected_version=married.version, mover="woman", relation="spouse")
    do_complete_household_join(villages["dadongmen"], request, expected_version=request.version)
    joined = HouseholdMembership.objects.get(person=woman, valid_to__isnull=True)
    assert (joined.household_id, joined.reason_joined, HouseholdMembership.objects.filter(person=woman).count()) == (his.pk, "marriage", 1)
    assert Person.objects.get(pk=woman.pk).division_code == DADONGMEN
