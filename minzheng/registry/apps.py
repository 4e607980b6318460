from django.apps import AppConfig

from minzheng.registry.permissions import GRANTS


class RegistryConfig(AppConfig):
    name = "minzheng.registry"
    label = "registry"
    verbose_name = "人口与家庭"
    permission_grants = GRANTS  # collected by accounts.permissions
