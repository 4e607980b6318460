"""Child welfare's permissions and the roles that hold them (test_grants.py checks that the
code refuses none of them to the roles named here).

- 登记 (an application or a child found by a village visit): the village and the town;
- 乡镇审核 and the changes of a recognised child (guardian, placement, 复核, 终止): the town and
  the district — the changes move the allowance through assistance, which the town may do;
- 区级认定 (the decision, which starts the allowance): the district bureau;
- 儿童福利院 (the facility, admission and discharge): the district bureau, which runs it;
- a left-behind child's assessment and 关爱服务 plan: the village and the town (登记's grant).
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class ChildrenPerm(StrEnum):
    REGISTER_CHILD = "children.register"
    REVIEW_RECOGNITION = "children.review"
    DECIDE_RECOGNITION = "children.decide"
    MANAGE_STATIONS = "children.stations"
    # Minors' protection: anyone at the village or town files a 强制报告; the cases are seen and
    # handled only by protection staff of the town and the district (the village worker who
    # filed a report does not see the case afterwards); guardianship is decided by the district.
    REPORT_MINOR = "children.report"
    HANDLE_PROTECTION = "children.protection"
    DECIDE_GUARDIANSHIP = "children.guardianship"
    # 儿童福利院: the district bureau runs it (the facility, admissions, discharges).
    MANAGE_INSTITUTION = "children.institution"


GRANTS = {
    ChildrenPerm.REGISTER_CHILD: {R.VILLAGE_WORKER, R.TOWN_OFFICER},
    ChildrenPerm.REVIEW_RECOGNITION: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF},
    ChildrenPerm.DECIDE_RECOGNITION: {R.DISTRICT_STAFF},
    ChildrenPerm.MANAGE_STATIONS: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    ChildrenPerm.REPORT_MINOR: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF, R.RESCUE_STATION},  # the station files the 强制报告 of a minor at intake
    ChildrenPerm.HANDLE_PROTECTION: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    ChildrenPerm.DECIDE_GUARDIANSHIP: {R.DISTRICT_STAFF},
    ChildrenPerm.MANAGE_INSTITUTION: {R.DISTRICT_STAFF},
}
