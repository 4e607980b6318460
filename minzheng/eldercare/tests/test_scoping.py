"""Every scoped model of the line: an officer of 珍溪镇 sees nothing of 敦仁街道's rows,
the 敦仁街道 officer sees them, and the settlement export is 404 across towns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.eldercare import models
from minzheng.eldercare.actions import (
    do_check_in_order,
    do_check_in_resident,
    do_complete_order,
    do_create_facility,
    do_dispatch_order,
    do_record_assessment,
    do_record_family_bed_service,
    do_record_visit,
    do_register_family_bed,
    do_register_provider,
    do_register_visit_target,
    do_request_order,
    do_settle_provider_month,
)
from minzheng.eldercare.demo import do_seed_village_locations
from minzheng.eldercare.tests.conftest import DUNREN, DUNREN_COMMUNITY
from minzheng.eldercare.tests.helpers import items_with_total

SCOPED_MODELS = [
    models.VillageLocation, models.Facility, models.Assessment, models.Residency, models.Provider,
    models.ProviderSettlement, models.CareOrder, models.VisitTarget, models.VisitRecord, models.FamilyCareBed,
    models.FamilyBedService,
]  # fmt: skip


@pytest.fixture
def dunren_rows(system_actor, elder):
    """One row of every model in 敦仁街道."""
    today = timezone.localdate()
    do_seed_village_locations(system_actor, seed=1)
    models.VillageLocation.objects.exclude(division_code__startswith=DUNREN).delete()
    person = elder()
    resident = elder(name="住院人")
    facility = do_create_facility(system_actor, dict(
        name="敦仁颐养院", kind="institution", ownership="private", division_code=DUNREN_COMMUNITY, lon=107.39, lat=29.70,
        beds_total=10, beds_nursing=5, medical_capability="none", licence_kind="filing", status="operating",
    ))  # fmt: skip
    do_check_in_resident(system_actor, facility, resident, checked_in_on=today)
    do_record_assessment(system_actor, person, assessed_on=today, reason="first", assessors=["甲"], items=items_with_total(80))
    provider = do_register_provider(system_actor, name="敦仁服务商", division_code=DUNREN)
    order = do_request_order(system_actor, person, service_kind="meal", category="general", requested_on=today)
    order = do_dispatch_order(system_actor, order, expected_version=order.version, provider=provider)
    models.CareOrder.objects.filter(pk=order.pk).update(dispatched_at=timezone.now() - dt.timedelta(hours=3))
    order = do_check_in_order(system_actor, order, expected_version=order.version, at=timezone.now() - dt.timedelta(hours=2), lon=107.39, lat=29.70)
    order = do_complete_order(system_actor, order, expected_version=order.version, at=timezone.now() - dt.timedelta(hours=1), lon=107.39, lat=29.70)
    settlement = do_settle_provider_month(system_actor, provider, month=order.service_month)
    target = do_register_visit_target(system_actor, person, group="living_alone", risk_level="low", registered_on=today)
    do_record_visit(system_actor, target, visited_on=today, visitor_name="王", findings="好")
    bed = do_register_family_bed(system_actor, person, provider=provider, registered_on=today)
    do_record_family_bed_service(system_actor, bed, served_on=today, content="护理", minutes=30, staff_name="刘")
    return {"settlement": settlement, "facility": facility}


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_other_town_sees_nothing_own_town_sees_all(dunren_rows, actor_of, zhenxi_officer, dunren_officer, model):
    assert model.objects.count() >= 1
    assert not model.objects.visible_to(actor_of(zhenxi_officer)).exists()
    assert model.objects.visible_to(actor_of(dunren_officer)).count() == model.objects.count()


def test_settlement_export_and_lists_are_404_or_empty_across_towns(dunren_rows, login_as, client, zhenxi_officer, dunren_officer):
    s = dunren_rows["settlement"]
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/settlements/{s.pk}/export.xlsx").status_code == 404
    page = client.get("/eldercare/settlements/").content.decode()
    assert "敦仁服务商" not in page
    assert client.post(f"/eldercare/settlements/provider/{s.provider_id}/", {"month": s.month}).status_code == 404
    assert "敦仁颐养院" not in client.get("/eldercare/family-beds/").content.decode()
    login_as(dunren_officer)
    assert client.get(f"/eldercare/settlements/{s.pk}/export.xlsx").status_code == 200


def test_indicators_api_is_scoped(dunren_rows, api_as, zhenxi_officer, dunren_officer):
    theirs = api_as(zhenxi_officer).get("/api/v1/eldercare/indicators").json()
    mine = api_as(dunren_officer).get("/api/v1/eldercare/indicators").json()
    assert theirs["16"]["value"] == 0 and theirs["18"]["denominator"] == 0
    assert mine["16"]["value"] == 10 and mine["18"]["denominator"] == 17  # 敦仁街道's 17 communities
