"""The lottery centre's sales file through the one intake path: the downloaded template round
trip, a file with a bad row refused whole (the row named, nothing written), the corrected file
landing once, the same file again a duplicate, a month already imported refused by name."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode
from minzheng.exchange.workbook import build_template
from minzheng.lottery import actions, imports
from minzheng.lottery.models import MonthlySales

from .conftest import D, sales_file

pytestmark = pytest.mark.django_db


def upload(actor, content: bytes, filename: str = "销售额.xlsx"):
    return do_preview_import(actor, imports.KIND, filename=filename, content=content)


def errors_of(batch) -> dict:
    return {(r, c): m for r, c, m in batch.errors}


def test_template_round_trip_lands_once(staff, outlets):
    book = openpyxl.load_workbook(io.BytesIO(build_template(imports.SPEC)))
    sheet = book["数据"]
    sheet.delete_rows(2)  # the grey example row
    sheet.append(["50010200001", "2026-11", "125000.50"])
    sheet.append(["50010200002", "2026-11", "98000"])
    buf = io.BytesIO()
    book.save(buf)
    batch = upload(staff.district, buf.getvalue()).batch
    assert (batch.status, batch.total_rows, batch.error_rows) == (BatchStatus.PREVIEW, 2, 0)
    assert not MonthlySales.objects.exists()
    batch = do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING)
    assert batch.status == BatchStatus.COMMITTED
    rows = sorted(MonthlySales.objects.values_list("outlet__licence_no", "month", "sales_fen", "batch_id"))
    assert rows == [("50010200001", D(2026, 11, 1), 12500050, batch.pk), ("50010200002", D(2026, 11, 1), 9800000, batch.pk)]
    again = upload(staff.district, buf.getvalue())
    assert again.duplicate and again.batch.pk == batch.pk and MonthlySales.objects.count() == 2


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row(staff, outlets):
    content = sales_file([
        ["50010200001", "2026-10", "120000"],
        ["50010200001", "2026-09", "-5"],          # a negative sale
        ["50019999999", "2026-10", "100"],         # an unknown outlet
        ["50010200002", "2021-02", "100"],         # before the outlet opened (2021-03-01)
        ["50010200001", "2026-10", "1"],           # the same outlet and month twice
    ])  # fmt: skip
    batch = upload(staff.district, content).batch
    assert errors_of(batch) == {
        (3, "销售额（元）"): "金额不能为负数",
        (4, "投注站编号"): "投注站编号“50019999999”未登记或不在您的管辖范围内",
        (5, "销售月份"): "投注站50010200002在2021-02未营业（开业2021-03-01）",
        (6, ""): "与第2行重复",
    }
    batch = do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING)
    assert batch.status == BatchStatus.REFUSED and not MonthlySales.objects.exists()
    fixed = upload(staff.district, sales_file([["50010200001", "2026-10", "120000"], ["50010200002", "2026-10", "80000.25"]])).batch
    assert do_commit_import(staff.district, fixed, CommitMode.ALL_OR_NOTHING).status == BatchStatus.COMMITTED
    assert sum(MonthlySales.objects.values_list("sales_fen", flat=True)) == 12000000 + 8000025


def test_a_month_already_imported_is_refused_by_name(staff, outlets):
    dunren, _ = outlets
    actions.do_record_sales(staff.district, dunren, month=D(2026, 10, 1), sales_fen=100)
    batch = upload(staff.district, sales_file([["50010200001", "2026-10", "200"]])).batch
    assert errors_of(batch) == {(2, "销售月份"): "投注站50010200001的2026-10销售额已导入，不能重复导入"}
    assert list(MonthlySales.objects.values_list("sales_fen", flat=True)) == [100]


def test_the_action_refuses_a_negative_sale_and_writes_nothing(staff, outlets):
    dunren, _ = outlets
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_sales(staff.district, dunren, month=D(2026, 10, 1), sales_fen=-1)
    assert e.value.errors == {"sales": "销售额不能为负数"}
    assert not MonthlySales.objects.exists()
