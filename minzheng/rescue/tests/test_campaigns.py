"""Seasonal campaigns (寒冬送温暖, 夏季送清凉) and street patrols with the people met."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.rescue import actions
from minzheng.rescue.models import Campaign, Patrol

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_winter_campaign_with_its_patrols(client, staff, station):
    campaign = actions.do_create_campaign(staff.station, kind="winter", name="2026年寒冬送温暖专项行动", start_on=D(2026, 11, 15), end_on=D(2027, 3, 15))
    patrol = actions.do_record_patrol(
        staff.station, campaign_id=campaign.pk, town_code="500102006", on=D(2026, 12, 3), area="人民路、滨江路沿线、涪陵北站",
        staff=6, met=4, aided=4, brought_in=1,
    )  # fmt: skip
    assert (patrol.campaign_id, patrol.division_code, patrol.met, patrol.brought_in) == (campaign.pk, "500102", 4, 1)
    client.force_login(staff.station_user)
    html = client.get("/rescue/campaigns/").content.decode()
    assert "2026年寒冬送温暖专项行动" in html and "人民路、滨江路沿线、涪陵北站" in html and "发现4人" in html


def test_patrol_input_is_checked_and_nothing_written(staff, station):
    campaign = actions.do_create_campaign(staff.station, kind="summer", name="2026年夏季送清凉", start_on=D(2026, 7, 1), end_on=D(2026, 8, 31))
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_patrol(staff.station, campaign_id=campaign.pk, town_code="500102006001", on=D(2026, 9, 2), area="", staff=None, met=2, aided=2, brought_in=3)
    assert e.value.errors == {
        "town_code": "请选择巡查的乡镇（街道）",
        "on": "巡查日期不在行动期间（2026-07-01至2026-08-31）内",
        "area": "请填写巡查区域",
        "staff": "出动人次应为0至1000之间的整数",
    }
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_patrol(staff.station, town_code="500102006", on=D(2026, 12, 1), area="江东", staff=2, met=2, aided=2, brought_in=3)
    assert e.value.errors == {"brought_in": "引导入站人数不能多于发现人数"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_create_campaign(staff.station, kind="spring", name="", start_on=D(2026, 3, 1), end_on=D(2026, 2, 1))
    assert e.value.errors == {"kind": "请选择行动类别", "name": "请填写行动名称", "end_on": "结束日期不能早于开始日期"}
    with pytest.raises(PermissionDenied):
        actions.do_create_campaign(staff.town, kind="winter", name="x", start_on=D(2026, 12, 1), end_on=D(2026, 12, 31))
    with pytest.raises(NotFound):
        actions.do_create_campaign(staff.zhenxi_staff, kind="winter", name="x", start_on=D(2026, 12, 1), end_on=D(2026, 12, 31))
    assert (Campaign.objects.count(), Patrol.objects.count()) == (1, 0)
