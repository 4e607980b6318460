"""Per case: `minzheng evaluate` and POST /api/v1/rules/evaluate."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minzheng.rules.tests.samples import SAMPLE_HOUSEHOLD_DATA

URL = "/api/v1/rules/evaluate"
ROOT = Path(__file__).resolve().parents[3]

FACTS = copy.deepcopy(SAMPLE_HOUSEHOLD_DATA)


def _result(answer, program, subject="household"):
    return next(r for r in answer["results"] if r["program"] == program and r["subject"] == subject)


def _check_answer(answer):
    assert answer["period"] == "2024-10"
    # The one member qualifies for 特困: supported as 特困 and not also counted for 低保.
    dibao = _result(answer, "dibao")
    assert dibao["eligible"] is False and dibao["amount"] == "0.00"
    counted = next(c for c in dibao["conditions"] if c["code"] == "members_not_tekun")
    assert (counted["value"], counted["threshold"], counted["passed"]) == (0, 1, False)
    tekun = _result(answer, "tekun", "m1")
    assert tekun["eligible"] is True and tekun["amount"] == "1275.00"
    condition = next(c for c in tekun["conditions"] if c["code"] == "own_income_below_standard")
    assert condition["label"] == "本人月收入（扣除就业成本后）低于当地低保标准"
    assert condition["value"] == "0.00" and condition["threshold"] == "750.00" and condition["passed"] is True
    assert "渝民发〔2024〕9号" in condition["reference"]
    assert isinstance(condition["provisional"], bool)
    for result in answer["results"]:
        whole, _, cents = result["amount"].partition(".")
        assert whole.isdigit() and len(cents) == 2


# --- command ----------------------------------------------------------------------------------


def test_command_prints_every_program_as_json(tmp_path, capsys):
    path = tmp_path / "household.json"
    path.write_text(json.dumps({**FACTS, "period": "2019-01"}), encoding="utf-8")
    call_command("evaluate", "--period", "2024-10", "--input", str(path))  # --period wins
    _check_answer(json.loads(capsys.readouterr().out))


def test_command_names_every_bad_field_and_exits_2(tmp_path, capsys):
    facts = copy.deepcopy(FACTS)
    member = facts["household"]["members"][0]
    del member["sex"]
    member["student"] = "no"
    facts["household"]["zone"] = "town"
    path = tmp_path / "household.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("evaluate", "--period", "2024-10", "--input", str(path))
    assert raised.value.returncode == 2
    errors = json.loads(capsys.readouterr().err)["errors"]
    assert {e["field"] for e in errors} == {
        "household.zone",
        "household.members[0].sex",
        "household.members[0].student",
    }


def test_command_rejects_bad_json_and_a_period_outside_coverage(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("evaluate", "--input", str(path))
    assert raised.value.returncode == 2
    assert "JSON格式错误" in capsys.readouterr().err
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("evaluate", "--period", "2030-01", "--input", str(path))
    errors = json.loads(capsys.readouterr().err)["errors"]
    assert errors[0]["field"] == "period" and "覆盖范围" in errors[0]["message"]


def test_the_installed_command_exits_with_code_2(tmp_path):
    path = tmp_path / "household.json"
    facts = copy.deepcopy(FACTS)
    facts["household"]["members"][0]["birth_date"] = "1950-02-30"
    path.write_text(json.dumps(facts), encoding="utf-8")
    # The command runs in another process: its var/ (the default SQLite file) is a temporary one.
    env = {
        **os.environ, "MINZHENG_TESTING": "1", "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "MINZHENG_VAR_DIR": str(tmp_path / "var"),
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "minzheng.manage", "evaluate", "--input", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "household.members[0].birth_date" in done.stderr
    facts["household"]["members"][0]["birth_date"] = "1950-02-28"
    path.write_text(json.dumps(facts), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "minzheng.manage", "evaluate", "--input", str(path), "--compact"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    _check_answer(json.loads(done.stdout))


# --- API --------------------------------------------------------------------------------------


def test_api_evaluates_with_full_explanation(api_as, village_worker):
    response = api_as(village_worker).post(URL, FACTS)
    assert response.status_code == 200
    body = response.json()
    _check_answer(body)
    assert body["parameters"]["dibao.standard.urban"]["value"] == "750.00"


def test_api_422_for_bad_json(api_as, village_worker):
    response = api_as(village_worker).post(URL, raw='{"period": "2024-10",')
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == ""


def test_api_422_names_each_missing_and_mistyped_field(api_as, village_worker):
    facts = copy.deepcopy(FACTS)
    del facts["household"]["financial_assets"]
    facts["household"]["members"][0]["disability_grade"] = "two"
    facts["household"]["members"][0]["monthly_income"]["wage"] = -5
    response = api_as(village_worker).post(URL, facts)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "household.financial_assets",
        "household.members[0].disability_grade",
        "household.members[0].monthly_income.wage",
    }


def test_api_422_for_a_period_outside_coverage_or_missing(api_as, village_worker):
    client = api_as(village_worker)
    response = client.post(URL, {**FACTS, "period": "2017-12"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "period", "message": response.json()["errors"][0]["message"]}
    ]
    assert "覆盖范围" in response.json()["errors"][0]["message"]
    facts = copy.deepcopy(FACTS)
    del facts["period"]
    response = client.post(URL, facts)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"period"}
    response = client.post(URL, [1, 2])
    assert response.status_code == 422


def test_api_requires_a_token(client):
    response = client.post(URL, data=json.dumps(FACTS), content_type="application/json")
    assert response.status_code == 401
