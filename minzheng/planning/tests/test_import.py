"""指标数值导入 through exchange (spec planning_values): the template, the preview with row
errors, all-or-nothing, each row through do_submit_value (the entry form's action)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from minzheng.core.errors import NotFound
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode, ImportBatch
from minzheng.exchange.selectors import access_batch_by_id, specs_for
from minzheng.exchange.workbook import build_template
from minzheng.planning.actions import do_set_period_lock
from minzheng.planning.imports import KIND, SPEC, template_notes
from minzheng.planning.models import ValueSubmission

from .conftest import DUNREN


def template_xlsx(actor) -> bytes:
    return build_template(SPEC, extra_lines=template_notes(actor))


def workbook(actor, rows) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(actor)))
    ws = wb["指标数据"]
    ws.delete_rows(2)  # the grey example row
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview(actor, content: bytes, filename: str = "x.xlsx") -> ImportBatch:
    return do_preview_import(actor, KIND, filename=filename, content=content).batch


def commit(actor, batch) -> ImportBatch:
    return do_commit_import(actor, batch if isinstance(batch, int) else batch.pk, CommitMode.GOOD_ROWS_ONLY)


GOOD = [
    ["7", "社会工作专业人才数量", 2024, None, "全区", 5200, None, None, dt.datetime(2024, 12, 31), "区社工协会统计表"],
    ["13", "", 2024, None, "敦仁街道", None, 52000, 65000, "2024-12-31", "火化区户籍人口统计"],
    ["O10", "", 2024, 6, "全区", 3, None, None, "2024年6月30日", "市级社区治理示范点命名文件"],
]


def test_template_has_instructions_the_enterable_codes_and_no_ids(plan, actor_of, district_staff):
    wb = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(actor_of(district_staff))))
    assert wb.sheet_names == ["指标数据", "填表说明"]  # exchange's template; no dropdowns, so no 字典
    header = wb.get_sheet_by_name("指标数据").to_python()[0]
    assert header[:5] == ["指标编号*", "指标名称", "年度*", "月份", "区划*"]
    assert not any("ID" in h.upper() or "主键" in h for h in header)
    notes = [str(c) for r in wb.get_sheet_by_name("填表说明").to_python() for c in r]
    codes_line = next(n for n in notes if "可填报的指标" in n)
    codes = {part.split(" ")[0] for part in codes_line.split("：", 1)[1].split("；")}
    assert "7" in codes and "O06" in codes
    assert "2" not in codes and "O28" not in codes  # computed from parameters; repeats 16
    towns = next(n for n in notes if "可填写的区划" in n).split("：", 1)[1].split("、")
    assert towns[0] == "全区" and "珍溪镇" in towns and len(towns) == 28
    assert any("整批不导入" in n for n in notes)


def test_the_spec_is_not_a_department_feed(plan, actor_of, district_staff, district_leader):
    actor = actor_of(district_staff)
    assert KIND not in {s.kind for s in specs_for(actor)}
    assert [s.kind for s in specs_for(actor, group="planning")] == [KIND]
    assert specs_for(actor_of(district_leader), group="planning") == []  # no EDIT_INDICATORS


def test_a_good_file_previews_then_imports_every_row_for_approval(plan, actor_of, district_staff):
    actor = actor_of(district_staff)
    content = workbook(actor, GOOD)
    batch = preview(actor, content, "2024年指标.xlsx")
    assert batch.errors == [] and (batch.status, batch.total_rows, batch.valid_rows) == (BatchStatus.PREVIEW, 3, 3)
    assert batch.summary["plan_id"] == plan.pk
    assert not ValueSubmission.objects.exists()  # nothing before confirmation
    batch = commit(actor, batch)
    assert (batch.status, batch.imported_rows, batch.mode) == (BatchStatus.COMMITTED, 3, CommitMode.ALL_OR_NOTHING)
    subs = {s.indicator.code: s for s in ValueSubmission.objects.select_related("indicator")}
    assert subs["7"].value == D(5200) and subs["7"].status == "pending" and subs["7"].import_batch_id == batch.pk
    assert subs["13"].division_code == DUNREN and (subs["13"].numerator, subs["13"].denominator) == (D(52000), D(65000))
    assert subs["13"].value == D(80)
    assert subs["O10"].as_of == dt.date(2024, 6, 30) and subs["O10"].month == 6
    assert commit(actor, batch).status == BatchStatus.COMMITTED  # was: DomainError "已导入"; committing again changes nothing
    assert ValueSubmission.objects.count() == 3
    again = do_preview_import(actor, KIND, filename="2024年指标.xlsx", content=content)
    assert again.duplicate and again.batch.pk == batch.pk and ValueSubmission.objects.count() == 3


def test_row_errors_name_the_row_and_column_and_nothing_is_imported(plan, actor_of, district_staff):
    actor = actor_of(district_staff)
    rows = GOOD + [
        ["2", "", 2024, None, "全区", 81, None, None, "2024-12-31", "参数表"],  # computed
        ["7", "", 2024, None, "全区", 5300, None, None, "2024-12-31", "重复一行"],  # duplicate of row 2
        ["9", "", 2024, None, "火星镇", 50, None, None, "2024-12-31", "台账统计"],  # unknown division
        ["13", "", 2024, None, "珍溪镇", 70, None, None, "2024-12-31", "台账统计"],  # town ratio without num/den
        ["8", "", "二〇二四", None, "全区", 1000, None, None, "2024/13/01", ""],  # bad year, date, evidence
    ]
    batch = preview(actor, workbook(actor, rows), "有错.xlsx")
    messages = {(r, c) for r, c, _m in batch.errors}
    assert (5, "指标编号") in messages
    assert (6, "指标编号") in messages and any("与第2行重复" in m for _r, _c, m in batch.errors)
    assert (7, "区划") in messages
    assert (8, "分子") in messages
    assert {(9, "年度"), (9, "数据截至日期")} <= messages
    batch = commit(actor, batch)  # was: DomainError "有错误"; now exchange refuses the batch
    assert batch.status == BatchStatus.REFUSED
    assert not ValueSubmission.objects.exists()
    detail = CalamineWorkbook.from_filelike(io.BytesIO(bytes(ImportBatch.objects.get(pk=batch.pk).report)))
    assert [r[0] for r in detail.get_sheet_by_name("错误明细").to_python()[1:]] == [5.0, 6.0, 7.0, 8.0, 9.0]


def test_a_lock_set_after_the_preview_stops_the_whole_batch(plan, actor_of, district_staff, district_checker):
    actor = actor_of(district_staff)
    batch = preview(actor, workbook(actor, GOOD))
    do_set_period_lock(actor_of(district_checker), plan, year=2024, locks_on=dt.date(2025, 3, 31))
    batch = commit(actor, batch)  # was: DomainError "整批未导入"; now the refused batch names the row
    assert batch.status == BatchStatus.REFUSED
    assert batch.errors[0][:2] == [2, ""] and "2024年度数据已于2025年03月31日后锁定" in batch.errors[0][2]
    assert not ValueSubmission.objects.exists()


def test_someone_elses_batch_is_not_found(plan, actor_of, district_staff, district_checker):
    actor = actor_of(district_staff)
    batch = preview(actor, workbook(actor, GOOD))
    with pytest.raises(NotFound):
        commit(actor_of(district_checker), batch)
    with pytest.raises(NotFound):
        access_batch_by_id(actor_of(district_checker), batch.pk)


def test_a_town_officer_imports_only_for_the_town_and_another_town_cannot_see_the_batch(plan, actor_of, dunren_officer, zhenxi_officer):
    dunren = actor_of(dunren_officer)
    rows = [
        ["13", "", 2024, None, "敦仁街道", None, 52000, 65000, "2024-12-31", "火化区户籍人口统计"],
        ["13", "", 2024, None, "珍溪镇", None, 100, 200, "2024-12-31", "火化区户籍人口统计"],
    ]
    batch = preview(dunren, workbook(dunren, rows))
    assert [e[:2] for e in batch.errors] == [[3, "区划"]]
    batch = preview(dunren, workbook(dunren, rows[:1]))
    with pytest.raises(NotFound):
        access_batch_by_id(actor_of(zhenxi_officer), batch.pk)
    with pytest.raises(NotFound):
        commit(actor_of(zhenxi_officer), batch)
    assert commit(dunren, batch).status == BatchStatus.COMMITTED
    assert ValueSubmission.objects.get().division_code == DUNREN


def test_not_an_excel_file(plan, actor_of, district_staff):
    batch = preview(actor_of(district_staff), b"\x00\x01garbage", "a.pdf")
    assert batch.status == BatchStatus.REFUSED and batch.file_errors  # was: ValidationFailed; exchange keeps the refusal
    assert not ValueSubmission.objects.exists()


def test_import_pages(client, plan, district_staff, actor_of):
    client.force_login(district_staff)
    assert client.get("/planning/import/")["Location"] == f"/exchange/feeds/{KIND}/upload/"
    assert f"/exchange/feeds/{KIND}/upload/" in client.get("/planning/entry/").content.decode()
    template = client.get(f"/exchange/feeds/{KIND}/template.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    upload = io.BytesIO(workbook(actor_of(district_staff), GOOD[:1]))
    upload.name = "指标.xlsx"
    response = client.post(f"/exchange/feeds/{KIND}/upload/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "确认导入" in page and 'value="good_rows_only"' not in page
    done = client.post(response["Location"], {"action": "all_or_nothing"})
    assert done.status_code == 302 and ValueSubmission.objects.count() == 1
    assert "指标数值" in client.get("/exchange/?group=planning").content.decode()
