"""Single-row reads of people and households: scoped, and every view audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.registry.models import Household, Person


def access_person_by_id(actor: Actor, person_id: object, *, audit: bool = True) -> Person:
    actor.require(Perm.VIEW_REGISTRY)
    person = access_by_id(Person.objects.all(), actor, person_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="person",
            object_id=person.pk,
            division_code=person.division_code,
            summary=f"查看人员 {person.name}（{person.id_number_masked}）",
        )
    return person


def access_household_by_id(actor: Actor, household_id: object, *, audit: bool = True) -> Household:
    actor.require(Perm.VIEW_REGISTRY)
    household = access_by_id(Household.objects.select_related("head"), actor, household_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="household",
            object_id=household.pk,
            division_code=household.division_code,
            summary=f"查看家庭 {household.pk}",
        )
    return household
