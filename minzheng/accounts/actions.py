"""Account writes: named, atomic, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import ApiToken, Role, StaffAssignment, User
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.divisions.directory import get_directory


@transaction.atomic
def do_create_staff_user(
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    division_codes: list[str],
    display_name: str = "",
    must_change_password: bool = True,
    validate: bool = True,
) -> User:
    actor.require(Perm.MANAGE_USERS)
    errors = {}
    if role not in Role.values:
        errors["role"] = "角色不正确"
    directory = get_directory()
    unknown = [c for c in division_codes if directory.get(c) is None]
    if unknown:
        errors["division_codes"] = f"区划代码不存在：{'、'.join(unknown)}"
    if User.objects.filter(username=username).exists():
        errors["username"] = "用户名已存在"
    if validate:
        try:
            validate_password(password, User(username=username))
        except ValidationError as e:
            errors["password"] = "；".join(e.messages)
    if errors:
        raise ValidationFailed(errors)
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        must_change_password=must_change_password,
        password_changed_at=None if must_change_password else timezone.now(),
    )
    StaffAssignment.objects.bulk_create([StaffAssignment(user=user, division_code=c) for c in division_codes])
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="user",
        object_id=user.pk,
        summary=f"创建账号 {username}（{Role(role).label}）",
        changed_fields={"division_codes": [[], division_codes]},
    )
    return user


DEMO_PASSWORD = "minzheng-demo"

# (username, role, divisions, display name); DISTRICT stands for the deployment's district code.
DISTRICT = "district"
_DEMO_ACCOUNTS = [
    ("district_admin", Role.SYSTEM_ADMIN, [DISTRICT], "区民政局系统管理员"),
    ("district_staff", Role.DISTRICT_STAFF, [DISTRICT], "区民政局社会救助科"),
    ("district_leader", Role.DISTRICT_LEADER, [DISTRICT], "区民政局领导"),
    ("rescue_station", Role.RESCUE_STATION, [DISTRICT], "区救助管理站值班员"),
    ("town_500102006", Role.TOWN_OFFICER, ["500102006"], "敦仁街道民政经办人"),
    ("town_500102119", Role.TOWN_OFFICER, ["500102119"], "珍溪镇民政经办人"),
    ("approver_500102006", Role.TOWN_APPROVER, ["500102006"], "敦仁街道审核人"),
    ("approver_500102119", Role.TOWN_APPROVER, ["500102119"], "珍溪镇审核人"),
    ("village_500102006001", Role.VILLAGE_WORKER, ["500102006001"], "大东门社区经办人"),
    ("village_500102119001", Role.VILLAGE_WORKER, ["500102119001"], "兴盛社区经办人"),
    # The second village worker of 救助 casework (入户调查 needs two people).
    ("cun_xieli_500102006001", Role.VILLAGE_WORKER, ["500102006001"], "村（社区）协理员"),
    ("cun_xieli_500102119001", Role.VILLAGE_WORKER, ["500102119001"], "村（社区）协理员"),
    ("marriage_registrar", Role.MARRIAGE_REGISTRAR, [DISTRICT], "区婚姻登记处登记员"),
]


def demo_accounts() -> list[tuple[str, str, list[str], str]]:
    """The demo accounts, the district's rows on ``district_code()``."""
    return [
        (username, role, [district_code() if c == DISTRICT else c for c in codes], name)
        for username, role, codes, name in _DEMO_ACCOUNTS
    ]


def do_create_demo_accounts(actor: Actor) -> list[str]:
    """Demo databases only: fixed password, no forced change."""
    created = []
    for username, role, codes, name in demo_accounts():
        if User.objects.filter(username=username).exists():
            continue
        do_create_staff_user(
            actor,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            division_codes=codes,
            display_name=name,
            must_change_password=False,
            validate=False,
        )
        created.append(username)
    return created


# --- API tokens: listed and revoked by their owner; all revoked on password change and logout --


def list_api_tokens_of(user) -> list[ApiToken]:
    """The user's own tokens, newest first (expired ones too, until they are revoked)."""
    return list(ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id"))


@transaction.atomic
def do_revoke_api_token(actor: Actor, token_id: int) -> None:
    """Revoke one of the actor's own tokens (another's, or a missing one: the same NotFound);
    an administrator (MANAGE_USERS) may revoke anyone's."""
    tokens = ApiToken.objects.select_for_update()
    if not actor.has(Perm.MANAGE_USERS):
        tokens = tokens.filter(user_id=actor.user_id)
    token = tokens.filter(pk=token_id).select_related("user").first()
    if token is None:
        raise NotFound("令牌不存在或已撤销")
    owner = token.user
    token.delete()
    record_audit_event(
        actor, AuditAction.DELETE, object_type="api_token", object_id=token_id,
        summary="撤销接口令牌" + (f"（{owner.display_name}）" if owner.display_name else ""),
    )  # fmt: skip


@transaction.atomic
def do_revoke_api_tokens(actor: Actor, user, *, reason: str) -> int:
    """Revoke every token of ``user`` (on password change, logout, or by an administrator)."""
    if actor.user_id != user.pk:
        actor.require(Perm.MANAGE_USERS)
    count, _ = ApiToken.objects.filter(user_id=user.pk).delete()
    if count:
        record_audit_event(
            actor, AuditAction.DELETE, object_type="api_token", object_id=user.pk,
            summary=f"撤销接口令牌{count}个（{reason}）",
        )  # fmt: skip
    return count
