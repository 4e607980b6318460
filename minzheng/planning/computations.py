"""The registry of named computations that turn operational data into indicator values.

A computation produces one or more *measures* (stable names such as
``dibao_rural_urban_ratio``); a plan's indicator names the measure it shows
(``Indicator.computation``, set in the plan's ``plan.yaml``), so the 2026–2030 plan reuses these
computations without a code change.

Every measure of a ratio is computed per town as numerator and denominator, and the district
figure is Σ numerators ÷ Σ denominators — never an average of town rates.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.money import fen_to_yuan, format_yuan
from minzheng.divisions.directory import get_directory
from minzheng.planning import adapters
from minzheng.planning.enums import ANNUAL

HUNDRED = Decimal(100)
STORE = Decimal("0.0001")  # values are stored with 4 decimals


@dataclass(frozen=True)
class Period:
    year: int
    month: int  # 0 = the whole year (its end, or now for the running year)
    as_of: dt.datetime  # 数据截至

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.as_of).date()


@dataclass(frozen=True)
class Figure:
    measure: str
    division_code: str
    year: int
    month: int
    value: Decimal
    as_of: dt.datetime
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    formula: str  # Chinese: how the value is computed


@dataclass(frozen=True)
class Computation:
    name: str
    title: str
    data_source: str
    measures: tuple[Measure, ...]
    func: Callable[[Period], list[Figure]]
    by_town: bool
    monthly: bool
    historical: bool  # can compute a past period from dated data (else: only the current state)
    availability: Callable[[], str | None] = field(default=lambda: None)
    # For computations whose dated data exists only for some years (screening runs): whether
    # a year can be computed. None: every year if historical, else only the running year.
    year_covered: Callable[[int], bool] | None = None

    def unavailable_reason(self) -> str | None:
        return self.availability()

    def covers_year(self, year: int, *, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        if year > today.year:
            return False
        if self.year_covered is not None:
            return self.year_covered(year)
        return self.historical or year == today.year


REGISTRY: dict[str, Computation] = {}
MEASURES: dict[str, tuple[Computation, Measure]] = {}


def register(computation: Computation) -> Computation:
    if computation.name in REGISTRY:
        raise ValueError(f"computation {computation.name} registered twice")
    REGISTRY[computation.name] = computation
    for m in computation.measures:
        if m.name in MEASURES:
            raise ValueError(f"measure {m.name} registered twice")
        MEASURES[m.name] = (computation, m)
    return computation


def measure_info(name: str) -> tuple[Computation, Measure] | None:
    return MEASURES.get(name)


# --- helpers ---------------------------------------------------------------------------------


def town_codes() -> list[str]:
    return sorted(t.code for t in get_directory().towns())


def q(value: Decimal) -> Decimal:
    return value.quantize(STORE, ROUND_HALF_UP)


def ratio_figures(
    measure: str,
    period: Period,
    counts: dict[str, tuple[Decimal | int, Decimal | int]],
    *,
    towns: Iterable[str],
    scale: Decimal = HUNDRED,
    evidence: str = "",
) -> list[Figure]:
    """Town figures numerator ÷ denominator × scale, and the district figure Σ÷Σ.

    A town with a zero denominator has no figure (there is nothing to measure there) but its
    numerator and denominator still count in the district totals."""
    out = []
    towns = list(towns)
    total_num = sum((Decimal(n) for n, _ in counts.values()), Decimal(0))  # district-level rows count too
    total_den = sum((Decimal(d) for _, d in counts.values()), Decimal(0))
    for town in towns:
        num, den = counts.get(town, (0, 0))
        num, den = Decimal(num), Decimal(den)
        if den:
            out.append(
                Figure(measure, town, period.year, period.month, q(num / den * scale), period.as_of, num, den, evidence)
            )
    if total_den:
        out.append(
            Figure(
                measure, district_code(), period.year, period.month, q(total_num / total_den * scale), period.as_of,
                total_num, total_den, evidence,
            )
        )
    return out


def sum_figures(
    measure: str, period: Period, counts: dict[str, Decimal | int], *, towns: Iterable[str], evidence: str = ""
) -> list[Figure]:
    """Town totals (0 where nothing is counted) and the district total Σ."""
    out = []
    total = sum((Decimal(n) for n in counts.values()), Decimal(0))  # district-level rows count too
    for town in towns:
        n = Decimal(counts.get(town, 0))
        out.append(Figure(measure, town, period.year, period.month, q(n), period.as_of, evidence=evidence))
    out.append(Figure(measure, district_code(), period.year, period.month, q(total), period.as_of, evidence=evidence))
    return out


# --- 1 and 2: the dibao standards, from the rules engine's parameters --------------------------

URBAN = "dibao.standard.urban"
RURAL = "dibao.standard.rural"


def _standards(on: dt.date):
    urban = adapters.parameter_at(URBAN, on)
    rural = adapters.parameter_at(RURAL, on)
    return urban, rural


def _reference_note(reading) -> str:
    note = reading.reference.split(" http")[0].strip()
    return note + ("（暂定值）" if reading.provisional else "")


def compute_dibao_ratio(period: Period) -> list[Figure]:
    urban, rural = _standards(period.day)
    if urban is None or rural is None or not urban.value:
        return []
    evidence = (
        f"农村低保标准 {rural.value} 元 ÷ 城市低保标准 {urban.value} 元（每人每月，{period.day.isoformat()} 执行标准）；"
        f"依据：{_reference_note(rural)}"
    )
    value = q(rural.value / urban.value * HUNDRED)
    return [
        Figure(
            "dibao_rural_urban_ratio", district_code(), period.year, period.month, value, period.as_of,
            rural.value, urban.value, evidence,
        )
    ]


def compute_dibao_growth(period: Period) -> list[Figure]:
    if period.month != ANNUAL:
        return []
    before = dt.date(period.year - 1, 12, 31)
    now_u, now_r = _standards(period.day)
    old_u, old_r = _standards(before)
    if None in (now_u, now_r, old_u, old_r) or not old_u.value or not old_r.value:
        return []
    growth_u = (now_u.value / old_u.value - 1) * HUNDRED
    growth_r = (now_r.value / old_r.value - 1) * HUNDRED
    lower = min(growth_u, growth_r)
    evidence = (
        f"城市 {old_u.value}→{now_u.value} 元（{q(growth_u).normalize():f}%），"
        f"农村 {old_r.value}→{now_r.value} 元（{q(growth_r).normalize():f}%），取较低者；"
        f"比较期：{before.isoformat()} → {period.day.isoformat()}"
    )
    return [Figure("dibao_standard_growth", district_code(), period.year, period.month, q(lower), period.as_of, evidence=evidence)]


register(
    Computation(
        name="dibao_standard_growth",
        title="城乡低保标准年度增速",
        data_source="政策参数：城市、农村低保标准（带生效日期和文件依据）",
        measures=(
            Measure(
                "dibao_standard_growth",
                "城乡低保标准年度增速",
                "城市标准年末值÷上年末值−1 与 农村标准年末值÷上年末值−1 两者取较小值 ×100%，"
                "与参照序列“上年度居民人均消费支出增速”比较",
            ),
        ),
        func=compute_dibao_growth,
        by_town=False,
        monthly=False,
        historical=True,
        availability=adapters.parameters_available,
    )
)
register(
    Computation(
        name="dibao_rural_urban_ratio",
        title="农村低保标准占城市低保标准比例",
        data_source="政策参数：农村低保标准 ÷ 城市低保标准（全市统一标准，不分镇街）",
        measures=(
            Measure("dibao_rural_urban_ratio", "农村低保标准占城市低保标准比例", "期末执行的农村低保标准 ÷ 城市低保标准 ×100%"),
        ),
        func=compute_dibao_ratio,
        by_town=False,
        monthly=True,
        historical=True,
        availability=adapters.parameters_available,
    )
)


# --- 16–19: the elderly-care line's indicators --------------------------------------------------

ELDERCARE_MEASURES = {
    "16": "eldercare_beds_total",
    "17": "eldercare_nursing_bed_share",
    "18": "eldercare_service_circle_coverage",
    "19": "eldercare_medical_care_share",
}
RATIO_CODES = {"17", "18", "19"}


def compute_eldercare(period: Period) -> list[Figure]:
    towns = town_codes()
    circle = adapters.eldercare_circle_by_town(period.day)
    with_coverage = circle is None  # no by-town circle offered: ask each town for its 18
    per_town = {t: adapters.eldercare_indicators(t, with_coverage=with_coverage) for t in towns}
    district = adapters.eldercare_indicators(None, with_coverage=with_coverage)
    evidence = "养老服务模块（养老服务设施台账、一刻钟服务圈计算）"
    out: list[Figure] = []
    for code, measure in ELDERCARE_MEASURES.items():
        if code == "18" and circle is not None:
            out.extend(ratio_figures(measure, period, circle, towns=towns, evidence=evidence))
        elif code in RATIO_CODES:
            counts = {}
            complete = True
            for t in towns:
                share = per_town[t].get(code)
                if share is None:
                    continue
                if share.numerator is None or share.denominator is None:
                    complete = False
                    break
                counts[t] = (share.numerator, share.denominator)
            d = district.get(code)
            if complete and d is not None and d.numerator is not None and d.denominator is not None:
                # District-level rows (6-digit codes) are in the district totals but in no town.
                rest_num = d.numerator - sum((n for n, _ in counts.values()), Decimal(0))
                rest_den = d.denominator - sum((m for _, m in counts.values()), Decimal(0))
                if rest_num or rest_den:
                    counts[district_code()] = (rest_num, rest_den)
            if complete and counts:
                out.extend(ratio_figures(measure, period, counts, towns=towns, evidence=evidence))
                continue
            # The line gave rates only: keep its town rates, and its own district figure.
            for t in towns:
                share = per_town[t].get(code)
                if share is not None and share.value is not None:
                    out.append(Figure(measure, t, period.year, period.month, q(share.value), period.as_of, evidence=evidence))
            if d is not None and d.value is not None:
                out.append(
                    Figure(measure, district_code(), period.year, period.month, q(d.value), period.as_of,
                           d.numerator, d.denominator, evidence)
                )
        else:
            counts = {t: per_town[t][code].value for t in towns if code in per_town[t] and per_town[t][code].value is not None}
            d = district.get(code)
            if d is not None and d.value is not None:
                rest = d.value - sum(counts.values(), Decimal(0))
                if rest:
                    counts[district_code()] = rest  # district-level facilities: in the total, in no town
            out.extend(sum_figures(measure, period, counts, towns=towns, evidence=evidence))
    return out


def _sources_available(missing: str, *sources: str) -> Callable[[], str | None]:
    """A computation's availability check: None when every source it reads is registered,
    else why not (``missing``: what the page says is not connected yet). ``sources`` name
    constants of ``adapters``, read at each check (tests point them elsewhere)."""

    def check() -> str | None:
        try:
            for source in sources:
                adapters.resolve(getattr(adapters, source))
        except adapters.SourceUnavailable as e:
            return f"{missing}：{e}"
        return None

    return check


_eldercare_available = _sources_available("养老服务模块的指标接口尚未接入", "ELDERCARE_INDICATORS")


register(
    Computation(
        name="eldercare_indicators",
        title="养老服务主要指标（16–19）",
        data_source="养老服务模块（养老服务设施台账、一刻钟服务圈）",
        measures=(
            Measure("eldercare_beds_total", "养老服务床位总量", "运营中养老服务设施床位数合计（口径由养老服务模块定义）"),
            Measure("eldercare_nursing_bed_share", "养老机构护理型床位占比", "护理型床位数 ÷ 养老机构床位数 ×100%"),
            Measure(
                "eldercare_service_circle_coverage",
                "“一刻钟”居家养老服务圈覆盖率",
                "步行一刻钟内有社区养老服务设施的老年人数 ÷ 老年人数 ×100%",
            ),
            Measure(
                "eldercare_medical_care_share",
                "城乡养老设施具备医养康养服务能力的比例",
                "具备医疗或康复服务能力的养老设施数 ÷ 养老设施数 ×100%",
            ),
        ),
        func=compute_eldercare,
        by_town=True,
        monthly=False,
        historical=False,
        availability=_eldercare_available,
    )
)


# --- other targets: elderly-care facilities and assessments ----------------------------------

FACILITY_MEASURES = {
    "eldercare_street_centres": ("street_centre", "街道养老服务中心", "运营中的街道养老服务中心数"),
    "eldercare_town_centres": ("town_centre", "乡镇养老服务中心", "运营中的乡镇养老服务中心数"),
    "eldercare_community_stations": ("community_station", "社区养老服务站", "运营中的社区养老服务站数"),
    "eldercare_village_points": ("village_point", "行政村养老服务点", "运营中的村养老服务点数"),
    "eldercare_care_centres": ("care_centre", "区域性农村特困人员集中照护中心", "运营中的区域性集中照护中心数"),
}


def compute_facilities(period: Period) -> list[Figure]:
    rows = adapters.eldercare_facility_counts()
    towns = town_codes()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        town = r["town"]
        if r["institution"] and r["star_rating"] == 3:
            counts["eldercare_three_star_institutions"][town] += r["n"]
        if r["institution"] and r["star_rating"] >= 4:
            counts["eldercare_four_star_institutions"][town] += r["n"]
        for measure, (kind, _, _) in FACILITY_MEASURES.items():
            if r["kind"] == kind:
                counts[measure][town] += r["n"]
    evidence = f"养老服务设施台账（运营中），统计时点 {timezone.localtime(period.as_of):%Y-%m-%d %H:%M}"
    out = []
    for measure in [*FACILITY_MEASURES, "eldercare_three_star_institutions", "eldercare_four_star_institutions"]:
        out.extend(sum_figures(measure, period, counts[measure], towns=towns, evidence=evidence))
    return out


_facilities_available = _sources_available("养老服务设施台账尚未提供", "ELDERCARE_FACILITY_COUNTS")


register(
    Computation(
        name="eldercare_facilities",
        title="养老服务设施数量",
        data_source="养老服务模块 养老服务设施台账（状态为运营中）",
        measures=(
            *(Measure(name, title, formula) for name, (_, title, formula) in FACILITY_MEASURES.items()),
            Measure("eldercare_three_star_institutions", "三星级养老机构", "星级为三星的养老机构数（含敬老院、照护中心）"),
            Measure("eldercare_four_star_institutions", "四星级养老机构", "星级为四星及以上的养老机构数（含敬老院、照护中心）"),
        ),
        func=compute_facilities,
        by_town=True,
        monthly=False,
        historical=False,
        availability=_facilities_available,
    )
)


def compute_assessment_coverage(period: Period) -> list[Figure]:
    counts = adapters.eldercare_assessment_coverage(period.day)
    evidence = f"养老服务模块 老年人能力评估记录与人口登记，统计日 {period.day.isoformat()}"
    return ratio_figures(
        "eldercare_assessment_coverage_80", period, counts, towns=town_codes(), evidence=evidence
    )


_assessment_available = _sources_available("养老服务模块的评估覆盖统计尚未接入", "ELDERCARE_ASSESSMENT_COVERAGE")


register(
    Computation(
        name="eldercare_assessment_coverage",
        title="80周岁以上老年人能力与需求综合评估覆盖率",
        data_source="养老服务模块（人口登记 + 老年人能力评估）",
        measures=(
            Measure(
                "eldercare_assessment_coverage_80",
                "80周岁以上老年人能力与需求综合评估覆盖率",
                "有能力评估记录的80周岁以上在世老年人数 ÷ 80周岁以上在世老年人数 ×100%",
            ),
        ),
        func=compute_assessment_coverage,
        by_town=True,
        monthly=False,
        historical=False,
        availability=_assessment_available,
    )
)


# --- 11: towns with a minors' protection station, from the children line's station register ----


def compute_protection_stations(period: Period) -> list[Figure]:
    """Each town 1 ÷ 1 when its 未成年人保护工作站 was established by the day, else 0 ÷ 1; the
    district Σ÷Σ = towns with a station ÷ all towns (27)."""
    counts = adapters.children_station_coverage(period.day)
    evidence = f"儿童福利模块 未成年人保护工作站登记（设立日期不晚于 {period.day.isoformat()}）"
    return ratio_figures("children_protection_station_coverage", period, counts, towns=town_codes(), evidence=evidence)


_stations_available = _sources_available("儿童福利模块的工作站登记尚未接入", "CHILDREN_STATION_COVERAGE")


register(
    Computation(
        name="children_protection_stations",
        title="乡镇（街道）未成年人保护工作站覆盖率",
        data_source="儿童福利模块 未成年人保护工作站登记（按设立日期）",
        measures=(
            Measure(
                "children_protection_station_coverage",
                "乡镇（街道）未成年人保护工作站覆盖率",
                "设立日期不晚于统计日的未成年人保护工作站所在乡镇（街道）数 ÷ 乡镇（街道）总数 ×100%",
            ),
        ),
        func=compute_protection_stations,
        by_town=True,
        monthly=False,
        historical=True,  # stations are dated: a past year is computed on its 31 December
        availability=_stations_available,
    )
)



# --- 12 and O03: the rescue station's returns home and settlements, from its case records ------


def compute_rescue(period: Period) -> list[Figure]:
    """District figures only (the station is a district unit): identified people escorted home ÷
    identified people, and long-stay people settled ÷ long-stay people, in the year or month."""
    text = f"{period.year}" if period.month == ANNUAL else f"{period.year}-{period.month:02d}"
    rates = adapters.rescue_rates(text)
    out = []
    for measure, key, what in (
        ("rescue_return_rate", "return", "当期查明身份的受助人员中已接送返回的人数（自行离站者不计）"),
        ("rescue_settlement_rate", "settlement", "当期转为长期滞留的受助人员中已落户安置的人数"),
    ):
        r = rates[key]
        if not r["denominator"]:
            continue
        evidence = f"救助管理模块 受助记录：{what} {r['numerator']} ÷ {r['denominator']}（{text}）"
        out.append(Figure(measure, district_code(), period.year, period.month, q(Decimal(r["rate"])), period.as_of,
                          Decimal(r["numerator"]), Decimal(r["denominator"]), evidence))  # fmt: skip
    return out


_rescue_available = _sources_available("救助管理模块尚未接入", "RESCUE_RETURN_RATE", "RESCUE_SETTLEMENT_RATE")


register(
    Computation(
        name="rescue_rates",
        title="流浪乞讨受助人员接送返回率与滞留人员落户安置率",
        data_source="救助管理模块 受助记录（查明身份日期、交接日期、转为长期滞留日期、落户安置）",
        measures=(
            Measure(
                "rescue_return_rate",
                "查明身份信息流浪乞讨受助人员接送返回率",
                "当期查明身份且已接送返回（交接）的人数 ÷ 当期查明身份的人数（不含未经接送自行离站者）×100%",
            ),
            Measure(
                "rescue_settlement_rate",
                "滞留流浪乞讨人员落户安置率",
                "当期转为长期滞留且已完成落户安置的人数 ÷ 当期转为长期滞留的人数 ×100%",
            ),
        ),
        func=compute_rescue,
        by_town=False,
        monthly=True,
        # The running year from the records; earlier years were kept on paper and stay hand-entered.
        historical=False,
        availability=_rescue_available,
    )
)


# --- 10: the marriage registry's 跨省通办 registrations, from its records -------------------------


def compute_marriage(period: Period) -> list[Figure]:
    """District figure only (the registry is a district unit): registrations with a party whose
    户籍 is outside Chongqing ÷ registrations (marriages, divorces, reissued certificates)."""
    text = f"{period.year}" if period.month == ANNUAL else f"{period.year}-{period.month:02d}"
    r = adapters.marriage_cross_province(text)
    if not r["denominator"]:
        return []
    evidence = f"婚姻登记模块 登记记录：跨省通办 {r['numerator']} ÷ 登记 {r['denominator']}（{text}）"
    return [Figure("marriage_cross_province_share", district_code(), period.year, period.month, q(Decimal(r["rate"])), period.as_of,
                   Decimal(r["numerator"]), Decimal(r["denominator"]), evidence)]  # fmt: skip


_marriage_available = _sources_available("婚姻登记模块尚未接入", "MARRIAGE_CROSS_PROVINCE")


register(
    Computation(
        name="marriage_cross_province",
        title="婚姻登记“跨省通办”",
        data_source="婚姻登记模块 登记记录（结婚登记、离婚登记、补领证件；当事人户籍地）",
        measures=(
            Measure(
                "marriage_cross_province_share",
                "婚姻登记“跨省通办”实施率",
                "当期一方户籍在重庆市以外的婚姻登记（结婚、离婚、补领）件数 ÷ 当期婚姻登记件数 ×100%",
            ),
        ),
        func=compute_marriage,
        by_town=False,
        monthly=True,
        historical=False,
        availability=_marriage_available,
    )
)


# --- 3 and 4: disability subsidy coverage, from the latest screening run and the enrolments ---


def compute_disability_coverage(period: Period) -> list[Figure]:
    """Eligible subjects (by the rules, in the screening run) holding a current enrolment of the
    subsidy ÷ eligible subjects. Month m: the run of that month; the year: its latest run."""
    runs = adapters.screening_runs(period.year)
    if period.month:
        runs = [r for r in runs if r.period == f"{period.year}-{period.month:02d}"]
    if not runs:
        return []
    run = runs[-1]
    as_of = run.finished_at
    read = Period(period.year, period.month, as_of)
    out = []
    towns = town_codes()
    for code, program in adapters.DISABILITY_PROGRAMS.items():
        counts = adapters.screening_coverage(run.id, program)
        eligible = sum(d for _, d in counts.values())
        enrolled = sum(n for n, _ in counts.values())
        evidence = (
            f"{run.period} 全区筛查（批次 {run.id}）：按规则应享 {eligible} 人，其中在保 {enrolled} 人；"
            f"未享受者见该批次“疑似漏保”清单"
        )
        out.extend(ratio_figures(f"disability_subsidy_coverage_{code}", read, counts, towns=towns, evidence=evidence))
    return out


def _screening_year_covered(year: int) -> bool:
    if adapters.screening_available() is not None:
        return False
    return bool(adapters.screening_runs(year))


register(
    Computation(
        name="disability_subsidy_coverage",
        title="残疾人两项补贴覆盖率（3、4）",
        data_source="救助资格筛查（最新一期全区筛查批次的应享名单）+ 社会救助在保记录",
        measures=(
            Measure(
                "disability_subsidy_coverage_3",
                "困难残疾人生活补贴覆盖率",
                "筛查认定应享困难残疾人生活补贴且在保的人数 ÷ 应享人数 ×100%（该年度最新一期全区筛查）",
            ),
            Measure(
                "disability_subsidy_coverage_4",
                "重度残疾人护理补贴覆盖率",
                "筛查认定应享重度残疾人护理补贴且在保的人数 ÷ 应享人数 ×100%（该年度最新一期全区筛查）",
            ),
        ),
        func=compute_disability_coverage,
        by_town=True,
        monthly=True,
        historical=True,
        availability=adapters.screening_available,
        year_covered=_screening_year_covered,
    )
)


# --- 8: donations received by charitable organisations, from the charity line's ledger ---------


def compute_charity_donations(period: Period) -> list[Figure]:
    """One district figure: cash and in-kind value of the donations received in the year up to
    the period's day, in 万元."""
    data = adapters.charity_donations(period.year, period.day)
    evidence = f"慈善事业模块 捐赠台账：{period.year}年接受捐赠 {data['count']} 笔，合计 {data['fen']} 分（货币 + 物资折价）"
    return [Figure("charity_donations_total", district_code(), period.year, period.month, q(Decimal(data["wan"])), period.as_of,
                   evidence=evidence)]  # fmt: skip


_charity_available = _sources_available("慈善事业模块尚未接入", "CHARITY_DONATIONS")


register(
    Computation(
        name="charity_donations",
        title="慈善组织接受社会捐赠总额（指标8）",
        data_source="慈善事业模块 捐赠台账（接受日期、货币捐赠、物资折价）",
        measures=(Measure("charity_donations_total", "慈善组织接受社会捐赠总额", "当年慈善组织接受的货币捐赠与捐赠物资折价之和（万元）"),),
        func=compute_charity_donations,
        by_town=False,
        monthly=True,
        historical=False,
        availability=_charity_available,
        # a year with donations in the ledger is computed; years before it stay hand-entered
        year_covered=lambda year: adapters.charity_donations(year, dt.date(year, 12, 31))["count"] > 0,
    )
)


# --- 13–15 and 专栏5: funeral management, from the funeral line's rows ---------------------------

FUNERAL_RATIOS = {
    "13": "funeral_cremation_area_population_share",
    "14": "funeral_public_cemetery_town_coverage",
    "15": "funeral_eco_burial_share",
    "centralized_mourning": "funeral_centralized_mourning_rate",
}
FUNERAL_COUNTS = {
    "service_stations": "funeral_service_stations",
    "demonstration_cemeteries": "funeral_demonstration_cemeteries",
    "commercial_cemeteries": "funeral_commercial_cemeteries",
}


def compute_funerals(period: Period) -> list[Figure]:
    data = adapters.funeral_indicators(period.day)
    towns = town_codes()
    evidence = f"殡葬管理模块（殡葬服务记录、殡葬设施、火化区与文明治丧区登记、人口登记），统计日 {period.day.isoformat()}"
    out: list[Figure] = []
    for key, measure in FUNERAL_RATIOS.items():
        out.extend(ratio_figures(measure, period, data[key]["by_town"], towns=towns, evidence=evidence))
    for key, measure in FUNERAL_COUNTS.items():
        out.extend(sum_figures(measure, period, data["counts_by_town"][key], towns=towns, evidence=evidence))
    return out


_funerals_available = _sources_available("殡葬管理模块尚未接入", "FUNERAL_INDICATORS")


register(
    Computation(
        name="funeral_indicators",
        title="殡葬管理指标（13–15）与专栏5目标",
        data_source="殡葬管理模块（殡葬服务记录、殡葬设施台账、火化区与文明治丧区登记）+ 人口登记",
        measures=(
            Measure(FUNERAL_RATIOS["13"], "火化区人口占比", "火化区内在册人口 ÷ 在册人口 ×100%（村（社区）或所在乡镇划为火化区之日起计入）"),
            Measure(FUNERAL_RATIOS["14"], "农村公益性公墓乡镇覆盖率", "建有运营中农村公益性公墓的乡镇（街道）数 ÷ 乡镇（街道）总数 ×100%"),
            Measure(FUNERAL_RATIOS["15"], "节地生态葬式占比", "当年树葬、花坛葬、草坪葬、壁葬、海葬等节地生态安葬数 ÷ 当年安葬总数 ×100%"),
            Measure(FUNERAL_RATIOS["centralized_mourning"], "文明治丧区集中治丧率",
                    "文明治丧区内当年死亡且集中治丧的人数 ÷ 文明治丧区内当年死亡人数 ×100%"),
            Measure(FUNERAL_COUNTS["service_stations"], "殡仪服务站", "运营中的殡仪服务站数"),
            Measure(FUNERAL_COUNTS["demonstration_cemeteries"], "农村公益性示范公墓", "运营中的农村公益性示范公墓数"),
            Measure(FUNERAL_COUNTS["commercial_cemeteries"], "经营性公墓", "运营中的经营性公墓数"),
        ),
        func=compute_funerals,
        by_town=True,
        monthly=False,
        historical=False,  # the running year from the records; earlier years stay hand-entered
        availability=_funerals_available,
    )
)


# --- 5, O04, O05: the welfare lottery, from the lottery line's outlet register, sales and 公益金 ---


def _wan_yuan(fen: int) -> Decimal:
    """Fen → 万元 (the plan's unit for the lottery targets), exactly."""
    return fen_to_yuan(fen) / Decimal(10_000)


def compute_lottery(period: Period) -> list[Figure]:
    day = period.day
    towns = town_codes()
    evidence = f"福利彩票模块 投注站台账（开业、关闭日期），统计日 {day.isoformat()}"
    out = sum_figures("lottery_outlets_open", period, adapters.lottery_outlets(day), towns=towns, evidence=evidence)
    totals = adapters.lottery_totals(day)
    for measure, key, what in (
        ("lottery_sales_cumulative", "sales_fen", f"福彩中心月销售额 2021-01 至 {day:%Y-%m} 合计"),
        ("lottery_fund_cumulative", "fund_fen", f"地方留存公益金 2021 至 {day.year} 年度下达金额合计"),
    ):
        out.append(Figure(measure, district_code(), period.year, period.month, q(_wan_yuan(totals[key])), period.as_of,
                          evidence=f"福利彩票模块 {what}：{format_yuan(totals[key])}元"))  # fmt: skip
    return out


_lottery_available = _sources_available("福利彩票模块尚未接入", "LOTTERY_OUTLETS", "LOTTERY_TOTALS")


# --- 6 and 专栏4: community governance, from the community line's facility register ------------


def compute_communities(period: Period) -> list[Figure]:
    towns = town_codes()
    evidence = f"城乡社区治理模块（社区综合服务设施台账、社区治理示范点）+ 人口登记区划统计户数，统计日 {period.day.isoformat()}"
    out = ratio_figures("community_facility_area_per_100_households", period, adapters.community_facility_area(period.day),
                        towns=towns, evidence=evidence)  # fmt: skip
    sites = adapters.community_site_counts(period.day)
    out.extend(sum_figures("community_district_demonstration_sites", period, sites.get("district", {}), towns=towns, evidence=evidence))
    out.extend(sum_figures("community_city_demonstration_sites", period, sites.get("city", {}), towns=towns, evidence=evidence))
    return out


_communities_available = _sources_available("城乡社区治理模块尚未接入", "COMMUNITY_FACILITY_AREA", "COMMUNITY_SITE_COUNTS")


register(
    Computation(
        name="lottery_indicators",
        title="福利彩票销售网点数（5）与十四五销售额、地方留存公益金目标",
        data_source="福利彩票模块（投注站台账、福彩中心月销售额文件、地方留存公益金下达文件）",
        measures=(
            Measure("lottery_outlets_open", "福利彩票销售网点数", "统计日营业中的投注站数（开业日期不晚于统计日、未在统计日或之前关闭），按所在乡镇（街道）"),
            Measure("lottery_sales_cumulative", "十四五期间福利彩票销售额", "2021年1月至统计日所在月各投注站月销售额合计（万元）"),
            Measure("lottery_fund_cumulative", "十四五期间筹集地方留存彩票公益金", "2021年度至统计日所在年度地方留存公益金下达金额合计（万元）"),
        ),
        func=compute_lottery,
        by_town=True,
        monthly=False,
        historical=True,  # outlets carry their dates, sales their months, 公益金 its year
        availability=_lottery_available,
    )
)


# --- 7, 9 and their targets: social work and volunteers, from those lines' registers -------------

SOCIALWORK_SUMS = {"7": "socialwork_professionals", "agencies": "socialwork_agencies", "private_agencies": "socialwork_private_agencies"}
SOCIALWORK_SHARES = {"under_35": "socialwork_under35_share", "college": "socialwork_college_share"}


def compute_socialwork(period: Period) -> list[Figure]:
    data = adapters.socialwork_indicators(period.day)
    towns = town_codes()
    evidence = f"社会工作模块（专业人才库、社工服务机构登记）+ 人口登记，统计日 {period.day.isoformat()}"
    out: list[Figure] = []
    for key, measure in SOCIALWORK_SUMS.items():
        out.extend(sum_figures(measure, period, data[key], towns=towns, evidence=evidence))
    for key, measure in SOCIALWORK_SHARES.items():  # 专栏4 targets are district figures
        out.extend(ratio_figures(measure, period, data[key], towns=(), evidence=evidence))
    return out


def compute_volunteers(period: Period) -> list[Figure]:
    data = adapters.volunteer_indicators(period.day)
    towns = town_codes()
    evidence = f"志愿服务模块（志愿服务站点、注册志愿者、志愿服务组织）+ 人口登记，统计日 {period.day.isoformat()}"
    out = ratio_figures("volunteer_station_coverage", period, data["9"], towns=towns, evidence=evidence)
    out += ratio_figures("volunteer_participation_rate", period, data["participation"], towns=towns, evidence=evidence)
    out += sum_figures("volunteer_organisations", period, data["organisations"], towns=towns, evidence=evidence)
    return out


_socialwork_available = _sources_available("社会工作模块尚未接入", "SOCIALWORK_INDICATORS")
_volunteers_available = _sources_available("志愿服务模块尚未接入", "VOLUNTEER_INDICATORS")


register(
    Computation(
        name="socialwork_indicators",
        title="社会工作专业人才（指标7）与专栏4目标",
        data_source="社会工作模块（专业人才库、社工服务机构登记）+ 人口登记",
        measures=(
            Measure(SOCIALWORK_SUMS["7"], "社会工作专业人才数量", "统计日在库（已入职、未离职）的社会工作专业人才人数"),
            Measure(SOCIALWORK_SUMS["agencies"], "专业社工机构数量", "统计日已登记、未注销的社会工作服务机构数"),
            Measure(SOCIALWORK_SUMS["private_agencies"], "民办社工服务机构数量", "统计日已登记、未注销的民办社会工作服务机构数"),
            Measure(SOCIALWORK_SHARES["under_35"], "社会工作专业人才中35岁以下占比", "在库人才中统计日未满35周岁的人数 ÷ 在库人才数 ×100%"),
            Measure(SOCIALWORK_SHARES["college"], "社会工作专业人才中大专及以上学历占比", "在库人才中大专、本科、研究生学历人数 ÷ 在库人才数 ×100%"),
        ),
        func=compute_socialwork,
        by_town=True,
        monthly=False,
        historical=False,  # the register as it stands; earlier years stay hand-entered
        availability=_socialwork_available,
    )
)

register(
    Computation(
        name="volunteer_indicators",
        title="志愿服务（指标9）与参与率、组织数量",
        data_source="志愿服务模块（志愿服务站点、注册志愿者、志愿服务组织）+ 人口登记",
        measures=(
            Measure("volunteer_station_coverage", "志愿服务站点在社区综合服务设施中的覆盖率",
                    "社区综合服务设施内建有志愿服务站点的村（社区）数 ÷ 村（社区）总数 ×100%"),
            Measure("volunteer_participation_rate", "志愿服务参与率", "统计日注册志愿者人数 ÷ 统计日在册居民人数 ×100%"),
            Measure("volunteer_organisations", "志愿服务组织数量", "统计日已成立、未注销的志愿服务组织数"),
        ),
        func=compute_volunteers,
        by_town=True,
        monthly=False,
        historical=False,
        availability=_volunteers_available,
    )
)


register(
    Computation(
        name="community_indicators",
        title="每百户居民拥有社区综合服务设施面积（6）与专栏4示范点",
        data_source="城乡社区治理模块（社区综合服务设施台账、社区治理示范点）+ 人口登记区划统计（户数）",
        measures=(
            Measure("community_facility_area_per_100_households", "每百户居民拥有的城乡社区综合服务设施面积",
                    "使用中的社区综合服务设施建筑面积合计（平方米）÷ 居民户数 ×100"),
            Measure("community_district_demonstration_sites", "区级社区治理示范点", "已命名的区级社区治理示范点数"),
            Measure("community_city_demonstration_sites", "市级社区治理示范点", "已命名的市级社区治理示范点数"),
        ),
        func=compute_communities,
        by_town=True,
        monthly=False,
        historical=False,  # the running year from the register; earlier years stay hand-entered
        availability=_communities_available,
    )
)


# --- running ---------------------------------------------------------------------------------


@dataclass
class RunResult:
    figures: list[Figure] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # computation name → Chinese reason
    timings: dict[str, float] = field(default_factory=dict)


def periods_for(computation: Computation, year: int, *, now: dt.datetime | None = None) -> list[Period]:
    """The periods of ``year`` a computation can produce: its year end (or now, for the running
    year) and, for monthly computations, each month end that has passed."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    tz = timezone.get_current_timezone()
    if not computation.covers_year(year, today=local_now.date()):
        return []

    def end_of(y: int, m: int) -> dt.datetime:
        first_next = dt.date(y + (m == 12), m % 12 + 1, 1)
        return dt.datetime.combine(first_next - dt.timedelta(days=1), dt.time(23, 59, 59), tzinfo=tz)

    periods = []
    if computation.monthly:
        last_month = 12 if year < local_now.year else local_now.month
        for m in range(1, last_month + 1):
            as_of = end_of(year, m)
            periods.append(Period(year, m, min(as_of, now)))
    year_end = end_of(year, 12)
    periods.append(Period(year, ANNUAL, min(year_end, now)))
    return periods


def run_computations(year: int, *, names: Iterable[str] | None = None, now: dt.datetime | None = None) -> RunResult:
    """Compute every (or the named) computation for a year. Reads only; writes nothing."""
    result = RunResult()
    for name in names or REGISTRY:
        computation = REGISTRY[name]
        reason = computation.unavailable_reason()
        if reason:
            result.skipped[name] = reason
            continue
        periods = periods_for(computation, year, now=now)
        if not periods:
            result.skipped[name] = (
                "该年度没有可用的数据（如无筛查批次）" if computation.year_covered is not None
                else ("只能计算当前状态，不能回溯历史年度" if not computation.historical else "该年度尚未开始")
            )
            continue
        started = time.perf_counter()
        try:
            for period in periods:
                result.figures.extend(computation.func(period))
        except adapters.SourceUnavailable as e:
            result.skipped[name] = str(e)
        result.timings[name] = time.perf_counter() - started
    return result
