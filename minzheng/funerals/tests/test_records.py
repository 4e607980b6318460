"""A funeral record from notification to interment; the cremation is a death notification
under ADR 0004 (payments suspended in the next payroll, the village asked to confirm); the
惠民殡葬 waiver at the engine's amount; every refusal names its field and writes nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from minzheng.assistance import payroll
from minzheng.assistance.models import Payment, PaymentBatch, WithheldPayment
from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import Stale, WrongState
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.discovery.models import Task
from minzheng.funerals import actions
from minzheng.funerals.models import Facility, FuneralRecord, Plot, Waiver
from minzheng.funerals.tests.conftest import (
    DADONGMEN,
    XINGSHENG,
    D,
    enrol_tekun,
    notify,
    through_cremation,
)
from minzheng.registry.actions import do_confirm_death_report
from minzheng.registry.models import DeathReport, Person


def test_from_notification_to_interment_in_a_tree_plot(staff, deceased, home, public_cemetery):
    record = through_cremation(staff, deceased, home)
    assert record.status == "cremated" and record.cremation_certificate_no == "HH2026-0001"
    record = actions.do_store_ashes(staff.district, record, expected_version=record.version, stored_on=D(2026, 12, 2))
    plot = Plot.objects.get(number="S-01")
    record = actions.do_inter(staff.village, record, expected_version=record.version, interred_on=D(2026, 12, 3),
                              cemetery=public_cemetery, plot=plot)  # fmt: skip
    assert (record.status, record.plot_id, record.cemetery_id, record.eco_burial) == ("interred", plot.pk, public_cemetery.pk, True)
    plot.refresh_from_db()
    assert plot.status == "sold"
    steps = list(CaseEvent.objects.filter(workflow="funerals.record", case_id=record.pk).order_by("id").values_list("action", "from_status", "to_status"))
    assert steps == [
        ("create", "", "notified"), ("transport", "notified", "transported"), ("services", "transported", "transported"),
        ("cremate", "transported", "cremated"), ("store_ashes", "cremated", "ashes_stored"), ("inter", "ashes_stored", "interred"),
    ]


def test_a_cremation_suspends_payments_in_the_next_payroll_and_asks_the_village(staff, deceased, home):
    enrolment = enrol_tekun(deceased)
    record = through_cremation(staff, deceased, home)
    report = DeathReport.objects.get()
    assert (report.person_id, report.death_date, report.source, report.status) == (deceased.pk, D(2026, 11, 30), "funeral", "pending")
    assert report.reference == f"殡葬服务记录{record.number}，火化证明HH2026-0001"
    assert record.death_report_id == report.pk
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended"
    assert not Person.objects.get(pk=deceased.pk).is_deceased  # alive until the village confirms
    [task] = Task.objects.all()
    assert (task.kind, task.division_code, task.death_report_id) == ("verify_death", DADONGMEN, report.pk)
    summary = payroll.run_payroll(staff.district, program="tekun", period="2026-12")
    batch = PaymentBatch.objects.get(pk=summary.batch_id)
    assert list(Payment.objects.filter(batch=batch)) == []
    assert list(WithheldPayment.objects.values_list("period", "amount_fen", "status")) == [("2026-12", 100100, "withheld")]
    # the village confirms: the enrolment ends with November, the month of death
    do_confirm_death_report(staff.village, report)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == ("exited", D(2026, 11, 1))
    assert Person.objects.get(pk=deceased.pk).is_deceased


def test_a_tekun_deceased_gets_the_waiver_the_engine_computes(staff, deceased, home):
    enrol_tekun(deceased)
    record = through_cremation(staff, deceased, home)
    waiver = Waiver.objects.get(record=record)
    # 接运300 + 冷藏2天×60 + 尸袋50 + 火化500 + 骨灰盒min(280, 200) = 1170.00
    assert (waiver.group, waiver.amount_fen, waiver.period, waiver.provisional) == ("tekun", 117000, "2026-12", True)
    assert [(line["label"], line["amount"]) for line in waiver.lines] == [
        ("遗体接运", "300.00"), ("遗体冷藏（2天）", "120.00"), ("尸袋", "50.00"), ("遗体火化", "500.00"), ("骨灰盒", "200.00"),
    ]
    params = waiver.decision["parameters"]
    assert params["funeral.waiver.urn_cap"]["value"] == "200.00" and params["funeral.waiver.urn_cap"]["provisional"] is True


def test_no_waiver_outside_the_hardship_groups(staff, deceased, home):
    through_cremation(staff, deceased, home)
    assert not Waiver.objects.exists()


def test_a_cremation_before_the_death_date_is_refused_and_nothing_written(staff, deceased, home):
    enrolment = enrol_tekun(deceased)
    record = notify(staff.village, deceased, funeral_home=home)
    record = actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=D(2026, 11, 30), funeral_home=home)
    with pytest.raises(ValidationFailed) as e:
        actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=D(2026, 11, 29), certificate_no="HH1")
    assert e.value.errors == {"cremated_on": "火化日期不能早于死亡日期（2026-11-30）"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=D(2026, 12, 1), certificate_no=" ")
    assert e.value.errors == {"certificate_no": "请填写火化证明编号"}
    record.refresh_from_db()
    enrolment.refresh_from_db()
    assert (record.status, record.cremated_on, enrolment.status) == ("transported", None, "active")
    assert not DeathReport.objects.exists() and not Waiver.objects.exists()


def test_a_plot_in_another_cemetery_and_a_plot_sold_twice_are_refused(staff, make_person, home, public_cemetery, commercial):
    first = through_cremation(staff, make_person(DADONGMEN, "甲"), home)
    lawn = Plot.objects.get(number="L-01")
    with pytest.raises(ValidationFailed) as e:
        actions.do_inter(staff.district, first, expected_version=first.version, interred_on=D(2026, 12, 3), cemetery=public_cemetery, plot=lawn)
    assert e.value.errors == {"plot": "该墓位不属于所选公墓"}
    first.refresh_from_db()
    assert first.status == "cremated" and Plot.objects.get(pk=lawn.pk).status == "available"
    plot = Plot.objects.get(number="S-02")
    actions.do_inter(staff.district, first, expected_version=first.version, interred_on=D(2026, 12, 3), cemetery=public_cemetery, plot=plot)
    second = notify(staff.village, make_person(DADONGMEN, "乙"), funeral_home=home)
    second = actions.do_transport_body(staff.district, second, expected_version=second.version, transported_on=D(2026, 12, 1), funeral_home=home)
    second = actions.do_cremate(staff.district, second, expected_version=second.version, cremated_on=D(2026, 12, 2), certificate_no="HH2")
    with pytest.raises(ValidationFailed) as e:
        actions.do_inter(staff.district, second, expected_version=second.version, interred_on=D(2026, 12, 3), cemetery=public_cemetery, plot=plot)
    assert e.value.errors == {"plot": "墓位S-02已售出，不能重复出售"}
    second.refresh_from_db()
    assert second.status == "cremated" and second.plot_id is None


def test_the_database_refuses_a_second_sale_of_a_plot(staff, make_person, home, public_cemetery):
    a = through_cremation(staff, make_person(DADONGMEN, "甲"), home)
    plot = Plot.objects.get(number="S-01")
    actions.do_inter(staff.district, a, expected_version=a.version, interred_on=D(2026, 12, 3), cemetery=public_cemetery, plot=plot)
    b = notify(staff.village, make_person(DADONGMEN, "乙"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FuneralRecord.objects.filter(pk=b.pk).update(plot=plot)


def test_a_public_cemetery_takes_only_its_own_towns_residents(staff, make_person, home, public_cemetery, system):
    far = make_person(XINGSHENG, "丙")
    record = actions.do_notify_death(system, person=far, source="registry", death_date=D(2026, 11, 30), death_place="医院", contact_name="丙家属")
    record = actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    record = actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=D(2026, 12, 2), certificate_no="HH3")
    with pytest.raises(ValidationFailed) as e:
        actions.do_inter(staff.district, record, expected_version=record.version, interred_on=D(2026, 12, 3),
                         cemetery=public_cemetery, plot=Plot.objects.get(number="S-01"))  # fmt: skip
    assert e.value.errors == {"cemetery": "农村公益性公墓只安葬本乡镇（村）居民"}


def test_burial_is_refused_in_a_cremation_area_and_allowed_outside(staff, make_person, system):
    actions.do_set_zone(staff.district, division_code="500102006", kind="cremation", since=D(2020, 1, 1), reference="渝府〔2019〕1号")
    inside = notify(staff.village, make_person(DADONGMEN, "丁"))
    station = actions.do_register_facility(system, name="敦仁殡仪服务站", kind="service_station", division_code="500102006", opened_on=D(2023, 1, 1))
    inside = actions.do_transport_body(staff.town, inside, expected_version=inside.version, transported_on=D(2026, 12, 1), funeral_home=station)
    with pytest.raises(ValidationFailed) as e:
        actions.do_bury(staff.village, inside, expected_version=inside.version, buried_on=D(2026, 12, 2), place="本村公墓")
    assert e.value.errors == {"buried_on": "逝者所在地自2020-01-01起为火化区，死亡时已在火化区内，应当火化，不能土葬"}
    assert Facility.objects.filter(kind="service_station").count() == 1
    outside_person = make_person(XINGSHENG, "戊")
    outside = actions.do_notify_death(staff.other_village, person=outside_person, source="family", death_date=D(2026, 11, 30),
                                      death_place="家中", contact_name="戊家属")  # fmt: skip
    zhenxi_home = actions.do_register_facility(system, name="珍溪殡仪服务站", kind="service_station", division_code="500102119", opened_on=D(2023, 1, 1))
    outside = actions.do_transport_body(staff.other_town, outside, expected_version=outside.version, transported_on=D(2026, 12, 1),
                                        funeral_home=zhenxi_home)  # fmt: skip
    outside = actions.do_bury(staff.other_village, outside, expected_version=outside.version, buried_on=D(2026, 12, 2), place="兴盛社区公墓")
    assert outside.status == "buried"


def test_notification_refusals_name_the_field(staff, deceased, home):
    with pytest.raises(ValidationFailed) as e:
        actions.do_notify_death(staff.village, person=deceased, source="family", death_date=D(2026, 12, 5), death_place="",
                                contact_name="", contact_phone="123")  # fmt: skip
    assert e.value.errors == {
        "death_date": "死亡日期不能晚于今天", "death_place": "请填写死亡地点", "contact_name": "请填写家属联系人",
        "contact_phone": "联系电话格式不正确（11位手机号或带区号的固定电话）",
    }
    notify(staff.village, deceased)
    with pytest.raises(ValidationFailed) as e:
        notify(staff.village, deceased)
    assert e.value.errors == {"person": "该逝者已有殡葬服务记录"}
    assert FuneralRecord.objects.count() == 1


def test_another_town_or_village_is_refused(staff, deceased, home):
    with pytest.raises(NotFound):
        notify(staff.other_village, deceased)
    with pytest.raises(NotFound):
        notify(staff.other_town, deceased)
    record = notify(staff.village, deceased)
    for actor in (staff.other_town, staff.other_village):
        with pytest.raises(NotFound):
            actions.do_transport_body(actor, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    assert FuneralRecord.objects.get().status == "notified"


def test_each_step_is_refused_to_the_wrong_role_and_level(staff, deceased, home):
    record = notify(staff.village, deceased)
    with pytest.raises(PermissionDenied) as e:  # the village does not transport
        actions.do_transport_body(staff.village, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    assert str(e.value.message) == "“接运”须由乡镇（街道）或区民政局办理"
    with pytest.raises(PermissionDenied):  # the town approver has no funeral permission
        actions.do_transport_body(staff.approver, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    with pytest.raises(PermissionDenied):
        notify(staff.leader, deceased)
    with pytest.raises(WrongState):
        actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=D(2026, 12, 2), certificate_no="HH")
    assert FuneralRecord.objects.get().status == "notified"


def test_a_stale_page_is_refused(staff, deceased, home):
    record = notify(staff.village, deceased)
    actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    with pytest.raises(Stale):
        actions.do_transport_body(staff.town, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
