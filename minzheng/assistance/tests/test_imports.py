"""Imports of the assistance line, through exchange (the one intake path): departments' data
for the economic check (matched by blind index, unmatched rows reported) and the existing
rosters (preview with row errors, all or nothing, committed through do_create_enrolment)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from minzheng.assistance import imports
from minzheng.assistance.actions import evaluate_application
from minzheng.assistance.enums import ImportKind, Status
from minzheng.assistance.models import DepartmentRecord, EconomicCheck, Enrolment, EnrolmentChange
from minzheng.assistance.tests.test_payroll import enrol
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import NotFound, PermissionDenied
from minzheng.core.models import AuditEvent
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode, ImportBatch
from minzheng.exchange.selectors import access_batch_by_id, specs_for
from minzheng.exchange.spec import get_spec
from minzheng.exchange.workbook import build_template
from minzheng.registry.models import Household, Person
from minzheng.assistance import actions
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list], *, numeric_ids: bool = False) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": numeric_ids})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    return buf.getvalue()


def full_id(person) -> str:
    return decrypt_text(person.id_number_encrypted)


def template_xlsx(kind: str) -> bytes:
    return build_template(imports.SPECS[kind])


def upload(actor, kind: str, content: bytes, filename: str = "x.xlsx") -> ImportBatch:
    return do_preview_import(actor, imports.spec_kind(kind), filename=filename, content=content).batch


def commit(actor, batch: ImportBatch) -> ImportBatch:
    # The mode asked for does not matter: every assistance spec is all-or-nothing.
    return do_commit_import(actor, batch, CommitMode.GOOD_ROWS_ONLY)


def row_errors(batch: ImportBatch) -> list[dict]:
    return [{"row": r, "column": c, "message": m} for r, c, m in batch.errors]


def report(batch: ImportBatch) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(bytes(ImportBatch.objects.get(pk=batch.pk).report)))


def test_templates_are_exchange_templates_with_marked_headers_and_instructions():
    for kind in imports.SPECS:
        book = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(kind)))
        # exchange's layout; the hidden 字典 sheet only for the rosters, which have dropdowns
        dictionary = ["字典"] if kind in ("roster_dibao", "roster_tekun") else []
        assert book.sheet_names == ["数据", "填表说明", *dictionary]
        header = book.get_sheet_by_name("数据").to_python()[0]
        assert any(h.endswith("*") for h in header)
    header = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(ImportKind.ROSTER_DIBAO))).get_sheet_by_index(0).to_python()[0]
    assert header[:4] == ["户编号*", "身份证号码*", "姓名*", "与户主关系*"]


def test_assistance_specs_are_exchange_specs_but_not_department_feeds(staff):
    kinds = {s.kind for s in specs_for(staff.district, group="assistance")}
    assert kinds == {f"assistance_{k}" for k in ("roster_dibao", "roster_tekun", "dept_pension", "dept_wages", "dept_business", "dept_vehicle", "dept_real_estate", "dept_deposits", "dept_provident_fund")}
    assert all(get_spec(k).all_or_nothing for k in kinds)
    assert not any(s.kind.startswith("assistance_") for s in specs_for(staff.district))  # not on /exchange/'s feed list
    # Deaths reported by departments are not imported here (discovery's death feed is the one intake).
    assert get_spec("assistance_dept_death") is None


def test_wage_data_replaces_the_declared_wage_and_unmatched_rows_are_reported(staff, new_case, walk, poor_household, id_number):
    wife = Person.objects.filter(household=poor_household).order_by("id")[1]
    stranger = id_number("19800101", "333")
    rows = [
        ["身份证号码*", "姓名", "单位名称", "月工资收入（元）*", "数据日期"],
        [full_id(wife), "刘小芳", "某某建材公司", "900.00", "2026-10-31"],
        [stranger, "陌生人", "某公司", "3000", "2026-10-31"],
        ["500102195201207808", "错号码", "某公司", "100", ""],
    ]
    batch = upload(staff.district, ImportKind.DEPT_WAGES, xlsx(rows), "工资.xlsx")
    assert row_errors(batch) == [{"row": 4, "column": "身份证号码", "message": "身份证号码校验位错误，请核对"}]
    assert batch.unmatched_rows == 1
    assert report(batch).get_sheet_by_name("未匹配人员").to_python()[1][:3] == [3.0, stranger[:6] + "********" + stranger[-4:], "陌生人"]
    batch = commit(staff.district, batch)
    assert batch.status == BatchStatus.REFUSED  # was: DomainError "未导入任何数据"; now exchange's refusal
    assert not DepartmentRecord.objects.exists()

    batch = commit(staff.district, upload(staff.district, ImportKind.DEPT_WAGES, xlsx(rows[:3]), "工资.xlsx"))
    assert batch.status == BatchStatus.COMMITTED and batch.summary["imported"] == 1 and batch.summary["unmatched"] == 1
    assert (batch.imported_rows, batch.unmatched_rows) == (1, 1)
    record = DepartmentRecord.objects.get()
    assert (record.person_id, record.monthly_income_fen, record.row_number, record.batch_id) == (wife.pk, 90000, 2, batch.pk)

    app = walk.to(new_case(), Status.REVIEW)
    check = EconomicCheck.objects.get(application=app)
    member = next(m for m in check.facts["household"]["members"] if m["id"] == str(wife.pk))
    assert member["monthly_income"]["wage"] == "900.00"  # the department's figure, not the declared 500
    wage_source = next(s for s in check.sources if s["member"] == "刘小芳" and "工资" in s["item"])
    assert wage_source["source"] == f"工资收入（税务/人社）（导入批次 {batch.pk}，第2行）"
    assert wage_source["id_number"].count("*") == 8
    # (300 + 900 × 0.8) / 2 = 510
    assert check.per_capita_income_fen == 51000


def test_the_same_department_file_twice_is_imported_once(staff, poor_household):
    head = poor_household.head
    content = xlsx([["身份证号码*", "姓名", "金融机构*", "资产类型", "余额或市值（元）*"], [full_id(head), head.name, "某银行", "定期存款", "600.00"]])
    first = commit(staff.district, upload(staff.district, ImportKind.DEPT_DEPOSITS, content))
    again = do_preview_import(staff.district, imports.spec_kind(ImportKind.DEPT_DEPOSITS), filename="x.xlsx", content=content)
    assert again.duplicate and again.batch.pk == first.pk
    assert DepartmentRecord.objects.count() == 1


def test_deposits_and_vehicles_feed_the_property_tests(staff, new_case, walk, poor_household):
    head = poor_household.head
    deposits = [["身份证号码*", "姓名", "金融机构*", "资产类型", "余额或市值（元）*"], [full_id(head), head.name, "某银行", "定期存款", "60000.00"]]
    vehicles = [["身份证号码*", "姓名", "号牌号码*", "品牌型号", "车辆现值（元）*"], [full_id(head), head.name, "渝G12345", "某品牌", "45000"]]
    for kind, rows in ((ImportKind.DEPT_DEPOSITS, deposits), (ImportKind.DEPT_VEHICLE, vehicles)):
        assert commit(staff.district, upload(staff.district, kind, xlsx(rows))).status == BatchStatus.COMMITTED
    app = walk.to(new_case(), Status.REVIEW)
    check = EconomicCheck.objects.get(application=app)
    assert (check.financial_assets_fen, check.vehicle_value_max_fen, check.vehicle_count) == (6000000, 4500000, 1)

    verdict, _ = evaluate_application(app)
    assert not verdict.eligible
    assert {c["code"] for c in verdict.failed_conditions} == {"financial_assets_within_limit", "no_vehicle_above_exemption"}


def test_numeric_id_cells_are_refused_with_the_text_format_hint(staff):
    rows = [["身份证号码*", "姓名", "待遇项目*", "月发放金额（元）*"], [500102195201207809, "张三", "养老金", "100"]]
    batch = upload(staff.district, ImportKind.DEPT_PENSION, xlsx(rows), "p.xlsx")
    assert "请将身份证号码列设置为文本格式后重新填写" in row_errors(batch)[0]["message"]  # exchange's wording


def test_department_data_is_imported_by_the_district_only(staff):
    with pytest.raises(PermissionDenied):
        upload(staff.town, ImportKind.DEPT_WAGES, b"x")


ROSTER_HEADER = ["户编号*", "身份证号码*", "姓名*", "与户主关系*", "村（社区）代码*", "城乡类别*", "月保障金额（元）", "保障起始年月", "开户银行", "银行账号"]


@pytest.fixture
def roster_rows(id_number, make_household):
    existing = make_household("500102006003", names=("老户主", "老伴"))
    existing_people = list(Person.objects.filter(household=existing).order_by("id"))
    return [
        ROSTER_HEADER,
        ["1", id_number("19600101", "011"), "新户主", "户主", "500102006001", "城镇", "1200.00", "2024-03", "农商行", "6228480000000000011"],
        ["1", id_number("19620202", "022"), "新配偶", "配偶", "500102006001", "", "", "", "", ""],
        ["1", id_number("20100303", "033"), "新孩子", "子女", "500102006001", "", "", "", "", ""],
        ["2", full_id(existing_people[0]), "老户主", "户主", "500102006003", "城镇", "800", "2023-09", "农商行", "6228480000000000022"],
        ["2", full_id(existing_people[1]), "老伴", "配偶", "500102006003", "", "", "", "", ""],
    ]


def test_roster_with_one_bad_row_imports_nothing_and_names_that_row(staff, roster_rows):
    bad = [list(r) for r in roster_rows]
    bad[3][3] = "表哥"  # not a relation in the list
    people_before = Person.objects.count()
    batch = upload(staff.district, ImportKind.ROSTER_DIBAO, xlsx(bad), "低保名册.xlsx")
    assert row_errors(batch) == [{"row": 4, "column": "与户主关系", "message": "“表哥”不是有效的与户主关系，请从下拉列表中选择"}]
    book = report(batch)
    assert book.sheet_names[:2] == ["汇总", "错误明细"]
    detail = book.get_sheet_by_name("错误明细").to_python()
    assert detail[1][0] == 4 and detail[1][4] == "表哥" and detail[1][-1] == "[与户主关系] “表哥”不是有效的与户主关系，请从下拉列表中选择"
    assert bad[3][1] not in str(detail)  # ID numbers masked
    batch = commit(staff.district, batch)  # was: DomainError, the job left in preview; now refused by exchange
    assert batch.status == BatchStatus.REFUSED and batch.mode == CommitMode.ALL_OR_NOTHING
    assert Person.objects.count() == people_before and not Enrolment.objects.exists()

    batch = upload(staff.district, ImportKind.ROSTER_DIBAO, xlsx(roster_rows), "低保名册（改正）.xlsx")
    assert row_errors(batch) == [] and batch.summary["enrolments_planned"] == 2 and batch.summary["people_new"] == 3
    batch = commit(staff.district, batch)
    assert batch.summary["enrolments"] == 2 and batch.summary["people_created"] == 3 and batch.summary["households_created"] == 1
    new = Enrolment.objects.get(payee__name="新户主")
    assert (new.amount_fen, new.start_month, new.people_covered, new.source, new.zone) == (120000, dt.date(2024, 3, 1), 3, "roster", "urban")
    assert new.household.member_count == 3 and new.bank_account_masked.endswith("0011")
    old = Enrolment.objects.get(payee__name="老户主")
    assert old.people_covered == 2 and old.next_review_on == dt.date(2027, 9, 1)
    assert AuditEvent.objects.filter(action="import", object_id=str(batch.pk)).count() == 2
    before = Enrolment.objects.count()
    assert commit(staff.district, batch).status == BatchStatus.COMMITTED  # not twice: nothing changes
    assert Enrolment.objects.count() == before == 2


def test_roster_enrolments_go_through_the_one_enrolment_action(staff, roster_rows, monkeypatch):
    """The review cycle comes from the dibao.review.* parameters (was hard-coded 12) and the
    START change names who imported it (was empty)."""

    monkeypatch.setattr(actions, "review_cycle_months", lambda household, on: 6)
    commit(staff.district, upload(staff.district, ImportKind.ROSTER_DIBAO, xlsx(roster_rows)))
    old = Enrolment.objects.get(payee__name="老户主")
    assert (old.review_cycle_months, old.next_review_on) == (6, dt.date(2027, 3, 1))  # 2023-09 + 6n, first after today
    start = EnrolmentChange.objects.get(enrolment=old, kind="start")
    assert (start.actor_id, start.actor_name) == (staff.district.user_id, staff.district.display_name)
    assert start.actor_name != ""
    assert start.reason.startswith("存量名册导入（导入批次 ")


def test_roster_round_trip_from_the_downloaded_template(staff, id_number):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(ImportKind.ROSTER_TEKUN)))
    sheet = book["数据"]
    sheet.delete_rows(2)  # the grey example row
    sheet.append([id_number("19410101", "099"), "模板甲", "500102006001", "1101.00", "2023-09", "具备生活自理能力", "农商行", "6228480000000000099"])
    buf = io.BytesIO()
    book.save(buf)
    batch = upload(staff.town, ImportKind.ROSTER_TEKUN, buf.getvalue(), "特困.xlsx")
    assert (batch.status, batch.total_rows, batch.error_rows) == (BatchStatus.PREVIEW, 1, 0)
    assert not Enrolment.objects.exists()  # nothing before the commit
    batch = commit(staff.town, batch)
    e = Enrolment.objects.get()
    assert (e.program, e.amount_fen, e.person.name, e.start_month) == ("tekun", 110100, "模板甲", dt.date(2023, 9, 1))
    again = do_preview_import(staff.town, imports.spec_kind(ImportKind.ROSTER_TEKUN), filename="特困.xlsx", content=buf.getvalue())
    assert again.duplicate and again.batch.pk == batch.pk and Enrolment.objects.count() == 1


def test_roster_errors_cover_scope_duplicates_and_head_rows(staff, roster_rows, id_number):
    rows = [list(r) for r in roster_rows]
    rows[2][1] = rows[1][1]  # duplicate ID number
    rows[4][6] = ""  # head row without amount
    rows.append(["3", id_number("19700101", "055"), "外镇人", "户主", "500102119001", "农村", "500", "2024-01", "", ""])
    batch = upload(staff.town, ImportKind.ROSTER_DIBAO, xlsx(rows))
    errors = {(e["row"], e["column"]): e["message"] for e in row_errors(batch)}
    assert errors[(3, "身份证号码")] == "与第2行重复"
    assert errors[(5, "月保障金额（元）")] == "户主行必填"
    assert errors[(7, "村（社区）代码")] == "不在您的管辖范围内"


def test_a_town_officer_of_another_town_cannot_see_or_commit_the_batch(staff, roster_rows):
    batch = upload(staff.town, ImportKind.ROSTER_DIBAO, xlsx(roster_rows[:4]))
    assert batch.division_code != "500102" and batch.status == BatchStatus.PREVIEW
    with pytest.raises(NotFound):
        access_batch_by_id(staff.other_town, batch.pk)
    with pytest.raises(NotFound):
        do_commit_import(staff.other_town, batch.pk, CommitMode.ALL_OR_NOTHING)
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.PREVIEW and not Enrolment.objects.exists()
    assert access_batch_by_id(staff.district, batch.pk).pk == batch.pk  # the district sees its towns' batches


def test_a_household_enrolled_between_preview_and_commit_refuses_the_whole_batch(staff, roster_rows):
    batch = upload(staff.district, ImportKind.ROSTER_DIBAO, xlsx(roster_rows))
    assert batch.error_rows == 0
    enrol(Household.objects.get(head__name="老户主"), amount_fen=50000, start=dt.date(2026, 1, 1))
    batch = commit(staff.district, batch)
    assert batch.status == BatchStatus.REFUSED
    assert row_errors(batch) == [{"row": 5, "column": "", "message": "该对象已在保，不能重复纳入"}]
    assert not Person.objects.filter(name="新户主").exists()  # the first household's writes are undone too
    assert Enrolment.objects.count() == 1


def test_tekun_roster_and_csv_in_gbk(staff, id_number):
    number = id_number("19400101", "077")
    text = "身份证号码*,姓名*,村（社区）代码*,月保障金额（元）*,保障起始年月*,生活自理能力,开户银行,银行账号\n" + f"{number},特困甲,500102119001,1101.00,2023-09,完全丧失生活自理能力,农商行,6228480000000000033\n"
    batch = upload(staff.district, ImportKind.ROSTER_TEKUN, text.encode("gb18030"), "特困.csv")
    assert row_errors(batch) == []
    commit(staff.district, batch)
    e = Enrolment.objects.get(program="tekun")
    assert (e.subject_kind, e.amount_fen, e.person.name, e.person.self_care) == ("person", 110100, "特困甲", "unable")


def test_a_name_that_differs_from_the_registry_is_an_error(staff, poor_household):
    head = poor_household.head
    rows = [["身份证号码*", "姓名", "金融机构*", "余额或市值（元）*"], [full_id(head), "别人", "某银行", "100"]]
    batch = upload(staff.district, ImportKind.DEPT_DEPOSITS, xlsx(rows))
    assert row_errors(batch) == [{"row": 2, "column": "姓名", "message": f"与登记姓名不一致（登记为 {head.name}）"}]
    assert commit(staff.district, batch).status == BatchStatus.REFUSED
    assert not DepartmentRecord.objects.exists()


def test_the_enrolment_action_refuses_a_division_outside_the_actor(staff, make_household):
    family = make_household("500102006001", names=("户主丙",))  # 敦仁街道
    data = NewEnrolment(
        program="dibao", household=family, payee=family.head, division_code=family.division_code, zone="urban",
        amount_fen=50000, start_month=dt.date(2026, 1, 1), decided_on=dt.date(2026, 1, 1), reason="测试", source="roster",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        do_create_enrolment(staff.other_town, data)  # 珍溪镇
    with pytest.raises(PermissionDenied):
        do_create_enrolment(staff.village, data)  # no REVIEW_APPLICATION
    assert not Enrolment.objects.exists()
    assert do_create_enrolment(staff.town, data).division_code == "500102006001"
