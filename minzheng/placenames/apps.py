from django.apps import AppConfig

from minzheng.placenames.permissions import GRANTS


class PlacenamesConfig(AppConfig):
    name = "minzheng.placenames"
    label = "placenames"
    verbose_name = "区划地名"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.placenames.workflow import CHANGE_WORKFLOW, NAMING_WORKFLOW
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(NAMING_WORKFLOW)  # 命名更名, on the workbench's task feed
        register_workflow(CHANGE_WORKFLOW)  # 区划变更
        register_module(Module("区划地名", "placenames:home", RegistryPerm.VIEW_REGISTRY))
