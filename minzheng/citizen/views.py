"""The citizens' site: sign in by SMS code, bind by name and ID number, see one's household.
Thin: every write is an action of ``signin``."""

from __future__ import annotations

from minzheng.citizen.forms import show_refusal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from minzheng.accounts.actor import Actor
import secrets
from urllib.parse import urlencode

from minzheng.citizen import signin, sso
from minzheng.assistance import actions as assistance_actions
from minzheng.assistance.actions import ApplicationInput
from minzheng.assistance.selectors import (
    application_of_family, applications_of_family, corrections_of, current_notice, current_notices, handler_of, history_of,
    open_correction_of,
)  # fmt: skip
from minzheng.citizen.forms import ApplyForm, AttachmentForm, BindForm, CodeForm, CorrectionReplyForm, ObjectionForm, PhoneForm, StandInSsoForm
from minzheng.divisions.directory import get_directory
from minzheng.citizen.sms import demo_message
from minzheng.citizen.views_allowances import allowance_rows
from minzheng.citizen.session import PHONE_KEY, citizen_view, client_ip, sign_in, sign_out, signed_in_account
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.uploads import MAX_UPLOAD_BYTES
from minzheng.core.masking import mask_name, mask_phone
from minzheng.registry.selectors import current_household_of, current_members



def signin_phone(request: HttpRequest) -> HttpResponse:
    if signed_in_account(request) is not None:
        return redirect("citizen:home")
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = signin.normalise_phone(form.cleaned_data["phone"])
            signin.do_request_code(phone, ip_address=client_ip(request))
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            request.session[PHONE_KEY] = phone
            return redirect("citizen:signin-code")
    return render(request, "citizen/signin_phone.html", {"form": form, "title": "登录", "sso": sso.provider()})


def signin_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("citizen:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = signin.do_sign_in(phone, form.cleaned_data["code"], ip_address=client_ip(request))
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            sign_in(request, account)
            return redirect("citizen:home")
    return render(request, "citizen/signin_code.html", _code_context(form, phone))


def _code_context(form, phone: str, *, refusal: str = "") -> dict:
    return {
        "form": form, "title": "输入验证码", "phone_masked": mask_phone(phone), "demo_sms": demo_message(phone), "refusal": refusal,
        "valid_minutes": int(signin.LIMITS.code_valid.total_seconds() // 60),
    }  # fmt: skip


@require_POST
def signin_resend(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("citizen:signin")
    try:
        signin.do_request_code(phone, ip_address=client_ip(request))
    except ValidationFailed as e:
        context = _code_context(CodeForm(), phone, refusal=next(iter(e.errors.values())))
        return render(request, "citizen/signin_code.html", context, status=429 if isinstance(e, signin.RateLimited) else 400)
    return redirect("citizen:signin-code")


# ----------------------------------------------------------------------------------------------
# Single sign-on (渝快办-style): out to the provider with a one-time state, back with a code.
# ----------------------------------------------------------------------------------------------

SSO_STATE_KEY = "citizen_sso_state"


def sso_start(request: HttpRequest) -> HttpResponse:
    provider = sso.provider()
    if provider is None:
        return not_found(request)
    state = secrets.token_urlsafe(24)
    request.session[SSO_STATE_KEY] = state
    return redirect(provider.authorize_url(state=state, callback=request.build_absolute_uri(reverse("citizen:sso-callback"))))


def sso_callback(request: HttpRequest) -> HttpResponse:
    provider = sso.provider()
    if provider is None:
        return not_found(request)
    expected = request.session.pop(SSO_STATE_KEY, "")
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    refusal = ""
    if not expected or not secrets.compare_digest(str(state).encode(), expected.encode()):
        refusal = "登录已过期或来源不明，请重新登录"
    else:
        try:
            identity = provider.identity(str(code))
            account = signin.do_sign_in_by_sso(identity, provider_label=provider.label, ip_address=client_ip(request))
        except sso.SsoRefused:
            refusal = f"{provider.label}未能确认您的身份，请重新登录"
        except ValidationFailed as e:
            refusal = next(iter(e.errors.values()))
        else:
            sign_in(request, account)
            return redirect("citizen:home")
    form = PhoneForm()
    return render(request, "citizen/signin_phone.html", {"form": form, "title": "登录", "refusal": refusal, "sso": provider}, status=400)


def sso_stand_in(request: HttpRequest) -> HttpResponse:
    """The stand-in provider's own sign-in page (demo and tests only): it vouches for whoever
    is typed here, as the real provider vouches after its real-name check."""
    provider = sso.provider()
    if not isinstance(provider, sso.StandInSso):
        return not_found(request)
    form = StandInSsoForm(request.POST or None)
    state = request.GET.get("state", "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            phone = signin.normalise_phone(data["phone"])
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            code = provider.issue_code(sso.SsoIdentity(subject=f"standin-{phone}", phone=phone, name=data["name"], id_number=data["id_number"]))
            return redirect(f"{reverse('citizen:sso-callback')}?{urlencode({'state': state, 'code': code})}")
    return render(request, "citizen/sso_stand_in.html", {"form": form, "title": f"{provider.label}登录"})


@citizen_view(bound=False)
def bind(request: HttpRequest) -> HttpResponse:
    if request.account.person_id is not None:
        return redirect("citizen:home")
    form = BindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.do_bind_real_name(request.account, ip_address=client_ip(request), **form.cleaned_data)
        except ValidationFailed as e:
            show_refusal(form, e)
        else:
            return redirect("citizen:home")
    return render(request, "citizen/bind.html", {"form": form, "title": "实名认证", "account": request.account})


@citizen_view()
def home(request: HttpRequest) -> HttpResponse:
    person = request.account.person
    household = current_household_of(person)
    members = []
    if household is not None:
        for m in current_members(household).select_related("person"):
            members.append({
                "name": person.name if m.person_id == person.pk else mask_name(m.person.name),
                "relation": m.get_relation_display(), "id_number": m.person.id_number_masked, "me": m.person_id == person.pk,
            })  # fmt: skip
    record_audit_event(
        request.actor, AuditAction.VIEW, object_type="registry.household", object_id=household.pk if household else "",
        division_code=person.division_code, summary="群众查看本人家庭信息",
    )  # fmt: skip
    context = {"title": "我的", "person": person, "household": household, "members": members, "account": request.account}
    return render(request, "citizen/home.html", context)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    account = signed_in_account(request)
    if account is not None:
        record_audit_event(
            Actor.citizen(account.pk, client_ip(request)), AuditAction.LOGOUT, object_type="citizen.account",
            object_id=account.pk, summary=f"群众退出：{account.phone_masked}",
        )  # fmt: skip
    sign_out(request)
    return redirect("citizen:signin")


@citizen_view()
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["authorization_signed"]:
            form.add_error("authorization_signed", "须同意《家庭经济状况核查授权书》后方可提交")
        else:
            application_input = ApplicationInput(
                program=data["program"], applicant_id=request.account.person_id, reason=data["reason"],
                temporary_type=data["temporary_type"], severity=data["severity"], requested_months=data["requested_months"],
                authorization_signed=True, bank_name=data["bank_name"], bank_account=data["bank_account"],
            )  # fmt: skip
            try:
                application = assistance_actions.do_submit_online_application(
                    request.actor, application_input, applicant=request.account.person
                )
            except ValidationFailed as e:
                show_refusal(form, e)
            else:
                return redirect("citizen:case", application.pk)
    return render(request, "citizen/apply.html", {"form": form, "title": "申请救助", "account": request.account})


@citizen_view()
def cases(request: HttpRequest) -> HttpResponse:
    rows = list(applications_of_family(request.account.person).select_related("applicant")[:50])
    context = {"rows": rows, "title": "我的申请", "account": request.account, "allowance_rows": allowance_rows(request.account.person)}
    return render(request, "citizen/cases.html", context)


@citizen_view()
def case(request: HttpRequest, application_id: int) -> HttpResponse:
    person = request.account.person
    application = application_of_family(person, application_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            assistance_actions.do_add_online_attachment(
                request.actor, application.pk, applicant=person, kind=form.cleaned_data["kind"],
                filename=upload.name, content=upload.read(MAX_UPLOAD_BYTES + 1),
            )  # fmt: skip
        except ValidationFailed as e:
            show_refusal(form, e)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            return redirect("citizen:case", application.pk)
    return _case_page(request, application, form=form, status=422 if form.errors else 200)


@require_POST
@citizen_view()
def correction(request: HttpRequest, application_id: int) -> HttpResponse:
    """网上补正: the family answers the open 补正 request, with a paper or without."""
    person = request.account.person
    application = application_of_family(person, application_id)
    form = CorrectionReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        paper = (data["kind"], upload.name, upload.read(MAX_UPLOAD_BYTES + 1)) if upload else None
        try:
            assistance_actions.do_answer_correction_online(request.actor, application.pk, applicant=person, answer=data["answer"], paper=paper)
        except ValidationFailed as e:
            show_refusal(form, e)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            return redirect(f"{reverse('citizen:case', args=[application.pk])}#corrections")
    return _case_page(request, application, correction_form=form, status=422)


def _case_page(request: HttpRequest, application, *, form=None, correction_form=None, status: int = 200) -> HttpResponse:
    record_audit_event(
        request.actor, AuditAction.VIEW, object_type="application", object_id=application.pk,
        division_code=application.division_code, summary=f"群众查看本人申请 {application.number}",
    )  # fmt: skip
    is_open = application.status not in ("approved", "refused", "archived")
    pending = open_correction_of(application) if is_open else None
    context = {
        "title": f"申请 {application.number}", "app": application, "handler": handler_of(application),
        "history": list(history_of(application)), "attachments": list(application.attachments.all()),
        "form": form or AttachmentForm(), "open": is_open, "account": request.account,
        "pending_correction": pending, "corrections": [c for c in corrections_of(application) if c.answered_at],
        "correction_form": correction_form or CorrectionReplyForm(),
    }  # fmt: skip
    return render(request, "citizen/case.html", context, status=status)


def notices(request: HttpRequest) -> HttpResponse:
    """公示 now running, by town: public (they hold only the fields the law allows)."""
    towns = sorted(get_directory().towns(), key=lambda d: d.code)
    town = request.GET.get("town", "")
    if town not in {t.code for t in towns}:
        town = ""
    rows = [{"notice": n, "place": get_directory().path_name(n.division_code)} for n in current_notices(town_code=town)[:100]]
    context = {"title": "公示", "rows": rows, "towns": towns, "town": town, "account": signed_in_account(request)}
    return render(request, "citizen/notices.html", context)


def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    account = signed_in_account(request)
    try:
        item = current_notice(notice_id)
    except NotFound:
        return not_found(request)
    form = ObjectionForm(request.POST or None, entries=len(item.entries))
    if request.method == "POST":
        if account is None or account.person_id is None:
            return redirect("citizen:signin")
        if form.is_valid():
            try:
                assistance_actions.do_raise_objection(
                    Actor.citizen(account.pk, client_ip(request)), item.pk, entry_index=int(form.cleaned_data["entry"]) - 1,
                    text=form.cleaned_data["text"], raised_by=f"实名群众（手机{account.phone_masked}）", account_id=account.pk,
                )  # fmt: skip
            except ValidationFailed as e:
                show_refusal(form, e)
            else:
                return render(request, "citizen/objection_done.html", {"title": "异议已提交", "notice": item, "account": account})
    context = {
        "title": f"公示 {item.number}", "notice": item, "place": get_directory().path_name(item.division_code),
        "form": form, "account": account, "can_object": account is not None and account.person_id is not None,
    }  # fmt: skip
    return render(request, "citizen/notice.html", context)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    context = {"title": "页面不存在", "message": "您要找的页面不存在。"}
    return render(request, "citizen/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    context = {"title": "系统繁忙", "message": "系统暂时无法处理，请稍后再试。"}
    return render(request, "citizen/error.html", context, status=500)
