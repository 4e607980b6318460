"""网上申请 of a recognition (issue 22): the guardian applies for a child of their household
through the line's one registration (the same checks, the same workflow), marked for the town.
Clock: 2026-12-04 (root conftest)."""

from __future__ import annotations

import pytest

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import open_tasks_for
from minzheng.children import actions
from minzheng.children.actions import RecognitionInput
from minzheng.children.enums import Category, Ground, Status
from minzheng.children.models import Recognition
from minzheng.children.selectors import handler_of, recognition_of_family, recognitions_of_family
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.registry.actions import do_add_household_member

from .conftest import DADONGMEN

pytestmark = pytest.mark.django_db
CITIZEN = Actor.citizen(1, "10.0.0.1")


@pytest.fixture
def family(make_household, make_person, system_actor):
    household = make_household(DADONGMEN, ("王大爷", "王奶奶"))
    child = make_person(DADONGMEN, "王小明", birth="20150610")
    do_add_household_member(system_actor, household, child, relation="grandchild")
    return household, child


def online(child, category=Category.ORPHAN, grounds=(Ground.BOTH_PARENTS_DEAD,), **kw):
    return RecognitionInput(person_id=child.pk, category=category, source="discovery", grounds=list(grounds),
                            guardian_relation=kw.pop("guardian_relation", "祖父"), **kw)  # fmt: skip


def test_the_guardian_applies_and_the_town_finds_it_marked(family, staff):
    household, child = family
    head = household.head
    r = actions.do_submit_online_recognition(CITIZEN, online(child, documents=["identity"]), applicant=head)
    assert (r.channel, r.person_id, r.guardian_id, r.guardian_relation, r.source, r.placement, r.documents, r.status) == (
        "online", child.pk, head.pk, "祖父", "application", "scattered", [], Status.SUBMITTED)
    assert r.number == f"ET2026{r.pk:06d}" and handler_of(r) == "村（社区）收取材料、乡镇（街道）审核"
    assert [t.title for t in open_tasks_for(staff.town) if t.case == r] == [f"{r.number}（网上申请）"]
    with pytest.raises(ValidationFailed) as e:  # the line's rule: one live recognition a category
        actions.do_submit_online_recognition(CITIZEN, online(child), applicant=head)
    assert e.value.errors == {"category": "该儿童已有孤儿认定或正在办理"}
    assert list(recognitions_of_family(head)) == [r] and recognition_of_family(child, r.pk) == r


def test_only_a_child_of_the_household_and_the_same_checks(family, staff, make_household, make_person):
    household, child = family
    head = household.head
    other_child = make_person(DADONGMEN, "赵小花", birth="20160101")
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_recognition(CITIZEN, online(other_child), applicant=head)
    assert e.value.errors == {"person_id": "只能为本户家庭中的儿童申请"}
    with pytest.raises(ValidationFailed) as e:  # not themselves
        actions.do_submit_online_recognition(CITIZEN, online(head), applicant=head)
    assert e.value.errors == {"person_id": "只能为本户家庭中的儿童申请"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_recognition(CITIZEN, online(child, grounds=(Ground.PARENT_DETAINED,)), applicant=head)
    assert e.value.errors == {"grounds": "所选情形不属于孤儿的认定情形"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_recognition(CITIZEN, online(child, category=Category.HARDSHIP), applicant=head)
    assert e.value.errors == {"category": "请选择儿童类别"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_recognition(CITIZEN, online(child, guardian_relation=" "), applicant=head)
    assert e.value.errors == {"guardian_relation": "请填写您与儿童的关系"}
    with pytest.raises(PermissionDenied):
        actions.do_submit_online_recognition(staff.village, online(child), applicant=head)
    assert not Recognition.objects.exists()
    stranger = make_household(DADONGMEN, ("李四", "李五")).head
    r = actions.do_submit_online_recognition(CITIZEN, online(child), applicant=head)
    assert list(recognitions_of_family(stranger)) == []
    with pytest.raises(NotFound):
        recognition_of_family(stranger, r.pk)


def test_the_town_opens_the_guardians_photo_another_town_gets_404(family, staff, client):
    household, child = family
    from minzheng.citizen.tests.test_apply import jpeg_with_exif  # local import: the shared test photo of the citizens' tests

    r = actions.do_submit_online_recognition(CITIZEN, online(child), applicant=household.head)
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_online_photo(CITIZEN, r.pk, applicant=household.head, kind="court_judgment", filename="a.jpg", content=jpeg_with_exif())
    assert e.value.errors == {"kind": "请选择材料类型"}
    photo = actions.do_add_online_photo(CITIZEN, r.pk, applicant=household.head, kind="identity", filename="a.jpg", content=jpeg_with_exif())
    client.force_login(staff.town_user)
    page = client.get(f"/children/recognitions/{r.pk}/").content.decode()
    assert f'href="/children/photos/{photo.pk}/"' in page and "网上申请" in page
    response = client.get(f"/children/photos/{photo.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # read to the end: the client then closes the file (close() would end the test's connection on PostgreSQL)
    client.force_login(staff.other_town_user)
    assert client.get(f"/children/photos/{photo.pk}/").status_code == 404
