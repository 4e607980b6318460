"""登记材料 of a children case (a recognition's papers, a protection case's court judgment):
the one in-state write both workflows use — locked and versioned by the case kit, one history
row, one audit row; nothing written on a refusal."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.cases.actions import lock_case, update_case
from minzheng.cases.workflow import Workflow
from minzheng.children.enums import DocumentKind
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, ValidationFailed


def add_documents(
    actor: Actor, workflow: Workflow, case, *, expected_version: int, documents: list[str], allowed: set[str],
    open_states: tuple[str, ...], label: str, closed_message: str,
):
    if not documents or set(documents) - allowed:
        raise ValidationFailed({"documents": "请选择已收取的材料"})
    current = lock_case(actor, workflow, case, expected_version)
    if current.status not in open_states:
        raise DomainError(closed_message, code="wrong_state")
    added = [d for d in documents if d not in current.documents]
    labels = "、".join(DocumentKind(d).label for d in added) or "无新增"
    update_case(actor, workflow, current, action="documents", label=label, reason=labels,
                updates={"documents": [*current.documents, *added]})
    record_audit_event(
        actor, AuditAction.UPDATE, object_type=workflow.object_type, object_id=current.pk,
        division_code=current.division_code, summary=f"{label}：{workflow.describe(current)}（{labels}）",
    )
    current.refresh_from_db()
    return current
