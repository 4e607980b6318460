"""Excel import of indicator values: the template, the preview with row errors, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.planning.actions import do_set_period_lock
from minzheng.planning.imports import do_commit_import, do_preview_import, template_xlsx
from minzheng.planning.models import ValueSubmission

from .conftest import DUNREN


def workbook(plan, actor, rows) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(plan, actor)))
    ws = wb["指标数据"]
    ws.delete_rows(2)  # the grey example row
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["7", "社会工作专业人才数量", 2024, None, "全区", 5200, None, None, dt.datetime(2024, 12, 31), "区社工协会统计表"],
    ["13", "", 2024, None, "敦仁街道", None, 52000, 65000, "2024-12-31", "火化区户籍人口统计"],
    ["5", "", 2024, 6, "全区", 140, None, None, "2024年6月30日", "福彩中心网点台账"],
]


def test_template_has_instructions_a_dictionary_and_no_ids(plan, actor_of, district_staff):
    wb = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(plan, actor_of(district_staff))))
    assert wb.sheet_names == ["指标数据", "字典", "填表说明"]
    header = wb.get_sheet_by_name("指标数据").to_python()[0]
    assert header[:5] == ["指标编号*", "指标名称", "年度*", "月份", "区划*"]
    assert not any("ID" in h.upper() or "主键" in h for h in header)
    codes = [r[0] for r in wb.get_sheet_by_name("字典").to_python()[1:] if r[0]]
    assert "7" in codes and "O06" in codes
    assert "2" not in codes and "O28" not in codes  # computed from parameters; repeats 16
    towns = [r[4] for r in wb.get_sheet_by_name("字典").to_python()[1:] if r[4]]
    assert towns[0] == "全区" and "珍溪镇" in towns and len(towns) == 28
    notes = "".join(str(c) for r in wb.get_sheet_by_name("填表说明").to_python() for c in r)
    assert "整批不导入" in notes


def test_a_good_file_previews_then_imports_every_row_for_approval(plan, actor_of, district_staff):
    actor = actor_of(district_staff)
    batch = do_preview_import(actor, plan, file_name="2024年指标.xlsx", content=workbook(plan, actor, GOOD))
    assert batch.errors == [] and [r["row"] for r in batch.rows] == [2, 3, 4]
    assert batch.rows[1]["value"] == "80" and batch.rows[2]["month"] == 6
    assert not ValueSubmission.objects.exists()  # nothing before confirmation
    assert do_commit_import(actor, batch.pk) == 3
    subs = {s.indicator.code: s for s in ValueSubmission.objects.select_related("indicator")}
    assert subs["7"].value == D(5200) and subs["7"].status == "pending" and subs["7"].import_batch_id == batch.pk
    assert subs["13"].division_code == DUNREN and (subs["13"].numerator, subs["13"].denominator) == (D(52000), D(65000))
    assert subs["5"].as_of == dt.date(2024, 6, 30)
    with pytest.raises(DomainError, match="已导入"):
        do_commit_import(actor, batch.pk)


def test_row_errors_name_the_row_and_column_and_nothing_is_imported(plan, actor_of, district_staff):
    actor = actor_of(district_staff)
    rows = GOOD + [
        ["2", "", 2024, None, "全区", 81, None, None, "2024-12-31", "参数表"],  # computed
        ["7", "", 2024, None, "全区", 5300, None, None, "2024-12-31", "重复一行"],  # duplicate of row 2
        ["9", "", 2024, None, "火星镇", 50, None, None, "2024-12-31", "台账统计"],  # unknown division
        ["13", "", 2024, None, "珍溪镇", 70, None, None, "2024-12-31", "台账统计"],  # town ratio without num/den
        ["8", "", "二〇二四", None, "全区", 1000, None, None, "2024/13/01", ""],  # bad year, date, evidence
    ]
    batch = do_preview_import(actor, plan, file_name="有错.xlsx", content=workbook(plan, actor, rows))
    messages = {(e["row"], e["column"]) for e in batch.errors}
    assert (5, "指标编号") in messages
    assert (6, "指标编号") in messages and any("与第2行重复" in e["message"] for e in batch.errors)
    assert (7, "区划") in messages
    assert (8, "分子") in messages
    assert {(9, "年度"), (9, "数据截至日期")} <= messages
    with pytest.raises(DomainError, match="有错误"):
        do_commit_import(actor, batch.pk)
    assert not ValueSubmission.objects.exists()


def test_a_lock_set_after_the_preview_stops_the_whole_batch(plan, actor_of, district_staff, district_checker):
    actor = actor_of(district_staff)
    batch = do_preview_import(actor, plan, file_name="x.xlsx", content=workbook(plan, actor, GOOD))
    do_set_period_lock(actor_of(district_checker), plan, year=2024, locks_on=dt.date(2025, 3, 31))
    with pytest.raises(DomainError, match="整批未导入"):
        do_commit_import(actor, batch.pk)
    assert not ValueSubmission.objects.exists()


def test_someone_elses_batch_is_not_found(plan, actor_of, district_staff, district_checker):
    actor = actor_of(district_staff)
    batch = do_preview_import(actor, plan, file_name="x.xlsx", content=workbook(plan, actor, GOOD))
    with pytest.raises(NotFound):
        do_commit_import(actor_of(district_checker), batch.pk)


def test_not_an_excel_file(plan, actor_of, district_staff):
    with pytest.raises(ValidationFailed, match="xlsx"):
        do_preview_import(actor_of(district_staff), plan, file_name="a.csv", content=b"code,value\n7,1\n")


def test_import_pages(client, plan, district_staff, actor_of):
    client.force_login(district_staff)
    template = client.get("/planning/import/template.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    upload = io.BytesIO(workbook(plan, actor_of(district_staff), GOOD[:1]))
    upload.name = "指标.xlsx"
    response = client.post("/planning/import/", {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert 'id="ok-rows">1<' in preview and "确认导入" in preview
    done = client.post(response["Location"], {"decision": "commit"})
    assert done.status_code == 302 and ValueSubmission.objects.count() == 1
