"""Recognition, qualification, campaigns, donations, projects, trusts, disclosure duties and
indicator 8 by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.charity import actions
from minzheng.charity.indicators import donations_of_year
from minzheng.charity.models import DisclosureDuty, Donation
from minzheng.charity.selectors import donations_by_month, overdue_duties_for
from minzheng.core.errors import ValidationFailed
from minzheng.planning.actions import do_recompute_indicators
from minzheng.planning.computations import run_computations
from minzheng.planning.models import IndicatorValue
from minzheng.sociorgs import actions as so_actions
from minzheng.sociorgs.tests.conftest import D, code, items

pytestmark = pytest.mark.django_db


def test_recognition_refused_while_listed(staff):
    org = so_actions.do_register_organisation(staff.district, credit_code=code("52", 5), registered_on=D(2019, 5, 1),
                                              **items(name="某服务中心", org_type="service"))  # fmt: skip
    so_actions.do_list_organisation(staff.district, org, kind="abnormal", reason="未按规定报送年度报告")
    with pytest.raises(ValidationFailed) as e:
        actions.do_recognise_charity(staff.district, org, applied_on=D(2026, 11, 1), recognised_on=D(2026, 11, 20), decision_no="x")
    assert e.value.errors == {"organisation": "该组织在活动异常名录中，不予认定为慈善组织"}


def test_qualification_campaign_and_duties(staff, charity):
    with pytest.raises(ValidationFailed) as e:
        actions.do_grant_qualification(staff.district, charity, granted_on=D(2022, 3, 1), valid_until=D(2027, 3, 1), certificate_no="Q1")
    assert e.value.errors == {"granted_on": "认定为慈善组织满1年（2022-03-15）后方可取得公开募捐资格"}
    actions.do_grant_qualification(staff.district, charity, granted_on=D(2022, 6, 1), valid_until=D(2027, 5, 31), certificate_no="Q1")
    with pytest.raises(ValidationFailed) as e:
        actions.do_file_campaign(staff.district, charity, name="温暖过冬", filed_on=D(2026, 11, 25), starts_on=D(2026, 12, 1), ends_on=D(2027, 2, 28))
    assert e.value.errors == {"filed_on": "募捐方案应在开始前10日备案（2026-11-21前）"}
    campaign = actions.do_file_campaign(staff.district, charity, name="助学圆梦", filed_on=D(2026, 1, 5), starts_on=D(2026, 1, 20),
                                        ends_on=D(2026, 12, 31), target_yuan="500000")  # fmt: skip
    duties = list(DisclosureDuty.objects.filter(campaign=campaign).values_list("kind", "due_on"))
    assert duties == [("campaign_progress", D(2026, 4, 20)), ("campaign_progress", D(2026, 7, 20)), ("campaign_progress", D(2026, 10, 20)),
                      ("campaign_final", D(2027, 3, 31))]  # fmt: skip
    assert actions.do_open_annual_duties(staff.district, year=2025) == 2
    assert actions.do_open_annual_duties(staff.district, year=2025) == 0
    first = DisclosureDuty.objects.get(campaign=campaign, due_on=D(2026, 4, 20))
    actions.do_complete_duty(staff.district, first, done_on=D(2026, 4, 18))
    overdue = [(d.kind, d.due_on) for d in overdue_duties_for(staff.district)]
    assert overdue == [("annual_report", D(2026, 5, 31)), ("related_parties", D(2026, 5, 31)), ("campaign_progress", D(2026, 7, 20)),
                       ("campaign_progress", D(2026, 10, 20))]  # fmt: skip
    assert list(overdue_duties_for(staff.zhenxi)) == []


def test_donation_bad_input_writes_nothing(staff, charity):
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_donation(staff.district, charity, received_on=D(2026, 3, 1), donor_kind="individual", donor_name="王五",
                                   amount_yuan="-50", receipt_no="R001")  # fmt: skip
    assert e.value.errors == {"amount": "货币捐赠金额（元）不能为负数"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_donation(staff.district, charity, received_on=D(2026, 3, 1), donor_kind="enterprise", donor_name="",
                                   amount_yuan="10.001", receipt_no="")  # fmt: skip
    assert e.value.errors == {"donor_name": "请填写捐赠人名称（匿名捐赠请选择“匿名”）", "amount": "货币捐赠金额（元）应为金额（元），最多两位小数",
                              "receipt_no": "请填写捐赠票据号（捐赠人不要票据的请勾选）"}  # fmt: skip
    actions.do_record_donation(staff.district, charity, received_on=D(2026, 3, 1), donor_kind="individual", donor_name="王五",
                               amount_yuan="50", receipt_no="R001")  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_donation(staff.district, charity, received_on=D(2026, 3, 2), donor_kind="anonymous", amount_yuan="5", receipt_no="R001")
    assert e.value.errors == {"receipt_no": "捐赠票据号“R001”已使用"}
    assert Donation.objects.count() == 1


def test_indicator_8_by_hand(staff, charity, zhenxi_charity):
    rows = [
        (charity, D(2025, 12, 31), "100000.00", None, "R2025-9"),  # last year: not counted in 2026
        (charity, D(2026, 1, 1), "250000.00", None, "R1"),
        (charity, D(2026, 3, 15), "0", "120000.50", "R2"),  # goods only
        (zhenxi_charity, D(2026, 3, 20), "30000.25", "9999.75", "R3"),
        (zhenxi_charity, D(2026, 11, 30), "1.00", None, ""),  # receipt declined
    ]
    for ch, day, cash, goods, receipt in rows:
        actions.do_record_donation(staff.district, ch, received_on=day, donor_kind="enterprise", donor_name="某公司", amount_yuan=cash,
                                   in_kind_yuan=goods, in_kind_description="棉被200床" if goods else "", receipt_no=receipt,
                                   receipt_declined=not receipt)  # fmt: skip
    # 250,000.00 + 120,000.50 + 30,000.25 + 9,999.75 + 1.00 = 410,001.50 yuan = 41,000,150 fen = 41.000150 万元
    result = donations_of_year(2026)
    assert (result["fen"], result["wan"], result["count"]) == (41_000_150, Decimal("41.00015"), 4)
    assert donations_of_year(2025)["fen"] == 10_000_000
    months = {r["month"]: r for r in donations_by_month(staff.district, 2026)}
    assert months["2026-03"] == {"month": "2026-03", "count": 2, "cash_fen": 3_000_025, "in_kind_fen": 13_000_025, "total_fen": 16_000_050}
    assert months["2026-02"]["total_fen"] == 0
    # the 珍溪镇 officer sees only the 珍溪镇 charity's donations
    assert sum(r["total_fen"] for r in donations_by_month(staff.zhenxi, 2026)) == 4_000_100


def test_indicator_8_on_the_dashboard(staff, charity, plan, client, make_user):
    actions.do_record_donation(staff.district, charity, received_on=D(2025, 6, 1), donor_kind="individual", donor_name="赵六",
                               amount_yuan="9000000", receipt_no="R9")  # fmt: skip
    result = run_computations(2025, names=["charity_donations"], now=timezone.make_aware(dt.datetime(2026, 11, 28, 10, 0)))
    annual = [f for f in result.figures if f.month == 0]
    assert [(f.division_code, f.value) for f in annual] == [("500102", Decimal(900))]
    do_recompute_indicators(Actor.system("测试"), plan, year=2025)
    value = IndicatorValue.objects.get(indicator__plan=plan, indicator__code="8", division_code="500102", year=2025, month=0)
    assert value.value == Decimal(900)
    client.force_login(make_user(Role.DISTRICT_LEADER, "500102"))
    assert "慈善组织接受社会捐赠总额" in client.get("/planning/indicators/8/", {"year": 2025}).content.decode()
