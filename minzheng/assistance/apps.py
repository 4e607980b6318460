from django.apps import AppConfig

from minzheng.assistance.permissions import GRANTS


class AssistanceConfig(AppConfig):
    name = "minzheng.assistance"
    label = "assistance"
    verbose_name = "社会救助"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        register_module(Module("社会救助", "assistance:todo", Perm.VIEW_REGISTRY))
