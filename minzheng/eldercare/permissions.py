"""Elderly care's permission and the roles that hold it."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class EldercarePerm(StrEnum):
    MANAGE_ELDERCARE = "eldercare.manage"


GRANTS = {
    EldercarePerm.MANAGE_ELDERCARE: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF},
}
