"""One way to show numbers, dates, people and months: the shared template filters and fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from minzheng.accounts.actor import Actor
from minzheng.accounts.names import display_name_of, display_names
from minzheng.web.fields import MonthField


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_money_and_count_filters():
    assert render("{{ x|yuan }}", x=1848000) == "18,480.00"
    assert render("{{ x|money }}", x=Decimal(18480)) == "18,480.00"
    assert render("{{ x|money }}", x="654.5") == "654.50"
    assert render("{{ x|money }}", x=None) == ""
    assert render("{{ x|count }}", x=22968) == "22,968"
    assert render("{{ x|count }}", x="1234") == "1,234"
    assert render("{{ x|count }}", x=Decimal("12.5")) == "12.5"  # not a whole number: never truncated
    assert render("{{ x|count }}", x=None) == ""


def test_dates_read_one_way():
    assert render("{{ d }}", d=dt.date(2026, 12, 4)) == "2026-12-04"
    assert render("{{ d|date }}", d=dt.date(2026, 12, 4)) == "2026-12-04"
    assert render("{{ d|day }}", d=dt.date(2026, 12, 4)) == "2026-12-04"


def test_citation_filter_links_the_source():
    html = render("{{ r|citation }}", r="渝民发〔2024〕9号 http://cqbn.gov.cn/a.html")
    assert html == '<a href="http://cqbn.gov.cn/a.html" target="_blank" rel="noopener noreferrer">渝民发〔2024〕9号</a>'


@pytest.mark.django_db
def test_people_by_name_never_by_username(make_user):
    user = make_user("district_staff", "500102", username="district_staff_x")
    user.display_name = "王小明"
    user.save()
    assert display_name_of(user) == "王小明"
    assert display_name_of("district_staff_x") == "王小明"
    assert display_name_of("system") == "系统" and display_name_of("") == "系统"
    assert display_name_of(Actor.system("测试")) == "系统"
    assert display_name_of(None) == ""
    assert display_names(["gone_user"])["gone_user"] == "已停用账号"
    assert render("{{ u|person_name|default:'未审核' }}", u=None) == "未审核"


def test_month_field_parses_through_parse_period():
    field = MonthField(label="发放月份")
    assert field.clean("2026-12") == "2026-12"
    assert 'type="month"' in field.widget.render("period", "2026-12")
    with pytest.raises(Exception) as exc:
        field.clean("2026-13")
    assert "不存在" in str(exc.value)
