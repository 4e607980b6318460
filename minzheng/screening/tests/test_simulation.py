"""Reform simulation: by town, current beside changed parameters; overrides checked."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.registry.models import Person
from minzheng.rules import FactsValidationError
from minzheng.screening.simulation import indicator_two_rural_standard, parse_overrides, simulate
from minzheng.screening.tests.conftest import PERIOD


def test_indicator_two_is_85_percent_of_the_urban_standard():
    assert indicator_two_rural_standard("2026-11") == Decimal("654.50")
    assert indicator_two_rural_standard("2024-10") == Decimal("637.50")


def test_overrides_are_typed_and_every_bad_one_is_named():
    assert parse_overrides(["dibao.standard.rural=654.50"]) == {"dibao.standard.rural": Decimal("654.50")}
    assert parse_overrides({"dibao.addon.aged_min_age": "75"}) == {"dibao.addon.aged_min_age": 75}
    with pytest.raises(FactsValidationError) as raised:
        parse_overrides(["nope=1", "dibao.standard.urban=7.001", "garbage", "dibao.addon.aged_min_age=7.5"])
    assert [e["field"] for e in raised.value.errors] == [
        "set[2]",
        "set.nope",
        "set.dibao.standard.urban",
        "set.dibao.addon.aged_min_age",
    ]


def test_raising_a_standard_raises_caseload_and_cost_by_town(poor_households, zhenxi_village, make_household):
    # A rural household in 珍溪镇 with 700 yuan per head: above 630, below 654.50 + ... no;
    # make it 640 per head: not eligible now, eligible at 654.50.
    household = make_household(zhenxi_village, names=("陈一", "陈二"))
    Person.objects.filter(pk=household.head_id).update(income_transfer_fen=128_000)
    result = simulate(Actor.system("测试"), period=PERIOD, overrides=["dibao.standard.rural=654.50"])
    assert result["changed"] == [
        {
            "name": "dibao.standard.rural",
            "description": result["changed"][0]["description"],
            "unit": "CNY/person/month",
            "current": "630",
            "simulated": "654.50",
        }
    ]
    zhenxi = next(t for t in result["towns"] if t["code"] == "500102119")
    dibao = next(p for p in zhenxi["programs"] if p["program"] == "dibao")
    assert dibao["cases_change"] == 1  # the 640-per-head household comes in
    assert dibao["people_current"] == 2 and dibao["people_simulated"] == 4
    # 李 (no income): 2 × 630 → 2 × 654.50; 陈: 2 × (654.50 − 640)
    assert dibao["amount_fen_current"] == 126_000
    assert dibao["amount_fen_simulated"] == 130_900 + 2_900
    dunren = next(t for t in result["towns"] if t["code"] == "500102006")
    assert next(p for p in dunren["programs"] if p["program"] == "dibao")["amount_fen_change"] == 0  # urban


def test_simulation_is_limited_to_the_actors_scope(poor_households, actor_of, make_user):
    officer = actor_of(make_user("town_officer", "500102119"))
    result = simulate(officer, period=PERIOD, overrides={"dibao.standard.rural": "654.50"})
    assert [t["code"] for t in result["towns"]] == ["500102119"]


def test_simulate_command(poor_households, capsys):
    call_command("simulate", "--period", PERIOD, "--set", "dibao.standard.rural=654.50", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["overrides"] == {"dibao.standard.rural": "654.50"}
    assert {t["code"] for t in out["towns"]} == {"500102006", "500102119"}
    call_command("simulate", "--period", PERIOD, "--set", "dibao.standard.rural=654.50")
    text = capsys.readouterr().out
    assert "珍溪镇" in text and "现行 630 → 模拟 654.50" in text
    with pytest.raises(CommandError) as raised:
        call_command("simulate", "--period", PERIOD, "--set", "dibao.standard.nowhere=1")
    assert "没有这个参数" in str(raised.value)


def test_api_simulate(api_as, district_staff, poor_households):
    client = api_as(district_staff)
    response = client.post("/api/v1/rules/simulate", {"period": PERIOD, "set": {"dibao.standard.rural": "654.50"}})
    # the work is the background worker's (done at once by the tests' immediate backend)
    job = response.json()
    assert response.status_code == 202 and (job["kind"], job["status"], job["url"]) == ("screening.simulate", "done", f"/api/v1/jobs/{job['job_id']}")
    followed = client.get(job["url"]).json()
    assert followed["result"] == job["result"] and followed["result"]["totals"]
    dibao = next(t for t in followed["result"]["totals"] if t["program"] == "dibao")
    # the district's three 低保 households; the rural one (2 people) gains 2 × 24.50 yuan
    assert (dibao["cases_current"], dibao["people_current"], dibao["amount_fen_current"], dibao["amount_fen_simulated"]) == (
        3, 6, 434_000, 438_900)  # fmt: skip
    response = client.post("/api/v1/rules/simulate", {"period": PERIOD, "set": {"x.y": 1}})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "set.x.y"
    assert client.post("/api/v1/rules/simulate", {"period": "2026-13", "set": {}}).json()["errors"][0]["field"] == "period"


def test_a_simulated_value_beyond_any_policy_is_refused_by_name():
    with pytest.raises(FactsValidationError) as raised:
        parse_overrides({"dibao.standard.urban": "1" + "0" * 40, "dibao.addon.aged_min_age": "10000000"})
    assert raised.value.errors == [
        {"field": "set.dibao.standard.urban", "message": "模拟金额不能超过100,000.00元，请核对"},
        {"field": "set.dibao.addon.aged_min_age", "message": "数值过大（不能超过1,000,000），请核对"},
    ]


def test_a_job_is_seen_by_its_owner_only(api_as, district_staff, poor_households, make_user):
    job = api_as(district_staff).post("/api/v1/rules/simulate", {"period": PERIOD, "set": {}}).json()
    other = make_user(Role.DISTRICT_STAFF, "500102", username="another_district_user")
    assert api_as(other).get(job["url"]).status_code == 404
    assert api_as(district_staff).get("/api/v1/jobs/999999").status_code == 404
