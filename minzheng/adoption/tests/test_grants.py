"""Grants and checks agree (docs/service-lines.md §A.4): per permission, the guards of the entry
points it opens; every role opens at least one entry point with each permission it holds, and
none with a permission it lacks."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.adoption import access, actions, selectors
from minzheng.adoption.permissions import GRANTS, AdoptionPerm
from minzheng.adoption.workflow import ADOPTION, TRANSITIONS
from minzheng.core.errors import DomainError, PermissionDenied


def _guard(fn: Callable[[Actor], None]) -> Callable[[Actor], None]:
    """Only PermissionDenied is a refusal of the role: other errors come after the check."""

    def run(actor: Actor) -> None:
        try:
            fn(actor)
        except PermissionDenied:
            raise
        except (DomainError, AttributeError, TypeError):
            pass

    return run


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in AdoptionPerm}
    for t in TRANSITIONS:
        out[t.perm].append(lambda actor, t=t: ADOPTION.check_actor(actor, t, SimpleNamespace()))
    out[AdoptionPerm.REGISTER_ADOPTION].append(_guard(lambda actor: actions._require_registrar(actor)))
    out[AdoptionPerm.VIEW_ADOPTION].append(lambda actor: actor.require(AdoptionPerm.VIEW_ADOPTION))  # access_*, the screens
    out[AdoptionPerm.VISIT_ADOPTION].append(
        _guard(lambda actor: actions.do_record_visit.__wrapped__(actor, SimpleNamespace(pk=0), visited_on=None, note=""))
    )
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted_nor_let_through_what_it_was_not(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in AdoptionPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    let_through = [p.name for p in AdoptionPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert (refused, let_through) == ([], [])


def test_who_does_what():
    assert GRANTS[AdoptionPerm.REGISTER_ADOPTION] == {Role.DISTRICT_STAFF}
    assert GRANTS[AdoptionPerm.VISIT_ADOPTION] == {Role.TOWN_OFFICER, Role.DISTRICT_STAFF}
    assert Role.VILLAGE_WORKER not in GRANTS[AdoptionPerm.VIEW_ADOPTION]  # sensitive: the village sees no adoption
    assert access and selectors  # the read modules guard with VIEW_ADOPTION
