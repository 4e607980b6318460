"""Rescue management's permissions and the roles that hold them (tests/test_grants.py checks
that the code refuses none of them to the roles named here).

The 救助管理站 is a unit of the district bureau: its cases belong to the district (their
``division_code`` is the district's code, docs/rescue.md §1), so only district-level users see
them at all, and among them only those holding the station's permission.

- 站内工作 (STATION_WORK): intake, photos, beds, the stay, 寻亲, return home, settlement,
  campaigns — the station's staff only (救助管理站工作人员, ``Role.RESCUE_STATION``). The
  issue asks for photos "visible only to station staff": the bureau's other district staff
  (科室人员) no longer open the station's cases or photos; they keep the figures and the
  follow-ups at home.
- 返乡回访与防走失 (FOLLOW_UP): the visits at home of people returned to a Fuling village and
  the 易流浪走失人员 register — the village and the town of the person, and the district.
- 查看统计 (VIEW_RESCUE): the counts, the indicators and the reports (no names) — also the
  district's leaders (read-only).
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class RescuePerm(StrEnum):
    STATION_WORK = "rescue.station"
    FOLLOW_UP_RETURNEES = "rescue.follow_up"
    VIEW_RESCUE = "rescue.view"


GRANTS = {
    RescuePerm.STATION_WORK: {R.RESCUE_STATION},
    RescuePerm.FOLLOW_UP_RETURNEES: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF, R.RESCUE_STATION},
    RescuePerm.VIEW_RESCUE: {R.DISTRICT_STAFF, R.DISTRICT_LEADER, R.RESCUE_STATION},
}
