"""低收入人口's permissions and the roles that hold them (tests/test_grants.py checks that the
code refuses none of them to the roles named here).

- 登记 (an application or a household found by screening/discovery): the village and the town;
- 家庭经济状况核对: the town and the district;
- 乡镇认定 (the decision) and 终止: the town's approver (the procedure is the town's);
- 动态监测 (the monthly pass), the district's annual figures and the month's price indices: the
  district bureau, and so are the departments' rosters (防止返贫监测对象, 困难重点优抚对象) it
  receives. The price-subsidy batch itself is prepared with assistance's payroll
  permission (maker-checker there).
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class LowIncomePerm(StrEnum):
    REGISTER_LOW_INCOME = "lowincome.register"
    CHECK_LOW_INCOME = "lowincome.check"
    DECIDE_LOW_INCOME = "lowincome.decide"
    RUN_LOW_INCOME_MONITORING = "lowincome.monitor"
    ENTER_DISTRICT_FIGURES = "lowincome.district_figures"
    ENTER_PRICE_INDEX = "lowincome.price_index"
    IMPORT_DEPARTMENT_ROSTERS = "lowincome.department_rosters"


GRANTS = {
    LowIncomePerm.REGISTER_LOW_INCOME: {R.VILLAGE_WORKER, R.TOWN_OFFICER},
    LowIncomePerm.CHECK_LOW_INCOME: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    LowIncomePerm.DECIDE_LOW_INCOME: {R.TOWN_APPROVER},
    LowIncomePerm.RUN_LOW_INCOME_MONITORING: {R.DISTRICT_STAFF},
    LowIncomePerm.ENTER_DISTRICT_FIGURES: {R.DISTRICT_STAFF},
    LowIncomePerm.ENTER_PRICE_INDEX: {R.DISTRICT_STAFF},
    LowIncomePerm.IMPORT_DEPARTMENT_ROSTERS: {R.DISTRICT_STAFF},
}
