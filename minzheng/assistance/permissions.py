"""Social assistance's permissions and the roles that hold them.

Each grant matches what the code lets that role do at the level it works at (test_grants.py):
the payroll is prepared and approved by the district bureau only, so no town role holds a
payroll permission."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class AssistancePerm(StrEnum):
    ACCEPT_APPLICATION = "assistance.accept"
    INVESTIGATE = "assistance.investigate"
    REVIEW_APPLICATION = "assistance.review"
    APPROVE_APPLICATION = "assistance.approve"
    PREPARE_PAYROLL = "assistance.prepare_payroll"
    APPROVE_PAYROLL = "assistance.approve_payroll"


GRANTS = {
    AssistancePerm.ACCEPT_APPLICATION: {R.VILLAGE_WORKER, R.TOWN_OFFICER},
    AssistancePerm.INVESTIGATE: {R.VILLAGE_WORKER, R.TOWN_OFFICER},
    AssistancePerm.REVIEW_APPLICATION: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF},
    AssistancePerm.APPROVE_APPLICATION: {R.TOWN_APPROVER, R.DISTRICT_STAFF},
    AssistancePerm.PREPARE_PAYROLL: {R.DISTRICT_STAFF},
    AssistancePerm.APPROVE_PAYROLL: {R.DISTRICT_STAFF},
}
