"""The register, 成立/变更/注销登记 through the kit with their refusals (missing document, wrong
credit code, a deadline missed, wrong division), and the certificate's history."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import MissingDocuments, TimeLimitPassed
from minzheng.core.credit_code import credit_code_error, is_valid_credit_code
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.sociorgs import actions
from minzheng.sociorgs.access import access_organisation_by_id
from minzheng.sociorgs.models import Organisation, OrganisationChange, Procedure
from minzheng.sociorgs.tests.conftest import DADONGMEN, XINGSHENG, D, code, items

pytestmark = pytest.mark.django_db


def test_credit_code_check_digit():
    assert is_valid_credit_code("91350100M000100Y43")
    assert credit_code_error("91350100M000100Y44") == "统一社会信用代码校验码错误：第18位应为“3”，请核对"
    assert credit_code_error("91350100M000100Y4") == "统一社会信用代码应为18位（当前17位）"
    assert credit_code_error("91350100M000100O43") == "统一社会信用代码含有不允许的字符“O”（不使用I、O、Z、S、V）"
    assert code("51", 1) == "51500102MJ00000012"


def test_register_with_a_wrong_check_digit_writes_nothing(staff):
    good = code("51", 7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_organisation(staff.district, credit_code=bad, registered_on=D(2020, 1, 1), **items())
    assert e.value.errors == {"credit_code": f"统一社会信用代码校验码错误：第18位应为“{good[17]}”，请核对"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_organisation(staff.district, credit_code=code("52", 7), registered_on=D(2020, 1, 1), **items())
    assert e.value.errors == {"credit_code": "统一社会信用代码前两位应为“51”（社会团体）"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_organisation(staff.district, credit_code=good, registered_on=D(2020, 1, 1), **items(registered_capital="-1"))
    assert e.value.errors == {"registered_capital": "注册资金（元）不能为负数"}
    assert Organisation.objects.count() == 0


def _walk_to_review(staff, day=D(2026, 1, 5), **over):
    case = actions.do_submit_procedure(staff.district, kind="establish", data=items(**over), submitted_on=day)
    for kind in ("prep_application", "funds_proof", "premises_proof", "founders", "charter_draft"):
        actions.do_receive_document(staff.district, case, kind=kind, received_on=day)
    return case


def test_establishment_to_certificate(staff, travel):
    travel(dt.date(2026, 6, 2))
    case = actions.do_submit_procedure(staff.district, kind="establish", data=items(), submitted_on=D(2026, 6, 1))
    with pytest.raises(MissingDocuments) as e:
        actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    assert str(e.value) == "办理“受理”前须上传：筹备申请书、验资报告（资金证明）、住所使用权证明、发起人和拟任负责人基本情况、身份证明、章程草案"
    for kind in ("prep_application", "funds_proof", "premises_proof", "founders", "charter_draft"):
        actions.do_receive_document(staff.district, case, kind=kind)
    with pytest.raises(NotFound):  # another town's case: the same answer as a missing one
        actions.do_accept_procedure(staff.zhenxi, case, expected_version=case.version)
    with pytest.raises(PermissionDenied):  # the town sees it but does not register
        actions.do_accept_procedure(staff.dunren, case, expected_version=case.version)
    case = actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    assert (case.status, case.step_deadline_on) == ("prep_review", D(2026, 8, 1))  # 60 days after 2 June
    case = actions.do_approve_preparation(staff.district, case, expected_version=case.version)
    assert (case.status, case.step_deadline_on) == ("preparing", D(2026, 12, 2))  # 6 months
    travel(dt.date(2026, 11, 2))
    actions.do_receive_document(staff.district, case, kind="registration_form")
    actions.do_receive_document(staff.district, case, kind="charter")
    case = actions.do_submit_registration(staff.district, case, expected_version=case.version)
    assert (case.status, case.step_deadline_on) == ("review", D(2026, 12, 2))  # 30 days
    bad = code("51", 9)[:17] + ("0" if code("51", 9)[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as e:
        actions.do_approve_procedure(staff.district, case, expected_version=case.version, credit_code=bad)
    assert list(e.value.errors) == ["credit_code"]
    case = actions.do_approve_procedure(staff.district, case, expected_version=case.version, credit_code=code("51", 9))
    org = case.organisation
    assert (case.status, case.certificate_no, org.name, org.registered_capital_fen, org.division_code) == (
        "approved", "涪社证字〔2026〕第001号", "涪陵区养老服务协会", 5_000_000, DADONGMEN)
    assert [e.label for e in CaseEvent.objects.for_case("sociorgs.procedure", case).order_by("id")] == [
        "成立登记", "受理", "准予筹备", "提交成立登记", "准予登记"]


def test_preparation_deadline_missed(staff, travel):
    travel(dt.date(2026, 1, 5))
    case = _walk_to_review(staff)
    case = actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    case = actions.do_approve_preparation(staff.district, case, expected_version=case.version)
    assert case.step_deadline_on == D(2026, 7, 5)
    actions.do_receive_document(staff.district, case, kind="registration_form")
    actions.do_receive_document(staff.district, case, kind="charter")
    travel(dt.date(2026, 7, 6))
    with pytest.raises(TimeLimitPassed) as e:
        actions.do_submit_registration(staff.district, case, expected_version=case.version)
    assert str(e.value) == "已超过办理时限（2026-07-05）"
    assert Procedure.objects.get(pk=case.pk).status == "preparing"


def test_refusals_name_the_ground(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_procedure(staff.district, kind="establish", data=items(org_type="foundation"))
    assert e.value.errors == {"org_type": "基金会由重庆市民政局或民政部登记，区民政局不受理基金会成立登记"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_procedure(staff.district, kind="establish", data=items(registered_capital="29999.99"))
    assert e.value.errors == {"registered_capital": "社会团体的活动资金不得少于30,000.00元"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_procedure(staff.district, kind="establish", data=items(name="中华涪陵协会"))
    assert e.value.errors == {"name": "区级登记的社会组织名称不得冠以“中国”“全国”“中华”等字样"}
    case = _walk_to_review(staff)
    case = actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    with pytest.raises(ValidationFailed) as e:
        actions.do_refuse_procedure(staff.district, case, expected_version=case.version, ground="", detail="会员不足")
    assert e.value.errors == {"ground": "请选择不予登记的法定事由"}
    case = actions.do_refuse_procedure(staff.district, case, expected_version=case.version, ground="conditions", detail="个人会员仅32名")
    assert (case.status, case.refusal_ground, case.refusal_detail) == ("refused", "conditions", "个人会员仅32名")
    assert CaseEvent.objects.for_case("sociorgs.procedure", case).last().reason == "不符合登记条件（会员数、资金、场所、人员等）：个人会员仅32名"


def test_change_and_deregistration_keep_history(staff, org):
    case = actions.do_submit_procedure(staff.district, kind="change", organisation=org,
                                       data={"legal_representative": "李四", "registered_capital": "80000", "division_code": XINGSHENG})
    actions.do_receive_document(staff.district, case, kind="change_form")
    actions.do_receive_document(staff.district, case, kind="change_resolution")
    case = actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    case = actions.do_approve_procedure(staff.district, case, expected_version=case.version)
    org.refresh_from_db()
    assert (org.legal_representative, org.registered_capital_fen, org.division_code, org.version) == ("李四", 8_000_000, XINGSHENG, 2)
    history = {c.label: (c.old_value, c.new_value) for c in OrganisationChange.objects.filter(organisation=org)}
    assert history == {"法定代表人": ("张三", "李四"), "注册资金": ("50,000.00元", "80,000.00元"), "住所所在地": ("大东门社区", "兴盛社区")}
    assert set(OrganisationChange.objects.filter(organisation=org).values_list("division_code", flat=True)) == {XINGSHENG}
    # the 敦仁街道 officer no longer sees it; the 珍溪镇 officer does
    with pytest.raises(NotFound):
        access_organisation_by_id(staff.dunren, org.pk)
    assert access_organisation_by_id(staff.zhenxi, org.pk) == org
    case = actions.do_submit_procedure(staff.district, kind="deregister", organisation=org)
    with pytest.raises(MissingDocuments):
        actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    for kind in ("deregister_form", "liquidation_report", "certificate_return"):
        actions.do_receive_document(staff.district, case, kind=kind)
    case = actions.do_accept_procedure(staff.district, case, expected_version=case.version)
    actions.do_approve_procedure(staff.district, case, expected_version=case.version)
    org.refresh_from_db()
    assert (org.status, org.ended_on) == ("deregistered", D(2026, 12, 4))


def test_wrong_division(staff, org):
    with pytest.raises(NotFound):
        access_organisation_by_id(staff.zhenxi, org.pk)
    assert access_organisation_by_id(staff.dunren, org.pk) == org
    with pytest.raises(PermissionDenied):
        actions.do_submit_procedure(staff.dunren, kind="change", organisation=org, data={"legal_representative": "王五"})
