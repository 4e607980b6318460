"""The points where plan monitoring reads other service lines — in one file.

Lines declare the figures they compute in the indicator registry (``minzheng.core.indicators``,
each line's ``indicators.py``); this module looks the codes up there and never imports a line.
Each adapter returns plain numbers (Decimal / int) and raises ``SourceUnavailable`` with a
Chinese reason when no installed line declares the code; the computation is then listed as
"数据源未接入" and its indicators keep their hand-entered values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.core.indicators import IndicatorNotRegistered, get_indicator
from minzheng.rules.engine.parameters import ParameterNotSet, load_parameters

# The indicator codes plan monitoring reads (declared by the lines' indicators.py).
# The elderly-care line's indicators 16–19, for the district or a town.
ELDERCARE_INDICATORS = "eldercare.plan_16_19"
# Its 15-minute service circle (indicator 18) by town, villages only.
ELDERCARE_CIRCLE_BY_TOWN = "eldercare.service_circle_by_town"
# The elderly-care line's 80+ assessment coverage by town.
ELDERCARE_ASSESSMENT_COVERAGE = "eldercare.assessment_coverage_80_by_town"
# Operating facilities by town, kind and star rating.
ELDERCARE_FACILITY_COUNTS = "eldercare.facility_counts"
# Funerals: indicators 13–15 and the 专栏5 counts on a day.
FUNERAL_INDICATORS = "funerals.plan_13_15"
# Screening: the district runs of a year, and the enrolled share of the eligible of a run.
SCREENING_RUNS = "screening.district_runs"
# Indicators 3 and 4: eligible persons of a screening run holding an enrolment that covers the
# run's month, by town (declared by the disability-subsidy line, disability/indicators.py).
SCREENING_COVERAGE = "disability.enrolled_among_eligible_by_town"
# Children: indicator 11, towns with a 未成年人保护工作站 established by a day (by town: (0|1, 1)).
CHILDREN_STATION_COVERAGE = "children.protection_station_coverage"
# Rescue: indicator 12 (identified people escorted home) and the settlement rate of long-stay
# people, by year or month (rescue/indicators.py).
RESCUE_RETURN_RATE = "rescue.return_rate"
RESCUE_SETTLEMENT_RATE = "rescue.settlement_rate"
# Marriage registry: indicator 10, registrations with a party from another province (跨省通办),
# by year or month (marriage/indicators.py).
MARRIAGE_CROSS_PROVINCE = "marriage.cross_province_share"
# Charity: indicator 8, donations received by the register's charities in a year (charity/indicators.py).
CHARITY_DONATIONS = "charity.donations_of_year"
# Welfare lottery: indicator 5 (outlets open on a day, by town) and the plan-period totals of
# sales and retained 公益金 in fen (lottery/indicators.py).
LOTTERY_OUTLETS = "lottery.outlets_open_by_town"
LOTTERY_TOTALS = "lottery.plan_totals"
# Social work: indicator 7, the 专栏4 shares and the agency counts on a day (socialwork/indicators.py).
SOCIALWORK_INDICATORS = "socialwork.plan_7"
# Volunteers: indicator 9, the participation rate and the organisation count (volunteers/indicators.py).
VOLUNTEER_INDICATORS = "volunteers.plan_9"
# Community governance: indicator 6 (facility area ÷ households, by town) and the 专栏4
# demonstration sites by level and town (communities/indicators.py).
COMMUNITY_FACILITY_AREA = "communities.facility_area_per_100_households"
COMMUNITY_SITE_COUNTS = "communities.demonstration_site_counts"


class SourceUnavailable(RuntimeError):
    """The data source of a computation does not exist (yet); the message is Chinese."""


def resolve(code: str) -> Callable[..., Any]:
    """The function a line registered for an indicator code, or SourceUnavailable."""
    try:
        return get_indicator(code).compute
    except IndicatorNotRegistered:
        raise SourceUnavailable(f"指标 {code} 尚未由任何业务模块提供") from None


def system_actor(reason: str = "规划指标计算") -> Actor:
    return Actor.system(reason)


# --- rules engine parameters ---------------------------------------------------------------


@dataclass(frozen=True)
class ParameterReading:
    value: Decimal
    reference: str
    provisional: bool
    effective_from: dt.date | None


def parameter_at(name: str, on: dt.date) -> ParameterReading | None:
    """A rules-engine parameter in force on a date; None when no value is in force then."""
    try:
        found = load_parameters().value_at(name, on)
    except ParameterNotSet:
        return None
    return ParameterReading(Decimal(found.value), found.reference, bool(found.provisional), found.effective_from)


def parameters_available() -> str | None:
    try:
        load_parameters().info("dibao.standard.urban")
        load_parameters().info("dibao.standard.rural")
    except Exception as e:  # noqa: BLE001 — any failure means "not available", shown with its reason
        return f"规则引擎参数不可用：{e}"
    return None


# --- elderly care ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A figure as the line reports it: a value, and for ratios its numerator and denominator."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def _decimal(x) -> Decimal | None:
    if x is None:
        return None
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _as_share(raw) -> Share:
    if isinstance(raw, dict):
        return Share(
            _decimal(raw.get("value")),
            _decimal(raw.get("numerator")),
            _decimal(raw.get("denominator")),
        )
    if hasattr(raw, "value"):
        return Share(
            _decimal(getattr(raw, "value")),
            _decimal(getattr(raw, "numerator", None)),
            _decimal(getattr(raw, "denominator", None)),
        )
    return Share(_decimal(raw))


def eldercare_indicators(division_code: str | None, *, with_coverage: bool = True) -> dict[str, Share]:
    """Indicators 16–19 for the district (None) or a town, keyed "16".."19". Without coverage
    (18), the call is a few grouped queries; 18 comes from ``eldercare_circle_by_town``."""
    try:
        source = get_indicator(ELDERCARE_INDICATORS)
    except IndicatorNotRegistered:
        raise SourceUnavailable(f"指标 {ELDERCARE_INDICATORS} 尚未由任何业务模块提供") from None
    kwargs: dict[str, Any] = {"division_code": division_code}
    if source.supports_coverage:
        kwargs["with_coverage"] = with_coverage
    result = source.compute(None, **kwargs)
    out = {}
    for key, raw in (result or {}).items():
        code = str(key)
        if code in {"16", "17", "18", "19"}:
            out[code] = _as_share(raw)
    return out


def eldercare_circle_by_town(on: dt.date) -> dict[str, tuple[int, int]] | None:
    """{town code: (villages covered, villages)} of the 15-minute circle; None if not offered
    (each town's indicator 18 is then asked for instead)."""
    try:
        func = resolve(ELDERCARE_CIRCLE_BY_TOWN)
    except SourceUnavailable:
        return None
    return func(on)


def eldercare_assessment_coverage(on: dt.date) -> dict[str, tuple[int, int]]:
    """{town code: (people aged 80+ assessed, people aged 80+)} on a date."""
    return resolve(ELDERCARE_ASSESSMENT_COVERAGE)(on)


def eldercare_facility_counts() -> list[dict]:
    """Operating elderly-care facilities counted by town, kind and star rating."""
    return resolve(ELDERCARE_FACILITY_COUNTS)()


def children_station_coverage(on: dt.date) -> dict[str, tuple[int, int]]:
    """Indicator 11 by town on a day: (1 if the town's station was established by then, 1)."""
    return dict(resolve(CHILDREN_STATION_COVERAGE)(on)["by_town"])


def rescue_rates(period: str) -> dict[str, dict]:
    """Indicator 12 and the settlement rate of a year ("2026") or a month ("2026-11"): each a
    dict with numerator, denominator and rate (None when nobody is in the denominator)."""
    return {
        "return": resolve(RESCUE_RETURN_RATE)(period),
        "settlement": resolve(RESCUE_SETTLEMENT_RATE)(period),
    }


def marriage_cross_province(period: str) -> dict:
    """Indicator 10 of a year ("2026") or a month ("2026-11"): numerator (跨省通办 registrations),
    denominator (all registrations), rate (None when there were none)."""
    return resolve(MARRIAGE_CROSS_PROVINCE)(period)


# --- social assistance × screening (indicators 3 and 4) ------------------------------------------

DISABILITY_PROGRAMS = {"3": "disability_living_subsidy", "4": "severe_disability_care_subsidy"}


@dataclass(frozen=True)
class RunInfo:
    id: int
    period: str  # "YYYY-MM"
    finished_at: dt.datetime


def screening_available() -> str | None:
    for code in (SCREENING_RUNS, SCREENING_COVERAGE):
        try:
            resolve(code)
        except SourceUnavailable as e:
            return f"社会救助或筛查模块尚未提供：{e}"
    return None


def screening_runs(year: int) -> list[RunInfo]:
    """The current whole-district screening runs of the months of a year, oldest first."""
    return [RunInfo(run_id, period, finished) for run_id, period, finished in resolve(SCREENING_RUNS)(year)]


def screening_coverage(run_id: int, program: str) -> dict[str, tuple[int, int]]:
    """{town: (eligible subjects with a current enrolment, eligible subjects)} of one run."""
    return resolve(SCREENING_COVERAGE)(run_id, program)


# --- charity (indicator 8) ---------------------------------------------------------------------


def charity_donations(year: int, on: dt.date) -> dict:
    """{"fen": int, "wan": Decimal 万元, "count": int} received in ``year`` up to ``on``."""
    return resolve(CHARITY_DONATIONS)(year, on)


# --- funerals (indicators 13–15, 专栏5) ------------------------------------------------------------


def funeral_indicators(on: dt.date) -> dict:
    """{"13"|"14"|"15"|"centralized_mourning": {"by_town": {town: (n, d)}}, "counts_by_town":
    {measure: {town or district code: n}}} on a day."""
    return resolve(FUNERAL_INDICATORS)(on)


# --- welfare lottery (indicator 5, 第二章第五节 targets) ----------------------------------------


def lottery_outlets(on: dt.date) -> dict[str, int]:
    """{town code: outlets open on the day}."""
    return resolve(LOTTERY_OUTLETS)(on)


def lottery_totals(on: dt.date) -> dict[str, int]:
    """{"sales_fen": sales since 2021-01 through the day's month, "fund_fen": retained 公益金 of
    2021 through the day's year}."""
    return resolve(LOTTERY_TOTALS)(on)
# --- social work and volunteers (indicators 7 and 9, 第三章第四节、第六节, 专栏4) --------------------
def socialwork_indicators(on: dt.date) -> dict:
    """{"7": {town: n}, "under_35": {town: (n, d)}, "college": {town: (n, d)}, "agencies": {town: n},
    "private_agencies": {town: n}} on a day (district-level rows keyed by the district code)."""
    return resolve(SOCIALWORK_INDICATORS)(on)
def volunteer_indicators(on: dt.date) -> dict:
    """{"9": {town: (villages with a station in a facility, villages)}, "participation": {town:
    (volunteers, residents)}, "organisations": {town: n}} on a day."""
    return resolve(VOLUNTEER_INDICATORS)(on)
# --- community governance (indicator 6, 专栏4) -----------------------------------------------------
def community_facility_area(on: dt.date) -> dict[str, tuple[Decimal, int]]:
    """{town: (Σ 综合服务设施 area m², households)}."""
    return resolve(COMMUNITY_FACILITY_AREA)(on)
def community_site_counts(on: dt.date) -> dict[str, dict[str, int]]:
    """{"district"|"city": {town: demonstration sites}}."""
    return resolve(COMMUNITY_SITE_COUNTS)(on)
