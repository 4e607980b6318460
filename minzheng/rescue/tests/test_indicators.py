"""Indicator 12 and the settlement rate, computed by hand over the rows (without the
platform's queries) and by the registered functions, for a year and a month; occupancy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from django.utils import timezone

from minzheng.core.errors import ValidationFailed
from minzheng.core.indicators import get_indicator
from minzheng.rescue import actions, selectors
from minzheng.rescue.indicators import OCCUPANCY, RETURN_RATE, SETTLEMENT_RATE
from minzheng.rescue.models import RescueCase

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def year_of_cases(staff, station, take_in):
    """Six identified in 2026 (4 returned, 1 left of own will, 1 waiting), one identified in
    2025 and returned in 2026, two long-stay (one settled)."""
    s = staff.station

    def identified(on, **kw):
        c = take_in(arrived_at=at(on.year, on.month, on.day), **kw)
        return actions.do_identify(s, c, expected_version=c.version, name="某某", identified_on=on, home_address="四川省达州市", how="本人陈述")

    def returned(on, handed):
        c = identified(on)
        return actions.do_return_home(s, c, expected_version=c.version, mode="ticket", receiver_kind="family", receiver_name="家属", handed_over_on=handed)

    returned(D(2026, 3, 2), D(2026, 3, 3))
    returned(D(2026, 11, 5), D(2026, 11, 6))
    returned(D(2026, 11, 20), D(2026, 11, 25))
    c = returned(D(2026, 12, 1), D(2026, 12, 2))
    actions.do_confirm_arrival(s, c, expected_version=c.version, arrived_on=D(2026, 12, 3))
    c = identified(D(2026, 11, 10))
    actions.do_leave(s, c, expected_version=c.version, left_on=D(2026, 11, 11), reason="本人签署自行离站声明书")
    identified(D(2026, 11, 28))  # waiting to be returned
    returned(D(2025, 12, 30), D(2026, 1, 2))  # identified in 2025
    for arrived, settle in ((at(2026, 6, 1), True), (at(2026, 7, 1), False)):
        c = take_in(arrived_at=arrived)
        c = actions.do_mark_long_stay(s, c, expected_version=c.version)
        if settle:
            for kind in ("report", "search"):
                c = actions.do_add_settlement_document(s, c, expected_version=c.version, kind=kind, reference="X1", dated_on=D(2026, 12, 4))
            c = actions.do_start_settlement(s, c, expected_version=c.version)
            for kind in ("police", "placement"):
                c = actions.do_add_settlement_document(s, c, expected_version=c.version, kind=kind, reference="X2", dated_on=D(2026, 12, 4))
            actions.do_settle(s, c, expected_version=c.version, placement="welfare", placement_unit="涪陵区社会福利院", settled_on=D(2026, 12, 4))


def by_hand(start: D, end: D) -> tuple[int, int]:
    """Counted in Python over every row: identified in the period; of those, handed over;
    left of their own will before a return are not counted."""
    rows = [c for c in RescueCase.objects.all() if c.identified_on and start <= c.identified_on <= end]
    rows = [c for c in rows if not (c.status == "left" and c.handed_over_on is None)]
    return sum(1 for c in rows if c.handed_over_on), len(rows)


def test_indicator_12_equals_a_hand_count_for_the_year_and_a_month(year_of_cases):
    compute = get_indicator(RETURN_RATE).compute
    year = compute("2026")
    assert by_hand(D(2026, 1, 1), D(2026, 12, 31)) == (4, 5)
    assert (year["numerator"], year["denominator"], year["left_excluded"], year["rate"]) == (4, 5, 1, Decimal("80.0"))
    november = compute("2026-11")
    assert by_hand(D(2026, 11, 1), D(2026, 11, 30)) == (2, 3)
    assert (november["numerator"], november["denominator"], november["rate"]) == (2, 3, Decimal("66.7"))
    assert compute("2025")["rate"] == Decimal("100.0")
    assert compute("2024")["rate"] is None  # nobody identified: no rate, not 0 %


def test_the_settlement_rate_by_year_and_month(year_of_cases):
    compute = get_indicator(SETTLEMENT_RATE).compute
    rows = [c for c in RescueCase.objects.all() if c.long_stay_on and c.long_stay_on.year == 2026]
    assert (sum(1 for c in rows if c.status == "settled"), len(rows)) == (1, 2)
    assert {k: compute("2026")[k] for k in ("numerator", "denominator", "rate")} == {"numerator": 1, "denominator": 2, "rate": Decimal("50.0")}
    assert compute("2026-12")["rate"] == Decimal("50.0")
    assert compute("2026-11")["rate"] is None


def test_a_bad_period_is_refused_in_chinese():
    with pytest.raises(ValidationFailed) as e:
        get_indicator(RETURN_RATE).compute("2026年")
    assert e.value.errors == {"period": "统计期间应为年份（如2026）或年月（如2026-11）"}


def test_occupancy(staff, station, take_in):
    for n in ("001", "002", "003"):
        take_in(bed_id=station.beds.get(number=n).pk)
    c = take_in(bed_id=station.beds.get(number="004").pk)
    actions.do_leave(staff.station, c, expected_version=c.version, left_on=D(2026, 12, 3), reason="本人要求离站")
    today = get_indicator(OCCUPANCY).compute()
    assert (today["occupied"], today["beds"], today["rate"]) == (3, 80, Decimal("3.8"))
    assert get_indicator(OCCUPANCY).compute(D(2026, 12, 2))["occupied"] == 4
    assert get_indicator(OCCUPANCY).compute(D(2026, 11, 30))["occupied"] == 0


def test_statistics_count_the_period_without_names(staff, year_of_cases):
    s = selectors.statistics(staff.leader, "2026-11")
    assert (s["rescues"], s["identified"], s["returned"], s["left_own_will"], s["settled"]) == (4, 4, 2, 1, 0)
    assert s["long_stay_now"] == 1 and s["long_stay_days"] == [156]  # 2026-07-01 → 2026-12-04
    assert [b["count"] for b in s["stay_bands"]] == [3, 0, 0, 0]


def test_planning_computes_indicator_12_and_the_settlement_rate_from_the_records(year_of_cases):
    """The plan's indicator 12 and other target O03 come from the same records: 4 ÷ 5 and 1 ÷ 2
    for 2026; 2 ÷ 3 for November; a month with nobody identified gives no figure."""
    from minzheng.planning.computations import run_computations  # local import: planning sits above the lines

    now = timezone.make_aware(dt.datetime(2026, 12, 4, 10, 0))
    year = {f.measure: f for f in run_computations(2026, names=["rescue_rates"], now=now).figures if f.month == 0}
    ret, settle = year["rescue_return_rate"], year["rescue_settlement_rate"]
    assert (ret.division_code, ret.numerator, ret.denominator, ret.value) == ("500102", Decimal(4), Decimal(5), Decimal("80.0000"))
    assert (settle.numerator, settle.denominator, settle.value) == (Decimal(1), Decimal(2), Decimal("50.0000"))
    months = {(f.measure, f.month): f for f in run_computations(2026, names=["rescue_rates"], now=now).figures}
    assert (months[("rescue_return_rate", 11)].numerator, months[("rescue_return_rate", 11)].denominator) == (Decimal(2), Decimal(3))
    assert ("rescue_return_rate", 2) not in months
