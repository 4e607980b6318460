"""/api/v1/children/ — scoped and audited exactly as the screens."""

from __future__ import annotations

from ninja import Router, Schema

from minzheng.children import selectors
from minzheng.children.access import access_recognition_by_id
from minzheng.children.indicators import station_coverage
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.protection import access_protection_case_by_id, list_protection_cases_for, protection_summary
from minzheng.registry.permissions import RegistryPerm

router = Router()


class RecognitionOut(Schema):
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


@router.get("/recognitions", response=list[RecognitionOut], summary="困境儿童认定名单（本辖区）")
def list_recognitions(request, category: str = "", status: str = ""):
    rows = selectors.list_recognitions_for(request.actor, category=category or None, status=status or None)[:500]
    return [recognition_out(r) for r in rows]


@router.get("/recognitions/{recognition_id}", response=RecognitionOut, summary="一条认定")
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
        "protection": (lambda s: None if s is None else {"open": s["open"], "overdue": s["overdue"]})(protection_summary(actor)),
    }


@router.get("/protection-cases/{case_id}", response=ProtectionCaseOut, summary="一件未成年人保护案件（查看留痕）")
def get_protection_case(request, case_id: int):
    return case_out(access_protection_case_by_id(request.actor, case_id))
