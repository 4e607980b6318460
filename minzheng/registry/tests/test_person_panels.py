"""Other lines' panels on the person page (registry/panels.py): shown to users holding the
panel's permission, with the rows the line gives for this user; none without rows."""

import pytest

from minzheng.accounts.models import Role
from minzheng.registry.panels import PanelRow, PersonPanel, _panels, register_person_panel
from minzheng.registry.permissions import RegistryPerm

pytestmark = pytest.mark.django_db

DADONGMEN = "500102006001"


@pytest.fixture
def test_panels():
    saved = dict(_panels)
    _panels.clear()
    yield
    _panels.clear()
    _panels.update(saved)


def test_a_registered_panel_shows_its_rows_to_users_with_the_permission(client, make_user, make_person, test_panels):
    person = make_person(DADONGMEN, "王大贵")
    register_person_panel(PersonPanel("t1", "测试条线", lambda actor, p: [PanelRow(f"{p.name}的记录", "/x/")], perm=RegistryPerm.VIEW_REGISTRY))
    register_person_panel(PersonPanel("t2", "无记录条线", lambda actor, p: []))
    register_person_panel(PersonPanel("t3", "无权条线", lambda actor, p: [PanelRow("不应出现")], perm=RegistryPerm.REVEAL_ID_NUMBER))
    client.force_login(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert '<h2>测试条线</h2>' in page
    assert '<a href="/x/">王大贵的记录</a>' in page
    assert "无记录条线" not in page
    assert "不应出现" not in page
