"""The permissions of referrals to special assistance (专项救助转介) and of 精神障碍社区康复
files, and the roles that hold them (test_grants.py checks the code refuses none of them).

- 转介: the village, the town and the district refer a household (or one of its people) and
  record the receiving unit's feedback; everybody who reads the registry at those levels, the
  town approver and the district leader included, reads the referrals of their divisions.
- 接收单位: the district keeps the list of receiving units per kind.
- 精神障碍社区康复: a person's file holds health data (the diagnosis category), so only the staff
  who follow it up hold ``REHAB`` — the town officer and the district bureau's staff, as for
  minors' protection cases; the village worker, the town approver, the district leader and the
  administrator do not, and every read of a file, a list, a search, a count or an export is
  audited.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class ReferralPerm(StrEnum):
    VIEW_REFERRALS = "referrals.view"
    REFER = "referrals.refer"
    MANAGE_RECEIVING_UNITS = "referrals.units"
    REHAB = "referrals.rehab"


GRANTS = {
    ReferralPerm.VIEW_REFERRALS: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF, R.DISTRICT_LEADER},
    ReferralPerm.REFER: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
    ReferralPerm.MANAGE_RECEIVING_UNITS: {R.DISTRICT_STAFF},
    ReferralPerm.REHAB: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
}
