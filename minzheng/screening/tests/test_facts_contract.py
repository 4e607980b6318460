"""The household facts contract of the rules issue (issue 3) is the contract: its example
input, exactly as written there, is accepted by the per-case evaluator and by
POST /api/v1/rules/evaluate; a fact it does not name (``rigid_spending_12m``) is optional, and
when it is absent only the programs that need it answer "cannot be decided"."""

from __future__ import annotations

import json

from minzheng.screening.api import FACTS_EXAMPLE
from minzheng.rules import evaluate_household

URL = "/api/v1/rules/evaluate"

# Issue 3's example ("Household facts"), kept as the API document's example of the request.
CONTRACT_EXAMPLE = json.dumps(FACTS_EXAMPLE)  # the document's example (docs/rules.md §4)

UNDECIDED = "无法判定：缺少事实“近12个月刚性支出”"


def _by_program(answer):
    return {(r["program"], r["subject"]): r for r in answer["results"]}


def _check_contract_answer(answer):
    assert answer["period"] == "2024-10"
    results = _by_program(answer)
    assert [(r["program"], r["subject"], r["eligible"], r["amount"]) for r in answer["results"]] == [
        ("dibao", "household", False, "0.00"),  # the one member is 特困: not counted twice
        ("low_income_edge", "household", False, "0.00"),
        ("rigid_spending_hardship", "household", False, "0.00"),
        ("dibao_addon", "m1", False, "0.00"),
        ("tekun", "m1", True, "1275.00"),  # 975 basic + 300 care (partly unable), 2024-09 standards
        ("orphan_allowance", "m1", False, "0.00"),
        ("defacto_child_allowance", "m1", False, "0.00"),
        ("disability_living_subsidy", "m1", True, "80.00"),
        ("severe_disability_care_subsidy", "m1", True, "80.00"),
    ]
    # Only 刚性支出困难 reads the absent fact, and its condition says so; the program itself is
    # decided here (the household is not 低保 and not 低保边缘, but the district's disposable
    # income has no value either), so it reports both the missing parameter and the missing fact.
    rigid = results[("rigid_spending_hardship", "household")]
    spending = next(c for c in rigid["conditions"] if c["code"] == "rigid_spending_above_share")
    assert spending["value"] is None and spending["passed"] is False
    assert spending["missing_facts"] == ["rigid_spending_12m"] and spending["note"] == UNDECIDED
    assert spending["missing_parameter"] is False
    assert rigid["undecided"] is True and rigid["missing_facts"] == ["rigid_spending_12m"]
    for key, result in results.items():
        if key[0] != "rigid_spending_hardship":
            assert "undecided" not in result, key
            assert all("missing_facts" not in c for c in result["conditions"]), key


def test_the_contract_example_is_accepted_by_the_per_case_evaluator():
    _check_contract_answer(evaluate_household(json.loads(CONTRACT_EXAMPLE)))


def test_the_contract_example_is_accepted_by_the_api(api_as, village_worker):
    response = api_as(village_worker).post(URL, raw=CONTRACT_EXAMPLE)
    assert response.status_code == 200, response.content
    _check_contract_answer(response.json())


def test_with_the_optional_fact_every_program_is_decided(api_as, village_worker):
    data = json.loads(CONTRACT_EXAMPLE)
    data["household"]["rigid_spending_12m"] = 5000
    response = api_as(village_worker).post(URL, data)
    assert response.status_code == 200
    assert all("undecided" not in r for r in response.json()["results"])
    rigid = _by_program(response.json())[("rigid_spending_hardship", "household")]
    spending = next(c for c in rigid["conditions"] if c["code"] == "rigid_spending_above_share")
    assert (spending["value"], spending["passed"]) == ("5000.00", True)


def test_a_bad_optional_fact_is_still_refused_naming_the_field(api_as, village_worker):
    data = json.loads(CONTRACT_EXAMPLE)
    data["household"]["rigid_spending_12m"] = -1
    response = api_as(village_worker).post(URL, data)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "household.rigid_spending_12m", "message": "金额不能为负数"}]
