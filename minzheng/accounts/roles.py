"""The roles a user can hold. Kept apart from the models so that every app's permissions.py can
name roles without loading models (AppConfig classes read those declarations)."""

from django.db import models


class Role(models.TextChoices):
    VILLAGE_WORKER = "village_worker", "村（社区）经办人"
    TOWN_OFFICER = "town_officer", "乡镇（街道）经办人"
    TOWN_APPROVER = "town_approver", "乡镇（街道）审核人"
    DISTRICT_STAFF = "district_staff", "区民政局科室人员"
    DISTRICT_LEADER = "district_leader", "区级领导（只读）"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    # Units of the bureau with their own counter: the 救助管理站 and the 婚姻登记处 work
    # district-wide, but only on their own line.
    RESCUE_STATION = "rescue_station", "救助管理站工作人员"
    MARRIAGE_REGISTRAR = "marriage_registrar", "婚姻登记员"
