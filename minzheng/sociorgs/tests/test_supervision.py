"""年检, 评估 with validity, the credit lists, and penalty / 取缔 cases through the kit."""

from __future__ import annotations

import pytest

from minzheng.cases.tasks import open_tasks_for
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.sociorgs import actions
from minzheng.sociorgs.models import AnnualInspection, CreditListing, PenaltyCase
from minzheng.sociorgs.selectors import summary_for
from minzheng.sociorgs.tests.conftest import ZHENXI, D

pytestmark = pytest.mark.django_db


def test_inspection_once_a_year(staff, org):
    row = actions.do_record_inspection(staff.district, org, year=2025, result="pass", submitted_on=D(2026, 5, 20))
    assert (row.year, row.result, row.division_code) == (2025, "pass", org.division_code)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_inspection(staff.district, org, year=2025, result="fail", submitted_on=D(2026, 5, 20))
    assert e.value.errors == {"year": "2025年度年检结论已录入"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_inspection(staff.district, org, year=2019, result="pass", submitted_on=D(2020, 5, 1))
    assert e.value.errors == {"year": "该组织于2020-03-01成立，至2019年末不满6个月，不参加2019年度年检"}
    actions.do_record_inspection(staff.district, org, year=2024, result="basic", submitted_on=D(2025, 5, 1))
    s = summary_for(staff.district, year=2025)
    assert s["inspection"] == {"year": 2025, "recorded": 1, "passed": 1, "results": {"pass": 1}, "pass_rate": 100.0}
    assert AnnualInspection.objects.count() == 2


def test_assessment_validity(staff, org):
    row = actions.do_record_assessment(staff.district, org, grade="4A", assessed_on=D(2023, 6, 15), score=930)
    assert row.valid_until == D(2028, 6, 14)
    assert summary_for(staff.district)["by_grade"] == {"4A": 1}
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_assessment(staff.district, org, grade="6A", assessed_on=D(2021, 6, 1))
    assert e.value.errors == {"grade": "请选择评估等级", "assessed_on": "成立登记满2年方可参加评估"}


def test_lists_entry_and_removal(staff, org, travel):
    listing = actions.do_list_organisation(staff.district, org, kind="serious", reason="罚款6万元", listed_on=D(2025, 1, 10))
    with pytest.raises(ValidationFailed) as e:
        actions.do_remove_listing(staff.district, listing, reason="整改完毕")
    assert e.value.errors == {"removed_on": "列入严重违法失信名单满2年（2027-01-10）后方可移出"}
    travel(D(2027, 1, 11))
    actions.do_remove_listing(staff.district, listing, reason="满2年无违法")
    assert CreditListing.objects.get().removed_on == D(2027, 1, 11)


def test_penalty_case_walk_with_deadlines(staff, org, travel):
    travel(D(2026, 9, 1))
    case = actions.do_file_penalty_case(staff.district, kind="penalty", organisation=org, facts="未按规定参加年检")
    assert (case.status, case.deadline_on, case.division_code) == ("filed", D(2026, 11, 30), org.division_code)
    tasks = [t for t in open_tasks_for(staff.district) if t.workflow.name == "sociorgs.penalty"]
    assert [(t.case.pk, t.deadline) for t in tasks] == [(case.pk, D(2026, 11, 30))]
    with pytest.raises(NotFound):
        actions.do_investigate(staff.zhenxi, case, expected_version=case.version)
    case = actions.do_investigate(staff.district, case, expected_version=case.version)
    with pytest.raises(ValidationFailed) as e:
        actions.do_notify(staff.district, case, expected_version=case.version, findings="")
    assert e.value.errors == {"findings": "请填写调查结论和拟作出的处理"}
    case = actions.do_notify(staff.district, case, expected_version=case.version, findings="拟给予警告")
    travel(D(2026, 9, 6))
    with pytest.raises(ValidationFailed) as e:
        actions.do_decide(staff.district, case, expected_version=case.version, sanction="warning", decision_no="涪民罚〔2026〕1号")
    assert e.value.errors == {"sanction": "告知后5日陈述、申辩期未满（2026-09-06届满），暂不能作出决定"}
    travel(D(2026, 9, 7))
    with pytest.raises(ValidationFailed) as e:
        actions.do_decide(staff.district, case, expected_version=case.version, sanction="fine", fine_yuan="-100", decision_no="涪民罚〔2026〕1号")
    assert e.value.errors == {"fine": "罚款金额（元）不能为负数"}
    case = actions.do_decide(staff.district, case, expected_version=case.version, sanction="fine", fine_yuan="60000", decision_no="涪民罚〔2026〕1号")
    case = actions.do_execute(staff.district, case, expected_version=case.version)
    assert (case.status, case.fine_fen, case.executed_on) == ("executed", 6_000_000, D(2026, 9, 7))
    assert list(CreditListing.objects.values_list("kind", "reason")) == [("serious", "受到行政处罚：罚款（涪民罚〔2026〕1号）")]


def test_ban_of_an_illegal_body(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_file_penalty_case(staff.district, kind="ban", facts="以协会名义收费", subject_name="", division_code="")
    assert e.value.errors == {"subject_name": "请填写非法社会组织名称", "division_code": "请选择违法行为发生地"}
    case = actions.do_file_penalty_case(staff.district, kind="ban", facts="未经登记以协会名义收费", subject_name="涪陵区某某联合会",
                                        division_code=ZHENXI)  # fmt: skip
    assert PenaltyCase.objects.visible_to(staff.zhenxi).get() == case
    assert not PenaltyCase.objects.visible_to(staff.dunren).exists()
