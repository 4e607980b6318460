"""The volunteer line's permissions and the roles that hold them (tests/test_grants.py).

- 志愿者登记、志愿服务活动（签到、时长）、时长证明、服务需求对接: the village, the town, the district;
- 志愿服务组织、队伍、志愿服务站点: the town and the district.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class VolunteerPerm(StrEnum):
    MANAGE_VOLUNTEERS = "volunteers.manage"
    MANAGE_VOLUNTEER_ORGS = "volunteers.orgs"


GRANTS = {
    VolunteerPerm.MANAGE_VOLUNTEERS: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
    VolunteerPerm.MANAGE_VOLUNTEER_ORGS: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
}
