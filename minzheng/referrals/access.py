"""Single-row reads: one ``NotFound`` for "missing" and "not yours"; a rehabilitation file is
read only with ``ReferralPerm.REHAB`` and every read is audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import decrypt_text
from minzheng.referrals.enums import DiagnosisCategory
from minzheng.referrals.models import Referral, RehabFile
from minzheng.referrals.permissions import ReferralPerm


def access_referral_by_id(actor: Actor, referral_id: object, *, for_update: bool = False) -> Referral:
    actor.require(ReferralPerm.VIEW_REFERRALS)
    return access_by_id(
        Referral.objects.select_related("household", "household__head", "person", "receiving_unit"),
        actor, referral_id, for_update=for_update,
    )


def access_rehab_file_by_id(actor: Actor, file_id: object, *, audit: bool = True) -> RehabFile:
    actor.require(ReferralPerm.REHAB)
    file = access_by_id(RehabFile.objects.select_related("person"), actor, file_id)
    if audit:
        record_audit_event(
            actor, AuditAction.VIEW, object_type="rehab_file", object_id=file.pk, division_code=file.division_code,
            summary=f"查看精神障碍社区康复档案 {file.pk}（{file.person.id_number_masked}）",
        )
    return file


def diagnosis_label(file: RehabFile) -> str:
    """The diagnosis category, decrypted for the one page that shows it (read through
    ``access_rehab_file_by_id``, which audited the view)."""
    value = decrypt_text(file.diagnosis_encrypted)
    return DiagnosisCategory(value).label if value in DiagnosisCategory.values else "未知"
