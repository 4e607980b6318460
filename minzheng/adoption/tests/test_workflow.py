"""The adoption workflow walked with the real actions: 申请 → 受理 → [寻亲公告] → 收养评估 →
登记审查 → 准予登记 | 不予登记 → 解除; the registry and the children line follow a registration;
every refusal (role, division, state, documents, deadline, conditions, version) writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.adoption import actions, services
from minzheng.adoption.enums import DocumentKind, Kind, Placer, Status, VisitStatus
from minzheng.adoption.models import (
    Adoption,
    AdoptionDocument,
    Assessment,
    FollowUpVisit,
)
from minzheng.adoption.tests.conftest import ORPHAN_DOCUMENTS, apply, assessment
from minzheng.adoption.workflow import ADOPTION, TRANSITIONS
from minzheng.assistance.models import Enrolment
from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import MissingDocuments, Stale, TimeLimitPassed, WrongState
from minzheng.children import actions as child_actions
from minzheng.children.actions import RecognitionInput
from minzheng.children.enums import Category, EndReason, Ground, Outcome, Source
from minzheng.children.models import Recognition
from minzheng.children.services import file_sections
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.models import AuditEvent
from minzheng.registry.actions import do_add_household_member, do_create_household
from minzheng.registry.models import HouseholdMembership, Person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def recognise_orphan(staff, child):
    r = child_actions.do_register_child(
        staff.village,
        RecognitionInput(
            person_id=child.pk, category=Category.ORPHAN, source=Source.DISCOVERY, grounds=[Ground.BOTH_PARENTS_DEAD],
            guardian_id=child.grandmother.pk, guardian_relation="祖母",
            documents=["identity", "parents_death"],  # the papers the town's review requires
        ),
    )  # fmt: skip
    r = child_actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    return child_actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)


def to_review(staff, couple, orphan, **kw):
    husband, wife = couple
    a = apply(staff.district, orphan, husband, wife, **kw)
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    return actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment())


def unchanged(a: Adoption) -> tuple:
    fresh = Adoption.objects.get(pk=a.pk)
    audit = AuditEvent.objects.filter(object_type="adoption", object_id=str(a.pk)).exclude(action="view")
    return (
        fresh.status, fresh.version, CaseEvent.objects.filter(workflow="adoption.case", case_id=a.pk).count(), audit.count(),
        Assessment.objects.filter(adoption=a).count(), FollowUpVisit.objects.filter(adoption=a).count(),
    )  # fmt: skip


def test_an_orphan_is_adopted_the_registry_and_the_allowance_follow(staff, couple, orphan):
    husband, wife = couple
    recognition = recognise_orphan(staff, orphan)
    a = apply(staff.district, orphan, husband, wife)
    assert (a.status, a.number, a.division_code) == (Status.APPLIED, f"SY2026{a.pk:06d}", "500102006001")
    assert sorted(AdoptionDocument.objects.filter(adoption=a).values_list("kind", flat=True)) == sorted(ORPHAN_DOCUMENTS)

    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    assert (a.status, a.accepted_on, a.step_deadline_on) == (Status.ASSESSMENT, TODAY, dt.date(2027, 2, 2))  # 60 days
    a = actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment())
    assert (a.status, a.step_deadline_on) == (Status.REVIEW, dt.date(2027, 1, 3))  # 30 days
    a = actions.do_register_adoption(staff.district, a, expected_version=a.version)
    assert (a.status, a.registered_on, a.certificate_number) == (Status.REGISTERED, TODAY, f"涪陵收字（2026）第{a.pk:05d}号")
    assert all(c["passed"] for c in a.conditions)

    # The registry: the child is the couple's child, in their household, from today.
    membership = HouseholdMembership.objects.get(person=orphan, valid_to__isnull=True)
    assert (membership.household_id, membership.relation, membership.valid_from) == (husband.household_id, "child", TODAY)
    assert HouseholdMembership.objects.get(person=orphan, household=orphan.household_id).valid_to == TODAY
    # The children line: the recognition ends (被依法收养), the allowance's last month is this one.
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert (recognition.status, recognition.end_reason) == ("ended", EndReason.ADOPTED)
    enrolment = Enrolment.objects.get(pk=recognition.enrolment_id)
    assert enrolment.end_month == dt.date(2026, 12, 1)
    assert Person.objects.get(pk=orphan.pk).child_status == ""
    # The child's file (一人一档) on the children line lists the adoption for the district; the
    # village, which sees no adoption file, gets no section.
    assert file_sections(staff.district, orphan) == [
        {"title": "收养登记", "rows": [f"{a.number}　{a.get_kind_display()}　收养人 {husband.name}　已登记"]}
    ]
    assert file_sections(staff.village, orphan) == []
    # 回访 at 3 and 12 months (working default).
    assert list(FollowUpVisit.objects.filter(adoption=a).values_list("sequence", "due_on", "status")) == [
        (1, dt.date(2027, 3, 4), VisitStatus.DUE), (2, dt.date(2027, 12, 4), VisitStatus.DUE),
    ]  # fmt: skip
    assert list(CaseEvent.objects.filter(workflow="adoption.case", case_id=a.pk).order_by("id").values_list("action", "to_status")) == [
        ("create", "applied"), ("accept", "assessment"), ("assess", "review"), ("register", "registered"),
    ]  # fmt: skip
    event = CaseEvent.objects.get(workflow="adoption.case", case_id=a.pk, action="register")
    assert event.reason == (
        f"收养登记证 {a.certificate_number}；被收养人迁入收养人家庭（与户主关系：子女）；"
        f"儿童认定 {recognition.number} 终止（被依法收养），基本生活费本月停发"
    )


def test_registration_is_refused_naming_every_unmet_condition_and_writes_nothing(staff, person, orphan):
    young = person("周小军", "19990101", male=True)  # 27, single, a girl 21 years younger
    a = apply(staff.district, orphan, young, birth_children=1, adopted_children=1)
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    a = actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment("unsuitable", summary="经济条件不足"))
    before = unchanged(a)
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_adoption(staff.district, a, expected_version=a.version)
    assert e.value.errors["conditions"] == (
        "不符合收养条件，不能登记："
        "收养人周小军年满30周岁（民法典第一千零九十八条第（五）项：周小军27周岁，须年满30周岁）；"
        "收养人有抚养、教育和保护被收养人的能力（收养评估）（民法典第一千零九十八条第（二）项、第一千一百零五条：收养评估结论：不适合收养）；"
        "无配偶者收养异性子女，年龄相差40周岁以上（民法典第一千一百零二条：收养人与被收养人年龄相差21周岁，须相差40周岁以上）"
    )  # the child is an orphan: the number of children does not count (第一千一百条第二款)
    assert unchanged(a) == before

    a = actions.do_refuse_adoption(staff.district, a, expected_version=a.version)
    assert (a.status, a.refused_on) == (Status.REFUSED, TODAY)
    assert [r["label"] for r in a.refusal_reasons] == [
        "收养人周小军年满30周岁", "收养人有抚养、教育和保护被收养人的能力（收养评估）", "无配偶者收养异性子女，年龄相差40周岁以上",
    ]  # fmt: skip
    assert HouseholdMembership.objects.get(person=orphan, valid_to__isnull=True).household_id == orphan.household_id
    assert FollowUpVisit.objects.filter(adoption=a).count() == 0


def test_the_number_of_children_counts_unless_the_child_is_an_orphan_disabled_or_a_foundling_in_care(staff, couple, person):
    husband, wife = couple
    child = person("刘小宝", "20190301", male=True)
    a = apply(staff.district, child, husband, wife, kind=Kind.PARENTS_DIFFICULTY, placer=Placer.BIRTH_PARENTS,
              birth_children=2, adopted_children=0, documents=[])  # fmt: skip
    failed = {c.code: c.detail for c in services.unmet(services.evaluate(a, TODAY))}
    assert failed == {"adopter_children": "收养人现有子女2名，不得超过1名", "adopter_ability": "尚未完成收养评估"}
    a.birth_children, a.adopted_children = 1, 1
    failed = {c.code: c.detail for c in services.unmet(services.evaluate(a, TODAY))}
    assert failed == {
        "adopter_children": "收养人现有子女2名，不得超过1名",
        "adoptee_count": "有子女的收养人可以收养1名子女，已收养1名",
        "adopter_ability": "尚未完成收养评估",
    }
    # A disabled minor does not count (第一千一百条第二款).
    a.child.disability_category = "physical"
    exempt = {c.code: c.exempt for c in services.evaluate(a, TODAY) if c.exempt}
    assert exempt == {"adopter_children": services.COUNT_EXEMPT, "adoptee_count": services.COUNT_EXEMPT}


def test_a_refusal_with_every_condition_met_needs_a_reason(staff, couple, orphan):
    a = to_review(staff, couple, orphan)
    before = unchanged(a)
    with pytest.raises(ValidationFailed) as e:
        actions.do_refuse_adoption(staff.district, a, expected_version=a.version, opinion="  ")
    assert e.value.errors == {"opinion": "各项收养条件均符合，不予登记须写明理由"}
    assert unchanged(a) == before
    a = actions.do_refuse_adoption(staff.district, a, expected_version=a.version, opinion="收养人隐瞒重要事实")
    assert a.refusal_reasons == [{"label": "登记机关意见", "article": "", "detail": "收养人隐瞒重要事实"}]


def test_accept_needs_every_paper(staff, couple, orphan):
    husband, wife = couple
    a = apply(staff.district, orphan, husband, wife, documents=[DocumentKind.APPLICATION, DocumentKind.ADOPTER_ID])
    before = unchanged(a)
    with pytest.raises(MissingDocuments) as e:
        actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    assert e.value.message == (
        "办理“受理”前须上传：收养人婚姻状况证明、收养人县级以上医疗机构出具的体检证明、收养人无违法犯罪记录证明、"
        "送养人身份证明或儿童福利机构证明、送养协议或同意送养的书面意见、被收养人父母死亡或宣告死亡的证明"
    )
    assert unchanged(a) == before
    for kind in ORPHAN_DOCUMENTS[2:]:
        actions.do_check_in_document(staff.district, a, kind=kind)
    with pytest.raises(ValidationFailed) as e:
        actions.do_check_in_document(staff.district, a, kind=DocumentKind.HEALTH)
    assert e.value.errors == {"kind": "收养人县级以上医疗机构出具的体检证明已收件"}
    a = Adoption.objects.get(pk=a.pk)
    assert actions.do_accept_adoption(staff.district, a, expected_version=a.version).status == Status.ASSESSMENT


def test_a_child_of_eight_or_more_must_consent(staff, couple, person):
    husband, wife = couple
    child = person("张小雨", "20170101", male=False)  # 9
    a = apply(staff.district, child, husband, wife)
    with pytest.raises(MissingDocuments) as e:
        actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    assert e.value.missing == ("被收养人同意被收养的书面意见（8周岁以上）",)
    consent = next(c for c in services.evaluate(a, TODAY) if c.code == "child_consent")
    assert (consent.passed, consent.detail, consent.provisional) == (False, "被收养人9周岁，未书面同意被收养", True)


def test_a_foundling_waits_for_the_sixty_day_notice(staff, couple, person, travel):
    husband, wife = couple
    child = person("党小福", "20250801", male=True)
    docs = [*ORPHAN_DOCUMENTS[:-1], DocumentKind.FOUNDLING_REPORT]
    a = apply(staff.district, child, husband, wife, kind=Kind.FOUNDLING, placer=Placer.INSTITUTION, placer_name="涪陵区儿童福利院", documents=docs)
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    assert (a.status, a.notice_start, a.notice_end) == (Status.NOTICE, TODAY, dt.date(2027, 2, 2))
    before = unchanged(a)
    with pytest.raises(DomainError) as e:
        actions.do_close_notice(staff.district, a, expected_version=a.version)
    assert e.value.message == "寻亲公告期至2027-02-02届满，届满后方可进入收养评估"
    assert unchanged(a) == before
    travel(dt.date(2027, 2, 2))
    a = actions.do_close_notice(staff.district, a, expected_version=a.version)
    assert (a.status, a.step_deadline_on) == (Status.ASSESSMENT, dt.date(2027, 4, 3))


def test_a_step_parent_is_not_assessed_and_not_held_to_the_adopters_conditions(staff, person, system_actor):
    mother = person("何丽", "19950101", male=False)
    stepfather = person("邓强", "19980101", male=True)  # 28: exempt (第一千一百零三条)
    child = person("何小月", "20200101", male=False)
    household = do_create_household(system_actor, head=mother)
    do_add_household_member(system_actor, household, stepfather, relation="spouse")
    do_add_household_member(system_actor, household, child, relation="child")
    docs = [DocumentKind.APPLICATION, DocumentKind.ADOPTER_ID, DocumentKind.MARITAL, DocumentKind.PLACER, DocumentKind.STEP_CONSENT]
    a = apply(staff.district, child, stepfather, kind=Kind.STEPCHILD, placer=Placer.BIRTH_PARENTS, placer_name="何丽（生母）",
              adopter_has_spouse=True, documents=docs)  # fmt: skip
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    assert (a.status, a.step_deadline_on) == (Status.REVIEW, dt.date(2027, 1, 3))
    a = actions.do_register_adoption(staff.district, a, expected_version=a.version)
    assert a.status == Status.REGISTERED
    exempt = {c["code"]: c["exempt"] for c in a.conditions if c["exempt"]}
    assert set(exempt) == {"adopter_age", "adopter_children", "adoptee_count", "adopter_health", "adopter_record", "adopter_ability"}
    # Already in the household: no move.
    assert HouseholdMembership.objects.get(person=child, valid_to__isnull=True).household_id == household.pk


def test_every_step_is_the_district_registrars_other_towns_do_not_find_the_case(staff, couple, orphan):
    husband, wife = couple
    with pytest.raises(PermissionDenied):
        apply(staff.town, orphan, husband, wife)
    a = apply(staff.district, orphan, husband, wife)
    states = {}
    for t in TRANSITIONS:
        states.setdefault(t.source, []).append(t)
    assert set(states) == {Status.APPLIED, Status.NOTICE, Status.ASSESSMENT, Status.REVIEW, Status.REGISTERED}
    for t in TRANSITIONS:
        Adoption.objects.filter(pk=a.pk).update(status=t.source)
        case = Adoption.objects.get(pk=a.pk)
        before = unchanged(case)
        for actor in (staff.other_town, staff.other_village):
            with pytest.raises(NotFound):
                actions.lock_case(actor, ADOPTION, case, case.version)
        for actor, message in (
            (staff.town, f"您的角色无权执行“{t.label}”"), (staff.approver, f"您的角色无权执行“{t.label}”"),
            (staff.leader, f"您的角色无权执行“{t.label}”"),
        ):  # fmt: skip
            with pytest.raises(PermissionDenied) as e:
                ADOPTION.check(actor, case, t.action)
            assert e.value.message == message
        assert unchanged(case) == before


def test_steps_through_the_actions_refuse_other_towns_and_roles(staff, couple, orphan):
    husband, wife = couple
    a = apply(staff.district, orphan, husband, wife)
    before = unchanged(a)
    with pytest.raises(NotFound):
        actions.do_accept_adoption(staff.other_town, a, expected_version=a.version)
    with pytest.raises(PermissionDenied) as e:
        actions.do_accept_adoption(staff.town, a, expected_version=a.version)
    assert e.value.message == "您的角色无权执行“受理”"
    with pytest.raises(WrongState) as e:
        actions.do_register_adoption(staff.district, a, expected_version=a.version)
    assert e.value.message == "收养登记申请当前处于“待受理”环节，不能执行“准予登记”"
    assert unchanged(a) == before


def test_of_two_registrars_on_the_same_version_only_the_first_succeeds(staff, couple, orphan, make_user, actor_of):
    husband, wife = couple
    other = actor_of(make_user("district_staff", "500102"))
    a = apply(staff.district, orphan, husband, wife)
    actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    with pytest.raises(Stale) as e:
        actions.do_accept_adoption(other, a, expected_version=a.version)
    assert e.value.message == "该收养登记申请已被其他用户处理，请刷新后重试"


def test_after_the_review_limit_the_file_cannot_be_sent_back_but_the_decision_is_still_due(staff, couple, orphan, travel):
    a = to_review(staff, couple, orphan)
    travel(dt.date(2027, 1, 3))  # the last day
    b = actions.do_return_adoption(staff.district, a, expected_version=a.version, reason="补充体检证明")
    assert b.status == Status.APPLIED
    b = actions.do_accept_adoption(staff.district, b, expected_version=b.version)
    b = actions.do_record_assessment(staff.district, b, expected_version=b.version, data=assessment())
    assert b.step_deadline_on == dt.date(2027, 2, 2)
    travel(dt.date(2027, 2, 3))
    before = unchanged(b)
    with pytest.raises(TimeLimitPassed) as e:
        actions.do_return_adoption(staff.district, b, expected_version=b.version, reason="补充材料")
    assert e.value.message == "已超过办理时限（2027-02-02）"
    assert unchanged(b) == before
    assert actions.do_register_adoption(staff.district, b, expected_version=b.version).status == Status.REGISTERED


def test_bad_input_is_refused_in_chinese_and_writes_nothing(staff, couple, orphan):
    husband, wife = couple
    with pytest.raises(ValidationFailed) as e:
        actions.do_apply_adoption(staff.district, actions.AdoptionInput(child_id=None, adopter_id=orphan.pk, kind="x", placer="", placer_name=" "))
    assert e.value.errors == {
        "child": "请选择人员", "kind": "请选择被收养人情形", "placer": "请选择送养人", "placer_name": "请填写送养人或儿童福利机构名称",
    }  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        apply(staff.district, orphan, husband, wife, adopter_has_spouse=False)
    assert e.value.errors == {"co_adopter": "共同收养人须为收养人的配偶；收养人无配偶时请勿填写"}
    assert Adoption.objects.count() == 0
    a = apply(staff.district, orphan, husband, wife)
    with pytest.raises(ValidationFailed) as e:
        apply(staff.district, orphan, husband, wife)
    assert e.value.errors == {"child": "王小花已有办理中或已登记的收养"}
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    before = unchanged(a)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment(assessors=["赵敏"], sections={}, summary=""))
    assert e.value.errors["assessors"] == "登记机关自行评估的，评估人员应不少于2名"
    assert e.value.errors["summary"] == "请填写评估意见"
    assert e.value.errors["motive"] == "请填写收养动机"
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment(body="entrusted", reported_on=dt.date(2026, 12, 5)))
    assert e.value.errors == {"organisation": "请填写受委托机构名称", "reported_on": "报告日期不能晚于今天"}
    assert unchanged(a) == before


def test_follow_up_visits_by_the_town_of_the_child_only(staff, couple, orphan, travel):
    a = to_review(staff, couple, orphan)
    a = actions.do_register_adoption(staff.district, a, expected_version=a.version)
    first = FollowUpVisit.objects.get(adoption=a, sequence=1)
    with pytest.raises(NotFound):
        actions.do_record_visit(staff.other_town, first, visited_on=TODAY, note="x")
    with pytest.raises(PermissionDenied):
        actions.do_record_visit(staff.village, first, visited_on=TODAY, note="x")
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_visit(staff.town, first, visited_on=dt.date(2026, 12, 5), note="")
    assert e.value.errors == {"note": "请填写回访情况", "visited_on": "回访日期不能晚于今天"}
    travel(dt.date(2027, 3, 1))
    visit = actions.do_record_visit(staff.town, first, visited_on=dt.date(2027, 3, 1), note="孩子适应良好")
    assert (visit.status, visit.visited_on, visit.visited_by_id) == (VisitStatus.DONE, dt.date(2027, 3, 1), staff.town.user_id)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_visit(staff.town, first, visited_on=dt.date(2027, 3, 1), note="再次")
    assert e.value.errors == {"visited_on": "该次回访已登记"}


def test_dissolution_by_agreement_needs_the_agreement(staff, couple, orphan):
    a = to_review(staff, couple, orphan)
    a = actions.do_register_adoption(staff.district, a, expected_version=a.version)
    with pytest.raises(MissingDocuments):
        actions.do_dissolve_adoption(staff.district, a, expected_version=a.version, ground="agreement", reason="协议解除")
    actions.do_check_in_document(staff.district, a, kind=DocumentKind.DISSOLUTION)
    with pytest.raises(ValidationFailed) as e:
        actions.do_dissolve_adoption(staff.district, a, expected_version=a.version, ground="agreement", reason="")
    assert e.value.errors == {"reason": "请填写解除收养关系的情况"}
    a = actions.do_dissolve_adoption(staff.district, a, expected_version=a.version, ground="agreement", reason="双方协议解除")
    assert (a.status, a.dissolved_on, a.dissolution_ground) == (Status.DISSOLVED, TODAY, "agreement")
    assert FollowUpVisit.objects.filter(adoption=a).count() == 0
