"""Plan indicator 8 (慈善组织接受社会捐赠总额, 万元 a year): the donations received in the year
by the charities of the register — cash plus the value of goods in kind — up to the day.
One district figure (planning's aggregation "district"), in 万元 exact to the fen (1 万元 =
1,000,000 fen)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from minzheng.charity.models import Donation
from minzheng.core import clock
from minzheng.core.indicators import register_indicator

DONATIONS_OF_YEAR = "charity.donations_of_year"
FEN_PER_WAN = Decimal(1_000_000)


def donations_of_year(year: int, on: dt.date | None = None) -> dict:
    """{"fen": total fen, "wan": Decimal 万元, "count": donations} received 1 January – the day
    (31 December for a past year)."""
    last = min(on or clock.today(), dt.date(year, 12, 31))
    rows = Donation.objects.filter(received_on__gte=dt.date(year, 1, 1), received_on__lte=last)
    agg = rows.aggregate(cash=Sum("amount_fen"), goods=Sum("in_kind_value_fen"))
    fen = (agg["cash"] or 0) + (agg["goods"] or 0)
    return {"fen": fen, "wan": Decimal(fen) / FEN_PER_WAN, "count": rows.count(), "on": last}


def register_indicators() -> None:
    register_indicator(DONATIONS_OF_YEAR, donations_of_year, label="慈善组织接受社会捐赠总额（指标8）", unit="万元")
