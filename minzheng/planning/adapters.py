"""The points where plan monitoring reads other service lines — in one file, so that pointing
a computation at another line's real function is a one-line change here.

Each adapter returns plain numbers (Decimal / int) and raises ``SourceUnavailable`` with a
Chinese reason when the other line has not delivered what it needs yet; the computation is
then listed as "数据源未接入" and its indicators keep their hand-entered values.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from minzheng.accounts.actor import Actor

# The elderly-care line's indicator function for plan indicators 16–19 (see its module).
ELDERCARE_INDICATORS = "minzheng.eldercare.indicators:compute_indicators"
# Its 15-minute service circle (indicator 18), computed once for the district with a by-town split.
ELDERCARE_COVERAGE = "minzheng.eldercare.coverage:coverage_for"
# The elderly-care line's 80+ assessment coverage by town.
ELDERCARE_ASSESSMENT_COVERAGE = "minzheng.eldercare.selectors:assessment_coverage"


class SourceUnavailable(RuntimeError):
    """The data source of a computation does not exist (yet); the message is Chinese."""


def resolve(path: str) -> Callable[..., Any]:
    """'package.module:function' → the function, or SourceUnavailable."""
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and module_name.startswith(e.name):
            raise SourceUnavailable(f"{module_name} 尚未提供") from None
        raise
    func = getattr(module, attr, None)
    if func is None:
        raise SourceUnavailable(f"{module_name}.{attr} 尚未提供")
    return func


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
        from minzheng.rules.engine.parameters import ParameterNotSet, load_parameters
    except ModuleNotFoundError as e:
        raise SourceUnavailable(f"规则引擎参数尚未提供（{e.name}）") from None
    try:
        found = load_parameters().value_at(name, on)
    except ParameterNotSet:
        return None
    return ParameterReading(Decimal(found.value), found.reference, bool(found.provisional), found.effective_from)


def parameters_available() -> str | None:
    try:
        from minzheng.rules.engine.parameters import load_parameters

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
    import inspect

    func = resolve(ELDERCARE_INDICATORS)
    kwargs = {"division_code": division_code}
    if "with_coverage" in inspect.signature(func).parameters:
        kwargs["with_coverage"] = with_coverage
    result = func(None, **kwargs)
    out = {}
    for key, raw in (result or {}).items():
        code = str(key)
        if code in {"16", "17", "18", "19"}:
            out[code] = _as_share(raw)
    return out


def eldercare_circle_by_town(on: dt.date) -> dict[str, tuple[int, int]] | None:
    """{town code: (villages covered, villages)} of the 15-minute circle; None if not offered.

    Indicator 18 counts villages, not people, so the line's pure computation is run on its
    village and facility frames with no people: the same village result as ``coverage_for``
    without reading the ~232,000 people aged 60+ (seconds at full scale). Falls back to
    ``coverage_for`` if those building blocks are not there."""
    actor = system_actor("规划监测：一刻钟服务圈")
    try:
        from minzheng.eldercare import coverage as cov

        villages = cov.villages_frame(actor)
        facilities = cov.circle_facilities_frame()
        settings = cov.CircleSettings.on(on)
        import polars as pl

        nobody = pl.DataFrame(
            {"id": [], "division_code": [], "lon": [], "lat": []},
            schema={"id": pl.Int64, "division_code": pl.String, "lon": pl.Float64, "lat": pl.Float64},
        )
        result = cov.compute_coverage(villages, facilities, nobody, settings)
    except (ImportError, AttributeError):
        try:
            func = resolve(ELDERCARE_COVERAGE)
        except SourceUnavailable:
            return None
        result = func(actor, on=on)
    return {t["code"]: (int(t["villages_covered"]), int(t["villages"])) for t in result.by_town}


def eldercare_assessment_coverage(on: dt.date) -> dict[str, tuple[int, int]]:
    """{town code: (people aged 80+ assessed, people aged 80+)} on a date."""
    func = resolve(ELDERCARE_ASSESSMENT_COVERAGE)
    data = func(system_actor(), today=on)
    return {t["code"]: (int(t["assessed"]), int(t["people"])) for t in data.get("towns", [])}


def eldercare_facility_counts() -> list[dict]:
    """Operating elderly-care facilities counted by town, kind and star rating."""
    try:
        from django.db.models import Count
        from django.db.models.functions import Substr

        from minzheng.eldercare.enums import FacilityStatus
        from minzheng.eldercare.models import Facility
    except ImportError as e:
        raise SourceUnavailable(f"养老服务设施台账尚未提供（{e}）") from None
    return list(
        Facility.objects.visible_to(system_actor())
        .filter(status=FacilityStatus.OPERATING)
        .annotate(town=Substr("division_code", 1, 9))
        .values("town", "kind", "star_rating")
        .annotate(n=Count("id"))
        .order_by()
    )


def institution_kinds() -> tuple[str, ...]:
    from minzheng.eldercare.enums import INSTITUTION_KINDS

    return tuple(str(k) for k in INSTITUTION_KINDS)


# --- social assistance × screening (indicators 3 and 4) ------------------------------------------

DISABILITY_PROGRAMS = {"3": "disability_living_subsidy", "4": "severe_disability_care_subsidy"}


@dataclass(frozen=True)
class RunInfo:
    id: int
    period: str  # "YYYY-MM"
    finished_at: dt.datetime


def screening_available() -> str | None:
    try:
        from minzheng.assistance.models import Enrolment  # noqa: F401
        from minzheng.screening.models import ScreeningResult, ScreeningRun  # noqa: F401
    except ImportError as e:
        return f"社会救助或筛查模块尚未提供：{e}"
    return None


def screening_runs(year: int) -> list[RunInfo]:
    """The current whole-district screening runs of the months of a year, oldest first."""
    from minzheng.screening.models import ScreeningRun

    rows = (
        ScreeningRun.objects.filter(is_current=True, division_prefix="", period__gte=f"{year}-01", period__lte=f"{year}-12")
        .order_by("period", "id")
        .values_list("id", "period", "finished_at")
    )
    latest: dict[str, RunInfo] = {}
    for run_id, period, finished in rows:
        latest[period] = RunInfo(run_id, period, finished)
    return [latest[p] for p in sorted(latest)]


def screening_coverage(run_id: int, program: str) -> dict[str, tuple[int, int]]:
    """{town: (eligible subjects with a current enrolment, eligible subjects)} of one run.
    The screening result of each subject says whether the rules find it eligible and whether it
    holds a current (active or suspended) enrolment of the program."""
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    from minzheng.screening.models import ScreeningResult

    rows = (
        ScreeningResult.objects.visible_to(system_actor("规划监测：补贴覆盖率"))
        .filter(run_id=run_id, program=program, eligible=True)
        .annotate(town=Substr("division_code", 1, 9))
        .values("town")
        .annotate(eligible_n=Count("id"), enrolled_n=Count("id", filter=Q(enrolled=True)))
        .order_by()
    )
    return {r["town"]: (r["enrolled_n"], r["eligible_n"]) for r in rows}
