from django.apps import AppConfig

from minzheng.socialwork.permissions import GRANTS


class SocialworkConfig(AppConfig):
    name = "minzheng.socialwork"
    label = "socialwork"
    verbose_name = "社会工作"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.socialwork.indicators import register_indicators
        from minzheng.socialwork.workflow import PROJECT_WORKFLOW
        from minzheng.web.navigation import Module, register_module

        register_workflow(PROJECT_WORKFLOW)  # purchased services, on the workbench's task feed
        register_indicators()
        register_module(Module("社会工作", "socialwork:home", RegistryPerm.VIEW_REGISTRY))
