"""Marriage registration: the conditions with their reasons, registration, refusal, the
certificate record, 跨省通办, and no second marriage before the first ends."""

import datetime as dt

import pytest

from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.marriage import actions
from minzheng.marriage.models import Marriage
from minzheng.marriage.tests.conftest import marriage_input
from minzheng.registry.models import Person

pytestmark = pytest.mark.django_db


def test_register_and_certificate_number(married):
    assert married.status == "registered"
    assert married.certificate_number == f"J500102-2026-{married.pk:06d}"
    assert married.registered_on == dt.date(2026, 12, 4)
    assert married.cross_province is False
    assert [c["code"] for c in married.conditions if not c["passed"]] == []


def test_entered_party_from_another_province_is_cross_province(registrar, couple, id_number):
    man, _ = couple
    woman = actions.PartyInput(name="陈静", id_number=id_number("19990101", "024", "510104"))
    m = actions.do_apply_marriage(registrar, marriage_input(man, woman_party=woman))
    assert (m.woman_name, m.woman_hukou_code, m.cross_province) == ("陈静", "510104", True)
    assert m.woman_id_masked == "510104********" + id_number("19990101", "024", "510104")[-4:]


def test_entered_id_number_is_validated(registrar, couple):
    man, _ = couple
    with pytest.raises(ValidationFailed) as e:
        actions.do_apply_marriage(registrar, marriage_input(man, woman_party=actions.PartyInput(name="陈静", id_number="51010419990101002X")))
    assert e.value.errors == {"woman_id_number": "身份证号码校验位错误，请核对"}
    assert Marriage.objects.count() == 0


def test_under_age_party_is_refused_with_the_reason(registrar, make_person, id_number, couple):
    _, woman = couple
    young = make_person("500102006001", "周小军", id_number=id_number("20050101", "031"))  # 21 on 2026-12-04
    m = actions.do_apply_marriage(registrar, marriage_input(young, woman))
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_marriage(registrar, m, expected_version=m.version)
    assert e.value.errors == {"conditions": "不符合结婚条件，不能登记：男方达到法定婚龄（男方21周岁，法定婚龄22周岁）"}
    assert Marriage.objects.get(pk=m.pk).status == "applied"
    refused = actions.do_refuse_marriage(registrar, m, expected_version=m.version)
    assert refused.status == "refused"
    assert refused.refusal_reasons == [{"code": "age_man", "label": "男方达到法定婚龄", "article": "民法典第一千零四十七条", "detail": "男方21周岁，法定婚龄22周岁"}]


def test_woman_at_twenty_may_marry(registrar, make_person, id_number, couple):
    man, _ = couple
    woman = make_person("500102006001", "孙丽", id_number=id_number("20061204", "042"))  # 20 today
    m = actions.do_apply_marriage(registrar, marriage_input(man, woman))
    assert actions.do_register_marriage(registrar, m, expected_version=m.version).status == "registered"


def test_existing_marriage_and_declared_relation_are_refused(registrar, married, make_person, id_number):
    other = make_person("500102006001", "吴芳", id_number=id_number("19970101", "062"))
    m = actions.do_apply_marriage(registrar, marriage_input(married.man_person, other, no_prohibited_relation=False))
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_marriage(registrar, m, expected_version=m.version)
    assert e.value.errors["conditions"] == (
        "不符合结婚条件，不能登记：无禁止结婚的亲属关系（双方为直系血亲或三代以内旁系血亲（含拟制血亲））；"
        f"男方无配偶（男方在本处有未解除的婚姻登记（{married.certificate_number}，2026-12-04登记））"
    )


def test_married_again_after_the_spouse_dies(registrar, married, make_person, id_number, system_actor):

    Person.objects.filter(pk=married.woman_person_id).update(is_deceased=True, death_date=dt.date(2026, 12, 1))
    other = make_person("500102006001", "吴芳", id_number=id_number("19970101", "062"))
    m = actions.do_apply_marriage(registrar, marriage_input(married.man_person, other))
    assert actions.do_register_marriage(registrar, m, expected_version=m.version).status == "registered"


def test_wrong_sex_is_refused(registrar, couple):
    man, woman = couple
    with pytest.raises(ValidationFailed) as e:
        actions.do_apply_marriage(registrar, marriage_input(woman, man))
    assert e.value.errors == {"man_person": "男方应为男性", "woman_person": "女方应为女性"}


@pytest.mark.parametrize("who", ["town", "village", "staff", "leader", "rescue"])
def test_other_roles_cannot_register(registrar, couple, others, who):
    man, woman = couple
    with pytest.raises(PermissionDenied):
        actions.do_apply_marriage(others[who], marriage_input(man, woman))
    m = actions.do_apply_marriage(registrar, marriage_input(man, woman))
    with pytest.raises(PermissionDenied if who in ("staff", "leader", "rescue") else NotFound):  # a town/village sees no registry case
        actions.do_register_marriage(others[who], m, expected_version=m.version)
    assert Marriage.objects.get(pk=m.pk).status == "applied"
