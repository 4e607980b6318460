"""The social-organisation line's permissions (test_grants.py checks that the code refuses none
of them to the roles named here).

- 查看: the town (organisations domiciled in the town) and the district;
- 登记（成立、变更、注销）与监管（年检、评估、信用名单、行政处罚、取缔）: the district's
  registration authority (区民政局) only — the district registers social organisations.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class SociorgPerm(StrEnum):
    VIEW_SOCIORGS = "sociorgs.view"
    REGISTER_SOCIORGS = "sociorgs.register"
    SUPERVISE_SOCIORGS = "sociorgs.supervise"


GRANTS = {
    SociorgPerm.VIEW_SOCIORGS: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF, R.DISTRICT_LEADER},
    SociorgPerm.REGISTER_SOCIORGS: {R.DISTRICT_STAFF},
    SociorgPerm.SUPERVISE_SOCIORGS: {R.DISTRICT_STAFF},
}
