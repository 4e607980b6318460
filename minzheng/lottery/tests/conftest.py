"""Fixtures of the lottery tests: staff of 敦仁街道 and 珍溪镇 and the district, two outlets (one in
大东门社区 of 敦仁街道, one in 兴盛社区 of 珍溪镇), and a helper building the centre's sales file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.lottery import actions

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区
DISTRICT = "500102"
D = dt.date


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def system():
    return Actor.system("测试数据准备")


@pytest.fixture
def outlets(system, id_number):
    dunren = actions.do_register_outlet(
        system, licence_no="50010200001", name="大东门投注站", kind="side", division_code=DADONGMEN, address="大东门路1号",
        opened_on=D(2019, 5, 10), operator_name="王建华", operator_id_number=id_number("19700101", "123"),
    )  # fmt: skip
    zhenxi = actions.do_register_outlet(
        system, licence_no="50010200002", name="兴盛投注站", kind="main", division_code=XINGSHENG, address="珍溪镇兴盛街2号",
        opened_on=D(2021, 3, 1), operator_name="李秀英", operator_id_number=id_number("19750505", "246"),
    )  # fmt: skip
    return dunren, zhenxi


def sales_file(rows: list[list]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet("数据")
    for r, row in enumerate([["投注站编号", "销售月份", "销售额（元）"], *rows]):
        for c, value in enumerate(row):
            ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()
