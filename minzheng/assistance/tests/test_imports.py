"""Imports: departments' data for the economic check (matched by blind index, unmatched
rows reported) and the existing rosters (preview with row errors, all or nothing)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.assistance import imports, payroll
from minzheng.assistance.actions import evaluate_application
from minzheng.assistance.enums import ImportKind, ImportStatus, Status
from minzheng.assistance.models import DepartmentRecord, EconomicCheck, Enrolment, ImportJob, ReviewTask
from minzheng.assistance.tests.test_payroll import enrol
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError, PermissionDenied
from minzheng.core.models import AuditEvent
from minzheng.exchange.spec import all_specs
from minzheng.registry.models import Household, Person

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


def test_templates_are_exchange_templates_with_marked_headers_and_instructions():
    for kind in ImportKind.values:
        book = CalamineWorkbook.from_filelike(io.BytesIO(imports.template_xlsx(kind)))
        # exchange's layout; the hidden 字典 sheet only for the rosters, which have dropdowns
        dictionary = ["字典"] if kind in ("roster_dibao", "roster_tekun") else []
        assert book.sheet_names == ["数据", "填表说明", *dictionary]
        header = book.get_sheet_by_name("数据").to_python()[0]
        assert any(h.endswith("*") for h in header)
    header = CalamineWorkbook.from_filelike(io.BytesIO(imports.template_xlsx(ImportKind.ROSTER_DIBAO))).get_sheet_by_index(0).to_python()[0]
    assert header[:4] == ["户编号*", "身份证号码*", "姓名*", "与户主关系*"]


def test_assistance_specs_are_not_department_feeds():
    assert not any(s.kind.startswith("assistance_") for s in all_specs())


def test_wage_data_replaces_the_declared_wage_and_unmatched_rows_are_reported(staff, new_case, walk, poor_household, id_number):
    wife = Person.objects.filter(household=poor_household).order_by("id")[1]
    stranger = id_number("19800101", "333")
    rows = [
        ["身份证号码*", "姓名", "单位名称", "月工资收入（元）*", "数据日期"],
        [full_id(wife), "刘小芳", "某某建材公司", "900.00", "2026-10-31"],
        [stranger, "陌生人", "某公司", "3000", "2026-10-31"],
        ["500102195201207808", "错号码", "某公司", "100", ""],
    ]
    job = imports.do_upload_import(staff.district, kind=ImportKind.DEPT_WAGES, filename="工资.xlsx", content=xlsx(rows))
    assert job.errors == [{"row": 4, "column": "身份证号码", "message": "身份证号码校验位错误，请核对"}]
    assert job.summary["unmatched"] == [{"row": 3, "id_number": stranger[:6] + "********" + stranger[-4:], "name": "陌生人"}]
    with pytest.raises(DomainError) as e:
        imports.do_commit_import(staff.district, job)
    assert "未导入任何数据" in e.value.message
    assert not DepartmentRecord.objects.exists()

    job = imports.do_upload_import(staff.district, kind=ImportKind.DEPT_WAGES, filename="工资.xlsx", content=xlsx(rows[:3]))
    job = imports.do_commit_import(staff.district, job)
    assert job.status == ImportStatus.COMMITTED and job.summary["imported"] == 1 and job.summary["unmatched"] == 1
    record = DepartmentRecord.objects.get()
    assert (record.person_id, record.monthly_income_fen, record.row_number) == (wife.pk, 90000, 2)

    app = walk.to(new_case(), Status.REVIEW)
    check = EconomicCheck.objects.get(application=app)
    member = next(m for m in check.facts["household"]["members"] if m["id"] == str(wife.pk))
    assert member["monthly_income"]["wage"] == "900.00"  # the department's figure, not the declared 500
    wage_source = next(s for s in check.sources if s["member"] == "刘小芳" and "工资" in s["item"])
    assert wage_source["source"] == f"工资收入（税务/人社）（导入批次 {job.pk}，第2行）"
    assert wage_source["id_number"].count("*") == 8
    # (300 + 900 × 0.8) / 2 = 510
    assert check.per_capita_income_fen == 51000


def test_deposits_and_vehicles_feed_the_property_tests(staff, new_case, walk, poor_household):
    head = poor_household.head
    deposits = [["身份证号码*", "姓名", "金融机构*", "资产类型", "余额或市值（元）*"], [full_id(head), head.name, "某银行", "定期存款", "60000.00"]]
    vehicles = [["身份证号码*", "姓名", "号牌号码*", "品牌型号", "车辆现值（元）*"], [full_id(head), head.name, "渝G12345", "某品牌", "45000"]]
    for kind, rows in ((ImportKind.DEPT_DEPOSITS, deposits), (ImportKind.DEPT_VEHICLE, vehicles)):
        imports.do_commit_import(staff.district, imports.do_upload_import(staff.district, kind=kind, filename="x.xlsx", content=xlsx(rows)))
    app = walk.to(new_case(), Status.REVIEW)
    check = EconomicCheck.objects.get(application=app)
    assert (check.financial_assets_fen, check.vehicle_value_max_fen, check.vehicle_count) == (6000000, 4500000, 1)

    verdict, _ = evaluate_application(app)
    assert not verdict.eligible
    assert {c["code"] for c in verdict.failed_conditions} == {"financial_assets_within_limit", "no_vehicle_above_exemption"}


def test_numeric_id_cells_are_refused_with_the_text_format_hint(staff):
    rows = [["身份证号码*", "姓名", "待遇项目*", "月发放金额（元）*"], [500102195201207809, "张三", "养老金", "100"]]
    job = imports.do_upload_import(staff.district, kind=ImportKind.DEPT_PENSION, filename="p.xlsx", content=xlsx(rows))
    assert "请将身份证号码列设置为文本格式后重新填写" in job.errors[0]["message"]  # exchange's wording


def test_department_data_is_imported_by_the_district_only(staff):
    with pytest.raises(PermissionDenied):
        imports.do_upload_import(staff.town, kind=ImportKind.DEPT_WAGES, filename="x.xlsx", content=b"x")


def test_death_record_stops_payment_from_next_month_and_opens_a_task(staff, make_household):
    alone = make_household("500102006001", names=("独居老人",))
    family = make_household("500102006001", names=("户主甲", "成员乙"))
    e1 = enrol(alone, amount_fen=70000, start=dt.date(2026, 1, 1))
    e2 = enrol(family, amount_fen=90000, start=dt.date(2026, 1, 1))
    dead_member = Person.objects.filter(household=family).order_by("id")[1]
    rows = [
        ["身份证号码*", "姓名", "死亡日期*", "信息来源"],
        [full_id(alone.head), "独居老人", "2026-10-20", "公安户籍注销"],
        [full_id(dead_member), "成员乙", "2026-10-25", "殡葬火化"],
    ]
    job = imports.do_commit_import(staff.district, imports.do_upload_import(staff.district, kind=ImportKind.DEPT_DEATH, filename="死亡.xlsx", content=xlsx(rows)))
    assert job.summary["deaths_recorded"] == 2
    e1.refresh_from_db()
    assert (e1.status, e1.end_month, e1.exit_reason) == ("exited", dt.date(2026, 10, 1), "death")
    e2.refresh_from_db()
    assert e2.status == "active"  # the household still has a member: reviewed, not stopped
    tasks = {t.enrolment_id: t for t in ReviewTask.objects.filter(kind="death")}
    assert set(tasks) == {e1.pk, e2.pk}
    assert "成员乙 死亡" in tasks[e2.pk].note
    assert Person.objects.get(pk=alone.head_id).is_deceased

    payroll.run_payroll(Actor.system("测试"), program="dibao", period="2026-10")
    summary = payroll.run_payroll(Actor.system("测试"), program="dibao", period="2026-11")
    assert (summary.payments, summary.stopped) == (1, 1)


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
    job = imports.do_upload_import(staff.district, kind=ImportKind.ROSTER_DIBAO, filename="低保名册.xlsx", content=xlsx(bad))
    assert job.errors == [{"row": 4, "column": "与户主关系", "message": "“表哥”不是有效的与户主关系，请从下拉列表中选择"}]
    report = CalamineWorkbook.from_filelike(io.BytesIO(imports.error_report_xlsx(job)))
    assert report.sheet_names[:2] == ["汇总", "错误明细"]
    detail = report.get_sheet_by_name("错误明细").to_python()
    assert detail[1][0] == 4 and detail[1][4] == "表哥" and detail[1][-1] == "[与户主关系] “表哥”不是有效的与户主关系，请从下拉列表中选择"
    assert bad[3][1] not in str(detail)  # ID numbers masked
    with pytest.raises(DomainError):
        imports.do_commit_import(staff.district, job)
    assert Person.objects.count() == people_before and not Enrolment.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEW

    job = imports.do_upload_import(staff.district, kind=ImportKind.ROSTER_DIBAO, filename="低保名册（改正）.xlsx", content=xlsx(roster_rows))
    assert job.errors == [] and job.summary["enrolments_planned"] == 2 and job.summary["people_new"] == 3
    job = imports.do_commit_import(staff.district, job)
    assert job.summary["enrolments"] == 2 and job.summary["people_created"] == 3 and job.summary["households_created"] == 1
    new = Enrolment.objects.get(payee__name="新户主")
    assert (new.amount_fen, new.start_month, new.people_covered, new.source, new.zone) == (120000, dt.date(2024, 3, 1), 3, "roster", "urban")
    assert new.household.member_count == 3 and new.bank_account_masked.endswith("0011")
    old = Enrolment.objects.get(payee__name="老户主")
    assert old.people_covered == 2 and old.next_review_on == dt.date(2027, 9, 1)
    assert AuditEvent.objects.filter(action="import", object_id=str(job.pk)).count() == 2
    with pytest.raises(DomainError):
        imports.do_commit_import(staff.district, job)  # not twice


def test_roster_errors_cover_scope_duplicates_and_head_rows(staff, roster_rows, id_number):
    rows = [list(r) for r in roster_rows]
    rows[2][1] = rows[1][1]  # duplicate ID number
    rows[4][6] = ""  # head row without amount
    rows.append(["3", id_number("19700101", "055"), "外镇人", "户主", "500102119001", "农村", "500", "2024-01", "", ""])
    job = imports.do_upload_import(staff.town, kind=ImportKind.ROSTER_DIBAO, filename="x.xlsx", content=xlsx(rows))
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(3, "身份证号码")] == "与第2行重复"
    assert errors[(5, "月保障金额（元）")] == "户主行必填"
    assert errors[(7, "村（社区）代码")] == "不在您的管辖范围内"


def test_tekun_roster_and_csv_in_gbk(staff, id_number):
    number = id_number("19400101", "077")
    text = "身份证号码*,姓名*,村（社区）代码*,月保障金额（元）*,保障起始年月*,生活自理能力,开户银行,银行账号\n" + f"{number},特困甲,500102119001,1101.00,2023-09,完全丧失生活自理能力,农商行,6228480000000000033\n"
    job = imports.do_upload_import(staff.district, kind=ImportKind.ROSTER_TEKUN, filename="特困.csv", content=text.encode("gb18030"))
    assert job.errors == []
    imports.do_commit_import(staff.district, job)
    e = Enrolment.objects.get(program="tekun")
    assert (e.subject_kind, e.amount_fen, e.person.name, e.person.self_care) == ("person", 110100, "特困甲", "unable")


def test_a_name_that_differs_from_the_registry_is_an_error(staff, poor_household):
    head = poor_household.head
    rows = [["身份证号码*", "姓名", "金融机构*", "余额或市值（元）*"], [full_id(head), "别人", "某银行", "100"]]
    job = imports.do_upload_import(staff.district, kind=ImportKind.DEPT_DEPOSITS, filename="x.xlsx", content=xlsx(rows))
    assert job.errors == [{"row": 2, "column": "姓名", "message": f"与登记姓名不一致（登记为 {head.name}）"}]
    with pytest.raises(DomainError):
        imports.do_commit_import(staff.district, job)
    assert not DepartmentRecord.objects.exists()
