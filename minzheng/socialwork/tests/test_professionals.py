"""The talent register: joining and leaving, bad input refused with a Chinese message naming the
field and nothing written; the screen with the person picker."""

from __future__ import annotations

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.socialwork import actions
from minzheng.socialwork.models import Professional
from minzheng.socialwork.tests.conftest import DADONGMEN, DUNREN, D

GOOD = dict(division_code=DUNREN, employer="敦仁街道社会工作站", post="驻站社工", education="bachelor", cert_level="social_worker",
            cert_number="ZS2021500001", cert_year=2021, training_hours=40, joined_on=D(2022, 6, 1))  # fmt: skip


def test_join_and_leave(staff, make_person):
    person = make_person(DADONGMEN, "周社工", birth="19950315")
    pro = actions.do_register_professional(staff.town, person=person, **GOOD)
    assert (pro.cert_level, pro.cert_year, pro.training_hours, pro.left_on) == ("social_worker", 2021, 40, None)
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_professional(staff.town, person=person, **GOOD)
    assert e.value.errors == {"person": "该人员已在社会工作专业人才库中"}
    actions.do_record_leaving(staff.town, pro, left_on=D(2026, 11, 30), reason="调往外区")
    pro.refresh_from_db()
    assert (pro.left_on, pro.leave_reason) == (D(2026, 11, 30), "调往外区")
    again = actions.do_register_professional(staff.town, person=person, **{**GOOD, "joined_on": D(2026, 12, 1)})
    assert Professional.objects.filter(person=person).count() == 2 and again.left_on is None


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"cert_year": 2027}, "cert_year", "取得证书年份不能晚于今年（2026年）"),
        ({"cert_year": 2005}, "cert_year", "取得证书年份不能早于首次全国社会工作者职业水平考试（2008年）"),
        ({"training_hours": -8}, "training_hours", "培训学时不能为负数"),
        ({"cert_number": ""}, "cert_number", "请填写职业资格证书编号"),
        ({"joined_on": D(2026, 12, 5)}, "joined_on", "入职日期不能晚于今天"),
        ({"division_code": "500102119"}, "division_code", "该区划不在您的管辖范围内"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(staff, make_person, change, field, message):
    person = make_person(DADONGMEN, "吴社工", birth="19900101")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_professional(staff.town, person=person, **{**GOOD, **change})
    assert e.value.errors == {field: message}
    assert Professional.objects.count() == 0


def test_the_screen_with_the_picker(client, staff, make_person):
    person = make_person(DADONGMEN, "郑社工", birth="19980808")
    client.force_login(staff.town_user)
    assert client.get("/socialwork/professionals/new/").status_code == 200
    data = {"person": str(person.pk), "division_code": DUNREN, "employer": "敦仁街道社会工作站", "post": "驻站社工", "education": "college",
            "cert_level": "assistant", "cert_number": "ZL2020", "cert_year": "2030", "training_hours": "12", "joined_on": "2023-01-01"}  # fmt: skip
    response = client.post("/socialwork/professionals/new/", data)
    assert response.status_code == 422 and "取得证书年份不能晚于今年（2026年）" in response.text and Professional.objects.count() == 0
    response = client.post("/socialwork/professionals/new/", {**data, "cert_year": "2020"})
    assert response.status_code == 302
    page = client.get("/socialwork/professionals/").text
    assert "郑社工" in page and person.id_number_masked in page and "助理社工师（2020年）" in page and "None" not in page
