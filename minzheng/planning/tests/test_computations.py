"""Every computed indicator against a value worked out by hand on a small dataset.

The small district: two towns of different sizes — 敦仁街道 (A) and 珍溪镇 (B) — so that a
district figure taken as an average of town rates would differ from total ÷ total.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.core.errors import DomainError
from minzheng.eldercare.actions import do_create_facility, do_record_assessment
from minzheng.eldercare.coverage import coverage_for
from minzheng.eldercare.geometry import offset_point
from minzheng.eldercare.models import VillageLocation
from minzheng.eldercare.tests.helpers import full_marks
from minzheng.planning import adapters
from minzheng.planning.actions import (
    computation_blocks_entry,
    do_recompute_indicators,
    do_set_period_lock,
)
from minzheng.planning.computations import (
    REGISTRY,
    Period,
    ratio_figures,
    run_computations,
    sum_figures,
)

DISTRICT_CODE = "500102"  # 涪陵区, the test settings' district
from minzheng.planning.models import IndicatorValue
from minzheng.planning.selectors import scorecard
from minzheng.screening.models import ScreeningResult, ScreeningRun

A, B = "500102006", "500102119"
A_V1, A_V2, B_V1 = "500102006001", "500102006003", "500102119001"
LON, LAT = 107.0, 29.5
NOW = timezone.make_aware(dt.datetime(2026, 11, 28, 10, 0))


def north(metres: float) -> tuple[float, float]:
    return offset_point(LON, LAT, 0.0, metres)


def figures_of(result, measure):
    return {(f.division_code, f.month): f for f in result.figures if f.measure == measure}


# --- the helpers: total ÷ total -------------------------------------------------------------


def test_district_ratio_is_total_over_total_not_the_mean_of_town_rates():
    period = Period(2025, 0, NOW)
    figs = ratio_figures("m", period, {A: (9, 10), B: (10, 100)}, towns=[A, B])
    by = {f.division_code: f for f in figs}
    assert by[A].value == D("90.0000") and by[B].value == D("10.0000")
    assert by[DISTRICT_CODE].value == D("17.2727")  # 19 ÷ 110, where the mean of rates is 50
    assert (by[DISTRICT_CODE].numerator, by[DISTRICT_CODE].denominator) == (D(19), D(110))


def test_a_town_with_nothing_to_measure_has_no_rate_but_counts_in_the_totals():
    figs = ratio_figures("m", Period(2025, 0, NOW), {A: (3, 4), B: (0, 0), DISTRICT_CODE: (1, 1)}, towns=[A, B])
    assert {f.division_code: f.value for f in figs} == {A: D("75.0000"), DISTRICT_CODE: D("80.0000")}  # 4 ÷ 5


def test_sums_give_every_town_a_figure():
    figs = sum_figures("m", Period(2025, 0, NOW), {A: 3}, towns=[A, B])
    assert {f.division_code: f.value for f in figs} == {A: D(3), B: D(0), DISTRICT_CODE: D(3)}


# --- 1 and 2: from the rules engine's parameters ----------------------------------------------


def test_indicator_2_rural_over_urban_standard_by_month_and_year(db):
    result = run_computations(2022, names=["dibao_rural_urban_ratio"], now=NOW)
    figs = figures_of(result, "dibao_rural_urban_ratio")
    # Standards in force (元/人·月): 2021-09-01 rural 515, urban 636; 2022-09-01 rural 581, urban 717.
    assert figs[(DISTRICT_CODE, 8)].value == D("80.9748")  # 515 ÷ 636 = 0.809748…
    assert figs[(DISTRICT_CODE, 9)].value == D("81.0321")  # 581 ÷ 717 = 0.810321…
    assert figs[(DISTRICT_CODE, 0)].value == D("81.0321")  # the year-end standard
    assert (figs[(DISTRICT_CODE, 0)].numerator, figs[(DISTRICT_CODE, 0)].denominator) == (D(581), D(717))
    assert len(figs) == 13  # 12 month ends and the year; the standard is city-wide: no town rows
    assert "渝民" in figs[(DISTRICT_CODE, 8)].evidence
    assert figs[(DISTRICT_CODE, 0)].as_of == timezone.make_aware(dt.datetime(2022, 12, 31, 23, 59, 59))


def test_indicator_2_at_the_2020_baseline_matches_the_plan(db):
    result = run_computations(2020, names=["dibao_rural_urban_ratio"], now=NOW)
    assert figures_of(result, "dibao_rural_urban_ratio")[(DISTRICT_CODE, 0)].value == D("80.0000")  # 496 ÷ 620


def test_indicator_1_is_the_lower_of_the_two_standards_growth(db):
    result = run_computations(2023, names=["dibao_standard_growth"], now=NOW)
    fig = figures_of(result, "dibao_standard_growth")[(DISTRICT_CODE, 0)]
    # urban 717 → 735: +2.5105 %; rural 581 → 600: +3.2702 %.
    assert fig.value == D("2.5105")
    assert "717→735" in fig.evidence and "581→600" in fig.evidence


def test_the_running_year_is_computed_up_to_now(db):
    result = run_computations(2026, names=["dibao_rural_urban_ratio"], now=NOW)
    figs = figures_of(result, "dibao_rural_urban_ratio")
    assert sorted(m for _, m in figs) == list(range(0, 12))  # Jan–Nov and the year so far
    assert figs[(DISTRICT_CODE, 0)].as_of == NOW
    assert figs[(DISTRICT_CODE, 0)].value == D("81.8182")  # 630 ÷ 770 since 2025-07-01


# --- 16–19 and the facility targets: from the elderly-care registry --------------------------


def facility(system_actor, name, kind, division_code, point, *, beds=0, nursing=0, star=0, medical="none",
             rehab=False, status="operating"):
    return do_create_facility(system_actor, {
        "name": name, "kind": kind, "ownership": "public", "division_code": division_code,
        "lon": point[0], "lat": point[1], "beds_total": beds, "beds_nursing": nursing, "star_rating": star,
        "medical_capability": medical, "medical_partner": "区中心医院" if medical == "agreement" else "",
        "has_rehab": rehab, "licence_kind": "filing", "status": status,
        "key_project_ref": "清溪特困供养设施项目" if status == "under_construction" else "",
    })


@pytest.fixture
def small_district(db, system_actor):
    for code, metres in ((A_V1, 0), (A_V2, 3000), (B_V1, 10_000)):
        lon, lat = north(metres)
        VillageLocation.objects.create(division_code=code, lon=lon, lat=lat)
    facility(system_actor, "敦仁养老院", "institution", A_V1, north(50), beds=100, nursing=90, star=3, medical="clinic")
    facility(system_actor, "大东门社区养老服务站", "community_station", A_V1, north(300), beds=20)
    facility(system_actor, "敦仁街道养老服务中心", "street_centre", A, north(6000))
    facility(system_actor, "珍溪敬老院", "tekun_facility", B_V1, north(10_050), beds=10, nursing=1, star=4)
    facility(system_actor, "兴盛村养老服务点", "village_point", B_V1, north(20_000))
    facility(system_actor, "珍溪新养老院", "institution", B_V1, north(10_100), beds=50, nursing=50,
             status="under_construction")


def test_eldercare_indicators_by_town_and_district(small_district):
    result = run_computations(2026, names=["eldercare_indicators"], now=NOW)
    assert result.skipped == {}
    beds = figures_of(result, "eldercare_beds_total")
    # 16: operating beds. A: 100 + 20 + 0; B: 10 (the home under construction does not count).
    assert {k[0]: f.value for k, f in beds.items()} == {A: D(120), B: D(10), DISTRICT_CODE: D(130)} | {
        k[0]: D(0) for k in beds if k[0] not in (A, B, DISTRICT_CODE)
    }
    nursing = figures_of(result, "eldercare_nursing_bed_share")
    # 17: nursing ÷ institution beds. A 90/100, B 1/10; district 91/110 (the mean of rates would be 50).
    assert nursing[(A, 0)].value == D("90.0000") and nursing[(B, 0)].value == D("10.0000")
    assert nursing[(DISTRICT_CODE, 0)].value == D("82.7273")
    assert set(k[0] for k in nursing) == {A, B, DISTRICT_CODE}  # other towns have no institution beds
    circle = figures_of(result, "eldercare_service_circle_coverage")
    # 18: villages with a community facility within 1,000 m. A: V1 (station 300 m) of V1, V2; B: none of 1.
    assert circle[(A, 0)].value == D("50.0000") and circle[(B, 0)].value == D("0.0000")
    assert circle[(DISTRICT_CODE, 0)].value == D("33.3333")  # 1 ÷ 3, not (50 + 0) ÷ 2
    medical = figures_of(result, "eldercare_medical_care_share")
    # 19: facilities with a clinic, agreement or rehab ÷ operating facilities. A 1/3, B 0/2, district 1/5.
    assert medical[(A, 0)].value == D("33.3333") and medical[(B, 0)].value == D("0.0000")
    assert medical[(DISTRICT_CODE, 0)].value == D("20.0000")


def test_facility_counts_for_the_other_targets(small_district):
    result = run_computations(2026, names=["eldercare_facilities"], now=NOW)

    def counts(measure):
        return {k[0]: f.value for k, f in figures_of(result, measure).items() if f.value}

    assert counts("eldercare_street_centres") == {A: 1, DISTRICT_CODE: 1}
    assert counts("eldercare_community_stations") == {A: 1, DISTRICT_CODE: 1}
    assert counts("eldercare_village_points") == {B: 1, DISTRICT_CODE: 1}
    assert counts("eldercare_town_centres") == {}
    assert counts("eldercare_three_star_institutions") == {A: 1, DISTRICT_CODE: 1}
    assert counts("eldercare_four_star_institutions") == {B: 1, DISTRICT_CODE: 1}


def test_assessment_coverage_of_people_aged_80_and_over(db, make_person, system_actor):
    today = timezone.localdate()
    old = f"{today.year - 85}0115"
    a1 = make_person(A_V1, "王一", birth=old)
    a2 = make_person(A_V1, "王二", birth=old)
    make_person(A_V2, "王三", birth=old)
    make_person(B_V1, "李四", birth=old)
    make_person(B_V1, "李五", birth=f"{today.year - 70}0115")  # 70: not counted
    for p in (a1, a2):
        do_record_assessment(system_actor, p, assessed_on=today, reason="first", assessors=["评估员甲", "评估员乙"],
                             items=full_marks())
    result = run_computations(today.year, names=["eldercare_assessment_coverage"])
    figs = figures_of(result, "eldercare_assessment_coverage_80")
    assert figs[(A, 0)].value == D("66.6667")  # 2 of 3
    assert figs[(B, 0)].value == D("0.0000")  # 0 of 1
    assert figs[(DISTRICT_CODE, 0)].value == D("50.0000")  # 2 of 4, not the mean 33.3
    assert (figs[(DISTRICT_CODE, 0)].numerator, figs[(DISTRICT_CODE, 0)].denominator) == (D(2), D(4))


def test_current_state_computations_do_not_rewrite_history(small_district):
    result = run_computations(2024, names=["eldercare_indicators", "eldercare_facilities"], now=NOW)
    assert result.figures == []
    assert "不能回溯" in result.skipped["eldercare_indicators"]


def test_a_missing_data_source_is_skipped_with_its_reason(db, monkeypatch):
    monkeypatch.setattr(adapters, "ELDERCARE_INDICATORS", "eldercare.not_registered")
    result = run_computations(2026, names=["eldercare_indicators"], now=NOW)
    assert "尚未接入" in result.skipped["eldercare_indicators"]
    assert REGISTRY["eldercare_indicators"].unavailable_reason()


# --- publishing: the recompute action ----------------------------------------------------------


def test_recompute_publishes_the_figures_for_the_plan(plan, small_district, system_actor, indicator):
    year = timezone.localdate().year
    summary = do_recompute_indicators(system_actor, plan, year=year)
    assert summary.created > 0 and "eldercare_indicators" not in summary.skipped
    value = IndicatorValue.objects.get(indicator=indicator("17"), year=year, month=0, division_code=DISTRICT_CODE)
    assert (value.value, value.numerator, value.denominator) == (D("82.7273"), D(91), D(110))
    assert value.source == "computed" and value.computation == "eldercare_nursing_bed_share"
    # The other target “护理型床位占比” repeats 17 and shows its value.
    rows = {r.indicator.code: r for r in scorecard(system_actor, plan, year=year)}
    assert rows["O29"].value.pk == value.pk
    assert rows["O21"].value.value == D(1)
    again = do_recompute_indicators(system_actor, plan, year=year)
    assert again.created == 0
    assert IndicatorValue.objects.filter(indicator=indicator("17"), year=year).count() == 3


def test_recompute_of_a_locked_year_is_refused(plan, system_actor):
    do_set_period_lock(system_actor, plan, year=2023, locks_on=dt.date(2024, 3, 31))
    with pytest.raises(DomainError, match="锁定"):
        do_recompute_indicators(system_actor, plan, year=2023)


def test_recompute_for_a_past_year_writes_the_parameter_indicators(plan, system_actor, indicator):
    do_recompute_indicators(system_actor, plan, year=2023)
    two = IndicatorValue.objects.get(indicator=indicator("2"), year=2023, month=0)
    assert two.value == D("81.6327")  # 600 ÷ 735
    assert IndicatorValue.objects.filter(indicator=indicator("2"), year=2023).count() == 13
    one = IndicatorValue.objects.get(indicator=indicator("1"), year=2023)
    assert one.value == D("2.5105")


def test_the_village_only_circle_equals_the_lines_full_coverage(small_district, make_person, system_actor):
    make_person(A_V1, "王一", birth="19400101")  # people do not change the village result
    on = timezone.localdate()
    full = {t["code"]: (t["villages_covered"], t["villages"]) for t in coverage_for(system_actor, on=on).by_town}
    assert adapters.eldercare_circle_by_town(on) == full == {A: (1, 2), B: (0, 1)}


# --- 3 and 4: from the screening runs and the enrolments ------------------------------------------


def screening_run(period, rows, *, current=True, prefix="", make_person=None):
    """A run with one result per person; with ``make_person``, each result is a registered
    person, and an enrolled one holds an enrolment of the program from the run's month (what
    indicators 3 and 4 count: docs/disability.md §4)."""
    now = timezone.now()
    run = ScreeningRun.objects.create(period=period, is_current=current, division_prefix=prefix, started_at=now,
                                      finished_at=now)
    month = dt.date(int(period[:4]), int(period[5:]), 1)
    results = []
    for program, village, eligible, enrolled, n in rows:
        for i in range(n):
            person_id = i
            if make_person is not None:
                person = make_person(village, "测试")
                person_id = person.pk
                if enrolled:
                    do_create_enrolment(Actor.system("测试"), NewEnrolment(
                        program=program, person=person, payee=person, division_code=village, zone="urban", amount_fen=8000,
                        start_month=month, decided_on=month, reason="测试", source="roster"))
            results.append(ScreeningResult(run=run, program=program, subject_kind="person", household_id=i,
                                           person_id=person_id, division_code=village, eligible=eligible, amount_fen=0,
                                           enrolled=enrolled))
    ScreeningResult.objects.bulk_create(results)
    return run


LIVING, CARE = "disability_living_subsidy", "severe_disability_care_subsidy"


@pytest.fixture
def screenings(db, make_person):
    screening_run("2026-10", [(LIVING, A_V1, True, True, 1), (LIVING, A_V1, True, False, 1)], make_person=make_person)
    latest = screening_run("2026-11", [
        (LIVING, A_V1, True, True, 3), (LIVING, A_V2, True, False, 1),  # 敦仁: 3 of 4
        (LIVING, B_V1, True, True, 2), (LIVING, B_V1, True, False, 8),  # 珍溪: 2 of 10
        (LIVING, B_V1, False, True, 5),  # enrolled but not eligible (疑似错保): not in the coverage
        (CARE, A_V1, True, True, 6),
    ], make_person=make_person)
    screening_run("2026-11", [(LIVING, A_V1, True, False, 50)], current=False)  # replaced by a rerun
    screening_run("2026-11", [(LIVING, B_V1, True, False, 50)], prefix=B)  # a one-town run
    return latest


def test_indicators_3_and_4_from_the_latest_screening_run(screenings):
    result = run_computations(2026, names=["disability_subsidy_coverage"], now=NOW)
    living = figures_of(result, "disability_subsidy_coverage_3")
    assert living[(A, 0)].value == D("75.0000") and living[(B, 0)].value == D("20.0000")
    assert living[(DISTRICT_CODE, 0)].value == D("35.7143")  # 5 ÷ 14, not (75 + 20) ÷ 2
    assert (living[(DISTRICT_CODE, 0)].numerator, living[(DISTRICT_CODE, 0)].denominator) == (D(5), D(14))
    assert living[(DISTRICT_CODE, 10)].value == D("50.0000")  # October's run: 1 of 2
    assert living[(DISTRICT_CODE, 0)].as_of == screenings.finished_at
    assert "2026-11" in living[(DISTRICT_CODE, 0)].evidence
    assert figures_of(result, "disability_subsidy_coverage_4")[(DISTRICT_CODE, 0)].value == D("100.0000")


def test_years_without_a_screening_run_are_entered_by_hand(screenings, plan, indicator):
    assert run_computations(2024, names=["disability_subsidy_coverage"], now=NOW).figures == []
    assert computation_blocks_entry(indicator("3"), 2024) is None
    assert "系统计算" in computation_blocks_entry(indicator("3"), 2026)
