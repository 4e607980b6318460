"""Volunteer teams (志愿服务队伍) on screen: an organisation's page lists its teams with their
volunteers; the town or the district adds one within the organisation's area; refusals are
shown next to the field and write nothing; another town cannot open the page; a village
worker has no form."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.volunteers import actions
from minzheng.volunteers.models import Team
from minzheng.volunteers.tests.conftest import DADONGMEN, DUNREN

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(system):
    return actions.do_register_organisation(system, name="敦仁街道志愿服务队", division_code=DUNREN, founded_on=dt.date(2020, 1, 1))


def test_a_town_adds_a_team_and_the_page_lists_it(staff, organisation, client, make_person):
    client.force_login(staff.town_user)
    page = client.get(f"/volunteers/organisations/{organisation.pk}/")
    assert page.status_code == 200 and "尚未成立队伍" in page.content.decode() and 'id="team-form"' in page.content.decode()
    bad = client.post(f"/volunteers/organisations/{organisation.pk}/", {"name": " ", "division_code": "500102119001"})
    assert bad.status_code == 422 and "该输入项为必填项" in bad.content.decode() and "请选择有效的选项" in bad.content.decode()
    assert not Team.objects.exists()
    done = client.post(f"/volunteers/organisations/{organisation.pk}/", {"name": "大东门助老队", "division_code": DADONGMEN}, follow=True)
    team = Team.objects.get()
    assert (team.name, team.division_code, team.organisation_id) == ("大东门助老队", DADONGMEN, organisation.pk)
    actions.do_register_volunteer(staff.village, person=make_person(DADONGMEN, "志愿甲"), consent_on=dt.date(2026, 3, 1), team=team)
    text = client.get(f"/volunteers/organisations/{organisation.pk}/").content.decode()
    assert "已成立队伍：大东门助老队。" in done.content.decode() and "大东门助老队" in text and "敦仁街道 / 大东门社区" in text


def test_other_towns_and_villages(staff, organisation, client, make_user):
    client.force_login(make_user(Role.TOWN_OFFICER, "500102119", username="zx_town_vol"))
    assert client.get(f"/volunteers/organisations/{organisation.pk}/").status_code == 404
    assert client.post(f"/volunteers/organisations/{organisation.pk}/", {"name": "外镇队", "division_code": "500102119001"}).status_code == 404
    client.force_login(staff.village_user)  # a village does not cover its town's organisation
    assert client.get(f"/volunteers/organisations/{organisation.pk}/").status_code == 404
    assert client.post(f"/volunteers/organisations/{organisation.pk}/", {"name": "村队", "division_code": DADONGMEN}).status_code == 404
    client.force_login(make_user(Role.DISTRICT_LEADER, "500102", username="leader_vol"))  # reads, never writes
    page = client.get(f"/volunteers/organisations/{organisation.pk}/")
    assert page.status_code == 200 and 'id="team-form"' not in page.content.decode()
    assert client.post(f"/volunteers/organisations/{organisation.pk}/", {"name": "领导队", "division_code": DUNREN}).status_code == 403
    assert not Team.objects.exists()
