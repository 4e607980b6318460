"""The screens and the API: scoped like the data (a town sees only its town), every figure with
its "数据截至" time, the dashboard within its query budget."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal as D

from PIL import Image
from django.core.management import call_command
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minzheng.accounts.models import Role
from minzheng.api.auth import issue_token
from minzheng.planning import geo
from minzheng.planning.actions import ValueInput, do_approve_submission, do_recompute_indicators, do_submit_value
from minzheng.planning.models import IndicatorValue, KeyProject, ProgressPhoto, ValueSubmission
from minzheng.planning.selectors import default_year

from .conftest import DUNREN, ZHENXI

DISTRICT = "500102"


@pytest.fixture
def figures(plan, system_actor):
    """2023: the computed indicators 1 and 2, and indicator 13 for two towns and the district."""
    do_recompute_indicators(system_actor, plan, year=2023)
    for division, num, den in ((DUNREN, 52000, 65000), (ZHENXI, 9000, 30000), (DISTRICT, 61000, 95000)):
        s = do_submit_value(system_actor, plan, ValueInput(
            indicator_code="13", year=2023, division_code=division, as_of=dt.date(2023, 12, 31),
            evidence="火化区人口统计", numerator=str(num), denominator=str(den),
        ))
        do_approve_submission(system_actor, s.pk)
    return plan


def login(client, user):
    client.force_login(user)
    return client


def api_get(client, user, path, **params):
    token, _ = issue_token(user)
    return client.get(f"/api/v1/planning{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


# --- the dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_every_main_indicator_with_status_and_data_as_of(client, district_leader, figures):
    html = login(client, district_leader).get("/planning/", {"year": 2023}).content.decode()
    assert html.count('class="kpi status-') == 19
    assert "农村低保标准占城市低保标准比例" in html and "81.63" in html  # 600 ÷ 735
    assert html.count("数据截至 2023-12-31 23:59") >= 3
    assert 'id="dashboard-data" type="application/json"' in html
    assert "/static/vendor/echarts/echarts.min.js" in html and "/static/planning/dashboard.js" in html
    assert "<script>" not in html  # CSP: no inline script
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["map"]["indicator"]["code"] == "17"
    assert len(data["map"]["towns"]) == 27 and data["map"]["outline"]["type"] == "FeatureCollection"
    assert data["trends"]["2"]["values"][3] == pytest.approx(81.6327)  # 2020, 2021, 2022, 2023
    assert data["trends"]["2"]["path"][0] == 80 and data["trends"]["2"]["path"][-1] == 85


def test_map_points_are_inside_the_district_and_stable(client, district_leader, figures):
    first = geo.synthetic_point(DUNREN)
    assert first == geo.synthetic_point(DUNREN) and geo.contains(*first)
    html = login(client, district_leader).get("/planning/", {"year": 2023, "map": "13"}).content.decode()
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    towns = {t["code"]: t for t in data["map"]["towns"]}
    assert towns[DUNREN]["value"] == 80.0 and towns[ZHENXI]["value"] == 30.0
    assert towns[DUNREN]["url"].endswith(f"division={DUNREN}")
    assert all(geo.contains(t["lon"], t["lat"]) for t in towns.values())


def test_drill_down_to_a_town(client, district_leader, figures):
    html = login(client, district_leader).get("/planning/", {"year": 2023, "division": ZHENXI}).content.decode()
    assert "珍溪镇" in html and "全区统一" in html  # indicator 2 is one district-wide figure
    assert "30.0" in html  # 13 in 珍溪镇: 9000 ÷ 30000


def test_a_town_officer_sees_only_the_town(client, dunren_officer, figures):
    login(client, dunren_officer)
    html = client.get("/planning/", {"year": 2023}).content.decode()
    assert "敦仁街道" in html and "80.0" in html
    assert "64.2" not in html  # the district's 61000 ÷ 95000
    assert 'id="map-chart"' not in html
    assert client.get("/planning/", {"year": 2023, "division": ZHENXI}).status_code == 404
    assert client.get("/planning/", {"year": 2023, "division": DISTRICT}).status_code == 404
    assert client.get("/planning/indicators/13/", {"year": 2023, "division": ZHENXI}).status_code == 404


def test_the_api_refuses_another_towns_figures(client, dunren_officer, figures):
    own = api_get(client, dunren_officer, "/scorecard", year=2023)
    assert own.status_code == 200
    body = own.json()
    assert body["division_code"] == DUNREN
    thirteen = next(i for i in body["indicators"] if i["code"] == "13")
    assert thirteen["value"] == "80" and thirteen["as_of"].startswith("2023-12-31")
    assert api_get(client, dunren_officer, "/scorecard", year=2023, division=ZHENXI).status_code == 404
    assert api_get(client, dunren_officer, "/scorecard", year=2023, division=DISTRICT).status_code == 404
    towns = api_get(client, dunren_officer, "/indicators/13/towns", year=2023).json()
    assert [t["division_code"] for t in towns] == [DUNREN]
    projects = api_get(client, dunren_officer, "/projects").json()
    assert all(p["division_code"].startswith(DUNREN) for p in projects)


def test_the_api_gives_the_district_its_towns(client, district_leader, figures):
    body = api_get(client, district_leader, "/scorecard", year=2023).json()
    thirteen = next(i for i in body["indicators"] if i["code"] == "13")
    assert (thirteen["numerator"], thirteen["denominator"]) == ("61000", "95000")
    towns = api_get(client, district_leader, "/indicators/13/towns", year=2023).json()
    assert len(towns) == 27
    assert api_get(client, district_leader, "/projects").json()[0]["investment_wan"] == "900"


def test_dashboard_queries(client, district_leader, figures):
    login(client, district_leader)
    client.get("/planning/", {"year": 2023})  # warm caches (directory, outline, town points)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/planning/", {"year": 2023})
    assert response.status_code == 200
    assert len(queries) <= 25, [q["sql"][:120] for q in queries]
    # The 300 ms goal is measured by benchmarks/indicators.py on a quiet machine
    # (docs/performance.md); the suite asserts no wall time.


# --- the other pages ---------------------------------------------------------------------------


def test_methods_page_lists_computed_and_manual(client, district_leader, plan):
    html = login(client, district_leader).get("/planning/indicators/").content.decode()
    # all 19 main + 23 other targets (O03–O10, O13–O19, O21–O27, O32) + 4 repeating a computed
    # main (O20, O28–O30); O01, O02, O11, O12 and O31 stay entered by hand.
    assert re.search(r'id="count-computed">(\d+)<', html).group(1) == "46"
    assert html.count('data-method="computed"') == 46
    assert 'data-code="3" data-method="computed"' in html and 'data-code="O31" data-method="manual"' in html
    # the measure behind each row is named for tests and tools, never shown
    assert 'data-measure="dibao_rural_urban_ratio"' in html and 'data-measure="disability_subsidy_coverage_3"' in html
    assert ">dibao_rural_urban_ratio<" not in html
    # issues 18 and 19: indicators 6, 7, 9 and their 专栏 targets are computed from connected lines
    for code in ("6", "7", "9", "O06", "O07", "O08", "O09", "O10", "O13", "O14", "O15"):
        row = re.search(rf'<tr data-code="{code}" data-method="(\w+)">(.*?)</tr>', html, re.S)
        assert row.group(1) == "computed" and "数据源未接入" not in row.group(2), code


def test_indicator_page_shows_towns_and_months(client, district_leader, figures):
    html = login(client, district_leader).get("/planning/indicators/2/", {"year": 2023}).content.decode()
    assert 'id="monthly-table"' in html and "2023年9月" in html
    html = client.get("/planning/indicators/13/", {"year": 2023}).content.decode()
    assert 'id="town-table"' in html and "52,000" in html


def test_entry_form_submits_and_shows_errors_inline(client, district_staff, plan):
    login(client, district_staff)
    page = client.get("/planning/entry/").content.decode()
    assert "社会工作专业人才数量" in page and "农村低保标准占城市低保标准比例" not in page  # computed: not offered
    bad = client.post("/planning/entry/", {"indicator": "7", "year": 2023, "division_code": DISTRICT, "value": "12.5",
                                            "as_of": "2023-12-31", "evidence": "统计表"})
    assert "应为整数" in bad.content.decode() and not ValueSubmission.objects.exists()
    ok = client.post("/planning/entry/", {"indicator": "7", "year": 2023, "division_code": DISTRICT, "value": "4800",
                                           "as_of": "2023-12-31", "evidence": "区社工协会统计表"})
    assert ok.status_code == 302 and ValueSubmission.objects.get().value == D(4800)


def test_approval_through_the_page_by_another_person(client, district_staff, district_checker, plan):
    login(client, district_staff)
    client.post("/planning/entry/", {"indicator": "7", "year": 2023, "division_code": DISTRICT, "value": "4800",
                                      "as_of": "2023-12-31", "evidence": "区社工协会统计表"})
    s = ValueSubmission.objects.get()
    assert "本人填报，须由他人审核" in client.get("/planning/submissions/").content.decode()
    client.post(f"/planning/submissions/{s.pk}/approve/")
    assert not IndicatorValue.objects.exists()
    login(client, district_checker)
    client.post(f"/planning/submissions/{s.pk}/approve/")
    assert IndicatorValue.objects.get().value == D(4800)


def test_town_officer_cannot_reach_district_pages(client, dunren_officer, plan):
    login(client, dunren_officer)
    assert client.get("/planning/reports/").status_code == 403
    assert client.get("/planning/settings/").status_code == 403
    assert client.post("/planning/recompute/", {"year": 2023}).status_code == 302  # refused with a message
    assert not IndicatorValue.objects.exists()


def test_projects_and_a_progress_report_with_a_photo(client, district_staff, dunren_officer, plan):
    project = KeyProject.objects.get(plan=plan, name="清溪特困供养设施项目")
    login(client, district_staff)
    assert "清溪特困供养设施项目" in client.get("/planning/projects/").content.decode()

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 40)).save(png, format="PNG")
    png.seek(0)
    png.name = "现场.png"
    response = client.post(f"/planning/projects/{project.pk}/", {
        "reported_on": "2023-06-30", "percent_complete": "45", "spent_wan": "1200.50", "milestones": "主体封顶",
        "photos": [png],
    })
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.latest_percent == D(45) and project.latest_spent_wan == D("1200.50")
    photo = ProgressPhoto.objects.get()
    shown = client.get(f"/planning/projects/photos/{photo.pk}/")
    assert shown.status_code == 200
    assert shown.getvalue().startswith(b"\x89PNG")  # reading the file response to its end closes the file
    back = client.post(f"/planning/projects/{project.pk}/", {"reported_on": "2023-07-30", "percent_complete": "40",
                                                             "spent_wan": "1300"})
    assert "不能低于上次报告" in back.content.decode()
    # 清溪镇 is not 敦仁街道's: its project, photos and page are not found.
    login(client, dunren_officer)
    assert client.get(f"/planning/projects/{project.pk}/").status_code == 404
    assert client.get(f"/planning/projects/photos/{photo.pk}/").status_code == 404
    assert "清溪特困供养设施项目" not in client.get("/planning/projects/").content.decode()


def test_lock_page_freezes_a_year(client, district_staff, plan):
    login(client, district_staff)
    client.post("/planning/settings/", {"form": "lock", "lock-year": 2022, "lock-locks_on": "2023-03-31"})
    response = client.post("/planning/entry/", {"indicator": "7", "year": 2022, "division_code": DISTRICT,
                                                "value": "4000", "as_of": "2022-12-31", "evidence": "社工协会统计表"})
    assert "已于2023年03月31日后锁定" in response.content.decode()


def test_cli_prints_every_indicator(figures, capsys):
    call_command("indicators", "--year", "2023", "--json")
    data = json.loads(capsys.readouterr().out)
    assert len(data["indicators"]) == 51
    two = next(i for i in data["indicators"] if i["code"] == "2")
    assert (two["value"], two["source"], two["status"]) == ("81.6327", "computed", "off_track")
    assert (two["numerator"], two["denominator"]) == ("600", "735")
    by_hand = next(i for i in data["indicators"] if i["code"] == "O31")
    assert (by_hand["value"], by_hand["source"], by_hand["status"]) == (None, "manual", "no_data")
    call_command("indicators", "--year", "2023")
    text = capsys.readouterr().out
    assert "农村低保标准占城市低保标准比例" in text and "81.63" in text and "系统计算" in text and "手工填报" in text


def test_now_is_the_default_year_within_the_plan(plan):
    assert default_year(plan, dt.date(2023, 5, 1)) == 2023
    assert default_year(plan, timezone.localdate().replace(year=2030)) == 2025


def test_a_village_worker_is_told_why_there_is_nothing_to_see(client, make_user, plan):
    login(client, make_user(Role.VILLAGE_WORKER, "500102006001"))
    response = client.get("/planning/")
    assert response.status_code == 403 and "村（社区）" in response.content.decode()
