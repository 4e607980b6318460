"""Fixtures of the discovery tests: staff at each level, households in 大东门社区 (敦仁街道) and
兴盛社区 (珍溪镇), enrolments, and helpers that write a feed file and import it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from minzheng.accounts.models import Role
from minzheng.assistance.models import Enrolment
from minzheng.core.crypto import decrypt_text
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.registry.models import Household, Person

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
XINGSHENG = "500102119001"  # 兴盛社区, 珍溪镇
ZHENXI = "500102119"
DISTRICT = "500102"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


def set_income(person: Person, **fen) -> None:
    Person.objects.filter(pk=person.pk).update(**{f"income_{k}_fen": v for k, v in fen.items()})


@pytest.fixture
def family(make_household):
    """make a two-person urban household; returns (household, [head, spouse])."""

    def make(division=DADONGMEN, names=("王大贵", "刘小芳"), wage=(300000, 0), zone="urban"):
        household = make_household(division, names=names)
        people = list(Person.objects.filter(household=household).order_by("id"))
        for person, w in zip(people, wage):
            set_income(person, wage=w)
        Household.objects.filter(pk=household.pk).update(zone=zone)
        household.refresh_from_db()
        return household, [Person.objects.get(pk=p.pk) for p in people]

    return make


def id_of(person: Person) -> str:
    return decrypt_text(person.id_number_encrypted)


def xlsx_file(headers: list[str], rows: list[list], *, numeric_id_rows: tuple[int, ...] = ()) -> bytes:
    """A feed file as a department would send it: header row, then data rows (strings as text)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("数据")
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), wb.add_format({"num_format": "yyyy-mm-dd"}))
            elif isinstance(v, str) and c == 0 and r in numeric_id_rows:
                ws.write_number(r, c, float(v))  # an ID typed into a numeric cell
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()
    return buf.getvalue()


def enrol(program: str, *, person=None, household=None, amount_fen=50000, status="active"):
    """A live enrolment written directly (the assistance workflow is tested elsewhere)."""
    subject = household if household is not None else person
    payee = household.head if household is not None else person
    return Enrolment.objects.create(
        program=program,
        subject_kind="household" if household is not None else "person",
        subject_id=subject.pk,
        household=household,
        person=person,
        payee=payee,
        division_code=subject.division_code,
        zone="urban",
        amount_fen=amount_fen,
        people_covered=household.memberships.filter(valid_to__isnull=True).count() if household is not None else 1,
        start_month=dt.date(2026, 1, 1),
        status=status,
        status_changed_on=dt.date(2026, 1, 1),
        source="roster",
    )


def import_rows(actor, kind: str, headers: list[str], rows: list[list], *, mode="all_or_nothing", today=TODAY, **kw):
    """Upload + commit, as the screens do; returns the batch after commit."""
    content = xlsx_file(headers, rows, **kw)
    preview = do_preview_import(actor, kind, filename=f"{kind}.xlsx", content=content, today=today)
    if preview.duplicate:
        return preview.batch
    return do_commit_import(actor, preview.batch, mode, today=today)


MEDICAL_HEADERS = ["身份证号码", "姓名", "结算单号", "医疗机构", "入院日期", "出院（结算）日期", "医疗总费用（元）", "医保报销合计（元）", "个人自付（元）"]
DISABILITY_HEADERS = ["身份证号码", "姓名", "办理类型", "残疾类别", "残疾等级", "办理日期"]
DEATH_HEADERS = ["身份证号码", "姓名", "死亡日期", "信息来源"]
UNEMPLOYMENT_HEADERS = ["身份证号码", "姓名", "失业登记日期", "原工作单位", "领取失业保险金", "失业保险金月额（元）"]
SCHOOL_HEADERS = ["身份证号码", "姓名", "学校名称", "学段", "离校日期", "离校原因"]
DISASTER_HEADERS = ["身份证号码", "姓名", "发生日期", "灾害事故类型", "受灾程度", "人员伤亡", "预计经济损失（元）", "简要情况"]
