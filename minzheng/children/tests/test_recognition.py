"""The recognition workflow walked with the real actions: 登记 → 乡镇审核 → [公示] → 区级认定 →
已认定 → 终止, the allowance enrolled in assistance's program and paid by its payroll, every
refusal (role, level, division, state, input) writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from minzheng.accounts.actor import Actor
from minzheng.assistance import payroll
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.assistance.enums import EnrolmentSource
from minzheng.assistance.models import Enrolment, Payment
from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import Stale, WrongState
from minzheng.children import actions, params
from minzheng.children.actions import RecognitionInput
from minzheng.children.allowances import evaluate_child, last_paid_month
from minzheng.children.enums import (
    Category,
    EndReason,
    Ground,
    Outcome,
    Placement,
    Source,
    Status,
)
from minzheng.children.models import Recognition, RecognitionDecision
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.registry.models import Person

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("测试发放")


# The papers the town's review needs (workflow.REVIEW_DOCUMENTS), by category.
PAPERS = {
    Category.ORPHAN: ["identity", "parents_death"],
    Category.DE_FACTO_UNSUPPORTED: ["identity", "parents_situation"],
    Category.HARDSHIP: ["identity"],
}


def register(actor, child, guardian=None, category=Category.ORPHAN, grounds=(Ground.BOTH_PARENTS_DEAD,), **kw):
    return actions.do_register_child(
        actor,
        RecognitionInput(
            person_id=child.pk, category=category, source=kw.pop("source", Source.DISCOVERY), grounds=list(grounds),
            guardian_id=guardian.pk if guardian else None, guardian_relation="祖父",
            documents=kw.pop("documents", PAPERS[category]), **kw,
        ),
    )


def recognise(staff, child, guardian, **kw):
    r = register(staff.village, child, guardian, **kw)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="情况属实")
    return actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)


def test_orphan_walk_enrols_the_engine_amount_and_the_next_payroll_pays_it(staff, child, guardian):
    r = register(staff.village, child, guardian)
    assert r.status == Status.SUBMITTED and r.number == f"ET2026{r.pk:06d}"
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="情况属实")
    assert r.status == Status.DECISION  # no category publicises by default
    r = actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)
    assert r.status == Status.RECOGNISED
    assert r.amount_fen == 165100  # scattered orphans from 2025-07-01: 1651 yuan
    decision = RecognitionDecision.objects.get(recognition=r)
    assert decision.engine_eligible is True and decision.period == "2026-12" and decision.program == "orphan_allowance"
    assert [c["passed"] for c in decision.result["results"][0]["conditions"]] == [True, True]
    child.refresh_from_db()
    assert child.child_status == "orphan" and child.in_institution is False
    enrolment = Enrolment.objects.get(pk=r.enrolment_id)
    assert (enrolment.program, enrolment.person_id, enrolment.payee_id, enrolment.amount_fen) == ("orphan_allowance", child.pk, guardian.pk, 165100)
    assert enrolment.start_month == dt.date(2027, 1, 1) and enrolment.end_month == dt.date(2033, 6, 1)
    summary = payroll.run_payroll(SYSTEM, program="orphan_allowance", period="2027-01")
    assert (summary.payments, summary.total_fen) == (1, 165100)
    assert list(CaseEvent.objects.for_case("children.recognition", r).values_list("action", flat=True)) == ["create", "review", "decide"]


def test_institutional_orphan_gets_the_institutional_amount(staff, child):
    r = recognise(staff, child, None, placement=Placement.INSTITUTIONAL)
    assert r.amount_fen == 185100
    assert Person.objects.get(pk=child.pk).in_institution is True
    assert Enrolment.objects.get(pk=r.enrolment_id).payee_id == child.pk


def test_defacto_child_and_hardship_child(staff, child, guardian, make_person):
    r = recognise(staff, child, guardian, category=Category.DE_FACTO_UNSUPPORTED, grounds=[Ground.PARENT_DETAINED])
    assert (r.amount_fen, Enrolment.objects.get(pk=r.enrolment_id).program) == (165100, "defacto_child_allowance")
    other = make_person("500102006001", "李小花", birth="20160101")
    h = recognise(staff, other, None, category=Category.HARDSHIP, grounds=[Ground.LIVING_HARDSHIP, Ground.BODY_MIND_HARDSHIP])
    assert h.status == Status.RECOGNISED and h.enrolment_id is None and h.amount_fen is None  # no amount found for 困境儿童
    assert Person.objects.get(pk=other.pk).child_status == ""


def test_an_orphan_is_not_also_paid_as_tekun(staff, child, guardian):
    tekun = do_create_enrolment(
        staff.district,
        NewEnrolment(program="tekun", person=child, payee=guardian, division_code=child.division_code, zone="urban",
                     amount_fen=100100, start_month=dt.date(2026, 1, 1), decided_on=dt.date(2026, 1, 1), reason="测试", source=EnrolmentSource.ROSTER),
    )
    recognise(staff, child, guardian)
    tekun.refresh_from_db()
    assert (tekun.status, tekun.end_month) == ("exited", dt.date(2026, 12, 1))
    payroll.run_payroll(SYSTEM, program="tekun", period="2027-01")
    assert not Payment.objects.filter(program="tekun", period="2027-01", subject_id=child.pk).exists()


def test_at_18_the_allowance_ends_in_the_birthday_month(staff, make_person, guardian):
    teen = make_person("500102006001", "赵大成", birth="20090310")
    r = recognise(staff, teen, guardian)
    enrolment = Enrolment.objects.get(pk=r.enrolment_id)
    assert enrolment.end_month == dt.date(2027, 3, 1) == last_paid_month(teen.birth_date)
    assert payroll.run_payroll(SYSTEM, program="orphan_allowance", period="2027-03").payments == 1
    assert payroll.run_payroll(SYSTEM, program="orphan_allowance", period="2027-04").payments == 0
    with time_machine.travel(dt.datetime(2027, 4, 2, 9, 0), tick=False):
        assert actions.end_aged_out() == 1
    r.refresh_from_db()
    assert (r.status, r.end_reason) == (Status.ENDED, EndReason.AGED_OUT)
    assert Person.objects.get(pk=teen.pk).child_status == ""


def test_the_last_month_agrees_with_the_engine(make_person):
    """The engine takes ages on the 1st of the period: 18 on 1 December is not paid for December."""
    on_first = make_person("500102006001", "甲", birth="20081201")
    on_second = make_person("500102006001", "乙", birth="20081202")
    assert last_paid_month(on_first.birth_date) == dt.date(2026, 11, 1)
    assert last_paid_month(on_second.birth_date) == dt.date(2026, 12, 1)
    assert evaluate_child(on_first, Category.ORPHAN, Placement.SCATTERED, "2026-12").eligible is False
    assert evaluate_child(on_first, Category.ORPHAN, Placement.SCATTERED, "2026-11").eligible is True
    assert evaluate_child(on_second, Category.ORPHAN, Placement.SCATTERED, "2026-12").eligible is True


def test_a_child_aged_out_by_next_month_is_not_recognised_for_an_allowance(staff, make_person, guardian):
    teen = make_person("500102006001", "丙", birth="20081215")
    r = register(staff.village, teen, guardian)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    with pytest.raises(DomainError) as e:
        actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)
    assert e.value.message == "该儿童下月起已年满18周岁，不再发放基本生活费"
    assert not Enrolment.objects.exists()


def test_adoption_ends_the_allowance_this_month(staff, child, guardian):
    r = recognise(staff, child, guardian)
    r = actions.do_end_recognition(staff.town, r, expected_version=r.version, end_reason=EndReason.ADOPTED)
    enrolment = Enrolment.objects.get(pk=r.enrolment_id)
    assert (r.status, enrolment.status, enrolment.end_month) == (Status.ENDED, "exited", dt.date(2026, 12, 1))
    assert Person.objects.get(pk=child.pk).child_status == ""


def test_parent_return_needs_a_note(staff, child, guardian):
    r = recognise(staff, child, guardian, category=Category.DE_FACTO_UNSUPPORTED, grounds=[Ground.PARENT_DETAINED])
    with pytest.raises(ValidationFailed) as e:
        actions.do_end_recognition(staff.town, r, expected_version=r.version, end_reason=EndReason.PARENT_RETURNED)
    assert e.value.errors == {"note": "请填写终止说明"}
    r.refresh_from_db()
    assert r.status == Status.RECOGNISED


def test_change_to_institution_adjusts_the_amount(staff, child, guardian):
    r = recognise(staff, child, guardian)
    r = actions.do_change_placement(staff.town, r, expected_version=r.version, placement=Placement.INSTITUTIONAL, guardian_id=None, reason="入住儿童福利院")
    enrolment = Enrolment.objects.get(pk=r.enrolment_id)
    assert (r.amount_fen, enrolment.amount_fen) == (185100, 185100)
    assert RecognitionDecision.objects.filter(recognition=r).count() == 2


def test_review_continue_and_end(staff, child, guardian):
    r = recognise(staff, child, guardian)
    r = actions.do_review_child(staff.town, r, expected_version=r.version, outcome="continue", note="情况未变")
    assert r.next_review_on == dt.date(2027, 12, 4)
    r = actions.do_review_child(staff.town, r, expected_version=r.version, outcome="end", note="父亲刑满释放")
    assert (r.status, r.end_reason) == (Status.ENDED, EndReason.NO_LONGER_ELIGIBLE)


def test_publicity_where_configured(staff, child, guardian, monkeypatch):
    monkeypatch.setitem(params.PUBLICITY_DAYS, "orphan", 7)
    r = register(staff.village, child, guardian)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    assert (r.status, r.publicity_end) == (Status.PUBLICITY, dt.date(2026, 12, 11))
    with pytest.raises(DomainError) as e:
        actions.do_close_publicity(staff.town, r, expected_version=r.version)
    assert e.value.message == "公示期至2026年12月11日，期满后方可办理"
    with time_machine.travel(dt.datetime(2026, 12, 12, 9, 0), tick=False):
        r = actions.do_close_publicity(staff.town, r, expected_version=r.version)
    assert r.status == Status.DECISION


# ----------------------------------------------------------------------------------------------
# Refusals
# ----------------------------------------------------------------------------------------------


def test_register_refusals(staff, child, guardian, make_person):
    with pytest.raises(PermissionDenied):
        register(staff.district, child, guardian)  # the district does not register
    with pytest.raises(ValidationFailed) as e:
        register(staff.other_village, child, guardian)
    assert e.value.errors == {"person_id": "未找到该人员，或该人员不在您的管辖范围内"}
    with pytest.raises(ValidationFailed) as e:
        register(staff.village, child, guardian, grounds=[Ground.PARENT_DETAINED])
    assert e.value.errors == {"grounds": "所选情形不属于孤儿的认定情形"}
    with pytest.raises(ValidationFailed) as e:
        register(staff.village, child, None)
    assert e.value.errors == {"guardian_id": "散居儿童须填写监护人（基本生活费的领款人）"}
    adult = make_person("500102006001", "成年人", birth="20050101")
    with pytest.raises(ValidationFailed) as e:
        register(staff.village, adult, guardian)
    assert e.value.errors == {"person_id": "该人员已年满18周岁，不属于儿童"}
    register(staff.village, child, guardian)
    with pytest.raises(ValidationFailed) as e:
        register(staff.village, child, guardian)
    assert e.value.errors == {"category": "该儿童已有孤儿认定或正在办理"}
    with pytest.raises(ValidationFailed) as e:
        register(staff.village, child, guardian, category=Category.DE_FACTO_UNSUPPORTED, grounds=[Ground.PARENT_DETAINED])
    assert "不能同时认定为事实无人抚养儿童" in e.value.errors["category"]
    assert Recognition.objects.count() == 1


def test_step_refusals_write_nothing(staff, child, guardian):
    r = register(staff.village, child, guardian)
    with pytest.raises(NotFound):  # another town: the same answer as a missing case
        actions.do_review_recognition(staff.other_town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="x")
    with pytest.raises(PermissionDenied):  # a village worker may not review
        actions.do_review_recognition(staff.village, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="x")
    with pytest.raises(ValidationFailed) as e:
        actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion=" ")
    assert e.value.errors == {"opinion": "请填写审核意见"}
    with pytest.raises(WrongState):
        actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)
    with pytest.raises(Stale):
        actions.do_review_recognition(staff.town, r, expected_version=r.version + 1, outcome=Outcome.APPROVE, opinion="x")
    r.refresh_from_db()
    assert (r.status, r.version) == (Status.SUBMITTED, 1)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    with pytest.raises(PermissionDenied):  # the town may not decide
        actions.do_decide_recognition(staff.approver, r, expected_version=r.version, outcome=Outcome.APPROVE)
    with pytest.raises(ValidationFailed) as e:
        actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.REFUSE, reasons="")
    assert e.value.errors == {"reasons": "请填写不予认定的理由"}
    assert not Enrolment.objects.exists() and not RecognitionDecision.objects.exists()
    r = actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.REFUSE, reasons="父亲尚在")
    assert r.status == Status.REFUSED and not Enrolment.objects.exists()
    assert Person.objects.get(pk=child.pk).child_status == ""


def test_return_to_the_village_needs_a_reason(staff, child, guardian):
    r = register(staff.village, child, guardian)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    with pytest.raises(ValidationFailed) as e:
        actions.do_return_recognition(staff.district, r, expected_version=r.version, reason="")
    assert e.value.errors == {"reason": "请填写退回理由"}
    r = actions.do_return_recognition(staff.district, r, expected_version=r.version, reason="补充死亡证明")
    assert r.status == Status.SUBMITTED


def test_town_refusal(staff, child, guardian):
    r = register(staff.village, child, guardian)
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.REFUSE, opinion="母亲健在且有抚养能力")
    assert (r.status, r.refusal_reasons) == (Status.REFUSED, "母亲健在且有抚养能力")


def test_changes_are_town_or_district_only(staff, child, guardian):
    r = recognise(staff, child, guardian)
    with pytest.raises(PermissionDenied):
        actions.do_end_recognition(staff.village, r, expected_version=r.version, end_reason=EndReason.ADOPTED)
    with pytest.raises(NotFound):
        actions.do_end_recognition(staff.other_town, r, expected_version=r.version, end_reason=EndReason.ADOPTED)
    with pytest.raises(PermissionDenied):
        actions.do_review_child(staff.village, r, expected_version=r.version, outcome="continue", note="x")
