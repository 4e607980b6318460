"""一人一档: one page with identity (masked), guardians, school and health, household,
allowances (assistance), 三留守 visits (discovery), recognitions; scoped and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.children import actions
from minzheng.children.file import child_file
from minzheng.children.models import ChildProfile
from minzheng.children.tests.test_recognition import recognise
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.discovery.actions import do_record_visit, do_register_left_behind
from minzheng.registry.actions import do_add_household_member, do_create_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(system_actor, child, guardian):
    household = do_create_household(system_actor, head=guardian)
    do_add_household_member(system_actor, household, child, relation="grandchild")
    child.refresh_from_db()
    return household


def test_the_file_joins_every_line(staff, child, guardian, family):
    r = recognise(staff, child, guardian)
    actions.do_save_child_profile(staff.village, child, school="大东门小学", grade="五年级", schooling="in_school", health="良好")
    entry = do_register_left_behind(staff.village, child, category="child", guardian="祖父 王大爷")
    do_record_visit(staff.village, entry, visited_at=timezone.now() - dt.timedelta(hours=1), place="家中", findings="学习生活正常")
    f = child_file(staff.village, child.pk)
    assert (f.age, f.profile.school) == (11, "大东门小学")
    assert [m["name"] for m in f.members] == ["王大爷"]
    assert f.guardians[0] == {"name": "王大爷", "relation": "祖父", "status": "", "source": r.number}
    assert [(a["program"], a["amount_fen"], a["status"]) for a in f.allowances] == [("孤儿保障金", 165100, "在保")]
    assert [v.findings for v in f.visits] == ["学习生活正常"]
    assert [x.number for x in f.recognitions] == [r.number]
    assert AuditEvent.objects.filter(object_type="child_file", object_id=str(child.pk)).count() == 1


def test_file_page_scoped_masked_and_at_phone_width(client, staff, child, guardian, family):
    recognise(staff, child, guardian)
    client.force_login(staff.village_user)
    page = client.get(f"/children/files/{child.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert child.id_number_masked in text and decrypt_text(child.id_number_encrypted) not in text
    assert "孤儿保障金 · 每月 1,651.00 元 · 在保" in text
    for user in (staff.other_village_user, staff.other_town_user):
        client.force_login(user)
        assert client.get(f"/children/files/{child.pk}/").status_code == 404
        assert client.post(f"/children/files/{child.pk}/profile/", {"schooling": "in_school"}).status_code == 404
    with pytest.raises(NotFound):
        child_file(staff.other_town, child.pk)


def test_profile_bad_input_and_roles(client, staff, child):
    client.force_login(staff.village_user)
    page = client.post(f"/children/files/{child.pk}/profile/", {"schooling": "nonsense"})
    assert page.status_code == 400
    assert not ChildProfile.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.do_save_child_profile(staff.district, child, schooling="in_school")
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_child_profile(staff.village, child, schooling="x")
    assert e.value.errors == {"schooling": "请选择就学状况"}
