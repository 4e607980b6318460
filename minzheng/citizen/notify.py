"""Telling the family (issue 22 item 4): each step of a case whose applicant has a citizen
account sends them an SMS — the case's number and the step, nothing else — once the step has
committed (the kit's event listeners)."""

from __future__ import annotations

import logging

from minzheng.cases.workflow import Workflow
from minzheng.citizen.models import CitizenAccount
from minzheng.citizen.sms import gateway
from minzheng.core.crypto import decrypt_text

log = logging.getLogger(__name__)


def notify_family(workflow: Workflow, case, event) -> None:
    if workflow.applicant_of is None:
        return
    person_id = workflow.applicant_of(case)
    if not person_id:
        return
    account = CitizenAccount.objects.filter(person_id=person_id).values_list("phone_encrypted", flat=True).first()
    if account is None:
        return
    number = getattr(case, "number", "") or workflow.describe(case)
    text = f"【涪陵民政】您的{workflow.noun}{number}：{event.label}。详情请登录涪陵民政网上办查看。"
    try:
        gateway().send(decrypt_text(account), text)
    except Exception:  # noqa: BLE001 - a failed SMS never undoes or stops casework; it is logged
        log.exception("办理进度短信发送失败（%s %s）", workflow.name, case.pk)
