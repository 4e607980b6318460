"""Rules and screening's permission and the roles that hold it. The value keeps its historical
"rules." prefix: screening runs the rules engine (which, a pure library, declares nothing)."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class ScreeningPerm(StrEnum):
    RUN_SCREENING = "rules.run_screening"


GRANTS = {
    ScreeningPerm.RUN_SCREENING: {R.DISTRICT_STAFF, R.SYSTEM_ADMIN},
}
