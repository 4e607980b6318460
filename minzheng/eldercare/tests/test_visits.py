"""Visits by risk (frequency as parameters), the overdue list, family care beds; scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.eldercare.actions import (
    do_end_family_bed,
    do_record_family_bed_service,
    do_record_visit,
    do_register_family_bed,
    do_register_provider,
    do_register_visit_target,
)
from minzheng.eldercare.models import VisitRecord, VisitTarget
from minzheng.eldercare.selectors import list_family_beds_for, overdue_visits
from minzheng.eldercare.tests.conftest import DUNREN

TODAY = dt.date(2026, 12, 4)  # the suite's frozen day (root conftest.py)


def target(actor, person, *, risk="high", days_ago=30, user=None):
    return do_register_visit_target(
        actor, person, group="living_alone", risk_level=risk, registered_on=TODAY - dt.timedelta(days=days_ago),
        responsible_user_id=user.pk if user else None,
    )  # fmt: skip


def test_overdue_follows_the_interval_of_each_risk_level(actor_of, dunren_officer, elder):
    actor = actor_of(dunren_officer)
    # intervals (visit.interval.*): high 7, medium 14, low 30 days
    high = target(actor, elder(name="高风险"), risk="high", days_ago=8)  # due 1 day ago → overdue
    target(actor, elder(name="中风险"), risk="medium", days_ago=14)  # due today → not overdue
    low = target(actor, elder(name="低风险"), risk="low", days_ago=40)  # due 10 days ago → overdue
    rows = overdue_visits(actor, today=TODAY)
    assert [(r["target"].pk, r["days_overdue"]) for r in rows] == [(low.pk, 10), (high.pk, 1)]
    do_record_visit(actor, high, visited_on=TODAY, visitor_name="王社工", findings="身体尚可，家中整洁")
    assert [r["target"].pk for r in overdue_visits(actor, today=TODAY)] == [low.pk]


def test_overdue_list_for_the_responsible_worker(actor_of, dunren_officer, make_user, elder):
    worker = make_user("village_worker", "500102006001")
    actor = actor_of(dunren_officer)
    mine = target(actor, elder(name="甲"), user=worker)
    target(actor, elder(name="乙"))
    assert [r["target"].pk for r in overdue_visits(actor, responsible_user_id=worker.pk)] == [mine.pk]


def test_visit_record_validates_and_updates_risk(actor_of, dunren_officer, elder):
    actor = actor_of(dunren_officer)
    t = target(actor, elder())
    with pytest.raises(ValidationFailed) as exc:
        do_record_visit(actor, t, visited_on=TODAY + dt.timedelta(days=1), visitor_name="", findings="", needs_follow_up=True)
    assert set(exc.value.errors) == {"visited_on", "visitor_name", "findings", "follow_up"}
    do_record_visit(actor, t, visited_on=TODAY, visitor_name="王社工", findings="近期跌倒一次", needs_follow_up=True,
                    follow_up="联系家属安装扶手", risk_level="high", lon=107.39, lat=29.70)  # fmt: skip
    t.refresh_from_db()
    assert t.last_visited_on == TODAY and VisitRecord.objects.get().needs_follow_up


def test_visits_are_scoped(actor_of, login_as, client, dunren_officer, zhenxi_officer, elder):
    t = target(actor_of(dunren_officer), elder(name="独居张婆"))
    assert overdue_visits(actor_of(zhenxi_officer)) == []
    with pytest.raises(NotFound):
        do_record_visit(actor_of(zhenxi_officer), t, visited_on=TODAY, visitor_name="x", findings="y")
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/visits/{t.pk}/").status_code == 404
    assert client.post(f"/eldercare/visits/{t.pk}/", {"visited_on": TODAY.isoformat()}).status_code == 404
    assert "独居张婆" not in client.get("/eldercare/visits/").content.decode()
    assert not VisitRecord.objects.exists()


def test_visit_screen_records_a_visit(login_as, client, actor_of, dunren_officer, elder):
    t = target(actor_of(dunren_officer), elder())
    login_as(dunren_officer)
    page = client.get(f"/eldercare/visits/{t.pk}/").content.decode()
    assert 'name="viewport"' in page and 'id="visit-form"' in page
    bad = client.post(f"/eldercare/visits/{t.pk}/", {"visited_on": TODAY.isoformat(), "visitor_name": "王社工"})
    assert bad.status_code == 422 and "请填写此项" in bad.content.decode()
    ok = client.post(f"/eldercare/visits/{t.pk}/", {"visited_on": TODAY.isoformat(), "visitor_name": "王社工", "findings": "一切正常"})
    assert ok.status_code == 302
    assert VisitTarget.objects.get().last_visited_on == TODAY


def test_family_bed_registration_services_and_scope(actor_of, system_actor, dunren_officer, zhenxi_officer, elder, login_as, client):
    actor = actor_of(dunren_officer)
    provider = do_register_provider(system_actor, name="敦仁家庭床位服务商", division_code=DUNREN)
    person = elder()
    bed = do_register_family_bed(actor, person, provider=provider, registered_on=TODAY - dt.timedelta(days=3), care_plan="每周两次上门护理")
    with pytest.raises(ValidationFailed):
        do_register_family_bed(actor, person, provider=provider, registered_on=TODAY)
    do_record_family_bed_service(actor, bed, served_on=TODAY, content="翻身、擦浴", minutes=60, staff_name="刘护理")
    assert bed.services.count() == 1
    assert list(list_family_beds_for(actor_of(zhenxi_officer))) == []
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/family-beds/{bed.pk}/").status_code == 404
    do_end_family_bed(actor, bed, ended_on=TODAY)
    with pytest.raises(ValidationFailed):
        do_record_family_bed_service(actor, bed, served_on=TODAY, content="x", minutes=10, staff_name="y")
