"""Plan monitoring's permissions and the roles that hold them.

Plan indicators are counted for the district and the towns only: a village account has nothing
to see (the dashboard refuses it), so village workers do not hold VIEW_DASHBOARD."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class PlanningPerm(StrEnum):
    VIEW_DASHBOARD = "planning.view_dashboard"
    EDIT_INDICATORS = "planning.edit_indicators"
    APPROVE_INDICATORS = "planning.approve_indicators"


GRANTS = {
    PlanningPerm.VIEW_DASHBOARD: set(Role) - {R.VILLAGE_WORKER},
    PlanningPerm.EDIT_INDICATORS: {R.TOWN_OFFICER, R.DISTRICT_STAFF},
    PlanningPerm.APPROVE_INDICATORS: {R.DISTRICT_STAFF},
}
