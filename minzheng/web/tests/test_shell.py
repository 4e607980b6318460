"""The shell: login, lockout, password change, idle timeout, the audit log page."""

import pytest

from minzheng.accounts.models import Role
from minzheng.core.models import AuditEvent

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"


@pytest.fixture
def people(make_household):
    mine = make_household(DADONGMEN, names=("张三丰", "李四"))
    theirs = make_household(XINGSHENG, names=("张翠山",))
    return mine, theirs


def test_first_login_forces_password_change(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.force_login(user)
    response = client.get("/persons/")
    assert response.status_code == 302 and response["Location"] == "/password/"
    response = client.post("/password/", {"new_password1": "Fuling-2026-safe", "new_password2": "Fuling-2026-safe"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False and user.password_changed_at is not None
    assert client.get("/persons/").status_code == 200


def test_login_locks_after_five_failures_per_username_and_ip(client, make_user):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="lockme", password="right-password-1")
    for _ in range(5):
        response = client.post("/login/", {"username": "lockme", "password": "wrong"})
    assert response.status_code == 429
    response = client.post("/login/", {"username": "lockme", "password": "right-password-1"})
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() >= 4


def test_login_success_is_audited(client, make_user):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="okuser", password="right-password-1")
    response = client.post("/login/", {"username": "okuser", "password": "right-password-1"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", username="okuser").count() == 1


def test_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST is True


def test_audit_log_page_is_for_administrators_only(client, make_user, people):
    admin = make_user(Role.SYSTEM_ADMIN, "500102")
    client.force_login(make_user(Role.TOWN_OFFICER, "500102006"))
    assert client.get("/audit/").status_code == 403
    client.force_login(admin)
    mine, _ = people
    client.get(f"/persons/{mine.head_id}/")
    response = client.get("/audit/", {"action": "view", "object_type": "person"})
    assert response.status_code == 200
    assert [e.object_id for e in response.context["page_obj"]] == [str(mine.head_id)]
