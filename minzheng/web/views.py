"""The shell's own screens: login, logout, password change, the workbench (工作台) and the audit
log. Every app's screens live in that app (the registry's in `minzheng/registry/views.py`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from minzheng.accounts.actions import (
    do_revoke_api_token,
    do_revoke_api_tokens,
    list_api_tokens_of,
)
from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.names import SYSTEM_NAME, display_names
from minzheng.accounts.permissions import Perm
from minzheng.accounts.roles import Role
from minzheng.cases.tasks import workbench_feed
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.query_params import query_date
from minzheng.core.selectors import list_audit_events_for, recently_viewed_by
from minzheng.divisions.directory import get_directory
from minzheng.web.audit_display import OBJECT_TYPES, changes_text, object_type_label
from minzheng.web.decorators import staff_view
from minzheng.web.navigation import quick_actions_for

# Where a role lands after login when no page was asked for (url names: the shell imports no
# app). Leaders read the plan's 驾驶舱; everyone else starts at the workbench.
LANDING = {Role.DISTRICT_LEADER: "planning:dashboard"}


def landing_url(user) -> str:
    name = LANDING.get(getattr(user, "role", None))
    if name:
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    return reverse("web:home")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


def safe_next(request) -> str | None:
    """``next`` only when it is a path on this site (never another host, ``//host``, ``/\\host``
    or a ``javascript:`` URL)."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    return target


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            record_audit_event(build_actor(user, request.META.get("REMOTE_ADDR")), AuditAction.LOGIN, summary="登录成功")
            return redirect(safe_next(request) or landing_url(user))
        if getattr(request, "axes_locked_out", False):
            return render(request, "web/locked.html", status=429)
        record_audit_event(
            Actor.anonymous(request.META.get("REMOTE_ADDR")),
            AuditAction.LOGIN_FAILED,
            summary="登录失败",
            extra={"username": (request.POST.get("username") or "")[:150]},
        )
    return render(request, "web/login.html", {"form": form, "title": "登录"})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record_audit_event(request.actor, AuditAction.LOGOUT, summary="退出登录")
        do_revoke_api_tokens(request.actor, request.user, reason="退出登录")
    logout(request)
    return redirect("web:login")


class ChinesePasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = "至少10位，不能全为数字，不能与用户名相近。"
        self.fields["new_password2"].label = "再次输入新密码"


@staff_view()
def password_change(request):
    form = ChinesePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        update_session_auth_hash(request, user)
        record_audit_event(request.actor, AuditAction.UPDATE, object_type="user", object_id=user.pk, summary="修改密码")
        do_revoke_api_tokens(request.actor, user, reason="修改密码")
        messages.success(request, "密码已修改。")
        return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form, "title": "修改密码"})


@staff_view()
def api_tokens(request):
    """My API tokens: when each was issued and until when it is valid; each can be revoked."""
    if request.method == "POST":
        try:
            token_id = int(request.POST.get("token", ""))
        except ValueError:
            token_id = 0
        do_revoke_api_token(request.actor, token_id)
        messages.success(request, "接口令牌已撤销。")
        return redirect("web:api-tokens")
    now = timezone.now()
    tokens = [{"id": t.pk, "created_at": t.created_at, "expires_at": t.expires_at, "expired": t.expires_at < now}
              for t in list_api_tokens_of(request.user)]  # fmt: skip
    return render(request, "web/api_tokens.html", {"title": "接口令牌", "tokens": tokens})


HOME_TASKS = 20  # the most urgent open tasks on the workbench; each line's list has the rest
RECENT = 8  # recently opened records

# Records the workbench lists as recently opened: audit object type → (label, detail url name).
RECENT_KINDS = {
    "person": ("人员", "registry:person-detail"),
    "household": ("家庭", "registry:household-detail"),
    "application": ("救助申请", "assistance:application-detail"),
}


def _recent_records(actor) -> list[dict]:
    out = []
    for e in recently_viewed_by(actor, tuple(RECENT_KINDS), limit=RECENT):
        label, url_name = RECENT_KINDS[e.object_type]
        try:
            url = reverse(url_name, args=[int(e.object_id)])
        except (NoReverseMatch, ValueError):
            continue
        text = e.summary.removeprefix("查看").strip() or f"{label}"
        out.append({"kind": label, "text": text, "url": url, "at": e.occurred_at})
    return out


@staff_view()
def home(request):
    actor = request.actor
    directory = get_directory()
    scopes = [directory.get(p) for p in actor.scope_prefixes]
    # Every line's open work this user may act on: the case kit's workflows and the task
    # sources the lines registered (review tasks, 预警 tasks, visits due, values to approve).
    task_counts, tasks = workbench_feed(actor, limit=HOME_TASKS)
    context = {
        "title": "工作台",
        "scopes": [s for s in scopes if s],
        "task_counts": task_counts,
        "tasks": tasks,
        "task_totals": {
            "total": sum(c["total"] for c in task_counts),
            "overdue": sum(c["overdue"] for c in task_counts),
            "near": sum(c["near"] for c in task_counts),
        },
        "quick_actions": quick_actions_for(actor),
        "recent": _recent_records(actor),
    }
    return render(request, "web/home.html", context)


@staff_view(Perm.VIEW_AUDIT)
def audit_log(request):
    qs = list_audit_events_for(request.actor)
    filters = {k: (request.GET.get(k) or "").strip() for k in ("username", "action", "object_type", "object_id", "date_from", "date_to")}
    if filters["username"]:
        qs = qs.filter(username=filters["username"])
    if filters["action"]:
        qs = qs.filter(action=filters["action"])
    if filters["object_type"]:
        qs = qs.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        qs = qs.filter(object_id=filters["object_id"])
    if date_from := query_date(filters["date_from"], field="date_from", label="开始日期"):  # ValidationFailed → 400 page
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to := query_date(filters["date_to"], field="date_to", label="结束日期"):
        qs = qs.filter(occurred_at__date__lte=date_to)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = display_names(e.username for e in page)
    for e in page:
        e.actor_name = names.get(e.username, SYSTEM_NAME) if e.actor_kind != "system" else SYSTEM_NAME
        e.object_label = object_type_label(e.object_type)
        e.changes = changes_text(e.changed_fields)
    return render(
        request,
        "web/audit_log.html",
        {
            "title": "审计日志",
            "page_obj": page,
            "paginator": page.paginator,
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": sorted(OBJECT_TYPES.items(), key=lambda kv: kv[1]),
            "query_string": urlencode(filters),
        },
    )

