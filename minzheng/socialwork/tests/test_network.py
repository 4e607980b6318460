"""Point 2 of issue 18: the three-level network (district centre, town 社工站, village 社工室) and
the agencies — each level at its own kind of division, bad input named by field with nothing
written, another town refused."""

from __future__ import annotations

import pytest

from minzheng.core.audit import AuditEvent
from minzheng.core.errors import ValidationFailed
from minzheng.socialwork import actions
from minzheng.socialwork.models import Agency, Station
from minzheng.socialwork.tests.conftest import DADONGMEN, DISTRICT, DUNREN, D


def test_three_levels_each_at_its_own_division(staff, agency):
    base = dict(premises_sqm=120, opened_on=D(2022, 6, 1))
    centre = actions.do_register_station(staff.district, level="centre", name="涪陵区社会工作指导中心", division_code=DISTRICT, **base)
    town = actions.do_register_station(staff.town, level="town", name="敦仁街道社会工作站", division_code=DUNREN, agency=agency, **base)
    room = actions.do_register_station(staff.town, level="village", name="大东门社区社会工作室", division_code=DADONGMEN, **base)
    assert [(s.level, s.division_code, s.agency_id) for s in (centre, town, room)] == [
        ("centre", DISTRICT, None), ("town", DUNREN, agency.pk), ("village", DADONGMEN, None)]
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_station(staff.town, level="town", name="错层站", division_code=DADONGMEN, **base)
    assert e.value.errors == {"division_code": "社会工作站应设在乡镇（街道）"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_station(staff.town, level="village", name="", division_code=DADONGMEN, premises_sqm=0, opened_on=D(2027, 1, 1))
    assert e.value.errors == {"name": "请填写站点名称", "premises_sqm": "场地面积应为正整数（平方米）", "opened_on": "建成运行日期不能晚于今天"}
    with pytest.raises(ValidationFailed) as e:  # 珍溪镇's officer in 敦仁街道
        actions.do_register_station(staff.other_town, level="town", name="越界站", division_code=DUNREN, **base)
    assert e.value.errors == {"division_code": "该区划不在您的管辖范围内"}
    assert Station.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="socialwork.station").count() == 3


def test_an_agency_needs_a_unique_registration(staff, agency):
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_agency(staff.district, name="", registration_no=agency.registration_no, division_code=DUNREN,
                                   registered_on=D(2027, 1, 1))  # fmt: skip
    assert e.value.errors == {"name": "请填写机构名称", "registration_no": "该登记证号的机构已登记", "registered_on": "登记日期不能晚于今天"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_agency(staff.other_town, name="越界机构", registration_no="R9", division_code=DUNREN, registered_on=D(2020, 1, 1))
    assert e.value.errors == {"division_code": "该区划不在您的管辖范围内"}
    assert Agency.objects.count() == 1


def test_add_buttons_only_for_who_may_add(client, staff, make_person):
    actions.do_register_professional(staff.town, person=make_person(DADONGMEN, "甲", birth="19900101"), division_code=DUNREN,
                                     employer="社工站", post="社工", education="bachelor", training_hours=0, joined_on=D(2024, 1, 1))  # fmt: skip
    pages = {"/socialwork/network/": "登记站点", "/socialwork/agencies/": "登记机构", "/socialwork/professionals/": "人才入库",
             "/socialwork/projects/": "发布项目"}  # fmt: skip
    client.force_login(staff.village_user)  # the village worker reads the line but does not manage it
    assert [label for url, label in pages.items() if label in client.get(url).text] == []
    assert "离职" not in client.get("/socialwork/professionals/").text  # nor the leaving link on a row
    assert client.get("/socialwork/projects/new/").status_code == 403
    client.force_login(staff.town_user)
    assert [label for url, label in pages.items() if label in client.get(url).text] == list(pages.values())
    assert "离职" in client.get("/socialwork/professionals/").text
