"""Facilities, plots within capacity, price filings, inspections with a rectification deadline
(the kit's TimeLimit), zones and illegal graves; refusals name the field, nothing written."""

from __future__ import annotations

import pytest

from minzheng.cases.workflow import TimeLimitPassed
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.funerals import actions
from minzheng.funerals.models import Facility, IllegalGrave, Plot, PriceFiling, Zone
from minzheng.funerals.services import filed_price_fen, zone_since
from minzheng.funerals.tests.conftest import DADONGMEN, DUNREN, XINGSHENG, D


def test_a_cemetery_cannot_exceed_its_capacity(staff, public_cemetery):
    assert Plot.objects.filter(cemetery=public_cemetery).count() == 3
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_plots(staff.town, public_cemetery, kind="wall", numbers=["W-01", "W-02"])
    assert e.value.errors == {"numbers": "超出公墓设计容量：设计4穴，已登记3穴，本次2穴"}
    assert Plot.objects.filter(cemetery=public_cemetery).count() == 3
    actions.do_add_plots(staff.town, public_cemetery, kind="wall", numbers=["W-01"])
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_plots(staff.town, public_cemetery, kind="wall", numbers=["S-01"])
    assert e.value.errors["numbers"].startswith("墓位编号已存在：S-01")


def test_facility_input_is_checked(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_facility(staff.district, name=" ", kind="public_cemetery", division_code="500102", capacity=0)
    assert e.value.errors == {
        "name": "请填写设施名称", "division_code": "农村公益性公墓应选择所在乡镇或村",
        "capacity": "请填写公墓设计墓位数（大于0）", "opened_on": "运营中的设施请填写建成（投入使用）日期",
    }
    assert not Facility.objects.exists()


def test_facilities_of_another_town_are_refused(staff):
    with pytest.raises(NotFound):
        actions.do_register_facility(staff.other_town, name="敦仁公墓", kind="public_cemetery", division_code=DUNREN, capacity=5,
                                     opened_on=D(2022, 1, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.do_register_facility(staff.village, name="大东门公墓", kind="public_cemetery", division_code=DADONGMEN, capacity=5,
                                     opened_on=D(2022, 1, 1))  # fmt: skip
    cemetery = actions.do_register_facility(staff.town, name="敦仁公墓", kind="public_cemetery", division_code=DUNREN, capacity=5,
                                            opened_on=D(2022, 1, 1))  # fmt: skip
    with pytest.raises(NotFound):
        actions.do_add_plots(staff.other_town, cemetery, kind="tree", numbers=["1"])
    assert not Plot.objects.exists()


def test_the_price_in_force_is_the_latest_filing(staff, home):
    actions.do_file_price(staff.district, home, item="cremation", price_yuan="520.00", effective_from=D(2026, 12, 1), reference="涪发改价〔2026〕3号")
    assert filed_price_fen(home.pk, "cremation", D(2026, 11, 30)) == 50000
    assert filed_price_fen(home.pk, "cremation", D(2026, 12, 1)) == 52000
    with pytest.raises(ValidationFailed) as e:
        actions.do_file_price(staff.district, home, item="cremation", price_yuan="-1", effective_from=None, reference="")
    assert e.value.errors == {"price": "价格应为不小于0、最多两位小数的金额（元）", "effective_from": "请填写执行日期", "reference": "请填写备案文号"}
    assert PriceFiling.objects.filter(item="cremation").count() == 2


def test_an_inspection_has_a_deadline_and_closes_before_it(staff, system, travel):
    station = actions.do_register_facility(system, name="敦仁殡仪服务站", kind="service_station", division_code=DUNREN, opened_on=D(2023, 1, 1))
    inspection = actions.do_record_inspection(staff.town, station, inspected_on=D(2026, 12, 1), findings="冷藏设备温度记录缺失")
    assert (inspection.status, inspection.deadline_on) == ("rectifying", D(2026, 12, 31))  # 30 calendar days (参数待确认)
    with pytest.raises(ValidationFailed) as e:
        actions.do_close_inspection(staff.town, inspection, expected_version=inspection.version, rectification=" ")
    assert e.value.errors == {"rectification": "请填写整改情况"}
    with pytest.raises(NotFound):
        actions.do_close_inspection(staff.other_town, inspection, expected_version=inspection.version, rectification="已整改")
    travel(D(2027, 1, 1))
    with pytest.raises(TimeLimitPassed):
        actions.do_close_inspection(staff.town, inspection, expected_version=inspection.version, rectification="已补齐记录")
    closed = actions.do_close_inspection(staff.district, inspection, expected_version=inspection.version, rectification="已补齐记录")  # 督办
    assert closed.status == "closed"


def test_zones_are_the_districts_and_dated(staff):
    with pytest.raises(PermissionDenied) as e:
        actions.do_set_zone(staff.town, division_code=DUNREN, kind="cremation", since=D(2020, 1, 1), reference="文件")
    assert e.value.message == "火化区和文明治丧区须由区民政局登记"
    actions.do_set_zone(staff.district, division_code=DUNREN, kind="cremation", since=D(2020, 1, 1), reference="渝府〔2019〕1号")
    actions.do_set_zone(staff.district, division_code=XINGSHENG, kind="cremation", since=D(2026, 1, 1), reference="渝府〔2025〕2号")
    assert zone_since(DADONGMEN, "cremation") == D(2020, 1, 1)
    assert zone_since(XINGSHENG, "cremation") == D(2026, 1, 1)
    assert zone_since("500102119002", "cremation") is None
    with pytest.raises(ValidationFailed) as e:
        actions.do_set_zone(staff.district, division_code=DUNREN, kind="cremation", since=D(2021, 1, 1), reference="x")
    assert e.value.errors == {"division_code": "该区划已登记为火化区"}
    assert Zone.objects.count() == 2


def test_an_illegal_grave_is_rectified_by_its_deadline(staff):
    grave = actions.do_report_illegal_grave(staff.village, division_code=DADONGMEN, found_on=D(2026, 12, 1), location="后山林地")
    with pytest.raises(PermissionDenied):
        actions.do_order_grave_rectification(staff.village, grave, expected_version=grave.version, deadline_on=D(2027, 1, 31))
    with pytest.raises(NotFound):
        actions.do_order_grave_rectification(staff.other_town, grave, expected_version=grave.version, deadline_on=D(2027, 1, 31))
    with pytest.raises(ValidationFailed) as e:
        actions.do_order_grave_rectification(staff.town, grave, expected_version=grave.version, deadline_on=D(2026, 12, 4))
    assert e.value.errors == {"deadline_on": "整改期限应晚于今天"}
    grave = actions.do_order_grave_rectification(staff.town, grave, expected_version=grave.version, deadline_on=D(2027, 1, 31))
    with pytest.raises(ValidationFailed) as e:
        actions.do_close_illegal_grave(staff.village, grave, expected_version=grave.version, rectified_on=D(2026, 11, 1), rectification="")
    assert e.value.errors == {"rectified_on": "整改完成日期不能早于发现日期", "rectification": "请填写整改情况（迁入公墓、深埋、平坟等）"}
    grave = actions.do_close_illegal_grave(staff.village, grave, expected_version=grave.version, rectified_on=D(2026, 12, 3), rectification="迁入敦仁公墓")
    assert grave.status == "rectified"
    with pytest.raises(DomainError):
        actions.do_close_illegal_grave(staff.village, grave, expected_version=grave.version - 1, rectified_on=D(2026, 12, 3), rectification="x")
    assert IllegalGrave.objects.get().rectification == "迁入敦仁公墓"
