"""Printable reports (PDF through WeasyPrint with the Noto CJK fonts)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from minzheng.divisions.directory import get_directory
from minzheng.eldercare.enums import AssessmentReason, CapabilityLevel
from minzheng.eldercare.models import Assessment
from minzheng.eldercare.scoring import DIMENSIONS, ITEMS


def assessment_report_context(assessment: Assessment) -> dict:
    person = assessment.person
    dimensions = []
    for code, label in DIMENSIONS:
        rows = [
            {"label": i.label, "code": i.code, "score": assessment.items.get(i.code), "max": i.max_score}
            for i in ITEMS
            if i.dimension == code
        ]
        dimensions.append(
            {"label": label, "rows": rows, "score": assessment.dimension_scores.get(code), "max": sum(r["max"] for r in rows)}
        )
    return {
        "a": assessment,
        "person": person,
        "division": get_directory().path_name(assessment.division_code),
        "reason": AssessmentReason(assessment.reason).label,
        "preliminary": CapabilityLevel(assessment.preliminary_level).label,
        "final": CapabilityLevel(assessment.final_level).label,
        "dimensions": dimensions,
        "printed_at": timezone.localtime(),
    }


def assessment_pdf(assessment: Assessment) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    html = render_to_string("eldercare/assessment_report.html", assessment_report_context(assessment))
    return HTML(string=html).write_pdf()
