from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "minzheng.eldercare"
    label = "eldercare"
    verbose_name = "养老服务"

    def ready(self) -> None:
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        register_module(Module("养老服务", "eldercare:dashboard", Perm.VIEW_REGISTRY))
