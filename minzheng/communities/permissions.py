"""The community-governance line's permissions and the roles that hold them (test_grants.py
checks that the code refuses none of them to the roles named here).

- 社区综合服务设施、村（居）委会成员、村（居）务公开、协商与三事分流、自治章程与村规民约、社区工作者:
  the village (its own community only), the town (its communities) and the district;
- 村（居）委会换届选举 (资格联审、确定选举日、录入结果、发证): the town and the district;
- 社区治理示范点: the district.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class CommunityPerm(StrEnum):
    MANAGE_COMMUNITY = "communities.manage"
    MANAGE_ELECTIONS = "communities.elections"
    MANAGE_DEMONSTRATION_SITES = "communities.demonstration"


GRANTS = {
    CommunityPerm.MANAGE_COMMUNITY: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
    CommunityPerm.MANAGE_ELECTIONS: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    CommunityPerm.MANAGE_DEMONSTRATION_SITES: {R.DISTRICT_STAFF},
}
