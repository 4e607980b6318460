"""Approval notice and refusal letter as A4 PDF, read back with pdftotext."""

import re

import pytest

from minzheng.assistance import actions, documents
from minzheng.assistance.enums import Outcome, Status
from minzheng.assistance.tests.pdftext import pdf_pages, pdf_text
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_approval_notice_pdf_has_the_decision_explanation_and_signature_blocks(staff, new_case, walk):
    app = walk.to(new_case(), "approved")
    pdf = documents.decision_notice_pdf(staff.district, app)
    assert pdf_pages(pdf) == 1
    text = squash(pdf_text(pdf))
    assert "准予最低生活保障决定书" in text
    assert f"编号：{app.number}" in text
    assert "王大贵（身份证号码：500102********" in text
    assert "保障人数2人，月保障金额960.00元，自2026年12月起按月发放" in text
    assert re.search(r"家庭月人均收入低于当地低保标准(参数待确认)?350\.00元770\.00元符合", text)
    assert "参数待确认" in text
    assert "差额救助（家庭）840.00元" in text
    assert "分类施保增发（王大贵）60.00元" in text
    assert "经办人：" in text and "审核人：" in text and "重庆市涪陵区民政局（盖章）" in text
    assert "2026年11月9日" in text
    assert "六十日内依法申请行政复议" in text
    assert AuditEvent.objects.filter(action="print", object_id=str(app.pk)).count() == 1


def test_refusal_letter_pdf_gives_the_reasons_in_chinese(staff, new_case, walk, rich_household):
    app = walk.to(new_case(household=rich_household), Status.REVIEW)
    app = walk.review(app, outcome=Outcome.REFUSE, opinion="收入超过标准")
    app = actions.do_refuse_application(staff.district, app, expected_version=app.version, reasons="家庭月人均收入3200.00元，高于当地低保标准770.00元。")
    with pytest.raises(Exception):
        documents.decision_notice_pdf(staff.district, app)
    text = squash(pdf_text(documents.refusal_letter_pdf(staff.district, app)))
    assert "不予最低生活保障决定书" in text
    assert "理由：家庭月人均收入3200.00元，高于当地低保标准770.00元。" in text
    assert re.search(r"家庭月人均收入低于当地低保标准(参数待确认)?3200\.00元770\.00元", text)
    assert "重庆市涪陵区民政局（盖章）" in text
