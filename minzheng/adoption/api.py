"""/api/v1/adoption/ — scoped and audited exactly as the screens (adoption is its own line, so
its endpoints are under its own prefix, beside /api/v1/children/)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router, Schema

from minzheng.adoption import documents, selectors
from minzheng.adoption.access import access_adoption_by_id

router = Router()


class ConditionOut(Schema):
    code: str
    label: str
    article: str
    passed: bool
    detail: str
    exempt: str
    provisional: bool


class AdoptionOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    kind: str
    kind_label: str
    division_code: str
    child_name: str
    child_id_number_masked: str
    adopters: list[str]
    applied_on: str
    registered_on: str | None
    certificate_number: str
    refused_on: str | None
    refusal_reasons: list[dict]
    conditions: list[ConditionOut]


def adoption_out(a) -> dict:
    return {
        "id": a.pk, "number": a.number, "status": a.status, "status_label": a.get_status_display(),
        "kind": a.kind, "kind_label": a.get_kind_display(), "division_code": a.division_code,
        "child_name": a.child.name, "child_id_number_masked": a.child.id_number_masked,
        "adopters": [p.name for p in (a.adopter, a.co_adopter) if p is not None],
        "applied_on": a.applied_on.isoformat(),
        "registered_on": a.registered_on.isoformat() if a.registered_on else None,
        "certificate_number": a.certificate_number,
        "refused_on": a.refused_on.isoformat() if a.refused_on else None,
        "refusal_reasons": a.refusal_reasons or [],
        "conditions": [{k: c.get(k) for k in ConditionOut.model_fields} for c in a.conditions or []],
    }  # fmt: skip


@router.get("/adoptions", response=list[AdoptionOut], summary="收养登记名单（本辖区）")
def list_adoptions(request, status: str = ""):
    return [adoption_out(a) for a in selectors.list_adoptions_for(request.actor, status=status or None)[:500]]


@router.get("/adoptions/{adoption_id}", response=AdoptionOut, summary="一件收养登记")
def get_adoption(request, adoption_id: int):
    return adoption_out(access_adoption_by_id(request.actor, adoption_id))


@router.get("/adoptions/{adoption_id}/certificate.pdf", summary="收养登记证（PDF）")
def get_certificate(request, adoption_id: int):
    adoption = access_adoption_by_id(request.actor, adoption_id, audit=False)
    return HttpResponse(documents.certificate_pdf(request.actor, adoption), content_type="application/pdf")


@router.get("/counts", summary="收养登记统计（本年度）")
def counts(request):
    return selectors.adoption_counts(request.actor)
