"""The disability-subsidy line's permissions and the roles that hold them (test_grants.py
checks that the code refuses none of them to the roles named here).

- 登记 (an application taken at the village or town, a 残联 feed row, a discovery alert):
  the village and the town;
- 受理 and 乡镇审核, and the changes of a subsidised person (等级变更, 复核, 停发): the town and the
  district — the changes move the payment through assistance, which the town may do;
- 审批 (the decision that starts the payment): the level the parameters give (params.py —
  the district by default), with this permission;
- 存量名单导入: the town and the district.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role
from minzheng.disability.params import DECISION_LEVEL

R = Role


class DisabilityPerm(StrEnum):
    REGISTER_SUBSIDY = "disability.register"
    REVIEW_SUBSIDY = "disability.review"
    DECIDE_SUBSIDY = "disability.decide"


GRANTS = {
    DisabilityPerm.REGISTER_SUBSIDY: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
    DisabilityPerm.REVIEW_SUBSIDY: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF},
    # 审批 at the level of the parameters: the district by default; the town's approver once
    # Fuling's entrustment is entered (params.DECISION_LEVEL = "town").
    DisabilityPerm.DECIDE_SUBSIDY: {R.TOWN_APPROVER} if DECISION_LEVEL == "town" else {R.DISTRICT_STAFF},
}
