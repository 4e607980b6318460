"""The place-name and boundary line's permissions (test_grants.py checks the code refuses none
of them to the roles named here).

- 地名登记、界桩、联检: the town (its own names and markers) and the district;
- 命名更名的专家论证、批准、公告，地名文化遗产名录，区划变更的审批: the district;
- 区划变更的登记生效 (the dated change of the division tree): the system administrator, who
  alone keeps the divisions (divisions.manage).
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class PlaceNamePerm(StrEnum):
    MANAGE_PLACENAMES = "placenames.manage"
    APPROVE_PLACENAMES = "placenames.approve"


GRANTS = {
    PlaceNamePerm.MANAGE_PLACENAMES: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    PlaceNamePerm.APPROVE_PLACENAMES: {R.DISTRICT_STAFF},
}
