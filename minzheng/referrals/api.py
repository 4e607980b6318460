"""/api/v1/referrals/ — referrals to special assistance and 精神障碍社区康复 files, scoped and
audited exactly as the screens.

    GET  /referrals/                      list (kind, status = a state | open | overdue, unit, household, person)
    GET  /referrals/counts                by kind: total, open, overdue, fed back
    GET  /referrals/units                 the receiving units
    POST /referrals/                      refer (422 names each bad field, nothing written)
    GET  /referrals/{id}
    POST /referrals/{id}/receive | feedback | withdraw   (with the version the caller saw)
    GET  /referrals/rehab/files[?q=&status=]   REHAB only, audited
    GET  /referrals/rehab/counts               REHAB only, audited
    GET  /referrals/rehab/files/{id}           REHAB only, audited (with the diagnosis category)
    POST /referrals/rehab/files                REHAB only
    POST /referrals/rehab/files/{id}/services  REHAB only
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.core.errors import ValidationFailed
from minzheng.referrals import actions, selectors
from minzheng.referrals.access import access_referral_by_id, access_rehab_file_by_id, diagnosis_label
from minzheng.referrals.permissions import ReferralPerm

router = Router()
MAX_ROWS = 500


def _date(value: str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed({field: "日期格式应为 YYYY-MM-DD"}) from None


class ReferralOut(Schema):
    id: int
    number: str
    household_id: int
    person_id: int | None
    person_name: str
    person_id_number_masked: str
    division_code: str
    kind: str
    kind_label: str
    receiving_unit_id: int
    receiving_unit: str
    reason: str
    status: str
    status_label: str
    deadline_on: str
    referred_on: str
    received_on: str | None
    outcome: str
    outcome_label: str
    feedback: str
    fed_back_on: str | None
    version: int


def referral_out(r) -> dict:
    return {
        "id": r.pk, "number": r.number, "household_id": r.household_id, "person_id": r.person_id,
        "person_name": r.person.name if r.person else "", "person_id_number_masked": r.person.id_number_masked if r.person else "",
        "division_code": r.division_code, "kind": r.kind, "kind_label": r.get_kind_display(),
        "receiving_unit_id": r.receiving_unit_id, "receiving_unit": r.receiving_unit.name, "reason": r.reason,
        "status": r.status, "status_label": r.get_status_display(), "deadline_on": r.deadline_on.isoformat(),
        "referred_on": r.created_at.date().isoformat(), "received_on": r.received_on.isoformat() if r.received_on else None,
        "outcome": r.outcome, "outcome_label": r.get_outcome_display() if r.outcome else "", "feedback": r.feedback,
        "fed_back_on": r.fed_back_on.isoformat() if r.fed_back_on else None, "version": r.version,
    }  # fmt: skip


@router.get("/", response=list[ReferralOut], summary="专项救助转介名单（本辖区）")
def list_referrals(request, kind: str = "", status: str = "", unit: str = "", household: str = "", person: str = ""):
    request.actor.require(ReferralPerm.VIEW_REFERRALS)
    rows = selectors.list_referrals_for(
        request.actor, kind=kind, status=status, receiving_unit_id=unit, household_id=household, person_id=person
    )[:MAX_ROWS]
    return [referral_out(r) for r in rows]


@router.get("/counts", summary="按转介类别统计（本辖区）")
def referral_counts(request):
    request.actor.require(ReferralPerm.VIEW_REFERRALS)
    return selectors.referral_counts_by_kind(request.actor)


@router.get("/units", summary="转介接收单位名录")
def list_units(request):
    request.actor.require(ReferralPerm.VIEW_REFERRALS)
    return [
        {"id": u.pk, "kind": u.kind, "kind_label": u.get_kind_display(), "name": u.name, "contact": u.contact,
         "provisional": u.provisional, "active": u.active}
        for u in selectors.receiving_units(active_only=False)
    ]  # fmt: skip


class ReferralIn(BodyIn):
    household_id: int
    person_id: int | None = None
    kind: str | None = None
    receiving_unit_id: int | None = None
    reason: str | None = None
    deadline_on: str | None = None


@router.post("/", response={201: ReferralOut}, summary="发起专项救助转介")
def create_referral(request, data: ReferralIn):
    if data.household_id is None:
        raise ValidationFailed({"household_id": "请指定家庭"})
    referral = actions.do_refer(
        request.actor, household_id=data.household_id, person_id=data.person_id, kind=data.kind or "",
        receiving_unit_id=data.receiving_unit_id, reason=data.reason or "", deadline_on=_date(data.deadline_on, "deadline_on"),
    )  # fmt: skip
    return Status(201, referral_out(access_referral_by_id(request.actor, referral.pk)))


@router.get("/{referral_id}", response=ReferralOut, summary="一条转介")
def get_referral(request, referral_id: int):
    return referral_out(access_referral_by_id(request.actor, referral_id))


class ReceiveIn(BodyIn):
    version: int
    receiver_name: str = ""
    received_on: str | None = None


class FeedbackIn(BodyIn):
    version: int
    outcome: str = ""
    feedback: str = ""


class WithdrawIn(BodyIn):
    version: int
    reason: str = ""


@router.post("/{referral_id}/receive", response=ReferralOut, summary="确认接收")
def receive(request, referral_id: int, data: ReceiveIn):
    referral = access_referral_by_id(request.actor, referral_id)
    actions.do_receive_referral(request.actor, referral, expected_version=data.version, receiver_name=data.receiver_name,
                                received_on=_date(data.received_on, "received_on"))
    return referral_out(access_referral_by_id(request.actor, referral_id))


@router.post("/{referral_id}/feedback", response=ReferralOut, summary="登记反馈")
def feedback(request, referral_id: int, data: FeedbackIn):
    referral = access_referral_by_id(request.actor, referral_id)
    actions.do_record_feedback(request.actor, referral, expected_version=data.version, outcome=data.outcome, feedback=data.feedback)
    return referral_out(access_referral_by_id(request.actor, referral_id))


@router.post("/{referral_id}/withdraw", response=ReferralOut, summary="撤回转介")
def withdraw(request, referral_id: int, data: WithdrawIn):
    referral = access_referral_by_id(request.actor, referral_id)
    actions.do_withdraw_referral(request.actor, referral, expected_version=data.version, reason=data.reason)
    return referral_out(access_referral_by_id(request.actor, referral_id))


# ----------------------------------------------------------------------------------------------
# 精神障碍社区康复 (REHAB only)
# ----------------------------------------------------------------------------------------------


def rehab_out(f, *, diagnosis: bool = False) -> dict:
    out = {
        "id": f.pk, "person_id": f.person_id, "person_name": f.person.name, "person_id_number_masked": f.person.id_number_masked,
        "division_code": f.division_code, "guardian_name": f.guardian_name, "guardian_relation": f.guardian_relation,
        "guardian_phone_masked": f.guardian_phone_masked, "institution": f.institution, "started_on": f.started_on.isoformat(),
        "status": f.status, "status_label": f.get_status_display(),
    }  # fmt: skip
    if diagnosis:
        out["diagnosis_label"] = diagnosis_label(f)
    return out


@router.get("/rehab/files", summary="精神障碍社区康复档案（本辖区，仅限康复工作人员）")
def rehab_files(request, q: str = "", status: str = ""):
    return [rehab_out(f) for f in selectors.rehab_files_for(request.actor, q=q, status=status)[:MAX_ROWS]]


@router.get("/rehab/counts", summary="社区康复档案统计（仅限康复工作人员）")
def rehab_counts(request):
    return selectors.rehab_counts(request.actor)


@router.get("/rehab/files/{file_id}", summary="一份社区康复档案（含诊断类别、服务记录）")
def rehab_file(request, file_id: int):
    f = access_rehab_file_by_id(request.actor, file_id)
    return {
        **rehab_out(f, diagnosis=True),
        "services": [
            {"served_on": s.served_on.isoformat(), "content": s.content, "provider": s.provider}
            for s in selectors.rehab_services(request.actor, f)
        ],
    }


class RehabIn(BodyIn):
    person_id: int
    diagnosis: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    institution: str = ""


@router.post("/rehab/files", response={201: dict}, summary="建立社区康复档案")
def open_rehab_file(request, data: RehabIn):
    request.actor.require(ReferralPerm.REHAB)
    if data.person_id is None:
        raise ValidationFailed({"person_id": "请指定康复对象"})
    f = actions.do_open_rehab_file(request.actor, **data.dict())
    return Status(201, rehab_out(access_rehab_file_by_id(request.actor, f.pk, audit=False)))


class ServiceIn(BodyIn):
    served_on: str | None = None
    content: str = ""
    provider: str = ""


@router.post("/rehab/files/{file_id}/services", response={201: dict}, summary="登记康复服务")
def add_service(request, file_id: int, data: ServiceIn):
    f = access_rehab_file_by_id(request.actor, file_id, audit=False)
    s = actions.do_record_rehab_service(request.actor, f, served_on=_date(data.served_on, "served_on"),
                                        content=data.content, provider=data.provider)
    return Status(201, {"id": s.pk, "served_on": s.served_on.isoformat(), "content": s.content, "provider": s.provider})
