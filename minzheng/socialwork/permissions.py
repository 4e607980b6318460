"""The social-work line's permissions and the roles that hold them (tests/test_grants.py checks
that the code refuses none of them to the roles named here).

- 社会工作专业人才、三级服务网络（区指导中心、乡镇（街道）社工站、村（社区）社工室）、社工机构、
  购买服务项目及服务记录: the town (its own) and the district;
- 购买服务项目拨付复核 (the checker of a payment another user proposed): the town's approver and
  the district.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class SocialworkPerm(StrEnum):
    MANAGE_SOCIAL_WORK = "socialwork.manage"
    APPROVE_SERVICE_PAYMENTS = "socialwork.approve_payments"


GRANTS = {
    SocialworkPerm.MANAGE_SOCIAL_WORK: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    SocialworkPerm.APPROVE_SERVICE_PAYMENTS: {R.TOWN_APPROVER, R.DISTRICT_STAFF},
}
