"""The registry's permissions (people and households) and the roles that hold them."""

from enum import StrEnum

from minzheng.accounts.roles import Role

R = Role


class RegistryPerm(StrEnum):
    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    REVEAL_ID_NUMBER = "registry.reveal_id_number"
    EXPORT_REGISTRY = "registry.export"
    REFRESH_STATISTICS = "registry.refresh_statistics"  # 重新统计 (every snapshot, the whole district)
    # Another line asks the village to change a household (the registrar: 婚入 at the couple's request)
    REQUEST_HOUSEHOLD_CHANGE = "registry.request_household_change"


GRANTS = {
    RegistryPerm.VIEW_REGISTRY: set(Role),
    RegistryPerm.EDIT_REGISTRY: {R.VILLAGE_WORKER, R.TOWN_OFFICER, R.DISTRICT_STAFF, R.SYSTEM_ADMIN},
    RegistryPerm.REVEAL_ID_NUMBER: {R.TOWN_APPROVER, R.DISTRICT_STAFF, R.SYSTEM_ADMIN},
    RegistryPerm.EXPORT_REGISTRY: {R.TOWN_OFFICER, R.TOWN_APPROVER, R.DISTRICT_STAFF, R.SYSTEM_ADMIN},
    RegistryPerm.REFRESH_STATISTICS: {R.DISTRICT_STAFF},
    RegistryPerm.REQUEST_HOUSEHOLD_CHANGE: {R.MARRIAGE_REGISTRAR},
}
