"""Outlets and inspections: registration with its Chinese refusals (nothing written), closing,
inspections with a rectification deadline through the case kit."""

from __future__ import annotations

import pytest

from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import open_tasks_for
from minzheng.cases.workflow import Stale
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.lottery import actions
from minzheng.lottery.access import access_outlet_by_id
from minzheng.lottery.models import Outlet, OutletInspection

from .conftest import DADONGMEN, XINGSHENG, D

pytestmark = pytest.mark.django_db


def base(**kw):
    data = dict(licence_no="50010209999", name="新投注站", kind="community", division_code=DADONGMEN, address="中山路8号",
                opened_on=D(2026, 11, 1), operator_name="赵正清", operator_id_number="")  # fmt: skip
    data.update(kw)
    return data


def test_registering_keeps_only_the_masked_id_and_the_outlet_is_open(staff, id_number):
    number = id_number("19800808", "135")
    o = actions.do_register_outlet(staff.district, **base(operator_id_number=number))
    assert (o.status, o.operator_name, o.operator_id_masked, o.operator_person_id) == ("open", "赵正清", number[:6] + "********" + number[-4:], None)
    assert AuditEvent.objects.filter(object_type="lottery.outlet", object_id=str(o.pk)).count() == 1


def test_an_operator_in_the_registry_is_linked_under_the_registry_name(staff, make_person, id_number):
    number = id_number("19660606", "321")
    person = make_person(DADONGMEN, "陈晓华", id_number=number)
    o = actions.do_register_outlet(staff.district, **base(operator_name="", operator_id_number=number))
    assert (o.operator_person_id, o.operator_name, o.operator_id_masked) == (person.pk, "陈晓华", person.id_number_masked)
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_outlet(staff.district, **base(licence_no="50010209998", operator_name="陈小华", operator_id_number=number))
    assert e.value.errors == {"operator_name": "业主姓名与人口库登记的姓名不一致，请核对"}


@pytest.mark.parametrize(("change", "errors"), [
    ({"closed_on": D(2026, 10, 31)}, {"closed_on": "关闭日期不能早于开业日期"}),
    ({"licence_no": ""}, {"licence_no": "请填写投注站编号"}),
    ({"division_code": "500102006"}, {"division_code": "请选择所在村（社区）"}),
    ({"opened_on": D(2026, 12, 5)}, {"opened_on": "开业日期不能晚于今天"}),
    ({"operator_id_number": "500102198008081234"}, {"operator_id_number": "身份证号码校验位错误，请核对"}),
    ({"lon": "107.39"}, {"lat": "经度和纬度应同时填写"}),
])  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(staff, id_number, change, errors):
    data = base(operator_id_number=id_number("19800808", "135"))
    data.update(change)
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_outlet(staff.district, **data)
    assert e.value.errors == errors
    assert not Outlet.objects.exists() and not AuditEvent.objects.filter(object_type="lottery.outlet").exists()


def test_a_licence_number_is_registered_once(staff, outlets, id_number):
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_outlet(staff.district, **base(licence_no="50010200001", operator_id_number=id_number("19800808", "135")))
    assert e.value.errors == {"licence_no": "投注站编号“50010200001”已登记"}


def test_only_district_staff_register_and_a_town_officer_is_refused(staff, id_number):
    with pytest.raises(PermissionDenied):
        actions.do_register_outlet(staff.town, **base(operator_id_number=id_number("19800808", "135")))
    assert not Outlet.objects.exists()


def test_closing_an_outlet_checks_the_date_and_the_version(staff, outlets):
    dunren, _ = outlets
    with pytest.raises(ValidationFailed) as e:
        actions.do_close_outlet(staff.district, dunren, expected_version=1, closed_on=D(2019, 5, 9), reason="合同到期")
    assert e.value.errors == {"closed_on": "关闭日期不能早于开业日期"}
    with pytest.raises(Stale):
        actions.do_close_outlet(staff.district, dunren, expected_version=7, closed_on=D(2026, 11, 30), reason="合同到期")
    closed = actions.do_close_outlet(staff.district, dunren, expected_version=1, closed_on=D(2026, 11, 30), reason="合同到期")
    assert (closed.status, closed.closed_on, closed.version) == ("closed", D(2026, 11, 30), 2)


def test_inspection_with_findings_is_on_the_workbench_until_closed(staff, outlets):
    dunren, _ = outlets
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_inspection(staff.district, dunren, inspected_on=D(2026, 12, 1), findings="未张贴禁止向未成年人售彩标识")
    assert e.value.errors == {"deadline_on": "发现问题时请填写整改期限"}
    assert not OutletInspection.objects.exists()
    i = actions.do_record_inspection(staff.district, dunren, inspected_on=D(2026, 12, 1), findings="未张贴禁止向未成年人售彩标识",
                                     deadline_on=D(2026, 12, 15))  # fmt: skip
    assert (i.status, i.deadline_on, i.division_code) == ("rectifying", D(2026, 12, 15), DADONGMEN)
    assert [t.case.pk for t in open_tasks_for(staff.district) if t.workflow.name == "lottery.inspection"] == [i.pk]
    with pytest.raises(ValidationFailed) as e:
        actions.do_close_inspection(staff.district, i, expected_version=1, rectification=" ")
    assert e.value.errors == {"rectification": "请填写整改情况"}
    closed = actions.do_close_inspection(staff.district, i, expected_version=1, rectification="已张贴")
    assert (closed.status, closed.rectification) == ("closed", "已张贴")
    assert list(CaseEvent.objects.for_case("lottery.inspection", i).values_list("label", flat=True)) == ["检查登记", "整改销号"]
    passed = actions.do_record_inspection(staff.district, dunren, inspected_on=D(2026, 12, 2))
    assert (passed.status, passed.deadline_on) == ("passed", None)


def test_another_towns_officer_cannot_reach_an_outlet(staff, outlets):
    dunren, zhenxi = outlets
    with pytest.raises(NotFound):
        access_outlet_by_id(staff.other_town, dunren.pk)
    assert access_outlet_by_id(staff.other_town, zhenxi.pk).division_code == XINGSHENG
    assert access_outlet_by_id(staff.town, dunren.pk).pk == dunren.pk
