"""Registry screens: thin views over selectors, access functions and actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.selectors import list_audit_events_for
from minzheng.divisions.directory import get_directory
from minzheng.registry.access import access_household_by_id, access_person_by_id
from minzheng.core.errors import ValidationFailed
from minzheng.registry.actions import PersonInput, do_register_person, reveal_id_number
from minzheng.web.forms import PersonForm
from minzheng.registry.exports import persons_xlsx
from minzheng.registry.selectors import current_members, division_statistics, membership_history, search_persons
from minzheng.web.decorators import render_error, staff_view

PAGE_SIZE = 20


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


def login_view(request):
    from minzheng.accounts.actor import Actor

    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            from minzheng.accounts.actor import build_actor

            record_audit_event(build_actor(user, request.META.get("REMOTE_ADDR")), AuditAction.LOGIN, summary="登录成功")
            return redirect(request.GET.get("next") or "web:home")
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
        messages.success(request, "密码已修改。")
        return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form, "title": "修改密码"})


@staff_view()
def home(request):
    actor = request.actor
    directory = get_directory()
    scopes = [directory.get(p) for p in actor.scope_prefixes]
    return render(request, "web/home.html", {"title": "工作台", "scopes": [s for s in scopes if s]})


def _division_param(request) -> str | None:
    code = (request.GET.get("division") or "").strip()
    return code if code.isdigit() else None


@staff_view(Perm.VIEW_REGISTRY)
def person_search(request):
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    qs, query = search_persons(request.actor, q, division_code=division)
    page = Paginator(qs.only(
        "id", "name", "sex", "birth_date", "id_number_masked", "division_code", "household_id", "is_deceased",
        "disability_grade"
    ), PAGE_SIZE).get_page(request.GET.get("page"))
    if q:
        record_audit_event(
            request.actor,
            AuditAction.SEARCH,
            object_type="person",
            summary=f"人员查询（{ {'id_number': '身份证号码', 'name': '姓名', 'initials': '拼音首字母'}.get(query.kind, '其他') }）",
        )
    context = {
        "title": "人员查询",
        "q": q,
        "query": query,
        "division": division or "",
        "page_obj": page,
        "paginator": page.paginator,
        "query_string": urlencode({"q": q, "division": division or ""}),
    }
    template = "web/person_search.html#results" if request.htmx else "web/person_search.html"
    return render(request, template, context)


@staff_view(Perm.EXPORT_REGISTRY)
def person_export(request):
    q = request.GET.get("q", "").strip()
    division = _division_param(request)
    qs, _ = search_persons(request.actor, q, division_code=division)
    content, count = persons_xlsx(qs)
    record_audit_event(
        request.actor,
        AuditAction.EXPORT,
        object_type="person",
        summary=f"导出人员名单 {count} 条（脱敏）",
        extra={"q_kind": "set" if q else "all", "division": division or "", "rows": count},
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95.xlsx"
    return response


@staff_view(Perm.VIEW_REGISTRY)
def person_detail(request, person_id: int):
    person = access_person_by_id(request.actor, person_id)
    household = person.household if person.household_id else None
    return render(
        request,
        "web/person_detail.html",
        {
            "title": person.name,
            "person": person,
            "household": household,
            "can_reveal": request.actor.has(Perm.REVEAL_ID_NUMBER),
            "current_division_code": person.division_code,
        },
    )


@require_POST
@staff_view(Perm.REVEAL_ID_NUMBER)
def person_reveal(request, person_id: int):
    person = access_person_by_id(request.actor, person_id, audit=False)
    full = reveal_id_number(request.actor, person)
    return render(request, "web/person_detail.html#id-number", {"person": person, "revealed": full})


@staff_view(Perm.VIEW_REGISTRY)
def household_detail(request, household_id: int):
    household = access_household_by_id(request.actor, household_id)
    return render(
        request,
        "web/household_detail.html",
        {
            "title": f"家庭 {household.pk}",
            "household": household,
            "members": current_members(household),
            "history": membership_history(household),
            "current_division_code": household.division_code,
        },
    )


@staff_view(Perm.VIEW_REGISTRY)
def division_detail(request, code: str | None = None):
    actor = request.actor
    directory = get_directory()
    if code is None:
        if not actor.scope_prefixes:
            return render_error(request, 404, "未找到", "未分配辖区，无可查看的数据。")
        code = actor.scope_prefixes[0]
    info = directory.get(code)
    # A division above the actor's own (the district for a town officer) is not theirs either.
    if info is None or not actor.covers(code):
        return render_error(request, 404, "未找到", "区划不存在或无权访问")
    stats = division_statistics(actor, code)
    children = [c for c in directory.children.get(code, []) if actor.covers(c.code)]
    can_set_zone = actor.has(Perm.MANAGE_DIVISIONS) and info.level == "village"
    return render(
        request,
        "web/division_detail.html",
        {
            "title": info.name,
            "division": info,
            "path": directory.path(code),
            "stats": stats,
            "children": children,
            "current_division_code": code,
            "can_set_zone": can_set_zone,
        },
    )


@require_POST
@staff_view(Perm.MANAGE_DIVISIONS)
def division_set_zone(request, code: str):
    from minzheng.divisions.actions import do_set_division_zone

    try:
        division = do_set_division_zone(request.actor, code, zone=request.POST.get("zone", ""))
    except ValidationFailed as e:
        messages.error(request, "；".join(e.errors.values()))
    else:
        messages.success(request, f"已将{division.name}的城乡属性调整为{division.get_zone_display()}。")
    return redirect("web:division-detail-code", code=code)


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
    if filters["date_from"]:
        qs = qs.filter(occurred_at__date__gte=filters["date_from"])
    if filters["date_to"]:
        qs = qs.filter(occurred_at__date__lte=filters["date_to"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    from minzheng.core.models import AuditAction as A

    return render(
        request,
        "web/audit_log.html",
        {
            "title": "审计日志",
            "page_obj": page,
            "paginator": page.paginator,
            "filters": filters,
            "actions": A.choices,
            "query_string": urlencode(filters),
        },
    )


@staff_view(Perm.EDIT_REGISTRY)
def person_create(request):
    form = PersonForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            person = do_register_person(request.actor, PersonInput(**form.cleaned_data))
        except ValidationFailed as e:
            for field, message in e.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"已新增人员 {person.name}。")
            return redirect("web:person-detail", person_id=person.pk)
    return render(request, "web/person_form.html", {"title": "新增人员", "form": form})
