"""Evaluation reports generated and read back: the PDF through pdftotext, the DOCX through
python-docx. Each indicator's name and value must be in the text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from minzheng.core.models import AuditEvent
from minzheng.planning.actions import do_generate_report, do_recompute_indicators, do_save_narrative
from minzheng.planning.demo import seed_demo
from minzheng.planning.models import GeneratedReport, Plan
from minzheng.planning.reports import report_context
from minzheng.planning.selectors import scorecard

DISTRICT_CODE = "500102"  # 涪陵区, the test settings' district


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    seed_demo(seed=7, scale=0.01)

    return Plan.objects.get(code="2021-2025")


def squash(text: str) -> str:
    """pdftotext breaks lines inside table cells and paragraphs: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_final_report_pdf_contains_every_indicator_with_its_value(demo, actor_of, district_staff):
    actor = actor_of(district_staff)
    do_save_narrative(actor, demo, "final", {
        "overview": "五年来全区民政事业发展目标总体完成。", "achievements": "养老床位超过八千张。",
        "problems": "节地生态葬式占比未达目标。", "next_steps": "建议十五五规划延续养老服务指标。",
    })
    report = do_generate_report(actor, demo, kind="final", fmt="pdf")
    assert report.year == 2025 and report.generated_by_id == district_staff.pk and report.size > 10_000
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", report.file.path, "-"], capture_output=True, check=True,
                          text=True).stdout
    flat = squash(text)
    assert "涪陵区民政事业发展“十四五”规划实施情况终期评估报告" in flat
    rows = scorecard(actor, demo, year=2025, division_code=DISTRICT_CODE)
    assert len(rows) == 51
    for r in rows[:19]:
        assert squash(r.indicator.name) in flat, r.indicator.name
        assert r.value is not None, r.indicator.code
        sentence = squash(f"（{r.indicator.code}）{r.indicator.name}：基期值{r.shown_baseline}，目标值{r.shown_target}，"
                          f"{r.period_label}实际值{r.shown_value}")
        assert sentence in flat, sentence
        assert squash(r.assessment.label) in flat
    assert "五年来全区民政事业发展目标总体完成。" in flat and "建议十五五规划延续养老服务指标。" in flat
    assert "清溪特困供养设施项目" in flat and "2,875" in flat  # the key-projects table
    assert "数据截至" in flat
    fonts = subprocess.run(["pdffonts", report.file.path], capture_output=True, text=True).stdout
    assert "CJK" in fonts  # Noto CJK embedded


def test_final_report_docx_contains_every_indicator_with_its_value(demo, actor_of, district_staff):
    actor = actor_of(district_staff)
    report = do_generate_report(actor, demo, kind="final", fmt="docx")
    doc = Document(report.file.path)
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    indicator_rows = {row[0]: row for row in cells if row and re.fullmatch(r"\d+", row[0])}
    for r in scorecard(actor, demo, year=2025, division_code=DISTRICT_CODE)[:19]:
        row = indicator_rows[r.indicator.code]
        assert row[1] == r.indicator.name
        assert row[5].startswith(r.shown_value) and row[7] == r.assessment.label
        assert f"{r.period_label}实际值{r.shown_value}" in paragraphs
    assert "终期评估报告" in paragraphs
    assert len(doc.inline_shapes) == 1  # the progress chart (PNG)
    east_asia = {
        run.element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for run in p.runs if run.element.rPr is not None
    }
    assert "仿宋_GB2312" in east_asia  # CJK font set through w:eastAsia, not only the Latin name


@pytest.fixture
def plan_2023(plan, system_actor, settings, tmp_path):
    """The plan with only its computed 2023 figures: enough for the report machinery."""
    settings.MEDIA_ROOT = tmp_path / "media"
    do_recompute_indicators(system_actor, plan, year=2023)
    return plan


def test_mid_term_report_reads_2023_and_is_kept_with_date_and_author(plan_2023, actor_of, district_staff):
    demo = plan_2023
    actor = actor_of(district_staff)
    context = report_context(actor, demo, "midterm", author="测试")
    assert context["year"] == 2023 and context["expected"] == 60.0
    assert all(m["period"].startswith("2023") for m in context["main"] if m["actual"] != "—")
    first = do_generate_report(actor, demo, kind="midterm", fmt="pdf")
    second = do_generate_report(actor, demo, kind="midterm", fmt="docx")
    kept = GeneratedReport.objects.filter(plan=demo, kind="midterm").order_by("id")
    assert list(kept) == [first, second]
    assert all(g.file.storage.exists(g.file.name) and g.generated_at and g.generated_by_name for g in kept)
    assert AuditEvent.objects.filter(object_type="planning_report", action="export").count() == 2


def test_reports_page_edits_text_then_generates(client, plan_2023, district_staff, actor_of):
    do_save_narrative(actor_of(district_staff), plan_2023, "final", {"overview": "初稿。"})
    client.force_login(district_staff)
    page = client.get("/planning/reports/", {"kind": "final"}).content.decode()
    assert "初稿。" in page  # the saved text, ready to edit
    response = client.post("/planning/reports/", {
        "kind": "final", "action": "save", "version": 1, "overview": "总体完成。", "achievements": "成效显著。",
        "problems": "", "next_steps": "",
    })
    assert response.status_code == 302
    client.post("/planning/reports/", {"kind": "final", "action": "docx"})
    report = GeneratedReport.objects.get()
    assert report.narrative["overview"] == "总体完成。" and report.narrative_version == 2
    download = client.get(f"/planning/reports/{report.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download.getvalue().startswith(b"PK")  # a docx; reading it to its end closes the file
    # A stale form (version 1 again) is refused rather than overwriting the newer text.
    stale = client.post("/planning/reports/", {"kind": "final", "action": "save", "version": 1, "overview": "旧文字"})
    assert "已被他人修改" in stale.content.decode()
    assert "旧文字" not in GeneratedReport.objects.get().narrative.values()
