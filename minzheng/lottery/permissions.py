"""The welfare lottery's permissions and the roles that hold them (test_grants.py checks that
the code refuses none of them to the roles named here).

- 查看 (outlets of the town, sales, 公益金): the town officer (the outlets in the town), district
  staff and the district leader (the whole district);
- 管理 (register and close outlets, inspections, sales import, 公益金 and its projects): the
  district's staff (the district's lottery centre works as district staff).
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class LotteryPerm(StrEnum):
    VIEW_LOTTERY = "lottery.view"
    MANAGE_LOTTERY = "lottery.manage"


GRANTS = {
    LotteryPerm.VIEW_LOTTERY: {R.TOWN_OFFICER, R.DISTRICT_STAFF, R.DISTRICT_LEADER},
    LotteryPerm.MANAGE_LOTTERY: {R.DISTRICT_STAFF},
}
