"""Typed fields of the API's request bodies: the rules a line's action enforces (with its own
Chinese message naming the field), stated in the OpenAPI document so that a client — and the
schemathesis run — knows before sending what will be accepted (issue 20 item 4).

The document only states them (``documented``): the action stays the one validator. What no
pattern can say is a named ``format`` (FORMATS): a division code that exists, an ID number with
its check digit; a client generating requests (the schemathesis test) registers a generator
for each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from minzheng.core.api_errors import BodyIn
from minzheng.core.periods import MONTH_PATTERN
from minzheng.core.query_params import documented

# format name → what it means (also written into each field's description).
FORMATS = {
    "village-code": "现行村（社区）12位区划代码",
    "town-or-village-code": "现行乡镇（街道）9位或村（社区）12位区划代码",
    "cn-id-number": "18位公民身份号码（含校验码）",
}

VillageCode = Annotated[str, documented(FORMATS["village-code"], format="village-code", pattern=r"^[0-9]{12}$")]
TownOrVillageCode = Annotated[
    str, documented(FORMATS["town-or-village-code"], format="town-or-village-code", pattern=r"^[0-9]{9}([0-9]{3})?$")
]
IdNumber = Annotated[str, documented(FORMATS["cn-id-number"], format="cn-id-number", pattern=r"^[0-9]{17}[0-9X]$")]
# Not blank, and no NUL (which no text column holds; core.json_body refuses it).
TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
Text = Annotated[str, documented("文字（不能为空）", minLength=1, pattern=TEXT_PATTERN)]
# A yuan or square-metre figure typed as text: at most two decimals.
DecimalText = Annotated[str, documented("数值（至多两位小数，小于1亿），如 120.50", pattern=r"^[0-9]{1,8}(\.[0-9]{1,2})?$")]
SignedPercentText = Annotated[str, documented("百分数（至多两位小数），如 3.5 或 -0.8", pattern=r"^-?[0-9]{1,2}(\.[0-9]{1,2})?$")]


def choice(description: str, values: Iterable[Any]) -> Any:
    """A field whose value is one of ``values`` (a TextChoices' ``values``)."""
    return Annotated[str, documented(description, enum=[str(v) for v in values])]

FORMATS["past-date"] = "日期（年-月-日），不晚于今天，不早于2000年"
# A record's date (an opening, a consent, a service): not in the future (``record_date_error``).
PastDate = Annotated[dt.date, documented(FORMATS["past-date"], format="past-date")]
FORMATS["covered-month"] = "月份（年-月），在政策参数覆盖范围内"
CoveredMonth = Annotated[str, documented(FORMATS["covered-month"], format="covered-month", pattern=MONTH_PATTERN)]
FORMATS["past-month"] = "月份（年-月），在政策参数覆盖范围内且不晚于本月"
PastMonth = Annotated[str, documented(FORMATS["past-month"], format="past-month", pattern=MONTH_PATTERN)]
Longitude = Annotated[str, documented("经度（-180至180，至多6位小数）", pattern=r"^-?(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]{1,6})?$")]
Latitude = Annotated[str, documented("纬度（-90至90，至多6位小数）", pattern=r"^-?[0-8]?[0-9](\.[0-9]{1,6})?$")]


def text(description: str, max_length: int) -> Any:
    """Text that must not be blank, at most ``max_length`` characters."""
    return Annotated[str, documented(description, minLength=1, maxLength=max_length, pattern=TEXT_PATTERN)]


class PointIn(BodyIn):
    """A location: longitude and latitude together (one without the other is refused)."""

    lon: Longitude
    lat: Latitude


FORMATS["district-longitude"] = "经度，在涪陵区范围内（至多6位小数）"
FORMATS["district-latitude"] = "纬度，在涪陵区范围内（至多6位小数）"


class DistrictPointIn(BodyIn):
    """A location inside the district (a facility, a place): both coordinates, within its outline's box."""

    lon: Annotated[str, documented(FORMATS["district-longitude"], format="district-longitude", pattern=r"^1[0-9]{2}(\.[0-9]{1,6})?$")]
    lat: Annotated[str, documented(FORMATS["district-latitude"], format="district-latitude", pattern=r"^[0-9]{2}(\.[0-9]{1,6})?$")]


def point_fields(point: PointIn | DistrictPointIn | None) -> dict[str, str | None]:
    """The ``lon`` / ``lat`` keyword arguments an action takes, from an optional point."""
    return {"lon": point.lon if point else None, "lat": point.lat if point else None}
