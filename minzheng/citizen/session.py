"""Who is signed in on the citizens' site: the account id in the session, nothing else.

A citizen is never a Django ``User``: the staff platform's login, roles and scoping do not know
them, so a citizen's session opens no staff page (they are sent to the staff login) and a staff
session is not a citizen's."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest
from django.shortcuts import redirect, render

from minzheng.accounts.actor import Actor
from minzheng.citizen.models import CitizenAccount
from minzheng.core.errors import NotFound

SESSION_KEY = "citizen_account_id"
PHONE_KEY = "citizen_signin_phone"


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def signed_in_account(request: HttpRequest) -> CitizenAccount | None:
    account_id = request.session.get(SESSION_KEY)
    if not account_id:
        return None
    return CitizenAccount.objects.select_related("person").filter(pk=account_id).first()


def sign_in(request: HttpRequest, account: CitizenAccount) -> None:
    request.session.cycle_key()  # a new session id at sign-in: no fixation
    request.session[SESSION_KEY] = account.pk
    request.session.pop(PHONE_KEY, None)


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def citizen_view(*, bound: bool = True):
    """A page of a signed-in citizen (``request.account``, ``request.actor``); ``bound``: only
    after the real-name binding (otherwise they are sent to it)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            account = signed_in_account(request)
            if account is None:
                return redirect("citizen:signin")
            if bound and account.person_id is None:
                return redirect("citizen:bind")
            request.account = account
            request.actor = Actor.citizen(account.pk, client_ip(request))
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                # Missing and not theirs alike, on the citizens' own page (not the staff one).
                return render(request, "citizen/error.html", {"title": "页面不存在", "message": "您要找的记录不存在。", "account": account}, status=404)

        return wrapper

    return decorate
