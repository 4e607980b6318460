"""Point 3: recognition (application → economic check → town decision), the register with tier,
since-when and source, the monthly dynamic monitoring with its change log, counts, scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.assistance.models import Enrolment
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.lowincome import actions, monitoring, selectors
from minzheng.lowincome.access import access_recognition_by_id
from minzheng.lowincome.models import RegisterEntry, TierChange
from minzheng.registry.models import Household, Person
from minzheng.screening.runs import do_run_screening

INCOME = "district.per_capita_disposable_income_prev_year"


def recognise(staff, household, kind="edge"):
    r = actions.do_create_recognition(staff.village, household_id=household.pk, kind=kind, origin="application", reason="收入低")
    r = actions.do_check_recognition(staff.town, r, expected_version=r.version)
    return actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="approve", note="符合低保边缘家庭条件")


def open_rows(**kw):
    return list(
        RegisterEntry.objects.filter(ended_on__isnull=True, **kw)
        .order_by("person_id")
        .values_list("person__name", "tier", "since", "source_kind", "source_label")
    )


@pytest.mark.django_db
def test_recognised_edge_household_enters_the_register_with_tier_and_source(staff, edge_household):
    r = recognise(staff, edge_household)
    assert r.status == "recognised" and r.engine_eligible is True
    assert r.per_capita_income_fen == 100_000 and r.household_income_fen == 200_000
    label = f"认定决定 {r.number}"
    assert open_rows() == [
        ("王大明", "edge", dt.date(2026, 12, 4), "recognition", label),
        ("刘小红", "edge", dt.date(2026, 12, 4), "recognition", label),
    ]
    changes = list(TierChange.objects.order_by("person_id").values_list("from_tier", "to_tier", "reason", "actor_name"))
    assert changes == [("", "edge", "乡镇认定", "乡镇（街道）审核人 · 敦仁街道")] * 2


@pytest.mark.django_db
def test_screening_moves_the_household_to_rigid_spending_and_logs_it(staff, edge_household, system_actor):
    recognise(staff, edge_household)
    actions.do_enter_district_figure(
        staff.district, parameter=INCOME, year=2025, value="45000", document_number="涪陵区2025年统计公报", document_date=dt.date(2026, 3, 20)
    )
    # income rises to 2,400 a month (1,200 a head: above 1.5 × 770 = 1,155, so no longer 边缘);
    # 20,000 yuan of medical bills in 12 months > 60 % of 28,800 a year; 14,400 a head < 45,000
    Person.objects.filter(pk=edge_household.head_id).update(income_transfer_fen=240_000)
    Household.objects.filter(pk=edge_household.pk).update(rigid_spending_12m_fen=2_000_000)
    do_run_screening(system_actor, period="2026-12")
    run = monitoring.do_run_monitoring(staff.district, period="2026-12")
    assert (run.counts["new"], run.counts["moved"], run.counts["left"], run.counts["register"]) == (0, 2, 0, 2)
    assert run.counts["tiers"] == {"rigid": 2}
    rows = open_rows()
    assert [(n, t, s, k) for n, t, s, k, _ in rows] == [
        ("王大明", "rigid", dt.date(2026, 12, 4), "screening"),
        ("刘小红", "rigid", dt.date(2026, 12, 4), "screening"),
    ]
    assert rows[0][4] == f"2026-12 筛查（第{run.screening_run_id}批）"
    moved = list(TierChange.objects.filter(run=run).values_list("from_tier", "to_tier", "reason", "period"))
    assert moved == [("edge", "rigid", "动态监测：家庭经济状况符合刚性支出困难家庭条件", "2026-12")] * 2
    # the earlier rows are kept, ended today: the history of "since when"
    assert RegisterEntry.objects.filter(ended_on=dt.date(2026, 12, 4), tier="edge").count() == 2
    # a second run of the month changes nothing
    again = monitoring.do_run_monitoring(staff.district, period="2026-12")
    assert (again.counts["new"], again.counts["moved"], again.counts["left"]) == (0, 0, 0)
    assert TierChange.objects.count() == 4


@pytest.mark.django_db
def test_monitoring_registers_enrolments_and_removes_who_left(staff, make_household, make_person, enrol):
    family = make_household("500102006001", names=("赵一", "赵二"))
    dibao = enrol("dibao", household=family)
    lone = make_person("500102119001", "钱三")
    enrol("tekun", person=lone, zone="rural")
    run = monitoring.do_run_monitoring(staff.district, period="2026-12")
    assert (run.counts["new"], run.counts["tiers"]) == (3, {"dibao": 2, "tekun": 1})
    assert open_rows() == [
        ("赵一", "dibao", dt.date(2026, 10, 1), "enrolment", f"低保保障记录 #{dibao.pk}"),
        ("赵二", "dibao", dt.date(2026, 10, 1), "enrolment", f"低保保障记录 #{dibao.pk}"),
        ("钱三", "tekun", dt.date(2026, 10, 1), "enrolment", open_rows(person=lone)[0][4]),
    ]
    Enrolment.objects.filter(pk=dibao.pk).update(status="exited", end_month=dt.date(2026, 11, 1))
    run = monitoring.do_run_monitoring(staff.district, period="2026-12")
    assert (run.counts["new"], run.counts["moved"], run.counts["left"]) == (0, 0, 2)
    assert [r[0] for r in open_rows()] == ["钱三"]
    left = TierChange.objects.filter(run=run).values_list("from_tier", "to_tier", "reason", "source_kind").distinct()
    assert list(left) == [("dibao", "", "动态监测：低保或特困保障已终止", "enrolment")]
    # counts by tier and town, as each level sees them
    counts = selectors.counts_by_tier_and_town(staff.district)
    assert [(r["name"], r["total"], r["tiers"]["tekun"]) for r in counts["rows"]] == [("珍溪镇", 1, 1)]
    assert selectors.counts_by_tier_and_town(staff.town)["total"] == 0


@pytest.mark.django_db
def test_refusal_and_the_engine_guard(staff, edge_household):
    Person.objects.filter(pk=edge_household.head_id).update(income_transfer_fen=400_000)  # 2,000 a head
    r = actions.do_create_recognition(staff.village, household_id=edge_household.pk, kind="edge", origin="discovery")
    r = actions.do_check_recognition(staff.town, r, expected_version=r.version)
    assert r.engine_eligible is False
    with pytest.raises(ValidationFailed) as e:
        actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="approve", note="同意")
    assert e.value.errors == {"outcome": "家庭经济状况核对结果不符合认定条件，不能认定（可退回重新核对，或不予认定）"}
    r = actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="refuse", note="人均收入超过边缘标准")
    assert r.status == "refused" and RegisterEntry.objects.count() == 0


@pytest.mark.django_db
def test_rigid_spending_cannot_be_decided_without_the_district_figure(staff, edge_household):
    Person.objects.filter(pk=edge_household.head_id).update(income_transfer_fen=240_000)
    Household.objects.filter(pk=edge_household.pk).update(rigid_spending_12m_fen=2_000_000)
    r = actions.do_create_recognition(staff.village, household_id=edge_household.pk, kind="rigid", origin="application")
    r = actions.do_check_recognition(staff.town, r, expected_version=r.version)
    assert r.engine_eligible is None
    with pytest.raises(ValidationFailed) as e:
        actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="approve", note="同意")
    assert e.value.errors == {"outcome": "认定所需参数未设置（区上年度居民人均可支配收入），暂不能认定"}


@pytest.mark.django_db
def test_other_town_is_refused(staff, edge_household):
    """珍溪镇 staff never see or act on a 敦仁街道 household's recognition."""
    with pytest.raises(ValidationFailed) as e:
        actions.do_create_recognition(staff.zx_village, household_id=edge_household.pk, kind="edge", origin="application")
    assert e.value.errors == {"household": "请选择本辖区内的家庭"}
    r = actions.do_create_recognition(staff.village, household_id=edge_household.pk, kind="edge", origin="application")
    with pytest.raises(NotFound):
        access_recognition_by_id(staff.zx_town, r.pk)
    with pytest.raises(NotFound):
        actions.do_check_recognition(staff.zx_town, r, expected_version=r.version)
    r = actions.do_check_recognition(staff.town, r, expected_version=r.version)
    with pytest.raises(NotFound):
        actions.do_decide_recognition(staff.zx_approver, r, expected_version=r.version, outcome="approve", note="同意")
    actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="approve", note="同意")
    assert selectors.register_for(staff.zx_town).count() == 0
    assert selectors.register_for(staff.town).count() == 2
    assert selectors.changes_for(staff.zx_village).count() == 0
    assert selectors.list_recognitions_for(staff.zx_town).count() == 0


@pytest.mark.django_db
def test_roles_without_the_permission_are_refused(staff, edge_household):
    with pytest.raises(PermissionDenied):
        monitoring.do_run_monitoring(staff.town)
    r = actions.do_create_recognition(staff.village, household_id=edge_household.pk, kind="edge", origin="application")
    with pytest.raises(PermissionDenied):
        actions.do_check_recognition(staff.village, r, expected_version=r.version)


@pytest.mark.django_db
def test_screening_takes_a_household_above_the_lines_out(staff, edge_household, system_actor):
    recognise(staff, edge_household)
    Person.objects.filter(pk=edge_household.head_id).update(income_transfer_fen=500_000)  # 2,500 a head
    do_run_screening(system_actor, period="2026-12")
    run = monitoring.do_run_monitoring(staff.district, period="2026-12")
    assert (run.counts["moved"], run.counts["left"], run.counts["register"]) == (0, 2, 0)
    left = list(TierChange.objects.filter(run=run).values_list("from_tier", "to_tier", "reason", "source_label").distinct())
    assert left == [("edge", "", "动态监测：家庭经济状况已超出低收入认定标准，或认定已终止、到期", "2026-12 筛查")]
    assert open_rows() == []
