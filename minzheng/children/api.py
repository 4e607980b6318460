"""/api/v1/children/ — scoped and audited exactly as the screens."""

from __future__ import annotations

from ninja import Router, Schema

from minzheng.children import selectors
from minzheng.children.access import access_institution_by_id, access_recognition_by_id
from minzheng.children.file import child_file
from minzheng.children.indicators import station_coverage
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.protection import access_protection_case_by_id, list_protection_cases_for, protection_summary
from minzheng.registry.permissions import RegistryPerm

router = Router()


class ChildRecognitionOut(Schema):
    id: int
    number: str
    category: str
    category_label: str
    status: str
    status_label: str
    division_code: str
    child_name: str
    child_id_number_masked: str
    placement: str
    amount_fen: int | None
    decided_on: str | None


def recognition_out(r) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "category": r.category,
        "category_label": r.get_category_display(),
        "status": r.status,
        "status_label": r.get_status_display(),
        "division_code": r.division_code,
        "child_name": r.person.name,
        "child_id_number_masked": r.person.id_number_masked,
        "placement": r.placement,
        "amount_fen": r.amount_fen,
        "decided_on": r.decided_on.isoformat() if r.decided_on else None,
    }


@router.get("/recognitions", response=list[ChildRecognitionOut], summary="困境儿童认定名单（本辖区）")
def list_recognitions(request, category: str = "", status: str = ""):
    rows = selectors.list_recognitions_for(request.actor, category=category or None, status=status or None)[:500]
    return [recognition_out(r) for r in rows]


@router.get("/recognitions/{recognition_id}", response=ChildRecognitionOut, summary="一条认定")
def get_recognition(request, recognition_id: int):
    return recognition_out(access_recognition_by_id(request.actor, recognition_id))


@router.get("/indicators/11", summary="乡镇（街道）未成年人保护工作站覆盖率")
def indicator_11(request):
    request.actor.require(RegistryPerm.VIEW_REGISTRY)
    data = station_coverage()
    return {k: v for k, v in data.items() if k != "by_town"}


class ProtectionCaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    division_code: str
    child_name: str
    reporter_kind_label: str
    harm_kinds: list[str]
    intervention: str
    reported_at: str


def case_out(c) -> dict:
    return {
        "id": c.pk, "number": c.number, "status": c.status, "status_label": c.get_status_display(),
        "division_code": c.division_code, "child_name": c.child_name, "reporter_kind_label": c.get_reporter_kind_display(),
        "harm_kinds": list(c.harm_kinds), "intervention": c.intervention, "reported_at": c.reported_at.isoformat(),
    }


@router.get("/protection-cases", response=list[ProtectionCaseOut], summary="未成年人保护案件（仅保护工作人员）")
def list_protection_cases(request, status: str = "open", q: str = ""):
    request.actor.require(ChildrenPerm.HANDLE_PROTECTION)
    return [case_out(c) for c in list_protection_cases_for(request.actor, status=status or None, q=q[:50])[:500]]


@router.get("/summary", summary="儿童福利概况：各类儿童人数、本月基本生活费发放、保护案件数（仅保护工作人员）")
def summary(request):
    actor = request.actor
    actor.require(RegistryPerm.VIEW_REGISTRY)
    paid = selectors.allowances_paid(actor)
    return {
        "recognised_by_category": selectors.category_counts(actor),
        "allowances_paid": {
            "period": paid["period"], "persons": paid["persons"], "amount_fen": paid["amount_fen"],
            "by_category": {r["category"]: {"persons": r["persons"], "amount_fen": r["amount_fen"]} for r in paid["rows"]},
        },
        "protection": _protection_counts(actor),
    }


def _protection_counts(actor) -> dict | None:
    """Open and overdue cases for protection staff; None (not zero) for anyone else."""
    found = protection_summary(actor)
    return None if found is None else {"open": found["open"], "overdue": found["overdue"]}


@router.get("/protection-cases/{case_id}", response=ProtectionCaseOut, summary="一件未成年人保护案件（查看留痕）")
def get_protection_case(request, case_id: int):
    return case_out(access_protection_case_by_id(request.actor, case_id))


# ----------------------------------------------------------------------------------------------
# 一人一档, 儿童福利院, the protection network
# ----------------------------------------------------------------------------------------------


@router.get("/files/{person_id}", summary="儿童档案（一人一档，查看留痕）")
def get_file(request, person_id: int):
    f = child_file(request.actor, person_id)
    p = f.person
    return {
        "person_id": p.pk, "name": p.name, "id_number_masked": p.id_number_masked, "age": f.age,
        "division_code": p.division_code, "child_status": p.child_status, "in_institution": p.in_institution,
        "school": None if f.profile is None else {"school": f.profile.school, "grade": f.profile.grade, "schooling": f.profile.get_schooling_display(), "health": f.profile.health},
        "guardians": [{k: g[k] for k in ("name", "relation", "status")} for g in f.guardians],
        "members": [{k: m[k] for k in ("name", "id_number_masked", "relation", "age", "deceased")} for m in f.members],
        "allowances": [{"program": a["program"], "amount_fen": a["amount_fen"], "status": a["status"],
                        "start_month": a["start_month"].isoformat(), "end_month": a["end_month"].isoformat() if a["end_month"] else None}
                       for a in f.allowances],
        "recognitions": [recognition_out(r) for r in f.recognitions],
        "visits": [{"visited_at": v.visited_at.isoformat(), "visitor": v.visitor_name, "findings": v.findings} for v in f.visits],
        "assessments": [{"assessed_on": a.assessed_on.isoformat(), "risk_level": a.risk_level, "safety": a.get_safety_display(),
                         "guardianship": a.get_guardianship_display(), "health": a.get_health_display(), "findings": a.findings}
                        for a in f.assessments],
        "care_plans": [{"made_on": c.made_on.isoformat(), "current": c.current, "measures": c.measure_labels, "responsible": c.responsible,
                        "review_on": c.review_on.isoformat()} for c in f.care_plans],
        "residencies": [{"institution": s.institution.name, "admitted_on": s.admitted_on.isoformat(), "admission_reason": s.get_admission_reason_display(),
                         "discharged_on": s.discharged_on.isoformat() if s.discharged_on else None,
                         "discharge_reason": s.get_discharge_reason_display() if s.discharge_reason else ""} for s in f.residencies],
    }


@router.get("/institutions", summary="儿童福利机构（床位与在院人数）")
def list_institutions(request):
    out = []
    for i in selectors.list_institutions_for(request.actor):
        occ = selectors.occupancy(i)
        out.append({"id": i.pk, "name": i.name, "floor_area_m2": i.floor_area_m2, "beds": occ["beds"], "residents": occ["residents"],
                    "free": occ["free"], "rate": occ["rate"]})
    return out


@router.get("/institutions/{institution_id}/residents", summary="在院儿童（本辖区）")
def list_residents(request, institution_id: int, current: bool = True):
    institution = access_institution_by_id(request.actor, institution_id)
    return [
        {"id": r.pk, "child_name": r.person.name, "child_id_number_masked": r.person.id_number_masked, "admitted_on": r.admitted_on.isoformat(),
         "admission_reason": r.admission_reason, "recognition_number": r.recognition.number if r.recognition else None,
         "discharged_on": r.discharged_on.isoformat() if r.discharged_on else None, "discharge_reason": r.discharge_reason}
        for r in selectors.list_residents_for(request.actor, institution, current=current)[:1000]
    ]


@router.get("/network", summary="未成年人保护网络覆盖（乡镇工作站、儿童督导员、村儿童主任）")
def network(request):
    request.actor.require(RegistryPerm.VIEW_REGISTRY)
    data = selectors.network_coverage(request.actor)
    return {
        "towns": [{k: t[k] for k in ("code", "name", "station", "supervisor", "villages", "directors")} for t in data["towns"]],
        "villages": [{k: v[k] for k in ("code", "name", "director")} for v in data["villages"]],
        "towns_with_station": data["towns_with_station"], "villages_with_director": data["villages_with_director"],
    }
