"""The screens: each page for the roles that use it, errors next to the field with nothing
written, the export, and the other town refused."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from minzheng.lowincome import actions
from minzheng.lowincome.models import DistrictFigure, PriceIndexMonth, Recognition


def login(client, staff, username):
    client.force_login(staff.users[username])
    return client


@pytest.mark.django_db
def test_pages_open_for_their_roles(client, staff):
    login(client, staff, "li_district")
    for name in ("home", "register", "changes", "recognition-list", "recognition-new", "figures", "prices"):
        response = client.get(f"/lowincome/{'' if name == 'home' else {'register': 'register/', 'changes': 'changes/', 'recognition-list': 'recognitions/', 'recognition-new': 'recognitions/new/', 'figures': 'figures/', 'prices': 'prices/'}[name]}")
        assert response.status_code == (403 if name == "recognition-new" else 200), name
    body = client.get("/lowincome/").content.decode()
    assert "区年度统计数据未录入：居民人均可支配收入、居民人均消费支出" in body
    login(client, staff, "li_village")
    assert client.get("/lowincome/register/").status_code == 200
    assert client.get("/lowincome/recognitions/new/").status_code == 200
    assert client.get("/lowincome/figures/").status_code == 403
    assert client.get("/lowincome/prices/").status_code == 403


@pytest.mark.django_db
def test_cpi_minus_300_on_the_screen(client, staff):
    login(client, staff, "li_district")
    response = client.post("/lowincome/prices/", {"period": "2026-11", "cpi_yoy": "-300", "food_cpi_yoy": "2", "source": "市统计局"})
    assert response.status_code == 400
    assert "居民消费价格指数（CPI）同比涨幅应在 -50% 至 100% 之间（填写的是 -300%）" in response.content.decode()
    assert PriceIndexMonth.objects.count() == 0


@pytest.mark.django_db
def test_figure_on_the_screen_removes_the_banner(client, staff):
    login(client, staff, "li_district")
    response = client.post(
        "/lowincome/figures/",
        {"parameter": "district.per_capita_disposable_income_prev_year", "year": "2025", "value": "abc", "document_number": "", "document_date": "2026-03-20"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "居民人均可支配收入（元/人·年）应为大于0且不超过1000000的金额，最多两位小数" in body
    assert DistrictFigure.objects.count() == 0
    response = client.post(
        "/lowincome/figures/",
        {"parameter": "district.per_capita_disposable_income_prev_year", "year": "2025", "value": "45000", "document_number": "涪陵区2025年统计公报", "document_date": "2026-03-20"},
    )
    assert response.status_code == 302
    body = client.get("/lowincome/").content.decode()
    assert "区年度统计数据未录入：居民人均消费支出" in body


@pytest.mark.django_db
def test_register_export_and_other_town(client, staff, edge_household):
    r = actions.do_create_recognition(staff.village, household_id=edge_household.pk, kind="edge", origin="application")
    r = actions.do_check_recognition(staff.town, r, expected_version=r.version)
    actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome="approve", note="同意")
    login(client, staff, "li_town")
    body = client.get("/lowincome/register/?tier=edge").content.decode()
    assert "王大明" in body and "低保边缘家庭成员" in body
    response = client.get("/lowincome/register/?tier=edge&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=7)]
    assert [row[0] for row in rows[:2]] == ["王大明", "刘小红"]
    assert rows[0][2] == "低保边缘家庭成员" and rows[0][3] == "敦仁街道" and rows[0][6] == "认定决定"
    assert "*" in rows[0][1]  # masked for a town officer
    login(client, staff, "zx_town")
    assert client.get(f"/lowincome/recognitions/{r.pk}/").status_code == 404
    assert "王大明" not in client.get("/lowincome/register/").content.decode()
    assert client.get("/lowincome/register/?division=500102006").status_code == 404


@pytest.mark.django_db
def test_recognition_steps_on_the_screen(client, staff, edge_household):
    login(client, staff, "li_village")
    response = client.post(f"/lowincome/recognitions/new/?household={edge_household.pk}", {"kind": "edge", "origin": "application", "reason": "收入低"})
    assert response.status_code == 302
    r = Recognition.objects.get()
    login(client, staff, "li_town")
    assert client.post(f"/lowincome/recognitions/{r.pk}/check/", {"version": r.version, "notes": ""}).status_code == 302
    r.refresh_from_db()
    login(client, staff, "li_approver")
    response = client.post(f"/lowincome/recognitions/{r.pk}/decide/", {"version": r.version, "outcome": "approve", "note": ""})
    assert response.status_code == 400 and "请填写认定意见" in response.content.decode()
    assert client.post(f"/lowincome/recognitions/{r.pk}/decide/", {"version": r.version, "outcome": "approve", "note": "符合"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "recognised" and r.decided_on == dt.date(2026, 12, 4)
    body = client.get(f"/lowincome/recognitions/{r.pk}/").content.decode()
    assert "规则引擎判定（2026-12）：符合" in body
