from django.apps import AppConfig

from minzheng.core.permissions import GRANTS


class CoreConfig(AppConfig):
    name = "minzheng.core"
    label = "core"
    verbose_name = "基础"
    permission_grants = GRANTS  # collected by accounts.permissions
