"""The platform's primitives at their boundaries: months, ages, money, the clock, xlsx money."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import polars as pl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from minzheng.core import clock
from minzheng.core.ages import age_expr, age_on, born_by
from minzheng.core.money import (
    MoneyFormatError,
    decimal_text,
    divide_half_up,
    format_yuan,
    round_to_fen,
    yuan_to_fen,
    yuan_to_fen_rounded,
)
from minzheng.core.periods import (
    PeriodError,
    add_months,
    iter_months,
    month_end,
    month_start_after,
    months_between,
    next_month,
    parse_period,
    period_of,
)
from minzheng.core.xlsx import write_money

D = dt.date


def test_the_two_month_shifts_at_month_ends():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 2) == D(2027, 1, 15)
    assert month_start_after(D(2026, 1, 31), 1) == D(2026, 2, 1)
    assert month_start_after(D(2026, 1, 15), -1) == D(2025, 12, 1)
    assert next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert month_end(D(2028, 2, 3)) == D(2028, 2, 29)
    assert months_between(D(2025, 11, 30), D(2026, 2, 1)) == 3
    assert list(iter_months(D(2025, 11, 20), D(2026, 1, 1))) == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)]
    assert period_of(D(2026, 3, 9)) == "2026-03"


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-1", " 2025-01", "2025-01\n", "２０２５-０１", "2025/01", "", None, 202501])
def test_parse_period_refuses_what_is_not_a_month(text):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert "月份" in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_parse_period_reads_a_month():
    assert parse_period("2025-12") == D(2025, 12, 1)


def test_a_leap_day_birthday():
    born = D(2000, 2, 29)
    assert age_on(born, D(2018, 2, 28)) == 17
    assert age_on(born, D(2018, 3, 1)) == 18
    assert age_on(born, D(2028, 2, 29)) == 28
    assert born_by(D(2027, 2, 28), 27) == D(2000, 2, 28)  # born 2000-02-29: not yet 27
    assert born_by(D(2028, 2, 29), 1) == D(2027, 2, 28)
    days = [D(2018, 2, 28), D(2018, 3, 1), D(2026, 12, 4)]
    frame = pl.DataFrame({"birth": [born, born, D(1952, 12, 5)]})
    assert [frame.select(age_expr("birth", day)).item(i, 0) for i, day in enumerate(days)] == [17, 18, 73]
    assert age_on(D(1952, 12, 5), D(2026, 12, 4)) == 73


def test_money_rounds_half_up_and_formats_exactly():
    assert round_to_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_to_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert round_to_fen(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67
    assert yuan_to_fen_rounded(Decimal("0.125")) == 13
    assert divide_half_up(5, 10) == 1 and divide_half_up(-5, 10) == -1 and divide_half_up(4, 10) == 0
    assert yuan_to_fen(Decimal("840.00")) == 84000
    with pytest.raises(MoneyFormatError):
        yuan_to_fen(Decimal("0.005"))
    assert decimal_text(Decimal("750")) == "750.00"
    assert format_yuan(-5, grouping=False) == "-0.05"


def test_as_of_back_dates_today_only_inside_the_block():
    assert clock.today() == D(2026, 12, 4)  # the suite's frozen day (root conftest)
    with clock.as_of(D(2026, 10, 1)):
        assert clock.today() == D(2026, 10, 1)
    assert clock.today() == D(2026, 12, 4)


def test_travel_moves_the_whole_clock(travel):
    travel(D(2027, 6, 30))
    assert clock.today() == D(2027, 6, 30) and clock.now().date() == D(2027, 6, 30)


def test_money_cells_read_back_as_the_exact_amount():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    amounts = [6000, 1, 10, 123456789, -5, 10**15 - 1, 2**53 + 1]
    for r, fen in enumerate(amounts):
        write_money(ws, r, 0, fen)
    wb.close()
    cells = [row[0] for row in CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue())).get_sheet_by_index(0).to_python()]
    assert [f"{Decimal(repr(c)):.2f}" for c in cells[:6]] == [
        format_yuan(f, grouping=False) for f in amounts[:6]
    ]
    assert cells[6] == "90071992547409.93"  # 16 digits: exact text, not a rounded number
