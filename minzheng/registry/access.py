"""Single-row reads of people and households (scoped, every view audited), and the one
division a registry page may show."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, ReferenceNotFound
from minzheng.divisions.directory import DivisionInfo, get_directory
from minzheng.registry.models import DeathReport, Household, HouseholdJoinRequest, Person


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


def person_for_field(actor: Actor, person_id: object, field: str = "person_id") -> Person:
    """The person a form or body names in ``field``, within the actor's divisions (not audited:
    the action that uses it is); else ReferenceNotFound naming the field."""
    try:
        return access_by_id(Person.objects.all(), actor, person_id)
    except DomainError:
        raise ReferenceNotFound({field: "未找到该人员，或该人员不在您的管辖范围内"}) from None


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
            summary=f"查看家庭 {household.label}",
        )
    return household


def access_division_by_code(actor: Actor, code: str | None = None) -> DivisionInfo:
    """The division whose population this actor may see: `code`, or the actor's first assigned
    division when none is given. A division above the actor's own (the district for a town
    officer) is not theirs either."""
    actor.require(Perm.VIEW_REGISTRY)
    if code is None:
        if not actor.scope_prefixes:
            raise NotFound("未分配辖区，无可查看的数据。")
        code = actor.scope_prefixes[0]
    info = get_directory().get(code)
    if info is None or not actor.covers(code):
        raise NotFound("区划不存在或无权访问")
    return info
def access_death_report_by_id(actor: Actor, report_id: object) -> DeathReport:
    """One death report in the user's scope (another village's or town's is NotFound)."""
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(DeathReport.objects.select_related("person"), actor, report_id)


def access_join_request_by_id(actor: Actor, request_id: object) -> HouseholdJoinRequest:
    """One household-change request in the user's scope (the household's village)."""
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(HouseholdJoinRequest.objects.select_related("person", "household"), actor, request_id)
