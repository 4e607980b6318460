"""The marriage registry's permissions and the roles that hold them (tests/test_grants.py checks
that the code refuses none of them to the roles named here).

The 婚姻登记处 is a unit of the district bureau with its own counter (accounts/roles.py:
婚姻登记员, district-wide). Marriage records are sensitive (service-lines §1: marital history,
divorce agreements, illness disclosures): only the registry's staff write, the bureau's district
staff read, the district's leaders see the statistics only (no names). Towns and villages see
nothing of this line.
"""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class MarriagePerm(StrEnum):
    REGISTER_MARRIAGE = "marriage.register"  # every write: appointments, registrations, cases, counselling
    VIEW_MARRIAGE = "marriage.view"  # the records (names, masked ID numbers)
    VIEW_MARRIAGE_STATS = "marriage.stats"  # the counts and indicator 10, no names


GRANTS = {
    MarriagePerm.REGISTER_MARRIAGE: {R.MARRIAGE_REGISTRAR},
    MarriagePerm.VIEW_MARRIAGE: {R.MARRIAGE_REGISTRAR, R.DISTRICT_STAFF},
    MarriagePerm.VIEW_MARRIAGE_STATS: {R.MARRIAGE_REGISTRAR, R.DISTRICT_STAFF, R.DISTRICT_LEADER},
}
