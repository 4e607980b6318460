"""Single-row reads of the marriage registry: scoped through access_by_id, one NotFound for
"missing" and "not yours"; every view of a marriage, divorce or case file is audited
(marriage records are sensitive, issue 16 §8)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.masking import mask_name
from minzheng.marriage.models import Amendment, Appointment, CounsellingReferral, Divorce, Marriage, Office, Slot
from minzheng.marriage.permissions import MarriagePerm


def _viewed(actor: Actor, object_type: str, row, what: str) -> None:
    record_audit_event(
        actor, AuditAction.VIEW, object_type=object_type, object_id=row.pk, division_code=row.division_code,
        summary=f"查看{what} {row.number}",
    )  # fmt: skip


def access_marriage_by_id(actor: Actor, marriage_id: object, *, audit: bool = True) -> Marriage:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    m = access_by_id(Marriage.objects.select_related("man_person", "woman_person", "office"), actor, marriage_id)
    if audit:
        _viewed(actor, "marriage", m, f"结婚登记（{mask_name(m.man_name)}、{mask_name(m.woman_name)}）")
    return m


def access_divorce_by_id(actor: Actor, divorce_id: object, *, audit: bool = True) -> Divorce:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    d = access_by_id(Divorce.objects.select_related("marriage", "office"), actor, divorce_id)
    if audit:
        _viewed(actor, "marriage.divorce", d, "离婚登记")
    return d


def access_amendment_by_id(actor: Actor, amendment_id: object, *, audit: bool = True) -> Amendment:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    a = access_by_id(Amendment.objects.select_related("marriage", "divorce"), actor, amendment_id)
    if audit:
        _viewed(actor, "marriage.amendment", a, a.get_kind_display())
    return a


def access_office_by_id(actor: Actor, office_id: object) -> Office:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    return access_by_id(Office.objects.all(), actor, office_id)


def access_slot_by_id(actor: Actor, slot_id: object) -> Slot:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    return access_by_id(Slot.objects.select_related("office"), actor, slot_id)


def access_appointment_by_id(actor: Actor, appointment_id: object) -> Appointment:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    return access_by_id(Appointment.objects.select_related("slot", "slot__office"), actor, appointment_id)


def access_referral_by_id(actor: Actor, referral_id: object) -> CounsellingReferral:
    actor.require(MarriagePerm.VIEW_MARRIAGE)
    return access_by_id(CounsellingReferral.objects.select_related("divorce"), actor, referral_id)
