"""The station's daily report (站内日报: who is in the station at the end of the day, the
day's arrivals and departures) and its monthly report (救助管理月报: the month's figures and
the people taken in), as xlsx (xlsxwriter, text codes) and PDF (WeasyPrint with the Noto CJK
fonts, like the other printable reports). Names and masked ID numbers only: station staff."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.core.periods import month_end, parse_period
from minzheng.divisions.directory import get_directory
from minzheng.rescue.enums import Risk
from minzheng.rescue.models import BedAssignment, RescueCase, Station
from minzheng.rescue.permissions import RescuePerm
from minzheng.rescue.selectors import hospital_days, in_hospital_on, list_cases_for, statistics, stay_days_of

HOSPITAL_HEADERS = ("受助编号", "姓名", "医院", "送医日期", "在院天数")
PEOPLE_HEADERS = ("受助编号", "姓名", "性别", "年龄", "身份证号码（脱敏）", "风险情形", "入站时间", "在站天数", "床位", "状态", "在站期限", "超期")


def _person_row(case: RescueCase, day: dt.date, beds: dict[int, str]) -> tuple:
    overdue = case.stay_until < day
    return (
        case.number, case.name, case.get_sex_display(), "" if case.estimated_age is None else str(case.estimated_age),
        case.id_number_masked, "、".join(Risk(r).label for r in case.risks), timezone.localtime(case.arrived_at).strftime("%Y-%m-%d %H:%M"),
        str(stay_days_of(case, day)), beds.get(case.pk, ""), case.get_status_display(), case.stay_until.isoformat(), "超期" if overdue else "",
    )  # fmt: skip


def daily_report(actor: Actor, station: Station, day: dt.date) -> dict:
    """In the station at the end of ``day``: arrived on or before it and not left by it."""
    actor.require(RescuePerm.STATION_WORK)
    cases = list_cases_for(actor).filter(station=station)
    # Every way out (接送返回, 自行离站, 落户安置) sets left_on.
    present = list(cases.filter(arrived_at__date__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).order_by("arrived_at", "pk"))
    beds = {
        a.case_id: a.bed.number
        for a in BedAssignment.objects.visible_to(actor).filter(case__in=present, start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day)).select_related("bed")
    }
    arrivals = list(cases.filter(arrived_at__date=day).order_by("arrived_at"))
    departures = list(cases.filter(left_on=day).order_by("pk"))
    hospital = list(in_hospital_on(actor, day).filter(case__station=station).order_by("sent_on", "pk"))
    return {
        "station": station,
        "day": day,
        "rows": [_person_row(c, day, beds) for c in present],
        "present": len(present),
        "overdue": sum(1 for c in present if c.stay_until < day),
        "minors": sum(1 for c in present if Risk.MINOR in c.risks),
        "arrivals": [(c.number, c.name, c.get_source_display()) for c in arrivals],
        "departures": [(c.number, c.name, c.get_status_display()) for c in departures],
        "in_hospital": len(hospital),
        "hospital_rows": [(s.case.number, s.case.name, s.hospital, s.sent_on.isoformat(), str(hospital_days(s, day))) for s in hospital],
        "beds": station.capacity,
        "occupied": len(beds),
    }


def monthly_report(actor: Actor, station: Station, period: str) -> dict:
    actor.require(RescuePerm.STATION_WORK)
    start = parse_period(period)
    end = month_end(start)
    figures = statistics(actor, period)
    arrived = list(list_cases_for(actor).filter(station=station, arrived_at__date__gte=start, arrived_at__date__lte=end).order_by("arrived_at", "pk"))
    directory = get_directory()
    return {
        "station": station,
        "period": period,
        "s": figures,
        "rows": [
            (
                c.number, c.name, c.get_sex_display(), timezone.localtime(c.arrived_at).strftime("%Y-%m-%d %H:%M"),
                c.get_source_display(), directory.path_name(c.found_division_code),
                "、".join(Risk(r).label for r in c.risks), c.get_status_display(),
            )  # fmt: skip
            for c in arrived
        ],
    }


MONTH_HEADERS = ("受助编号", "姓名", "性别", "入站时间", "来源", "发现地", "风险情形", "当前状态")


def _rate_text(r: dict) -> str:
    return "—" if r["rate"] is None else f"{r['rate']}%（{r['numerator']}/{r['denominator']}）"


def summary_rows(report: dict) -> list[tuple[str, str]]:
    s = report["s"]
    rows = [
        ("救助人次", str(s["rescues"])), ("查明身份", str(s["identified"])), ("接送返回", str(s["returned"])),
        ("自行离站", str(s["left_own_will"])), ("落户安置", str(s["settled"])),
        ("接送返回率（指标12）", _rate_text(s["return_rate"])), ("滞留人员落户安置率", _rate_text(s["settlement_rate"])),
        ("现有长期滞留人员", str(s["long_stay_now"])),
    ]  # fmt: skip
    rows += [(f"来源：{r['label']}", str(r["count"])) for r in s["by_source"]]
    rows += [(f"风险情形：{r['label']}", str(r["count"])) for r in s["by_risk"]]
    rows += [(f"离站人员在站{b['label']}", str(b["count"])) for b in s["stay_bands"]]
    return rows


def _workbook(sheets: list[tuple[str, tuple, list]]) -> bytes:
    """Sheets of text cells (every value a string: codes and numbers as they are shown)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    for name, headers, rows in sheets:
        ws = wb.add_worksheet(name)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, head)
            ws.set_column(c, c, 16)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                ws.write_string(r, c, str(value))
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def daily_xlsx(report: dict) -> bytes:
    movements = [("入站", *a) for a in report["arrivals"]] + [("离站", *d) for d in report["departures"]]
    return _workbook([
        (f"{report['day']:%Y-%m-%d}在站人员", PEOPLE_HEADERS, report["rows"]),
        ("当日出入站", ("类别", "受助编号", "姓名", "来源或去向"), movements),
        ("在院救治", HOSPITAL_HEADERS, report["hospital_rows"]),
    ])  # fmt: skip


def monthly_xlsx(report: dict) -> bytes:
    return _workbook([("月报汇总", ("项目", "数值"), summary_rows(report)), ("本月受助人员", MONTH_HEADERS, report["rows"])])


def _pdf(template: str, context: dict) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, {**context, "printed_at": timezone.localtime()})).write_pdf()


def daily_pdf(report: dict) -> bytes:
    return _pdf("rescue/daily_report.html", {"r": report, "headers": PEOPLE_HEADERS, "hospital_headers": HOSPITAL_HEADERS})


def monthly_pdf(report: dict) -> bytes:
    return _pdf("rescue/monthly_report.html", {"r": report, "summary": summary_rows(report), "headers": MONTH_HEADERS})
