"""The charity line's permissions: the town sees the charities domiciled in the town; the
district (慈善事业促进和社会工作科) recognises, files and records."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class CharityPerm(StrEnum):
    VIEW_CHARITY = "charity.view"
    MANAGE_CHARITY = "charity.manage"


GRANTS = {
    CharityPerm.VIEW_CHARITY: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF, R.DISTRICT_LEADER},
    CharityPerm.MANAGE_CHARITY: {R.DISTRICT_STAFF},
}
