"""Indicators 13–15 and the 专栏5 counts equal hand counts for a small demo district, and plan
monitoring publishes them as computed values (the dashboard reads those)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from minzheng.funerals import actions
from minzheng.funerals.indicators import compute_indicators
from minzheng.funerals.models import Plot
from minzheng.funerals.tests.conftest import DADONGMEN, DUNREN, XINGSHENG, ZHENXI, D
from minzheng.planning.actions import do_recompute_indicators
from minzheng.planning.computations import run_computations
from minzheng.planning.loader import load_plan
from minzheng.planning.models import IndicatorValue, Plan
from minzheng.planning.selectors import scorecard
from minzheng.registry.models import Person


def _interred(staff, person, home, cemetery, plot_number, *, death: dt.date, centralized: bool):
    record = actions.do_notify_death(staff.district, person=person, source="registry", death_date=death, death_place="医院", contact_name="家属")
    record = actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=death, funeral_home=home)
    record = actions.do_record_services(staff.district, record, expected_version=record.version, storage_days=1,
                                        mourning_kind="centralized" if centralized else "home",
                                        mourning_venue="治丧点" if centralized else "")  # fmt: skip
    record = actions.do_cremate(staff.district, record, expected_version=record.version, cremated_on=death + dt.timedelta(days=1),
                                certificate_no=f"HH-{person.pk}")  # fmt: skip
    plot = Plot.objects.get(cemetery=cemetery, number=plot_number)
    return actions.do_inter(staff.district, record, expected_version=record.version, interred_on=death + dt.timedelta(days=2),
                            cemetery=cemetery, plot=plot)  # fmt: skip


def _world(staff, system, make_person, home, public_cemetery, commercial):
    jia, yi, bing = (make_person(DADONGMEN, n) for n in ("甲", "乙", "丙"))
    ding, wu = make_person(XINGSHENG, "丁"), make_person(XINGSHENG, "戊")
    Person.objects.filter(pk=wu.pk).update(is_deceased=True, death_date=D(2026, 6, 1))  # recorded before the day: not counted
    actions.do_set_zone(staff.district, division_code=DUNREN, kind="cremation", since=D(2020, 1, 1), reference="渝府〔2019〕1号")
    actions.do_set_zone(staff.district, division_code=DUNREN, kind="civilized", since=D(2025, 1, 1), reference="涪府〔2024〕1号")
    actions.do_register_facility(system, name="敦仁殡仪服务站", kind="service_station", division_code=DUNREN, opened_on=D(2023, 1, 1))
    actions.do_register_facility(system, name="珍溪公益性公墓（在建）", kind="public_cemetery", division_code=ZHENXI, capacity=100,
                                 status="building")  # fmt: skip
    _interred(staff, jia, home, public_cemetery, "S-01", death=D(2026, 3, 1), centralized=True)  # tree: eco
    _interred(staff, yi, home, public_cemetery, "C-01", death=D(2026, 4, 1), centralized=False)  # traditional
    _interred(staff, bing, home, public_cemetery, "S-02", death=D(2025, 5, 1), centralized=True)  # last year
    return ding


def test_the_indicators_equal_hand_counts(staff, system, make_person, home, public_cemetery, commercial):
    _world(staff, system, make_person, home, public_cemetery, commercial)
    result = compute_indicators(D(2026, 12, 4))
    # 13: living people 甲乙丙（敦仁，火化区）+ 丁（珍溪，非火化区）; 戊 died before the day → 3 / 4
    assert (result["13"]["numerator"], result["13"]["denominator"], result["13"]["value"]) == (3, 4, 75.0)
    assert result["13"]["by_town"][DUNREN] == (3, 3) and result["13"]["by_town"][ZHENXI] == (0, 1)
    # 14: 敦仁 has an operating public cemetery; 珍溪's is being built → 1 / 27 towns
    assert (result["14"]["numerator"], result["14"]["denominator"], result["14"]["value"]) == (1, 27, 3.7)
    # 15: 2026 interments 甲 (树葬) and 乙 (传统墓); 丙 was interred in 2025 → 1 / 2
    assert (result["15"]["numerator"], result["15"]["denominator"], result["15"]["value"]) == (1, 2, 50.0)
    # 专栏5
    assert result["counts"] == {"service_stations": 1, "demonstration_cemeteries": 1, "commercial_cemeteries": 1}
    # 文明治丧区 (敦仁 from 2025): deaths of 2026 甲 (集中治丧) and 乙 (居家) → 1 / 2
    assert (result["centralized_mourning"]["numerator"], result["centralized_mourning"]["denominator"]) == (1, 2)


def test_the_indicators_on_an_earlier_day(staff, system, make_person, home, public_cemetery, commercial):
    _world(staff, system, make_person, home, public_cemetery, commercial)
    result = compute_indicators(D(2025, 12, 31))
    # 戊 still alive then; the station opened 2023, the public cemetery 2022-05-01
    assert (result["13"]["numerator"], result["13"]["denominator"]) == (3, 5)
    assert (result["15"]["numerator"], result["15"]["denominator"]) == (1, 1)  # 丙, 2025, 树葬
    assert result["14"]["numerator"] == 1


def test_plan_monitoring_publishes_them_as_computed(staff, system, make_person, home, public_cemetery, commercial):
    _world(staff, system, make_person, home, public_cemetery, commercial)
    result = run_computations(2026, names=["funeral_indicators"])
    district = {f.measure: f for f in result.figures if f.division_code == "500102"}
    assert district["funeral_cremation_area_population_share"].value == Decimal("75.0000")
    assert district["funeral_public_cemetery_town_coverage"].value == Decimal("3.7037")
    assert district["funeral_eco_burial_share"].value == Decimal("50.0000")
    assert district["funeral_centralized_mourning_rate"].value == Decimal("50.0000")
    assert district["funeral_service_stations"].value == Decimal("1.0000")
    dunren = {f.measure: f for f in result.figures if f.division_code == DUNREN}
    assert dunren["funeral_cremation_area_population_share"].value == Decimal("100.0000")
    assert run_computations(2024, names=["funeral_indicators"]).figures == []  # earlier years stay hand-entered


def test_the_dashboard_scorecard_shows_them_computed(staff, system, make_person, home, public_cemetery, commercial):
    _world(staff, system, make_person, home, public_cemetery, commercial)
    load_plan()
    plan = Plan.objects.get(code="2021-2025")
    summary = do_recompute_indicators(system, plan, year=2026)
    assert "funeral_indicators" not in summary.skipped
    value = IndicatorValue.objects.get(indicator__plan=plan, indicator__code="13", year=2026, month=0, division_code="500102")
    assert (value.value, value.numerator, value.denominator, value.source) == (Decimal("75.0000"), 3, 4, "computed")
    rows = {r.indicator.code: r for r in scorecard(system, plan, year=2026)}
    assert rows["15"].value.value == Decimal("50.0000") and rows["O20"].value.pk == value.pk
    assert rows["O16"].value.value == Decimal("1.0000") and rows["O19"].value.value == Decimal("50.0000")
