from django.apps import AppConfig

from minzheng.eldercare.permissions import GRANTS


class EldercareConfig(AppConfig):
    name = "minzheng.eldercare"
    label = "eldercare"
    verbose_name = "养老服务"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.eldercare.indicators import register_indicators
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_indicators()
        # local import: a task source reads models, which load after apps.py
        from minzheng.eldercare import task_source

        task_source.register()  # visits due on the workbench
        register_module(Module("养老服务", "eldercare:dashboard", RegistryPerm.VIEW_REGISTRY))
