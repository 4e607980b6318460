"""Single-row reads of casework records: scoped (missing and not-yours are the same
NotFound) and audited where they show personal data."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.assistance.models import Application, Attachment, Enrolment, NoticeObjection, PaymentBatch, PublicNotice, ReviewTask
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import PermissionDenied


def access_application_by_id(actor: Actor, application_id: object, *, audit: bool = True) -> Application:
    actor.require(Perm.VIEW_REGISTRY)
    application = access_by_id(
        Application.objects.select_related("household", "person", "applicant"), actor, application_id
    )
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="application",
            object_id=application.pk,
            division_code=application.division_code,
            summary=f"查看救助申请 {application.number}",
        )
    return application


def access_enrolment_by_id(actor: Actor, enrolment_id: object, *, audit: bool = True) -> Enrolment:
    actor.require(Perm.VIEW_REGISTRY)
    enrolment = access_by_id(Enrolment.objects.select_related("payee", "household", "person"), actor, enrolment_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="enrolment",
            object_id=enrolment.pk,
            division_code=enrolment.division_code,
            summary=f"查看保障对象 {enrolment.payee.name}",
        )
    return enrolment


def access_review_task_by_id(actor: Actor, task_id: object) -> ReviewTask:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(ReviewTask.objects.select_related("enrolment", "enrolment__payee"), actor, task_id)


def access_batch_by_id(actor: Actor, batch_id: object) -> PaymentBatch:
    """Batches are district-wide (division 500102): only district-level staff see them."""
    if not (actor.has(Perm.PREPARE_PAYROLL) or actor.has(Perm.APPROVE_PAYROLL)):
        raise PermissionDenied()
    return access_by_id(PaymentBatch.objects.all(), actor, batch_id)


def access_notice_by_id(actor: Actor, notice_id: object) -> PublicNotice:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(PublicNotice.objects.all(), actor, notice_id)


def access_objection_by_id(actor: Actor, objection_id: object) -> NoticeObjection:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(NoticeObjection.objects.select_related("notice", "application", "enrolment"), actor, objection_id)


def access_attachment_by_id(actor: Actor, attachment_id: object) -> Attachment:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Attachment.objects.all(), actor, attachment_id)
