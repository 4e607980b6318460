"""Mid-term and final evaluation reports of a plan, as PDF (WeasyPrint) and Word (python-docx).

Both formats are made from one context: each indicator's baseline, target, actual value and
status with a progress chart, the other targets, the key-projects table, and the narrative
sections staff edit on the reports page before generating.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from minzheng.accounts.actor import Actor
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.planning.charts import Bar, progress_chart_png, progress_chart_svg
from minzheng.planning.enums import STATUS_COLOUR, ReportKind, Status, TargetRule
from minzheng.planning.models import Plan, ReportNarrative
from minzheng.planning.selectors import fmt, main_and_other, projects_for, scorecard, status_counts
from minzheng.planning.status import time_elapsed

SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    ReportKind.MIDTERM: [
        ("overview", "一、总体评价", "规划实施以来总体进展，是否实现“时间过半、任务过半”。"),
        ("achievements", "二、主要进展和成效", "各领域取得的进展、亮点和经验做法。"),
        ("problems", "三、存在的主要问题", "进度滞后或存在风险的指标、项目及原因。"),
        ("next_steps", "四、下一步工作建议", "后半程的重点任务、保障措施和需要调整的目标。"),
    ],
    ReportKind.FINAL: [
        ("overview", "一、总体评价", "规划目标任务总体完成情况。"),
        ("achievements", "二、主要成效", "五年来各领域取得的成效。"),
        ("problems", "三、存在的问题和不足", "未完成的指标和项目及其原因。"),
        ("next_steps", "四、对下一个五年规划的建议", "对“十五五”规划目标、任务和项目的建议。"),
    ],
}
SECTION_KEYS = ("overview", "achievements", "problems", "next_steps")
FONT_STACK = '"FangSong_GB2312", "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif'


def report_year(plan: Plan, kind: str) -> int:
    return plan.midterm_year if kind == ReportKind.MIDTERM else plan.end_year


def report_title(plan: Plan, kind: str) -> str:
    name = plan.title.split("（")[0]
    return f"{name}实施情况{'中期' if kind == ReportKind.MIDTERM else '终期'}评估报告"


def narrative_of(plan: Plan, kind: str) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(plan=plan, kind=kind).first()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def _local(ts: dt.datetime | None) -> str:
    return timezone.localtime(ts).strftime("%Y年%m月%d日") if ts else "—"


def report_context(actor: Actor, plan: Plan, kind: str, *, author: str, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    year = report_year(plan, kind)
    rows = scorecard(actor, plan, year=year, division_code=district_code())
    main, other = main_and_other(rows)
    narrative = narrative_of(plan, kind)
    texts = narrative.sections if narrative else {}
    expected = float(time_elapsed(plan.baseline_year, plan.end_year, year) * 100)

    def item(r):
        ind = r.indicator
        a = r.assessment
        v = r.value
        progress = a.progress_percent
        return {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "baseline": r.shown_baseline,
            "target": r.shown_target,
            "actual": r.shown_value,
            "period": r.period_label or f"{year}年",
            "progress": f"{progress}%" if progress is not None else "—",
            "status": a.label,
            "status_key": a.status,
            "colour": a.colour,
            "explanation": a.explanation,
            "attribute": ind.get_attribute_display() if ind.attribute else "—",
            "source": r.source_label,
            "as_of": _local(v.as_of) if v else "—",
            "evidence": (v.evidence if v else "")[:200],
        }

    main_items = [item(r) for r in main]
    other_items = [item(r) for r in other]
    bars = []
    for r in main:
        a = r.assessment
        ind = r.indicator
        if a.progress is not None:
            note = f"{a.progress_percent}%"
        elif a.status in (Status.NO_DATA, Status.NOT_ASSESSABLE):
            note = a.label
        elif ind.target_rule == TargetRule.GROWTH_VS_REFERENCE:
            note = "达到参照值" if a.met else "低于参照值"
        elif a.met:
            note = "已达标"
        elif ind.baseline_value is not None and ind.baseline_value == ind.target_value:
            note = f"未保持目标值（{r.shown_value}）"
        else:
            note = "未达标（无基期值）"
        progress = float(a.progress_percent) if a.progress is not None else (100.0 if a.met else None)
        bars.append(Bar(f"{r.indicator.code} {r.indicator.name}"[:24], progress, STATUS_COLOUR[a.status], note))
    chart_title = f"主要指标完成进度（{year}年，按基期到目标的进度计）"

    directory = get_directory()
    projects = []
    for p in projects_for(actor, plan).order_by("group_seq", "seq"):
        projects.append({
            "code": p.code,
            "name": p.name,
            "group": p.group,
            "location": p.location,
            "division": directory.name(p.division_code),
            "investment": fmt(p.investment_wan, 0),
            "period": p.period_text,
            "percent": f"{p.latest_percent.normalize():f}%",
            "spent": fmt(p.latest_spent_wan, 0),
            "reported_on": p.latest_report_on.isoformat() if p.latest_report_on else "未报告",
            "status": (
                "已完工" if p.latest_percent >= 100
                else ("逾期未完工" if p.end_year < now.year or (p.end_year <= year and kind == ReportKind.FINAL) else "在建")
            ),
        })
    investment = sum((p.investment_wan for p in projects_for(actor, plan)), Decimal(0))
    spent = sum((p.latest_spent_wan for p in projects_for(actor, plan)), Decimal(0))
    latest = max((r.as_of for r in rows if r.as_of), default=None)
    counts = status_counts(main)
    return {
        "plan": plan,
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "title": report_title(plan, kind),
        "year": year,
        "expected": expected,
        "generated_at": timezone.localtime(now).strftime("%Y年%m月%d日 %H:%M"),
        "generated_date": timezone.localtime(now).strftime("%Y年%m月%d日"),
        "author": author,
        "as_of": _local(latest),
        "counts": counts,
        "counts_text": (
            f"{len(main)}项主要指标中，进度正常（绿）{counts['on_track']}项，存在风险（黄）{counts['at_risk']}项，"
            f"进度滞后（红）{counts['off_track']}项，暂无数据或无法评价{counts['no_data'] + counts['not_assessable']}项"
        ),
        "main": main_items,
        "other": other_items,
        "bars": bars,
        "chart_title": chart_title,
        "projects": projects,
        "investment": fmt(investment, 0),
        "spent": fmt(spent, 0),
        "spent_share": f"{(spent / investment * 100).quantize(Decimal('0.1'))}%" if investment else "—",
        "sections": [
            {"key": key, "title": title, "paragraphs": _paragraphs(texts.get(key, "")) or ["（未填写）"]}
            for key, title, _ in SECTIONS[kind]
        ],
        "narrative_version": narrative.version if narrative else 0,
        "narrative": {k: texts.get(k, "") for k in SECTION_KEYS},
        "font_stack": FONT_STACK,
    }


def render_pdf(context: dict) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    svg = progress_chart_svg(context["bars"], expected=context["expected"], title=context["chart_title"])
    html = render_to_string(
        "planning/report_pdf.html",
        {**context, "chart_src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()},
    )
    return HTML(string=html).write_pdf()


def _set_cjk_font(run, name: str = "FangSong", east_asia: str = "仿宋_GB2312", size: float | None = None, bold=None):
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _para(doc, text: str, *, size=12, bold=False, align=None, east_asia="仿宋_GB2312", indent=False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    _set_cjk_font(run, east_asia=east_asia, size=size, bold=bold)
    return p


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float] | None = None):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        _set_cjk_font(cell.paragraphs[0].add_run(h), east_asia="黑体", size=9, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = ""
            _set_cjk_font(cells[i].paragraphs[0].add_run(str(value)), size=9)
    if widths_cm:
        for row in table.rows:
            for i, w in enumerate(widths_cm):
                row.cells[i].width = Cm(w)
    return table


def render_docx(context: dict) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)

    _para(doc, context["title"], size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, east_asia="方正小标宋简体")
    _para(doc, f"评估年度：{context['year']}年　数据截至：{context['as_of']}", size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"生成时间：{context['generated_at']}　生成人：{context['author']}", size=11, align=WD_ALIGN_PARAGRAPH.CENTER)

    sections = context["sections"]
    _para(doc, sections[0]["title"], size=14, bold=True, east_asia="黑体")
    for text in sections[0]["paragraphs"]:
        _para(doc, text, indent=True)

    _para(doc, "附：主要指标完成情况", size=14, bold=True, east_asia="黑体")
    _para(doc, context["counts_text"] + "。", indent=True)
    png = progress_chart_png(context["bars"], expected=context["expected"], title=context["chart_title"])
    doc.add_picture(io.BytesIO(png), width=Cm(22))
    _table(
        doc,
        ["序号", "指标名称", "单位", "基期值", "目标值", "实际值", "完成进度", "状态", "属性", "来源", "数据截至"],
        [[m["code"], m["name"], m["unit"], m["baseline"], m["target"], f"{m['actual']}（{m['period']}）",
          m["progress"], m["status"], m["attribute"], m["source"], m["as_of"]] for m in context["main"]],
        [1.0, 6.5, 1.3, 1.8, 3.2, 2.6, 1.8, 1.8, 1.4, 1.8, 2.6],
    )
    _para(doc, "指标逐项说明", size=13, bold=True, east_asia="黑体")
    for m in context["main"]:
        _para(doc, _item_sentence(m, context["year"]), size=11, indent=True)

    _para(doc, "其他量化目标完成情况", size=14, bold=True, east_asia="黑体")
    _table(
        doc,
        ["编号", "目标", "单位", "目标值", "实际值", "状态", "来源", "数据截至"],
        [[m["code"], m["name"], m["unit"], m["target"], m["actual"], m["status"], m["source"], m["as_of"]]
         for m in context["other"]],
        [1.2, 9.0, 1.4, 2.6, 2.6, 2.0, 2.0, 3.0],
    )

    _para(doc, "重点项目实施情况", size=14, bold=True, east_asia="黑体")
    _para(doc, f"规划重点项目{len(context['projects'])}个，总投资{context['investment']}万元，"
               f"累计完成投资{context['spent']}万元（{context['spent_share']}）。", indent=True)
    _table(
        doc,
        ["编号", "项目名称", "建设地点", "总投资（万元）", "建设期限", "完成进度", "累计完成投资（万元）", "状态", "最近报告"],
        [[p["code"], p["name"], p["location"], p["investment"], p["period"], p["percent"], p["spent"], p["status"],
          p["reported_on"]] for p in context["projects"]],
        [1.2, 5.5, 5.5, 2.2, 2.0, 1.8, 2.6, 2.0, 2.4],
    )
    for s in sections[1:]:
        _para(doc, s["title"], size=14, bold=True, east_asia="黑体")
        for text in s["paragraphs"]:
            _para(doc, text, indent=True)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _item_sentence(m: dict, year: int) -> str:
    return (
        f"（{m['code']}）{m['name']}：基期值{m['baseline']}，目标值{m['target']}，"
        f"{m['period']}实际值{m['actual']}（{m['source']}，数据截至{m['as_of']}），"
        f"状态：{m['status']}" + (f"，{m['explanation']}" if m["explanation"] else "") + "。"
    )


def item_sentences(context: dict) -> list[str]:
    return [_item_sentence(m, context["year"]) for m in context["main"]]
