from django.apps import AppConfig

from minzheng.divisions.permissions import GRANTS


class DivisionsConfig(AppConfig):
    name = "minzheng.divisions"
    label = "divisions"
    verbose_name = "行政区划"
    permission_grants = GRANTS  # collected by accounts.permissions
