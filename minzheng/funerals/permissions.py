"""The funeral line's permissions and the roles that hold them (test_grants.py checks that the
code refuses none of them to the roles named here).

- 殡葬服务记录 (报丧, 接运, 火化, 土葬, 安葬, 治丧, 网上祭扫): the village (报丧, 土葬, 安葬, 治丧 in its
  villages), the town and the district (the funeral home works as district staff);
- 设施、墓位、区域、散埋乱葬、价格、检查: the town and the district;
- 惠民殡葬结算 (制表, 审批 — never both on one batch): the district.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class FuneralPerm(StrEnum):
    MANAGE_FUNERALS = "funerals.manage"
    MANAGE_FUNERAL_FACILITIES = "funerals.facilities"
    SETTLE_FUNERAL_WAIVERS = "funerals.settle"


GRANTS = {
    FuneralPerm.MANAGE_FUNERALS: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
    FuneralPerm.MANAGE_FUNERAL_FACILITIES: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    FuneralPerm.SETTLE_FUNERAL_WAIVERS: {R.DISTRICT_STAFF},
}
