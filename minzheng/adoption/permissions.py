"""The adoption line's permissions and the roles that hold them (test_grants.py checks that
the code refuses none of them to the roles named here).

Adoption is registered by the district bureau (县级人民政府民政部门, 民法典 第1105条): the
application, 受理, the notice, the assessment report (the bureau's own team or an entrusted
organisation, recorded by the registrar), the decision and 解除收养登记 are district steps.
The town sees its children's adoptions and makes the follow-up visits (回访) with the district.
Adoption files are sensitive (the child's origin, the adopters' health and criminal checks):
the village sees none.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class AdoptionPerm(StrEnum):
    VIEW_ADOPTION = "adoption.view"
    REGISTER_ADOPTION = "adoption.register"
    VISIT_ADOPTION = "adoption.visit"


GRANTS = {
    AdoptionPerm.VIEW_ADOPTION: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF},
    AdoptionPerm.REGISTER_ADOPTION: {R.DISTRICT_STAFF},
    AdoptionPerm.VISIT_ADOPTION: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
}
