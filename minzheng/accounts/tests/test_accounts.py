import pytest
from django.core.management import CommandError, call_command

from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import Role, User
from minzheng.accounts.scoping import prefix_upper_bound

pytestmark = pytest.mark.django_db


def test_prefix_upper_bound_carries():
    assert prefix_upper_bound("500102006") == "500102007"
    # trailing nines roll over and drop: "50010201" bounds every code starting "500102009"
    assert prefix_upper_bound("500102009") == "50010201"
    assert prefix_upper_bound("500102119099") == "5001021191"
    with pytest.raises(ValueError):
        prefix_upper_bound("999")


def test_actor_collapses_nested_assignments(make_user):
    user = make_user(Role.TOWN_OFFICER, "500102006", "500102006001", "500102119")
    assert build_actor(user).scope_prefixes == ("500102006", "500102119")


def test_inactive_user_has_no_scope(make_user):
    user = make_user(Role.TOWN_OFFICER, "500102006")
    user.is_active = False
    assert build_actor(user).scope_prefixes == ()


def test_create_staff_command_forces_password_change(capsys):
    call_command("create_staff", "--username", "zhang_cl", "--role", "town_officer", "--division", "500102119")
    user = User.objects.get(username="zhang_cl")
    assert user.must_change_password is True
    assert list(user.assignments.values_list("division_code", flat=True)) == ["500102119"]
    assert "初始密码" in capsys.readouterr().out


def test_create_staff_refuses_unknown_division():
    with pytest.raises(CommandError, match="区划代码不存在：500102999"):
        call_command("create_staff", "--username", "x", "--role", "town_officer", "--division", "500102999")
    assert not User.objects.filter(username="x").exists()
