from django.apps import AppConfig

from minzheng.eldercare.permissions import GRANTS


class EldercareConfig(AppConfig):
    name = "minzheng.eldercare"
    label = "eldercare"
    verbose_name = "养老服务"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        register_module(Module("养老服务", "eldercare:dashboard", Perm.VIEW_REGISTRY))
