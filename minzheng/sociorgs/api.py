"""/api/v1/sociorgs/ — scoped exactly as the screens (a town officer sees the organisations of the
town; another town's organisation is 404)."""

from __future__ import annotations

from ninja import Router, Schema

from minzheng.accounts.scoping import Division
from minzheng.core.query_params import Offset, Year, limit_param, window
from minzheng.sociorgs import selectors
from minzheng.sociorgs.access import access_organisation_by_id

router = Router()


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str
    org_type: str
    org_type_label: str
    sector: str
    division_code: str
    legal_representative: str
    supervising_unit: str
    registered_capital_fen: int
    party_status: str
    registered_on: str
    certificate_no: str
    status: str


def organisation_out(o) -> dict:
    return {
        "id": o.pk, "name": o.name, "credit_code": o.credit_code, "org_type": o.org_type, "org_type_label": o.get_org_type_display(),
        "sector": o.sector, "division_code": o.division_code, "legal_representative": o.legal_representative,
        "supervising_unit": o.supervising_unit, "registered_capital_fen": o.registered_capital_fen, "party_status": o.party_status,
        "registered_on": o.registered_on.isoformat(), "certificate_no": o.certificate_no, "status": o.status,
    }  # fmt: skip


@router.get("/organisations", response=list[OrganisationOut], summary="社会组织名录（本辖区）")
def list_organisations(request, org_type: str = "", sector: str = "", division: Division = "", q: str = "", offset: Offset = 0, limit: limit_param(500) = 200):
    rows = selectors.list_organisations_for(request.actor, division_code=division or None, org_type=org_type, sector=sector, q=q)
    return [organisation_out(o) for o in rows[window(offset, limit, max_limit=500)]]


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="一个社会组织")
def get_organisation(request, org_id: int):
    return organisation_out(access_organisation_by_id(request.actor, org_id))


@router.get("/summary", summary="社会组织统计（按类型、行业、乡镇、等级；年检合格率）")
def summary(request, year: Year = None):
    return selectors.summary_for(request.actor, year=year)
