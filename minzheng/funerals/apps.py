from django.apps import AppConfig

from minzheng.funerals.permissions import GRANTS


class FuneralsConfig(AppConfig):
    name = "minzheng.funerals"
    label = "funerals"
    verbose_name = "殡葬管理"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.funerals.indicators import register_indicators
        from minzheng.funerals.workflow import INSPECTION_WORKFLOW, RECORD_WORKFLOW
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(RECORD_WORKFLOW)  # each death, on the workbench's task feed
        register_workflow(INSPECTION_WORKFLOW)  # inspection findings with a rectification deadline
        register_indicators()
        register_module(Module("殡葬管理", "funerals:home", RegistryPerm.VIEW_REGISTRY))
