"""Single-row reads of people and households: scoped, and every view audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.registry.models import DeathReport, Household, Person


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


def access_death_report_by_id(actor: Actor, report_id: object) -> DeathReport:
    """One death report in the user's scope (another village's or town's is NotFound)."""
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(DeathReport.objects.select_related("person"), actor, report_id)
